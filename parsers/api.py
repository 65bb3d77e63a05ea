"""One call from a decoded document to a reconciled parse: detect, dispatch, reconcile.

:func:`parse_document` is what the flows and the CLI call. It never guesses: a document is parsed only by the
template :func:`~parsers.detect.detect_template` names; a recognised family without a parser raises
:class:`~parsers.errors.UnsupportedTemplateError` carrying the template name (the flow stores the filing with
status ``unsupported`` and ``reparse`` picks it up once a parser exists); anything else raises
:class:`~parsers.errors.UnknownFormatError`. The caller decodes bytes (edgar/ records the encoding), so this
takes ``str`` only.
"""

from __future__ import annotations

import dataclasses

from parsers.detect import Template, detect_template, is_html_markup
from parsers.errors import UnknownFormatError, UnsupportedTemplateError
from parsers.reconcile import reconcile
from parsers.records import ParseResult
from parsers.trustee_html import parse_trustee_html, parse_trustee_pre
from parsers.trustee_text import parse_trustee_text

__all__ = ["PARSER_VERSION", "parse_document"]

#: Version of everything parse_document returns (records, items, checks). Bump it whenever the output for the
#: same input can change, so stored parses can be told apart and re-parsed.
PARSER_VERSION = "1.0.0"


def parse_document(text: str, filename: str | None = None) -> ParseResult:
    """Parse one EDGAR document (already decoded) into a reconciled :class:`~parsers.records.ParseResult`.

    ``result.template`` is the detected :class:`~parsers.detect.Template` value; ``discrepancies`` and
    ``checks_run`` are filled by :func:`~parsers.reconcile.reconcile`. Line numbers always count lines of
    ``text`` as given (for HTML: the line where the row's tag opens, or the line inside ``<pre>``).
    """
    template = detect_template(text, filename)
    if template is Template.TRUSTEE_TEXT:
        result = parse_trustee_pre(text) if is_html_markup(text) else parse_trustee_text(text)
    elif template is Template.TRUSTEE_HTML:
        result = parse_trustee_html(text)
    elif template is Template.UNKNOWN:
        raise UnknownFormatError(
            "not a remittance statement template we know",
            context={"file": filename} if filename else None,
            hint="check that the document is an IMH/Impac monthly remittance statement",
        )
    else:
        raise UnsupportedTemplateError(
            "recognised statement template without a parser yet",
            template=template.value,
            context={"file": filename} if filename else None,
            hint="store the filing as unsupported; reparse it once this template has a parser",
        )
    discrepancies, checks_run = reconcile(result.statement)
    return dataclasses.replace(
        result, template=template.value, discrepancies=discrepancies, checks_run=checks_run
    )
