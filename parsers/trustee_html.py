"""The trustee template on HTML: the 2003+ HTML filings of the same report, read by the same declarations.

From 2003 the trustee filed the very report it had printed as folded text in 2002 as HTML tables (re-filings
``im020206.htm``, ``im020112.htm``; every month from ``im030110.htm``): one cell per printed field, on the
same 15-character grid the text was printed on (excerpts 033 and 051: ``| 1.|Contents|||| 1``, empty cells
in place). So there is one template, declared once in :mod:`parsers.trustee_text`, and two ways in:

1. :func:`parsers.html.read_html` turns the markup into rows of cells (empty cells and ``colspan`` kept,
   ``&nbsp;`` and ``$`` cells handled);
2. :func:`html_rows_to_lines` lays each row back onto the grid by cell *position*: cell k starts at grid
   column k (counting spans); a cell the markup aligns right ends at its span's end, others start at their
   column (plus a leading ``&nbsp;`` indent), which is where the text rendition prints them. Cover-page
   paragraphs become lines of their own;
3. :func:`parsers.trustee_text.parse_trustee_text` reads those lines, so labels, sections, layouts and
   records cannot drift between the renditions.

Records carry the HTML document's line numbers (the line where the ``<tr>``/``<p>`` of the value opens), so
every value can be traced in the file that was actually parsed; apart from ``line`` fields and the template
name, the two renditions of one statement give identical records (tests/parsers/test_html_trustee.py).

Unverified assumption, stated where it matters: we hold no raw 2003 markup, only search-engine excerpts, so
the "one cell per grid column" shape comes from those excerpts and from the fixture we render from the real
text statement (tests/fixtures/html/make_html.py). A filing whose rows do not land on the grid fails loudly
with the text template's ``DamagedStatementError``/``UnsupportedTemplateError``; it is never loaded
half-read.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from parsers.errors import ParseError
from parsers.fixed_width import record_builder
from parsers.html import Block, HtmlRow, PreBlock, TableBlock, TextBlock, read_html
from parsers.records import ParseResult
from parsers.trustee_text import parse_trustee_text

__all__ = [
    "GRID",
    "html_rows_to_lines",
    "parse_rendered_lines",
    "parse_trustee_html",
    "parse_trustee_pre",
    "renumber_lines",
]

#: Width of one column of the trustee grid (the same as the text report's).
GRID = 15

_T = TypeVar("_T")


def _row_text(row: HtmlRow) -> str:
    text = ""
    column = 0
    for cell in row.cells:
        start = column * GRID
        column += cell.colspan
        if not cell.text:
            continue
        # As printed: a right-aligned field (numbers in most tables) ends at its span's end, any other field
        # starts at its grid column (plus its indent). One that fills its cell to the edge runs into the next
        # ("Orig. PrincipalPrior", "0.055CA"); one that would overlap it is set one space after it.
        if cell.align == "right":
            position = start + cell.colspan * GRID - len(cell.text)
        else:
            position = start + cell.indent
        if position < len(text):
            position = len(text) + 1
        text = text.ljust(position) + cell.text
    return text


def html_rows_to_lines(blocks: Sequence[Block]) -> list[tuple[str, int]]:
    """The printed lines of the statement with the HTML line each came from, in reading order."""
    lines: list[tuple[str, int]] = []
    for block in blocks:
        if isinstance(block, TableBlock):
            lines.extend((_row_text(row), row.line) for row in block.rows if not row.is_blank)
        elif isinstance(block, PreBlock):
            lines.extend((text, block.line + offset) for offset, text in enumerate(block.text.split("\n")))
        elif isinstance(block, TextBlock):
            lines.append((block.text, block.line))
    return lines


def renumber_lines(value: _T, renumber: Callable[[int], int]) -> _T:
    """``value`` (a record, tuple of records, ParseResult) with each line number put through ``renumber``.

    Line numbers are the ``line`` and ``*_line`` fields and the ``lines`` tuples of the records.
    """
    if isinstance(value, tuple):
        return type(value)(renumber_lines(item, renumber) for item in value)
    cls = type(value)
    plan = _PLANS.get(cls)
    if plan is None:
        if not _is_record_class(cls):
            return value  # not a record (a class object is not one either: its type is not a dataclass)
        plan = _plan(cls)
    roles, read, build = plan
    fields = list(read(value))
    changed = False
    for index, (_, kind) in enumerate(roles):
        current = fields[index]
        if type(current) in _LEAF_TYPES and kind is _OTHER:
            continue  # text, numbers, dates, None: nothing to renumber inside
        if kind is _LINE and isinstance(current, int):
            fields[index] = renumber(current)
        elif kind is _LINES and isinstance(current, tuple):
            fields[index] = tuple(renumber(n) for n in current)
        elif isinstance(current, tuple) or _is_record_class(type(current)):
            fields[index] = renumber_lines(current, renumber)
        else:
            continue
        changed = True
    if not changed:
        return value
    if build is None:
        record: Any = value
        return dataclasses.replace(record, **{name: fields[i] for i, (name, _) in enumerate(roles)})
    # All fields in declaration order: what dataclasses.replace(value, **changes) builds, without the frozen
    # __init__ (~1,900 records a statement; replace was a third of the HTML path's time after reading).
    return build(*fields)


# Field values that are never records or tuples of them (a str is no tuple; bool is an int).
_LEAF_TYPES = frozenset({str, int, bool, float, Decimal, date, type(None)})
_LINE, _LINES, _OTHER = "line", "lines", "other"
# Per record class, read once: a statement has ~1,900 records, and dataclasses.fields / is_dataclass per
# record cost more than the renumbering itself.
_FIELD_ROLES: dict[type, tuple[tuple[str, str], ...]] = {}
_RECORD_CLASSES: dict[type, bool] = {}
_Plan = tuple[tuple[tuple[str, str], ...], Callable[[Any], tuple[Any, ...]], Callable[..., Any] | None]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    """For a record class: its fields' line roles, a reader of all its field values (one C call), and a
    positional constructor (None: use dataclasses.replace)."""
    roles = _line_fields(cls)
    names = [name for name, _ in roles]
    read: Callable[[Any], tuple[Any, ...]]
    if len(names) > 1:
        read = operator.attrgetter(*names)  # a tuple of the values
    else:
        read = lambda record: tuple(getattr(record, name) for name in names)  # noqa: E731
    build: Callable[..., Any] | None = None
    # The records (parsers.records) are frozen, slotted, every field in __init__, no __post_init__.
    if not hasattr(cls, "__post_init__") and all(f.init for f in dataclasses.fields(cls)):
        try:
            build = record_builder(cls)
        except TypeError:  # not slotted
            build = None
    plan = _PLANS[cls] = (roles, read, build)
    return plan


def _line_fields(cls: type) -> tuple[tuple[str, str], ...]:
    roles = _FIELD_ROLES.get(cls)
    if roles is None:
        roles = _FIELD_ROLES[cls] = tuple(
            (
                field.name,
                _LINE
                if field.name == "line" or field.name.endswith("_line")
                else _LINES
                if field.name == "lines"
                else _OTHER,
            )
            for field in dataclasses.fields(cls)
        )
    return roles


def _is_record_class(cls: type) -> bool:
    known = _RECORD_CLASSES.get(cls)
    if known is None:
        known = _RECORD_CLASSES[cls] = dataclasses.is_dataclass(cls)
    return known


def parse_rendered_lines(lines: Sequence[tuple[str, int]]) -> ParseResult:
    """Run the trustee template over ``(text, document line)`` pairs; records and errors carry those lines."""
    mapping = [line for _, line in lines]

    def to_document(number: int) -> int:
        return mapping[number - 1] if 1 <= number <= len(mapping) else number

    try:
        result = parse_trustee_text("\n".join(text for text, _ in lines))
    except ParseError as error:
        # Same error, pointing at the document's line instead of the line of the intermediate rendering.
        rebuild, (cls, message, kwargs) = error.__reduce__()
        if isinstance(kwargs.get("line"), int):
            kwargs = {**kwargs, "line": to_document(kwargs["line"])}
        raise rebuild(cls, message, kwargs) from error
    return renumber_lines(result, to_document)


def parse_trustee_html(markup: str) -> ParseResult:
    """Parse one HTML trustee statement (cover page + statement) into the text template's records."""
    return parse_rendered_lines(html_rows_to_lines(read_html(markup)))


def parse_trustee_pre(markup: str) -> ParseResult:
    """Parse the fixed-width statement an HTML wrapper holds in ``<pre>``; lines are the HTML document's."""
    return parse_rendered_lines(html_rows_to_lines([b for b in read_html(markup) if isinstance(b, PreBlock)]))
