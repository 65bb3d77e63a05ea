"""Read an HTML statement into blocks of rows of cell texts, in reading order (BeautifulSoup + lxml).

From 2003 the trustee filed its remittance statements as HTML (``im020206.htm``, ``im030110.htm``): the 8-K
cover page as paragraphs, then the statement as tables, all in one document. This module knows nothing about
any template; it turns markup into plain data the templates read:

* a ``<table>`` becomes a :class:`TableBlock` of :class:`HtmlRow` s; each row keeps *every* cell, empty ones
  included, because position is meaning (the ADJUSTABLE / FIXED / TOTAL columns of a line printed only under
  TOTAL, the blank CURRENT cell of the DELINQUENT row). ``colspan`` is kept on the cell.
* cell text: ``&nbsp;`` is a space, line breaks inside the markup are one space, the ends are stripped, and
  inner runs of spaces are kept (the trustee prints ``Paid Off  -  36`` with two spaces; the text template
  keeps that raw text, so the HTML path must too). A cell holding only ``$`` is the currency mark of the
  amount after it and is dropped; a ``$`` in front of an amount is removed. Commas and parentheses are left
  to the value converters.
* ``<pre>`` content is a :class:`PreBlock` with its text verbatim: a fixed-width statement wrapped in markup
  goes to the fixed-width path.
* any other text (``<p>``, ``<div>``, bare text of the cover page) becomes a :class:`TextBlock` per block
  element, spaces inside it kept as in cells.

Every block and row carries ``line``: the 1-based line of the document where its tag opens. lxml's tree
builder in BeautifulSoup does not record source lines, so the opening tags are numbered in one regex pass
before parsing (``data-imh-line``), which costs a fraction of the parse itself.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

__all__ = ["Cell", "HtmlRow", "PreBlock", "TableBlock", "TextBlock", "read_html"]


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its normalised text ("" when empty), the columns it spans, its ``&nbsp;`` indent and
    its horizontal alignment as the markup states it (``align=`` or ``text-align:``; None when unstated)."""

    text: str
    colspan: int = 1
    indent: int = 0
    align: str | None = None


@dataclass(frozen=True, slots=True)
class HtmlRow:
    """One ``<tr>``: its cells in order, empty cells included, and the document line where it opens."""

    cells: tuple[Cell, ...]
    line: int

    @property
    def texts(self) -> tuple[str, ...]:
        """Cell texts with each spanned column as its own position (the span's text first, then "")."""
        out: list[str] = []
        for cell in self.cells:
            out.append(cell.text)
            out.extend([""] * (cell.colspan - 1))
        return tuple(out)

    @property
    def is_blank(self) -> bool:
        return not any(cell.text for cell in self.cells)


@dataclass(frozen=True, slots=True)
class TableBlock:
    rows: tuple[HtmlRow, ...]
    line: int


@dataclass(frozen=True, slots=True)
class PreBlock:
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class TextBlock:
    text: str
    line: int


Block = TableBlock | PreBlock | TextBlock

_LINE_ATTR = "data-imh-line"
_NUMBERED_TAGS = re.compile(r"<(tr|table|pre|p|div|h[1-6]|li)\b", re.IGNORECASE)
_SPACES_AROUND_NEWLINES = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_CURRENCY_PREFIX = re.compile(r"^\$\s*(?=[\d(.,-])")
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(\w+)", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "center"})
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title"})
# <br> becomes this mark before parsing (one regex pass instead of a tree search per cell): a space inside a
# table cell, a line break between text lines, a newline inside <pre>.
_BR = re.compile(r"<br\b[^>]*>", re.IGNORECASE)
_BR_MARK = "\x0b"


def _number_tags(markup: str) -> str:
    """Add ``data-imh-line="N"`` to the opening tags that become blocks and rows."""
    newlines = [m.start() for m in re.finditer("\n", markup)]

    def tag(match: re.Match[str]) -> str:
        line = bisect.bisect_left(newlines, match.start()) + 1
        return f'{match.group(0)} {_LINE_ATTR}="{line}"'

    return _BR.sub(_BR_MARK, _NUMBERED_TAGS.sub(tag, markup))


