"""The HTML rendition of the real statement parses to exactly the text records, and reconciles."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from parsers import parse_document
from parsers.detect import Template, detect_template
from parsers.errors import DamagedStatementError, ParseError
from parsers.records import ParseResult
from parsers.trustee_html import parse_trustee_html, renumber_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TEXT = FIXTURES / "real" / "1017447" / "000102024203000013" / "im020212.txt"
HTML = FIXTURES / "html" / "im020212.htm"


@pytest.fixture(scope="module")
def html() -> str:
    return HTML.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def from_html(html: str) -> ParseResult:
    return parse_trustee_html(html)


@pytest.fixture(scope="module")
def from_text(real_result: ParseResult) -> ParseResult:
    # The text parse of the same statement, from tests/parsers/conftest.py.
    return real_result


def _without_lines(result: ParseResult) -> ParseResult:
    return renumber_lines(result, lambda _: 0)


def test_html_rendition_is_detected_as_trustee_html(html: str) -> None:
    assert detect_template(html, "im020212.htm") is Template.TRUSTEE_HTML


def test_both_renditions_give_identical_records_apart_from_line_numbers(
    from_html: ParseResult, from_text: ParseResult
) -> None:
    assert _without_lines(from_html).statement == _without_lines(from_text).statement


def test_both_renditions_give_identical_items_and_no_unparsed_lines(
    from_html: ParseResult, from_text: ParseResult
) -> None:
    assert _without_lines(from_html).items == _without_lines(from_text).items
    assert from_html.unparsed == () == from_text.unparsed


def test_html_records_point_at_the_html_lines_they_came_from(html: str, from_html: ParseResult) -> None:
    lines = html.split("\n")
    row = from_html.statement.bond_class("A")
    assert "472500000" in lines[row.line - 1] and "<td>A</td>" in lines[row.line - 1]
    loan = from_html.statement.prepaid_loans[0]
    assert loan.loan_number in lines[loan.line - 1]
    assert (
        "December 26, 2002" in lines[from_html.statement.cover.line - 1] or from_html.statement.cover.line > 0
    )


def test_parse_document_on_html_reconciles_like_the_text(html: str) -> None:
    result = parse_document(html, "im020212.htm")
    text_result = parse_document(TEXT.read_text(encoding="ascii"), "im020212.txt")
    assert result.template == "trustee-html" and text_result.template == "trustee-text"
    assert result.discrepancies == () and result.reconciled
    assert result.checks_run == text_result.checks_run > 600


def test_statement_wrapped_in_pre_parses_through_the_fixed_width_path(from_text: ParseResult) -> None:
    text = TEXT.read_text(encoding="ascii")
    wrapped = f"<html><body><pre>{text}</pre></body></html>"
    result = parse_document(wrapped, "im020212.htm")
    assert result.template == "trustee-text"
    assert _without_lines(result).statement == _without_lines(from_text).statement
    # The wrapper adds no line before the text, so the records keep the text's own line numbers.
    assert result.statement == from_text.statement


def test_html_with_a_table_missing_fails_naming_an_html_line(html: str) -> None:
    start = html.index("<table>", html.index("Collection Account Report") - 2000)
    end = html.index("</table>", start) + len("</table>")
    damaged = html[:start] + html[end:]
    with pytest.raises(ParseError) as caught:
        parse_trustee_html(damaged)
    assert isinstance(caught.value, DamagedStatementError | ParseError)
    assert caught.value.line is None or 1 <= caught.value.line <= damaged.count("\n") + 1


def test_html_line_mapping_leaves_unknown_numbers_alone(from_html: ParseResult) -> None:
    shifted = renumber_lines(from_html, lambda n: n + 1)
    assert shifted.statement.bond_class("A").line == from_html.statement.bond_class("A").line + 1
    assert (
        dataclasses.replace(shifted, statement=from_html.statement).items[0].line
        == from_html.items[0].line + 1
    )


def test_pre_wrapped_statement_lines_point_into_the_html_document(from_text: ParseResult) -> None:
    text = TEXT.read_text(encoding="ascii")
    wrapped = f"<html>\n<body>\n<p>FORM 8-K</p>\n<pre>\n{text}</pre>\n</body></html>"
    result = parse_document(wrapped, "im020212.htm")
    shift = 4  # <html>, <body>, <p>, and the newline after <pre>
    assert result.statement == renumber_lines(from_text.statement, lambda n: n + shift)
    row = result.statement.bond_class("A")
    assert wrapped.split("\n")[row.line - 1].startswith("A ")
