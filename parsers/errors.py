"""The one exception tree of imh-edgar.

Everything the project raises on purpose descends from :class:`ImhEdgarError`, so a caller (a flow, the CLI)
can catch ours apart from programming errors. Each branch lives next to the code that raises it::

    ImhEdgarError                       root; carries structured context and a next step (hint)
    |-- ParseError                      parsers/: we had the text and could not build the records
    |   |                               (names the section and the line)
    |   |-- UnknownFormatError          the document is not a statement template we know
    |   |-- UnsupportedTemplateError    a known family, but a variant we have no layout for (names it)
    |   `-- DamagedStatementError       truncated or damaged input: a section or line is missing or garbled
    |-- edgar.errors.*                  edgar/: transport failures, "SEC has no such thing", throttling
    `-- db.errors.*                     db/: schema, migrations, loads

The split follows edgartools: "we could not ask SEC" (edgar/) is not "SEC says no" (edgar/) is not "we got the
bytes and could not build the object" (here). The message is one line: what went wrong, where, and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "DamagedStatementError",
    "ImhEdgarError",
    "ParseError",
    "UnknownFormatError",
    "UnsupportedTemplateError",
]


class ImhEdgarError(Exception):
    """Root of every error this project raises on purpose.

    ``context`` holds structured facts (accession, url, file, line, ...) for logs and monitoring; ``hint`` is
    the next step for the person reading the message. Both are rendered into ``str(error)`` on one line.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        self.context: dict[str, Any] = dict(context or {})
        super().__init__(self._render())

    def _render(self) -> str:
        text = self.message
        if self.context:
            facts = ", ".join(f"{key}={value}" for key, value in self.context.items())
            text = f"{text} [{facts}]"
        if self.hint:
            text = f"{text}; {self.hint}"
        return text

    def _init_kwargs(self) -> dict[str, Any]:
        return {"hint": self.hint, "context": self.context}

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only state would be lost by the default Exception pickling (which replays self.args);
        # exceptions cross process boundaries in Prefect task runners, so rebuild from the real arguments.
        return (_rebuild, (type(self), self.message, self._init_kwargs()))


def _rebuild(cls: type[ImhEdgarError], message: str, kwargs: dict[str, Any]) -> ImhEdgarError:
    return cls(message, **kwargs)


class ParseError(ImhEdgarError):
    """The text could not be turned into records; names the statement section and the 1-based line."""

    def __init__(
        self,
        message: str,
        *,
        section: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        self.section = section
        self.line = line
        where = []
        if section is not None:
            where.append(f"section {section!r}")
        if line is not None:
            where.append(f"line {line}")
        located = f"{', '.join(where)}: {message}" if where else message
        self.bare_message = message
        super().__init__(located, hint=hint, context=context)

    def _init_kwargs(self) -> dict[str, Any]:
        return {**super()._init_kwargs(), "section": self.section, "line": self.line}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.bare_message, self._init_kwargs()))


class UnknownFormatError(ParseError):
    """The document is not a statement template we know (not a remittance statement, or a foreign layout)."""


class UnsupportedTemplateError(ParseError):
    """The document belongs to a known family but uses a template variant we have no layout for."""

    def __init__(
        self,
        message: str,
        *,
        template: str,
        section: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        self.template = template
        super().__init__(
            f"{message} (template {template!r})", section=section, line=line, hint=hint, context=context
        )
        self.bare_message = message

    def _init_kwargs(self) -> dict[str, Any]:
        return {**super()._init_kwargs(), "template": self.template}


class DamagedStatementError(ParseError):
    """The statement is truncated or damaged: a required section, row or column is missing or garbled."""