def _line_of(tag: Tag, default: int) -> int:
    value = tag.get(_LINE_ATTR)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return default


def _cell_text(cell: Tag) -> tuple[str, int]:
    raw = cell.get_text().replace(_BR_MARK, " ")
    # Leading non-breaking spaces are deliberate layout (a contract line indented under its total);
    # ordinary whitespace before them is only how the markup was written.
    indented = raw.lstrip(" \t\r\n")
    indent = len(indented) - len(indented.lstrip("\xa0"))
    text = _SPACES_AROUND_NEWLINES.sub(" ", raw.replace("\xa0", " ")).strip()
    return _CURRENCY_PREFIX.sub("", text), indent


def _colspan(cell: Tag) -> int:
    value = cell.get("colspan")
    if isinstance(value, str) and value.strip().isdigit():
        return max(1, min(int(value.strip()), 1000))
    return 1


def _align(cell: Tag) -> str | None:
    value = cell.get("align")
    if isinstance(value, str) and value.strip():
        return value.strip().lower()
    style = cell.get("style")
    match = _TEXT_ALIGN.search(style) if isinstance(style, str) else None
    return match.group(1).lower() if match else None


def _row(tr: Tag, default_line: int) -> HtmlRow:
    cells: list[Cell] = []
    for td in tr.children:
        if not isinstance(td, Tag) or td.name not in ("td", "th"):
            continue
        text, indent = _cell_text(td)
        if text == "$":
            continue
        cells.append(Cell(text, _colspan(td), indent if text else 0, _align(td) if text else None))
    return HtmlRow(tuple(cells), _line_of(tr, default_line))


def _table(table: Tag, default_line: int) -> TableBlock:
    line = _line_of(table, default_line)
    rows: list[HtmlRow] = []
    # Rows of this table only, in document order: a nested table's text stays in the cell that holds it, no
    # row is read twice. Not descending into nested tables costs one pass, where find_all("tr") plus a
    # find_parent("table") per row walked every row's ancestors.
    stack: list[Iterator[PageElement]] = [iter(table.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag) and child.name != "table":
            if child.name == "tr":
                rows.append(_row(child, line))
            stack.append(iter(child.children))
    return TableBlock(tuple(rows), line)


def read_html(markup: str) -> tuple[Block, ...]:
    """The blocks of an HTML document in reading order (tables, ``<pre>`` texts, other text lines)."""
    soup = BeautifulSoup(_number_tags(markup), "lxml")
    root = soup.body or soup
    blocks: list[Block] = []
    pending: list[str] = []
    pending_line = 1

    def flush() -> None:
        nonlocal pending
        for part in "".join(pending).split(_BR_MARK):
            text = _SPACES_AROUND_NEWLINES.sub(" ", part.replace("\xa0", " ")).strip()
            if text:
                blocks.append(TextBlock(text, pending_line))
        pending = []

    # Depth-first over the tree with an explicit stack: filings nest <div>/<font> deeply enough (thousands of
    # levels in damaged markup) to exhaust Python's recursion limit.
    stack: list[tuple[Iterator[PageElement], int, bool]] = [(iter(root.children), 1, False)]
    while stack:
        children, line, is_block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                flush()
            continue
        if isinstance(child, Tag):
            name = child.name.lower()
            child_line = _line_of(child, line)
            if name == "table":
                flush()
                blocks.append(_table(child, child_line))
            elif name == "pre":
                flush()
                blocks.append(PreBlock(child.get_text().replace(_BR_MARK, "\n"), child_line))
            elif name in _BLOCK_TAGS:
                flush()
                pending_line = child_line
                stack.append((iter(child.children), child_line, True))
            elif name not in _SKIPPED_TAGS:
                stack.append((iter(child.children), child_line, False))
        elif type(child) is NavigableString:  # not comments, CDATA or doctype
            if not pending:
                pending_line = line
            pending.append(str(child))

    flush()
    return tuple(blocks)
