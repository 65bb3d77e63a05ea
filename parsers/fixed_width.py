"""The shared fixed-width engine: derive a table's columns from its header lines, slice rows, convert cells.

The trustee's report is a grid of 15-character columns (accession 0001020242-03-000013): header words start at
the left edge of their column, numbers are right-aligned in it (money in the Collection Account tables is
left-aligned instead), and cells are often blank. So columns are found where header words begin on the grid,
never by splitting rows on whitespace, and each column spans from its start to the next column's start.

Header lines are not always clean: a header that fills its 15 characters runs into the next one
(``Orig. PrincipalPrior``, ``(5)=(1)-(2)+(3)(6)``). A column start found on *any* header line of the table
counts, and each header line is cut at the column starts to name the columns, which separates glued words.

A template module declares what it expects (:class:`TableLayout`: header name -> field and converter); the
engine matches the derived columns against the declaration, refuses tables whose columns it does not know
(nothing is dropped silently), converts each cell and emits the :class:`~parsers.records.Item` of every cell.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from parsers import values
from parsers.errors import DamagedStatementError, ParseError, UnsupportedTemplateError
from parsers.records import Item
from parsers.unfold import LogicalLine

__all__ = [
    "GRID",
    "KINDS",
    "Column",
    "ColumnSpec",
    "TableLayout",
    "TableReader",
    "conversion_cache",
    "convert_cell",
    "convert_cells",
    "derive_columns",
    "normalise",
    "record_builder",
    "text_beyond",
]

_R = TypeVar("_R")

#: Width of one column of the trustee grid.
GRID = 15

_WORD_START = re.compile(r"(?<!\S)\S")


def normalise(text: str) -> str:
    """Collapse runs of whitespace: header and label text is compared in this form."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Column:
    """One derived column: its header words (all header lines, top to bottom) and its character span."""

    name: str
    start: int
    end: int | None  # exclusive; None runs to the end of the line

    def cell(self, text: str) -> str:
        return text[self.start : self.end].strip()


def derive_columns(
    header_lines: Sequence[str], *, first: int = 0, last: int | None = None, grid: int = GRID
) -> tuple[Column, ...]:
    """Columns of a table whose header lines are ``header_lines`` (see :func:`_derive_columns`)."""
    # Every page repeats the same few headers ("ADJUSTABLE     FIXED          TOTAL"): derive each once.
    return _derive_columns(tuple(header_lines), first, last, grid)


@functools.lru_cache(maxsize=256)
def _derive_columns(
    header_lines: tuple[str, ...], first: int, last: int | None, grid: int
) -> tuple[Column, ...]:
    """Columns of a table whose header lines are ``header_lines``.

    A column starts at every grid position in ``[first, last)`` where a header word begins on any header line;
    it ends where the next column starts; the last one ends ``grid`` characters after its start (or at
    ``last``), so a value pushed past the table by a damaged fold cannot pass for a cell. Its name is the
    header text of every line cut to that span (the last header may run longer), whitespace-normalised and
    joined top to bottom.
    """
    starts: set[int] = set()
    for line in header_lines:
        for match in _WORD_START.finditer(line):
            position = match.start()
            if position >= first and (last is None or position < last) and position % grid == 0:
                starts.add(position)
    ordered = sorted(starts)
    columns = []
    for index, start in enumerate(ordered):
        is_last = index + 1 == len(ordered)
        end = last if is_last else ordered[index + 1]
        words = [normalise(line[start:end]) for line in header_lines]
        cell_end = (last if last is not None else start + grid) if is_last else end
        columns.append(Column(" ".join(word for word in words if word), start, cell_end))
    return tuple(columns)


def text_beyond(text: str, columns: Sequence[Column]) -> str:
    """What a row prints right of its last column (nothing, in an intact statement)."""
    end = columns[-1].end if columns else None
    return text[end:].strip() if end is not None else ""


def _loan_and_group(raw: str) -> tuple[str, int]:
    # "1109005345  2": the loan number and its loan group share the first column (Loan Number & Loan Group).
    parts = raw.split()
    if len(parts) != 2 or not parts[1].isdigit():
        raise ParseError(f"expected 'LOAN-NUMBER  GROUP' in the first column, found {raw!r}")
    return parts[0], int(parts[1])


def _text(raw: str) -> str | None:
    return raw or None


