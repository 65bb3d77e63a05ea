"""Value converters for printed statement cells: text in, Decimal / int / date / None out.

Every converter returns None for a blank cell and raises :class:`~parsers.errors.ParseError` for text that is
not what the column promises, never ``decimal.InvalidOperation`` or ``ValueError``. Callers that know the
section and line re-raise with that location (see :func:`parsers.fixed_width.convert_cell`).

Printed forms seen in accession 0001020242-03-000013:

* money: ``431396174.4``, ``8,252,148.01``, ``(212,730.77)``, ``-482217.32``; Excel "general" format keeps
  whatever precision the value had (``896.3783891``), so the Decimal keeps exactly the printed digits.
* rates: fractions ``0.0166`` / ``0.060074995`` or percentages ``5.0363%``; percentages become fractions by an
  exact shift of the decimal point (``1.3800%`` -> ``0.013800``).
* dates: written ``December 26, 2002``, ``April 29,2002`` (no space), ``Jan 02, 2003``; or Excel serial
  numbers in the 1900 date system (day 0 = 1899-12-30, which absorbs Excel's fictitious 1900-02-29):
  ``37585`` is 2002-11-25.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from parsers.errors import ParseError

__all__ = [
    "EXCEL_EPOCH",
    "is_number",
    "parse_date",
    "parse_decimal",
    "parse_excel_date",
    "parse_int",
    "parse_percent",
    "parse_rate",
    "parse_written_date",
    "split_state_ltv",
]

#: Day 0 of Excel's 1900 date system as used by the trustee's spreadsheets.
EXCEL_EPOCH = date(1899, 12, 30)
# Serial 1 is 1900-01-01 in Excel; serials below 61 are off by one because of the 1900-02-29 bug, and no
# statement date is that old, so refuse them rather than guess. 2958465 is 9999-12-31, Excel's last day.
_EXCEL_MIN, _EXCEL_MAX = 61, 2958465

_NUMBER = re.compile(
    r"""
    (?P<sign>-)?
    (?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)
    (?P<exponent>[eE][-+]?\d{1,2})?
    """,
    re.VERBOSE,
)
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# "December 26, 2002", "April 29,2002", "Jan 02, 2003", "April 1 2002"
_WRITTEN_DATE = re.compile(r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})\s*,?\s*(?P<year>\d{4})")
_STATE_LTV = re.compile(r"(?P<state>[A-Z]{2})?\s*-\s*(?P<ltv>\S*)")


def _clean(raw: str) -> str:
    return raw.strip()


def is_number(raw: str) -> bool:
    """True when ``raw`` is a non-blank money/decimal/percent cell this module converts without error."""
    try:
        return parse_rate(raw) is not None
    except ParseError:
        return False


def parse_decimal(raw: str) -> Decimal | None:
    """Money or any plain decimal as printed; ``(1.10)`` and ``-1.10`` are negative; blank is None."""
    text = raw.strip()
    if not text:
        return None
    if _PLAIN.fullmatch(text):  # the common case, checked first: the parser converts ~1,500 cells a statement
        return Decimal(text)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative = True
        text = text[1:-1].strip()
    if text.startswith("$"):
        text = text[1:]
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ParseError(f"expected a number, found {raw.strip()!r}", hint="check the column alignment")
    if match.group("sign"):
        if negative:
            raise ParseError(f"number has both a minus sign and parentheses: {raw.strip()!r}")
        negative = True
    digits = match.group("digits").replace(",", "") + (match.group("exponent") or "")
    try:
        value = Decimal(digits)
    except InvalidOperation as error:  # the regex admits only valid literals; defend anyway
        raise ParseError(f"expected a number, found {raw.strip()!r}") from error
    return -value if negative else value


def parse_percent(raw: str) -> Decimal | None:
    """A printed percentage as a fraction: ``5.0363%`` -> ``Decimal("0.050363")``; blank is None."""
    text = _clean(raw)
    if not text:
        return None
    if not text.endswith("%"):
        raise ParseError(f"expected a percentage like '5.0363%', found {text!r}")
    value = parse_decimal(text[:-1])
    if value is None:
        raise ParseError(f"expected a percentage like '5.0363%', found {text!r}")
    return value.scaleb(-2)


def parse_rate(raw: str) -> Decimal | None:
    """A rate printed either as a fraction (``0.0166``) or a percentage (``1.3800%``), as a fraction."""
    text = _clean(raw)
    if text.endswith("%"):
        return parse_percent(text)
    if text.startswith("(") and text.endswith("%)"):  # a negative percentage in accounting style
        value = parse_percent(text[1:-1])
        return -value if value is not None else None
    return parse_decimal(text)


def parse_int(raw: str) -> int | None:
    """A count (``2009``, ``-28``); a count printed with a fraction part other than zeros is an error."""
    value = parse_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ParseError(f"expected a whole number, found {raw.strip()!r}")
    return int(value)


def parse_excel_date(raw: str) -> date | None:
    """An Excel serial day number (1900 system) as a date: ``37585`` -> 2002-11-25; blank is None."""
    value = parse_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value() or not _EXCEL_MIN <= value <= _EXCEL_MAX:
        raise ParseError(
            f"expected an Excel serial date (whole number {_EXCEL_MIN}..{_EXCEL_MAX}), found {raw!r}"
        )
    return EXCEL_EPOCH + timedelta(days=int(value))


def parse_written_date(raw: str) -> date | None:
    """A written date: ``December 26, 2002``, ``April 29,2002``, ``Jan 02, 2003``; blank is None."""
    text = " ".join(_clean(raw).split())
    if not text:
        return None
    match = _WRITTEN_DATE.fullmatch(text)
    month = _MONTHS.get(match.group("month").lower()) if match else None
    if match is None or month is None:
        raise ParseError(f"expected a date like 'December 26, 2002', found {text!r}")
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError as error:
        raise ParseError(f"not a calendar date: {text!r}") from error


def parse_date(raw: str) -> date | None:
    """Either form: an Excel serial number or a written date."""
    text = _clean(raw)
    if not text:
        return None
    if text[0].isdigit() and text.replace(".", "", 1).isdigit():
        return parse_excel_date(text)
    return parse_written_date(text)


def split_state_ltv(raw: str) -> tuple[str | None, Decimal | None]:
    """The "State & LTV at Origination" cell: ``CA  -  60.00%`` -> ("CA", Decimal("0.6000"))."""
    text = _clean(raw)
    if not text:
        return None, None
    match = _STATE_LTV.fullmatch(text)
    if match is None:
        raise ParseError(f"expected 'ST  -  LTV%' in the State & LTV column, found {text!r}")
    ltv = match.group("ltv")
    return match.group("state"), parse_rate(ltv) if ltv else None
