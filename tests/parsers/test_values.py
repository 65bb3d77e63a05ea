"""Converters of printed cells: every printed form of the real statement; garbage fails as ParseError."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parsers.errors import ParseError
from parsers.values import (
    is_number,
    parse_date,
    parse_decimal,
    parse_excel_date,
    parse_int,
    parse_percent,
    parse_rate,
    parse_written_date,
    split_state_ltv,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("431396174.4", "431396174.4"),
        ("8,252,148.01", "8252148.01"),
        ("  0.00 ", "0.00"),
        ("0", "0"),
        ("896.3783891", "896.3783891"),
        ("-482217.32", "-482217.32"),
        ("-28", "-28"),
    ],
)
def test_money_keeps_exactly_the_printed_digits(raw: str, expected: str) -> None:
    value = parse_decimal(raw)
    assert value == Decimal(expected)
    assert str(value) == expected


def test_parenthesised_amount_is_negative() -> None:
    assert parse_decimal("(212,730.77)") == Decimal("-212730.77")
    assert parse_decimal("(1.10)") == Decimal("-1.10")


@pytest.mark.parametrize("raw", ["", "   "])
def test_blank_cell_is_none(raw: str) -> None:
    assert parse_decimal(raw) is None
    assert parse_rate(raw) is None
    assert parse_int(raw) is None
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    "raw", ["abc", "1 2", "12,34", "(-5)", "--5", "1.2.3", "4525 4NCK1", "0.0549CA", "NaN", "Infinity"]
)
def test_garbage_raises_parse_error_not_invalid_operation(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_decimal(raw)
    assert not is_number(raw)


def test_percentage_becomes_an_exact_fraction() -> None:
    assert str(parse_percent("1.3800%")) == "0.013800"
    assert parse_percent("5.0363%") == Decimal("0.050363")
    assert parse_rate("60.00%") == Decimal("0.6")
    assert parse_rate("0.0166") == Decimal("0.0166")


def test_negative_percentages_in_either_style() -> None:
    assert parse_rate("-1.25%") == Decimal("-0.0125")
    assert parse_rate("(1.25%)") == Decimal("-0.0125")


def test_percentage_without_percent_sign_is_rejected() -> None:
    with pytest.raises(ParseError):
        parse_percent("5.0363")


def test_counts_are_whole_numbers() -> None:
    assert parse_int("2009") == 2009
    assert parse_int("-28") == -28
    with pytest.raises(ParseError):
        parse_int("358.8849403")


@pytest.mark.parametrize(
    ("serial", "expected"),
    [("37585", date(2002, 11, 25)), ("37615", date(2002, 12, 25)), ("37315", date(2002, 2, 28))],
)
def test_excel_serial_dates_use_the_1900_system(serial: str, expected: date) -> None:
    assert parse_excel_date(serial) == expected
    assert parse_date(serial) == expected


@pytest.mark.parametrize("serial", ["37585.5", "0", "-3", "99999999"])
def test_impossible_excel_serials_are_rejected(serial: str) -> None:
    with pytest.raises(ParseError):
        parse_excel_date(serial)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("December 26, 2002", date(2002, 12, 26)),
        ("April 29,2002", date(2002, 4, 29)),
        ("Jan 02, 2003", date(2003, 1, 2)),
        ("April 1, 2002", date(2002, 4, 1)),
        ("November 29, 2002", date(2002, 11, 29)),
    ],
)
def test_written_dates(raw: str, expected: date) -> None:
    assert parse_written_date(raw) == expected
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["Smarch 3, 2002", "February 30, 2002", "2002-12-26", "December 2002"])
def test_bad_written_dates_raise_parse_error(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_written_date(raw)


def test_state_and_ltv_cell_splits_into_state_and_fraction() -> None:
    assert split_state_ltv("CA  -  60.00%") == ("CA", Decimal("0.6000"))
    assert split_state_ltv("") == (None, None)
    with pytest.raises(ParseError):
        split_state_ltv("California 60")