#: Converters by kind: how a declared column's cell becomes a record value.
KINDS: dict[str, Callable[[str], Any]] = {
    "text": _text,
    "decimal": values.parse_decimal,
    "rate": values.parse_rate,
    "int": values.parse_int,
    "excel_date": values.parse_excel_date,
    "loan_and_group": _loan_and_group,
    "state_ltv": values.split_state_ltv,
}
_NUMERIC_KINDS = frozenset({"decimal", "rate", "int", "excel_date"})


def convert_cell(raw: str, kind: str, *, section: str, line: int, column: str) -> Any:
    """Convert one cell, re-raising a conversion failure as damage located at section, line and column."""
    try:
        return _convert(kind, raw)
    except ParseError as error:
        raise DamagedStatementError(
            f"column {column!r}: {error.bare_message}",
            section=section,
            line=line,
            hint="the row does not fit the declared layout; the statement may be damaged or shifted",
        ) from error


def convert_cells(
    raws: Sequence[str], columns: Sequence[Column], kind: str, *, section: str, line: int
) -> list[Any]:
    """Convert the cells of one row that share a converter; a failure names its column like convert_cell."""
    cache = _CACHES[kind]
    try:
        return list(map(cache.__getitem__, raws))  # the common case: every cell seen before
    except KeyError:
        return [
            convert_cell(raw, kind, section=section, line=line, column=column.name)
            for raw, column in zip(raws, columns, strict=True)
        ]


# A statement repeats few distinct cells ("0", "0.00", serial dates); converters are pure and their results
# immutable, so conversions are cached per kind (a plain dict lookup, in C, is the hot path of every row).
# Failures raise and are not cached; a full cache is emptied rather than grown.
_CACHES: defaultdict[str, dict[str, Any]] = defaultdict(dict)
_CACHE_LIMIT = 8192


def conversion_cache(kind: str) -> dict[str, Any]:
    """The cells of ``kind`` converted so far (read-only for callers): a hit skips the converter call."""
    return _CACHES[kind]


def _convert(kind: str, raw: str) -> Any:
    cache = _CACHES[kind]
    try:
        return cache[raw]
    except KeyError:
        pass
    value = KINDS[kind](raw)
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[raw] = value
    return value


