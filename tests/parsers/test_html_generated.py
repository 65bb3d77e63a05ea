"""The HTML path on generated months of other deals: REO, liquidation and empty detail pages, same records.

The corpus generator (corpus/, tests/corpus) writes months of made-up deals in the real text layout, with the
records it printed as the truth. Rendered to HTML the way tests/fixtures/html/make_html.py renders the real
statement, each must parse to that truth, exactly as its text does.
"""

from __future__ import annotations

import itertools

import pytest

from corpus.mirror import iter_statements
from corpus.statement import RenderedStatement
from parsers.api import parse_document
from parsers.records import Statement
from parsers.trustee_html import renumber_lines
from tests.fixtures.html.make_html import render

# Of seed 0 (3 deals x 6 months): a month with no prepaid loan, one with two REO loans, one liquidation.
PICKED = (2, 11, 16)
STATEMENTS: list[RenderedStatement] = [
    rendered
    for _, _, _, rendered in itertools.islice(iter_statements(seed=0, deals=3, months=6, loans=120), 17)
]


def _lineless(statement: Statement) -> Statement:
    return renumber_lines(statement, lambda _: 0)


def test_the_picked_months_cover_the_detail_pages() -> None:
    picked = [STATEMENTS[i].truth for i in PICKED]
    assert not picked[0].prepaid_loans
    assert len(picked[1].reo_loans) == 2
    assert picked[2].liquidated_loans


@pytest.mark.parametrize("index", PICKED)
def test_generated_month_parses_to_the_same_records_from_html_and_text(index: int) -> None:
    rendered = STATEMENTS[index]
    from_text = parse_document(rendered.text, "generated.txt")
    from_html = parse_document(render(rendered.text), "generated.htm")
    assert from_html.template == "trustee-html"
    assert _lineless(from_html.statement) == _lineless(from_text.statement)
    for details in ("prepaid_loans", "reo_loans", "liquidated_loans", "classes", "delinquency"):
        printed = renumber_lines(getattr(rendered.truth, details), lambda _: 0)
        assert renumber_lines(getattr(from_html.statement, details), lambda _: 0) == printed
    assert from_html.discrepancies == () == from_text.discrepancies
    assert from_html.checks_run == from_text.checks_run
