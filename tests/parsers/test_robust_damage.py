"""Damaged and foreign input: parse_document returns a result or raises one of our errors, nothing else.

Hypothesis damages the real statement the ways EDGAR documents get damaged (cut short, lines lost or swapped,
stray bytes, columns shifted) and the HTML rendition the same way. A failure here prints the smallest damage
that made the parser raise something other than an ImhEdgarError (IndexError, InvalidOperation, ...).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.api import parse_document
from parsers.errors import DamagedStatementError, ImhEdgarError
from parsers.html import read_html
from parsers.records import ParseResult
from parsers.trustee_html import renumber_lines
from parsers.unfold import unfold

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TEXT = (FIXTURES / "real" / "1017447" / "000102024203000013" / "im020212.txt").read_text(encoding="ascii")
HTML = (FIXTURES / "html" / "im020212.htm").read_text(encoding="utf-8")
LINES = TEXT.split("\n")

DAMAGE = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parse_or_our_error(text: str, filename: str | None = None) -> ParseResult | ImhEdgarError:
    """The parse, or the error we raised; any other exception propagates and fails the test."""
    try:
        return parse_document(text, filename)
    except ImhEdgarError as error:
        assert str(error), "our errors always carry a message"
        return error


# Past the table of contents the document is recognisably this template; before the last page footer it is
# incomplete. A cut in between must say where the statement breaks off.
_STATEMENT_START = TEXT.index("TABLE OF CONTENTS") + len("TABLE OF CONTENTS")
_LAST_FOOTER = TEXT.rindex("Page 24 of 24")


@DAMAGE
@given(st.integers(min_value=0, max_value=len(TEXT)))
def test_statement_cut_anywhere_fails_cleanly(cut: int) -> None:
    outcome = parse_or_our_error(TEXT[:cut])
    if _STATEMENT_START < cut < _LAST_FOOTER:
        assert isinstance(outcome, DamagedStatementError)
        assert outcome.line is not None or outcome.section is not None
    elif isinstance(outcome, ParseResult):
        # Only a cut in the trailing furniture may still parse; the records must then be the whole statement.
        assert len(outcome.statement.prepaid_loans) == 28


@DAMAGE
@given(st.lists(st.integers(min_value=0, max_value=len(LINES) - 1), min_size=1, max_size=8, unique=True))
def test_statement_with_lines_deleted_fails_cleanly(deleted: list[int]) -> None:
    parse_or_our_error("\n".join(line for i, line in enumerate(LINES) if i not in set(deleted)))


@DAMAGE
@given(st.integers(min_value=0, max_value=len(LINES) - 2), st.integers(min_value=1, max_value=40))
def test_statement_with_lines_swapped_fails_cleanly(first: int, distance: int) -> None:
    lines = list(LINES)
    second = min(first + distance, len(lines) - 1)
    lines[first], lines[second] = lines[second], lines[first]
    parse_or_our_error("\n".join(lines))


@DAMAGE
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(TEXT)), st.text(min_size=1, max_size=4)),
        min_size=1,
        max_size=6,
    )
)
def test_statement_with_random_characters_injected_fails_cleanly(injections: list[tuple[int, str]]) -> None:
    text = TEXT
    for position, junk in sorted(injections, reverse=True):
        text = text[:position] + junk + text[position:]
    parse_or_our_error(text)


@DAMAGE
@given(
    st.lists(st.integers(min_value=0, max_value=len(LINES) - 1), min_size=1, max_size=6, unique=True),
    st.integers(min_value=-6, max_value=6).filter(bool),
)
def test_statement_with_columns_shifted_fails_cleanly(shifted: list[int], by: int) -> None:
    lines = list(LINES)
    for index in shifted:
        lines[index] = " " * by + lines[index] if by > 0 else lines[index][-by:]
    parse_or_our_error("\n".join(lines))


@DAMAGE
@given(st.binary(max_size=300))
def test_random_bytes_decoded_as_latin1_fail_cleanly(data: bytes) -> None:
    outcome = parse_or_our_error(data.decode("latin-1"))
    assert isinstance(outcome, ImhEdgarError)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(HTML)))
def test_html_rendition_cut_anywhere_fails_cleanly(cut: int) -> None:
    parse_or_our_error(HTML[:cut], "im020212.htm")


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=0, max_value=HTML.count("<tr>") - 1), min_size=1, max_size=4, unique=True)
)
def test_html_rendition_with_rows_deleted_fails_cleanly(deleted: list[int]) -> None:
    parts = HTML.split("<tr>")
    kept = [part for i, part in enumerate(parts[1:]) if i not in set(deleted)]
    parse_or_our_error("<tr>".join([parts[0], *kept]), "im020212.htm")


@pytest.mark.parametrize(
    ("continuation", "nth"),
    [
        (">      0    423538788.9", 0),  # class A: to-date deferred interest and current principal
        (">3448116    896.3783891", 0),  # class A: end of the total factor, current principal factor
        (">           8,252,148.01   185.43         8,252,333.44", 0),  # SUMMARY Principal Collections
        (">                                         53,596.63", 0),  # Floor Contract Payment Amounts
        (">                                         3,749,982.89", 1),  # Overcollateralization Amt
    ],
)
def test_values_lost_with_a_folded_continuation_line_surface_as_discrepancies(
    continuation: str, nth: int
) -> None:
    # The label survives, its values do not: the parser reads printed blanks, reconciliation must object.
    positions = [i for i, line in enumerate(LINES) if line == continuation]
    damaged = "\n".join(LINES[: positions[nth]] + LINES[positions[nth] + 1 :])
    outcome = parse_or_our_error(damaged)
    assert isinstance(outcome, ImhEdgarError) or outcome.discrepancies or outcome.unparsed


_MARKUP_PIECES = [
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td colspan="3">', '<td colspan="x">',
    '<td colspan="99999999">', "&nbsp;", "$", "1,234.00", "(5.00)", "<pre>", "</pre>", "<p>", "<br>", "<div>",
    "</div>", "Impac CMB Trust  2002-2", "December 26, 2002 Distribution", "Contents", "TABLE OF CONTENTS",
    " ", "\n", "|",
]  # fmt: skip


@DAMAGE
@given(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=80).map("".join))
def test_random_markup_is_read_or_rejected_cleanly(markup: str) -> None:
    read_html(markup)
    parse_or_our_error(markup, "im030110.htm")


def _no_lines(result: ParseResult) -> ParseResult:
    return renumber_lines(result, lambda _: 0)


def test_crlf_variant_parses_to_the_same_records_and_lines() -> None:
    plain = parse_document(TEXT)
    crlf = parse_document(TEXT.replace("\n", "\r\n"))
    assert crlf.statement == plain.statement
    assert crlf.discrepancies == () and crlf.checks_run == plain.checks_run


def test_unfolded_variant_parses_to_the_same_records() -> None:
    plain = parse_document(TEXT)
    unfolded = parse_document("\n".join(line.text for line in unfold(TEXT)))
    assert _no_lines(unfolded).statement == _no_lines(plain).statement
    assert unfolded.discrepancies == () and unfolded.checks_run == plain.checks_run
