"""The trustee text layout, taken from the one real statement we hold, and the printing styles of its cells.

The generator never types a layout in: it unfolds the real statement (accession 0001020242-03-000013, shipped
as package data in ``corpus/data/im020212.txt``) into its wide lines and writes new values into the cells of
those same lines, so every label, header, footer and column position is the real one by construction. This
module owns that template, the inverse of the reader's unfolding rule (:func:`fold`) and the cell formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources

from parsers.unfold import FOLD_WIDTH, unfold

__all__ = [
    "EXCEL_EPOCH",
    "LayoutError",
    "Line",
    "Template",
    "excel_serial",
    "fold",
    "general",
    "load_template",
    "money",
    "percent4",
    "places",
    "real_statement_text",
]

#: Day 0 of Excel's 1900 date system as the trustee's spreadsheet used it (37585 = 2002-11-25).
EXCEL_EPOCH = date(1899, 12, 30)
#: Width of every numeric column of the report.
COLUMN = 15
#: Excel's "General" format in the report's columns shows at most 11 characters (431396174.4, 0.004601234).
GENERAL_WIDTH = 11

_CENT = Decimal("0.01")


class LayoutError(ValueError):
    """A value does not fit the cell it is written to (a generator bug, never a data condition)."""


def real_statement_text() -> str:
    """The real statement document exactly as EDGAR serves it (package data, sha256 93d058eb...a1a0)."""
    return resources.files("corpus").joinpath("data/im020212.txt").read_text(encoding="ascii")


def fold(wide: str, min_segments: int = 1, width: int = FOLD_WIDTH) -> list[str]:
    """Fold a wide line as the filer did: 79-column segments, ``>`` on continuations, trailing spaces cut.

    ``min_segments`` keeps segments whose content was only spaces (they print as a lone ``>``): the real
    report has such lines wherever the wide line ran on past its last printed character.
    """
    content = len(wide.rstrip())
    needed = max(1, -(-content // width))
    if content and content % width == 0:
        # A line ending exactly on a fold boundary still got a blank continuation: the real "Date of Report
        # ... December 26, 2002" is 79 characters and a lone ">" (0001020242-03-000013), no line of it ends
        # on a boundary without one, and the parser takes that for a cut line.
        needed += 1
    count = max(needed, min_segments)
    out = []
    for index in range(count):
        chunk = wide[index * width : (index + 1) * width].rstrip()
        out.append(chunk if index == 0 else ">" + chunk)
    return out


@dataclass(slots=True)
class Line:
    """One wide line of a statement being written: its text and how many folded segments it must keep."""

    text: str
    segments: int = 1

    def _pad(self, size: int) -> None:
        if len(self.text) < size:
            self.text = self.text.ljust(size)

    def put_right(self, end: int, value: str) -> None:
        """Write ``value`` right-aligned so it ends at column ``end``, replacing the cell printed there."""
        self._pad(end)
        start = end
        while start > 0 and self.text[start - 1] != " ":
            start -= 1
        erased = self.text[:start] + " " * (end - start) + self.text[end:]
        begin = end - len(value)
        if begin < 0 or erased[begin:end].strip():
            raise LayoutError(f"{value!r} does not fit before column {end} in {self.text.strip()[:60]!r}")
        self.text = erased[:begin] + value + erased[end:]

    def put_left(self, start: int, value: str) -> None:
        """Write ``value`` left-aligned at column ``start``, replacing the cell printed there."""
        self._pad(start)
        end = start
        while end < len(self.text) and self.text[end] != " ":
            end += 1
        erased = self.text[:start] + " " * (end - start) + self.text[end:]
        stop = start + len(value)
        if erased[start : stop + 1].strip():
            raise LayoutError(
                f"{value!r} at column {start} runs into the next cell of {self.text.strip()[:60]!r}"
            )
        self.text = (erased[:start] + value + erased[stop:]).ljust(stop)

    def slots(self, after: int) -> list[tuple[int, int, str]]:
        """The value cells of this template line from column ``after`` on: (start, end, alignment)."""
        found = []
        for match in re.finditer(r"\S+", self.text):
            if match.start() < after:
                continue
            start, end = match.span()
            found.append((start, end, "right" if end % COLUMN == 0 else "left"))
        return found


@dataclass(frozen=True, slots=True)
class Template:
    """The real statement as wide lines (text, segment count), with its page boundaries."""

    lines: tuple[tuple[str, int], ...]
    page_ends: tuple[int, ...]  # index of each page's footer line ("Page N of 24 ... COPYRIGHT")

    def find(self, needle: str, start: int = 0, stop: int | None = None) -> int:
        """Index of the first line from ``start`` whose text contains ``needle``."""
        end = len(self.lines) if stop is None else stop
        for index in range(start, end):
            if needle in self.lines[index][0]:
                return index
        raise LayoutError(f"template has no line containing {needle!r} in lines {start}..{end}")

    def page_range(self, page: int) -> tuple[int, int]:
        """[first, last] line indexes of 1-based ``page`` (the last is its footer)."""
        first = 0 if page == 1 else self.page_ends[page - 2] + 1
        return first, self.page_ends[page - 1]


@lru_cache(maxsize=1)
def load_template() -> Template:
    """Unfold the packaged real statement into the template every generated statement is written on."""
    logical = unfold(real_statement_text())
    lines = tuple((item.text, item.end_line - item.line + 1) for item in logical)
    page_ends = tuple(i for i, (text, _) in enumerate(lines) if re.search(r"Page +\d+ of +24", text))
    return Template(lines=lines, page_ends=page_ends)


# --- cell formats, as the trustee's spreadsheet printed them


def general(value: Decimal | int) -> str:
    """Excel "General" in an 11-character column: 431396174.4, 0.004601234, 896.3783891, 472500000, -28."""
    number = Decimal(value)
    if number == number.to_integral_value():
        text = str(int(number))
        if len(text) <= GENERAL_WIDTH:
            return text
    sign = 1 if number < 0 else 0
    whole = len(str(abs(int(number))))
    decimals = GENERAL_WIDTH - sign - whole - 1
    if decimals <= 0:
        return str(int(number.to_integral_value(ROUND_HALF_UP)))
    text = f"{number.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def places(value: Decimal, digits: int) -> str:
    """Rounded to ``digits`` decimals, trailing zeros dropped (ARM margin 0.0288271, seasoning 5.08046201)."""
    text = f"{Decimal(value).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def money(value: Decimal) -> str:
    """Accounting style: 8,252,148.01, negatives in parentheses (212,730.77), zero as 0.00."""
    amount = Decimal(value).quantize(_CENT, ROUND_HALF_UP)
    text = f"{abs(amount):,.2f}"
    return f"({text})" if amount < 0 else text


def percent4(fraction: Decimal) -> str:
    """A fraction printed as a percentage with four decimals: 0.0138 -> 1.3800%."""
    return f"{(Decimal(fraction) * 100).quantize(Decimal('0.0001'), ROUND_HALF_UP):f}%"


def excel_serial(day: date) -> int:
    """The Excel (1900 system) serial number of ``day``: 2002-11-25 -> 37585."""
    return (day - EXCEL_EPOCH).days