def item_value(raw: str, kind: str, converted: Any) -> Decimal | None:
    """The numeric reading an Item carries: numbers as printed (percentages as fractions), else None."""
    if not raw or kind not in _NUMERIC_KINDS:
        return None
    if isinstance(converted, Decimal):
        return converted
    return _convert("decimal", raw)  # counts and Excel serial dates: the printed number itself


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A declared column: the record field it fills, its whitespace-normalised header name, its converter."""

    field: str
    header: str
    kind: str = "decimal"


@dataclass(frozen=True, slots=True)
class TableLayout:
    """A declared table: its title (how the template finds it) and every column it must have.

    ``may_be_blank`` names the fields an intact row may leave blank; every other cell of a row must be printed
    (a row whose data ends early lost a fold segment, and its last cells would otherwise read as blanks).
    None (the default) lets any cell be blank.
    """

    title: str
    columns: tuple[ColumnSpec, ...]
    may_be_blank: frozenset[str] | None = None


class TableReader:
    """Reads the rows of one table instance against its layout and the columns derived from its header."""

    def __init__(
        self,
        layout: TableLayout,
        header: Sequence[LogicalLine],
        *,
        section: str,
        template: str,
        subsection: str | None = None,
        first: int = 0,
    ) -> None:
        self.layout = layout
        self.section = section
        self.subsection = subsection if subsection is not None else layout.title
        derived = {c.name: c for c in derive_columns([h.text for h in header], first=first)}
        where = header[0].line if header else None
        missing = [spec.header for spec in layout.columns if spec.header not in derived]
        if missing:
            raise UnsupportedTemplateError(
                f"table {layout.title!r} lacks the declared column(s) {missing}; found {sorted(derived)}",
                template=template,
                section=section,
                line=where,
                hint="declare this header variant in the template layout",
            )
        declared = {spec.header for spec in layout.columns}
        unknown = sorted(set(derived) - declared)
        if unknown:
            raise UnsupportedTemplateError(
                f"table {layout.title!r} has undeclared column(s) {unknown}",
                template=template,
                section=section,
                line=where,
                hint="declare the new column so its values are not dropped",
            )
        self.columns = tuple((spec, derived[spec.header]) for spec in layout.columns)
        self.rightmost = max((column for _, column in self.columns), key=lambda column: column.start)
        self.first = min((column.start for _, column in self.columns), default=first)
        # Per cell, everything read() needs, worked out once per table instead of once per row.
        self._cells = tuple(
            (
                spec.field,
                spec.kind,
                _CACHES[spec.kind],  # the kind's conversion cache: cleared when full, never replaced
                column,
                spec.kind in _NUMERIC_KINDS,
                layout.may_be_blank is not None and spec.field not in layout.may_be_blank,
                # Numbers end on the last character of their 15-character cell (the text report) or of their
                # column's span (the HTML rendition lays a cell out over its colspan); a shifted row moves
                # them off both.
                tuple({column.start + GRID - 1} | ({column.end - 1} if column.end is not None else set())),
            )
            for spec, column in self.columns
        )

    def read(self, row: LogicalLine, label: str | None = None) -> tuple[dict[str, Any], list[Item]]:
        """Field values of one row and the Items of its non-blank cells (labelled by ``label`` or col 1)."""
        text = row.text
        if text[: self.first].strip():
            raise DamagedStatementError(
                f"text {text[: self.first].strip()!r} left of the first column of {self.layout.title!r}",
                section=self.section,
                line=row.line,
            )
        end = self.rightmost.end
        beyond = text[end:].strip() if end is not None else ""
        if beyond:
            raise DamagedStatementError(
                f"text {beyond[:40]!r} right of the last column of {self.layout.title!r}",
                section=self.section,
                line=row.line,
                hint="a fold or column was damaged",
            )
        fields: dict[str, Any] = {}
        items: list[Item] = []
        row_label = label
        length = len(text)
        blank: list[str] = []
        for name, kind, cache, column, numeric, required, edges in self._cells:
            raw = text[column.start : column.end].strip()
            try:
                value = cache[raw]
            except KeyError:
                value = convert_cell(raw, kind, section=self.section, line=row.line, column=column.name)
            fields[name] = value
            if row_label is None:
                row_label = raw
            if required and (not raw or (type(value) is tuple and None in value)):
                blank.append(column.name)  # a shared cell ("CA  -  60.00%") needs both of its parts
            if raw:
                if numeric:
                    for edge in edges:
                        if length > edge and text[edge] != " ":
                            break
                    else:
                        raise DamagedStatementError(
                            f"{raw!r} is not right-aligned in column {column.name!r}",
                            section=self.section,
                            line=row.line,
                            hint="the row is shifted; the statement may be damaged",
                        )
                number = (value if type(value) is Decimal else _convert("decimal", raw)) if numeric else None
                items.append(
                    _item(self.section, self.subsection, row_label, column.name, number, raw, row.line)
                )
        if blank:
            raise DamagedStatementError(
                f"row of {self.layout.title!r} prints no {blank}",
                section=self.section,
                line=row.line,
                hint="the row ends early or lost a cell: a fold segment was lost; re-fetch the statement",
            )
        return fields, items


def record_builder(cls: type[_R]) -> Callable[..., _R]:
    """A positional constructor for a frozen, slotted record class that skips the frozen ``__init__``.

    A frozen dataclass sets each field through ``object.__setattr__``; with ~2,000 records a statement that
    was a third of the parse time (bench/parse.py). The builder fills a plain twin class with the same slots
    (its ``self.x = x`` stores are the interpreter's fast slot stores) and then gives the instance the
    record's class, which Python allows between classes of identical slot layout. The result is an instance
    equal to ``cls(*args)`` (checked here, once); use it only for records without defaults or
    ``__post_init__``.
    """
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    if tuple(getattr(cls, "__slots__", ())) != tuple(names):
        raise TypeError(f"{cls.__name__} must be a slotted dataclass to get a record builder")
    arguments = ", ".join(names)
    stores = "".join(f"    record.{name} = {name}\n" for name in names)
    # Field names come from the dataclass declaration, never from the document. One Python frame a record:
    # object.__new__ and the slot stores in build itself (a Twin.__init__ frame was a seventh of the cost).
    source = (
        f"class Twin:\n    __slots__ = {tuple(names)!r}\n"
        f"def build({arguments}):\n    record = new(Twin)\n{stores}"
        "    record.__class__ = cls\n    return record\n"
    )
    namespace: dict[str, Any] = {"cls": cls, "new": object.__new__}
    exec(source, namespace)
    build: Callable[..., _R] = namespace["build"]
    probe = tuple(range(len(names)))
    if build(*probe) != cls(*probe):
        raise TypeError(f"the record builder of {cls.__name__} does not build what {cls.__name__}() builds")
    return build


_item = record_builder(Item)
