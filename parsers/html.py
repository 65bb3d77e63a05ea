"""Read an HTML statement into blocks of rows of cell texts, in reading order (lxml's HTML parser).

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

Every block and row carries ``line``: the 1-based line of the document where its tag opens. The parser
events carry no source lines, so the opening tags are numbered in one regex pass before parsing
(``data-imh-line``), which costs a fraction of the parse itself.

The tree is the one BeautifulSoup's lxml builder (``BeautifulSoup(markup, "lxml")``, which this module used
until parser 1.0.0's HTML path was measured at ~190x a tokenising pass) builds from the same lxml parser
events, built by :class:`_TreeBuilder` without BeautifulSoup's per-node bookkeeping: the same elements, the
same text strings (a whitespace-only string outside ``<pre>``/``<textarea>`` becomes one space or newline,
text split by a comment stays two strings), and none of the strings no reader here looks at (comments,
doctype, processing instructions, ``<script>``/``<style>``/``<template>``/``<rt>``/``<rp>`` text).
tests/parsers/test_html_reader_parity.py checks it block for block against the BeautifulSoup reader.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

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


# What BeautifulSoup's HTML builder declares: whitespace is kept as printed inside these...
_PRESERVE_WHITESPACE_TAGS = frozenset({"pre", "textarea"})
# ...and text inside these is not main content (Script, Stylesheet, ... strings), which get_text() leaves out.
_STRING_CONTAINER_TAGS = frozenset({"rt", "rp", "style", "script", "template"})
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
_ROOT = "[document]"


class _Element:
    """One element of the parsed document: its name, attributes and children (elements and text strings)."""

    __slots__ = ("attrs", "children", "name")

    name: str
    attrs: Mapping[str, str]
    children: list[_Element | str]

    def __init__(self, name: str, attrs: Mapping[str, str]) -> None:
        self.name = name
        self.attrs = attrs
        self.children = []


_new_element = object.__new__


class _TreeBuilder:
    """An lxml parser target that builds the tree BeautifulSoup's lxml builder builds from the same events.

    The parser (libxml2) decides the structure; like BeautifulSoup, this only records it: each run of text
    between two events becomes one string of the open element, and an end tag closes the most recent open
    element of that name (and those opened inside it), or nothing if none is open.
    """

    def __init__(self) -> None:
        self.root = _Element(_ROOT, {})
        self._stack = [self.root]
        self._text: list[str] = []
        self._preserving = 0  # open <pre>/<textarea>
        self._in_container = 0  # open <script>/<style>/... whose text is not content

    def _flush(self) -> None:
        text = "".join(self._text)
        self._text = []
        if self._in_container:
            return
        if not self._preserving and not text.strip(_ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        self._stack[-1].children.append(text)

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        if self._text:
            self._flush()
        if tag[0] == "{" and "}" in tag:
            tag = tag[1:].split("}", 1)[1]
        # lxml hands each start tag a new dict (or its shared empty mapping); nothing here changes it. The
        # element is filled in place: ~4,500 a statement, and an __init__ call each was a tenth of the read.
        element = _new_element(_Element)
        element.name = tag
        element.attrs = attrib
        element.children = []
        self._stack[-1].children.append(element)
        self._stack.append(element)
        if tag in _PRESERVE_WHITESPACE_TAGS:
            self._preserving += 1
        if tag in _STRING_CONTAINER_TAGS:
            self._in_container += 1

    def end(self, tag: str) -> None:
        if self._text:
            self._flush()
        if tag[0] == "{" and "}" in tag:
            tag = tag[1:].split("}", 1)[1]
        stack = self._stack
        if stack[-1].name == tag and len(stack) > 1:
            self._pop()
            return
        for index in range(len(stack) - 1, 0, -1):
            if stack[index].name == tag:
                while len(stack) > index:
                    self._pop()
                return

    def _pop(self) -> None:
        name = self._stack.pop().name
        if name in _PRESERVE_WHITESPACE_TAGS:
            self._preserving -= 1
        if name in _STRING_CONTAINER_TAGS:
            self._in_container -= 1

    def data(self, data: str) -> None:
        self._text.append(data)

    def comment(self, text: str) -> None:
        # Comments are no content, but they end the text before them (as in BeautifulSoup's tree).
        if self._text:
            self._flush()

    def doctype(self, name: str, pubid: str, system: str) -> None:
        if self._text:
            self._flush()

    def pi(self, target: str, data: str) -> None:
        if self._text:
            self._flush()

    def close(self) -> _Element:
        if self._text:
            self._flush()
        return self.root


def _parse_tree(markup: str) -> _Element:
    """The document tree of ``markup``, parsed the way ``BeautifulSoup(markup, "lxml")`` parses it."""
    if markup[:1] == "\N{BYTE ORDER MARK}":
        markup = markup[1:]
    try:
        return _feed(markup, None)
    except (UnicodeDecodeError, LookupError, etree.ParserError):
        # lxml refused the text as given: parse its UTF-8 bytes instead, as BeautifulSoup does.
        return _feed(markup.encode("utf8"), "utf8")


def _feed(markup: str | bytes, encoding: str | None) -> _Element:
    target = _TreeBuilder()
    parser = etree.HTMLParser(target=target, recover=True, huge_tree=False, encoding=encoding)
    parser.feed(markup)
    parser.close()
    return target.root


def _body(root: _Element) -> _Element:
    """The first ``<body>`` in document order, or the whole document when there is none."""
    stack: list[Iterator[_Element | str]] = [iter(root.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif not isinstance(child, str):
            if child.name == "body":
                return child
            stack.append(iter(child.children))
    return root


def _text_of(element: _Element) -> str:
    """All text strings inside ``element``, in document order (BeautifulSoup's ``get_text()``)."""
    children = element.children
    if len(children) == 1 and type(children[0]) is str:
        return children[0]  # the common cell: one string
    parts: list[str] = []
    stack: list[Iterator[_Element | str]] = [iter(children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, str):
            parts.append(child)
        else:
            stack.append(iter(child.children))
    return "".join(parts)


def _line_of(tag: _Element, default: int) -> int:
    value = tag.attrs.get(_LINE_ATTR)
    if value is not None and value.isdigit():
        return int(value)
    return default


def _cell_text(cell: _Element) -> tuple[str, int]:
    raw = _text_of(cell).replace(_BR_MARK, " ")
    # Leading non-breaking spaces are deliberate layout (a contract line indented under its total);
    # ordinary whitespace before them is only how the markup was written.
    indented = raw.lstrip(" \t\r\n")
    indent = len(indented) - len(indented.lstrip("\xa0"))
    text = raw.replace("\xa0", " ")
    if "\n" in text or "\r" in text:  # the only places _SPACES_AROUND_NEWLINES can match
        text = _SPACES_AROUND_NEWLINES.sub(" ", text)
    text = text.strip()
    return (_CURRENCY_PREFIX.sub("", text) if text[:1] == "$" else text), indent


def _colspan(cell: _Element) -> int:
    value = cell.attrs.get("colspan")
    if value is not None and value.strip().isdigit():
        return max(1, min(int(value.strip()), 1000))
    return 1


def _align(cell: _Element) -> str | None:
    value = cell.attrs.get("align")
    if value is not None and value.strip():
        return value.strip().lower()
    style = cell.attrs.get("style")
    match = _TEXT_ALIGN.search(style) if style is not None else None
    return match.group(1).lower() if match else None


def _row(tr: _Element, default_line: int) -> HtmlRow:
    cells: list[Cell] = []
    for td in tr.children:
        if isinstance(td, str) or td.name not in ("td", "th"):
            continue
        text, indent = _cell_text(td)
        if text == "$":
            continue
        cells.append(Cell(text, _colspan(td), indent if text else 0, _align(td) if text else None))
    return HtmlRow(tuple(cells), _line_of(tr, default_line))


def _table(table: _Element, default_line: int) -> TableBlock:
    line = _line_of(table, default_line)
    rows: list[HtmlRow] = []
    # Rows of this table only, in document order: a nested table's text stays in the cell that holds it, no
    # row is read twice. Not descending into nested tables costs one pass, where find_all("tr") plus a
    # find_parent("table") per row walked every row's ancestors.
    stack: list[Iterator[_Element | str]] = [iter(table.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif not isinstance(child, str) and child.name != "table":
            if child.name == "tr":
                rows.append(_row(child, line))
            stack.append(iter(child.children))
    return TableBlock(tuple(rows), line)


def read_html(markup: str) -> tuple[Block, ...]:
    """The blocks of an HTML document in reading order (tables, ``<pre>`` texts, other text lines)."""
    root = _body(_parse_tree(_number_tags(markup)))
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
    stack: list[tuple[Iterator[_Element | str], int, bool]] = [(iter(root.children), 1, False)]
    while stack:
        children, line, is_block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                flush()
            continue
        if isinstance(child, str):
            if not pending:
                pending_line = line
            pending.append(child)
            continue
        name = child.name.lower()
        child_line = _line_of(child, line)
        if name == "table":
            flush()
            blocks.append(_table(child, child_line))
        elif name == "pre":
            flush()
            blocks.append(PreBlock(_text_of(child).replace(_BR_MARK, "\n"), child_line))
        elif name in _BLOCK_TAGS:
            flush()
            pending_line = child_line
            stack.append((iter(child.children), child_line, True))
        elif name not in _SKIPPED_TAGS:
            stack.append((iter(child.children), child_line, False))

    flush()
    return tuple(blocks)
