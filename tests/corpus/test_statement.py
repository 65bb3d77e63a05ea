"""Generated statements: the real layout by construction, every identity of the report, a lossless round trip.

The generator's truth (``RenderedStatement.truth``) is what it printed: the parser must read exactly that.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from corpus.layout import fold, general, load_template, money, percent4, real_statement_text
from corpus.mirror import iter_statements
from corpus.model import ADJ, FIX, DealSpec, new_deal, roll_forward
from corpus.statement import render_statement
from parsers.api import parse_document
from parsers.records import Statement
from parsers.unfold import unfold

# 3 deals x 6 months with small pools: liquidations, REO and prepayments all occur (asserted below)
STATEMENTS = list(iter_statements(seed=0, deals=3, months=6, loans=120))
# records whose ``line`` is a convention (table header or first row), not the place of a printed value
_LINE_FREE = {"collateral", "credit_enhancement", "miscellaneous", "loan_groups"}


def test_folding_the_unfolded_real_statement_gives_back_its_exact_bytes() -> None:
    template = load_template()
    folded = [segment for text, segments in template.lines for segment in fold(text, segments)]
    assert "\n".join(folded) == real_statement_text()


def test_excel_general_fits_eleven_characters_as_the_real_report_prints() -> None:
    # values and printed forms both read off 0001020242-03-000013
    assert general(Decimal("431396174.41")) == "431396174.4"
    assert general(Decimal("896.37838914")) == "896.3783891"
    assert general(Decimal("0.0046012338")) == "0.004601234"
    assert general(Decimal("-7769930.69")) == "-7769930.69"
    assert general(Decimal("472500000")) == "472500000"
    assert money(Decimal("-212730.77")) == "(212,730.77)"
    assert percent4(Decimal("0.0138")) == "1.3800%"


def test_every_physical_line_is_folded_at_79_columns_without_trailing_spaces() -> None:
    for _, _, _, rendered in STATEMENTS:
        for line in rendered.text.split("\n"):
            assert len(line) <= (80 if line.startswith(">") else 79)
            assert line == line.rstrip()


def test_unfolded_statement_has_the_real_statements_labels_at_the_same_columns() -> None:
    # Every word of a label/header line of the template sits at the same column in a generated statement;
    # only value cells, dates and the deal name change. Lines are compared page by page on pages whose line
    # count is fixed (the loan detail pages 14, 18 and 22 grow with the month's loans).
    template = load_template()
    _, _, _, rendered = STATEMENTS[0]
    generated = [line.text for line in unfold(rendered.text)]
    # words only: tokens glued to digits (CUSIPs, contract ids) are values
    words = re.compile(r"(?<![0-9A-Za-z])[A-Za-z][A-Za-z/&.:'\-]*(?![0-9A-Za-z])")
    footers = [i for i, text in enumerate(generated) if re.search(r"Page +\d+ of +24", text)]
    assert len(footers) == 24
    checked = 0
    for page in set(range(2, 25)) - {14, 18, 22}:
        first, last = template.page_range(page)
        offset = footers[page - 1] - last
        for index in range(first + 5, last):  # after the title block (deal name and date move)
            real = {(m.start(), m.group()) for m in words.finditer(template.lines[index][0])}
            ours = {(m.start(), m.group()) for m in words.finditer(generated[index + offset])}
            assert real == ours, f"page {page}: {template.lines[index][0].strip()[:60]!r}"
            checked += 1
    assert checked > 400


def test_the_sample_covers_prepayments_reo_and_liquidations() -> None:
    assert sum(len(month.prepaid) for _, _, month, _ in STATEMENTS) > 5
    assert sum(len(month.new_reo) for _, _, month, _ in STATEMENTS) >= 1
    assert sum(len(month.liquidated) for _, _, month, _ in STATEMENTS) >= 1


@pytest.mark.parametrize("position", range(len(STATEMENTS)))
def test_every_reconciliation_identity_holds_in_a_generated_statement(position: int) -> None:
    _, deal, month, rendered = STATEMENTS[position]
    result = parse_document(rendered.text)
    assert result.checks_run > 600
    assert result.discrepancies == (), f"{deal.spec.series} {month.distribution}: {result.discrepancies[:3]}"
    assert result.unparsed == ()


def _compare(path: str, truth: object, parsed: object, out: list[str]) -> None:
    if dataclasses.is_dataclass(truth) and dataclasses.is_dataclass(parsed):
        for f in dataclasses.fields(truth):
            _compare(f"{path}.{f.name}", getattr(truth, f.name), getattr(parsed, f.name), out)
    elif isinstance(truth, tuple) and isinstance(parsed, tuple) and len(truth) == len(parsed):
        for index, (a, b) in enumerate(zip(truth, parsed, strict=True)):
            _compare(f"{path}[{index}]", a, b, out)
    elif truth != parsed:
        out.append(f"{path}: generated {truth!r}, parsed {parsed!r}")


def _differences(truth: Statement, parsed: Statement) -> list[str]:
    out: list[str] = []
    for field in dataclasses.fields(Statement):
        if field.name in ("group_lines", "contents"):
            continue
        a, b = getattr(truth, field.name), getattr(parsed, field.name)
        if field.name in _LINE_FREE:
            strip = lambda r: dataclasses.replace(r, line=0)  # noqa: E731
            a = tuple(map(strip, a)) if isinstance(a, tuple) else strip(a)
            b = tuple(map(strip, b)) if isinstance(b, tuple) else strip(b)
        _compare(field.name, a, b, out)
    # Labels repeat inside a table ("Delinquent Servicing Fees" twice on page 10): match in printed order.
    parsed_lines: dict[tuple, list] = defaultdict(list)
    for line in parsed.group_lines:
        parsed_lines[(line.subsection, line.heading, " ".join(line.label.split()))].append(line)
    seen: dict[tuple, int] = defaultdict(int)
    for line in truth.group_lines:
        key = (line.subsection, line.heading, " ".join(line.label.split()))
        candidates = parsed_lines.get(key, [])
        if seen[key] >= len(candidates):
            out.append(f"group line {key} not parsed")
            continue
        match = candidates[seen[key]]
        seen[key] += 1
        _compare(f"group line {key}", dataclasses.replace(line, label=match.label), match, out)
    return out


@pytest.mark.parametrize("position", range(len(STATEMENTS)))
def test_parsing_a_generated_statement_returns_exactly_the_generated_values(position: int) -> None:
    _, deal, month, rendered = STATEMENTS[position]
    parsed = parse_document(rendered.text).statement
    differences = _differences(rendered.truth, parsed)
    assert differences == [], f"{deal.spec.series} {month.distribution}: {differences[:5]}"


def test_collateral_rolls_forward_to_the_cent_and_bonds_receive_the_collected_principal() -> None:
    deal = new_deal(DealSpec(series="2003-5", closing=STATEMENTS[0][1].spec.closing, seed=11, loans=150))
    months = roll_forward(deal, 24)
    for before, month in itertools.pairwise(months):
        for group in (ADJ, FIX):
            gm, previous = month.groups[group], before.groups[group]
            assert gm.bal_prior == previous.bal_current
            assert gm.bal_current == gm.bal_prior - gm.scheduled - gm.unscheduled - gm.liquidated
            assert gm.count_current == gm.count_prior - gm.count_prepaid - gm.count_liquidated
        bonds = {c.name: c for c in month.classes}
        assert bonds["A"].principal + bonds["B"].principal == month.total("principal_collected")
        assert bonds["A"].prior == {c.name: c for c in before.classes}["A"].current
        assert month.oc == before.oc - month.total("realized_loss")
        assert month.excess_cashflow >= 0


def test_the_same_seed_writes_the_same_statement() -> None:
    first = next(iter_statements(seed=3, deals=1, months=2, loans=60))
    second = next(iter_statements(seed=3, deals=1, months=2, loans=60))
    assert first[3].text == second[3].text
    other = next(iter_statements(seed=4, deals=1, months=2, loans=60))
    assert other[3].text != first[3].text


def test_a_two_digit_series_keeps_every_column_in_place() -> None:
    # "IMP022C1" becomes "IMP0312C1": the longer contract id must not push its amount out of column 120
    deal = new_deal(DealSpec(series="2003-12", closing=date(2003, 5, 28), seed=5, loans=60))
    rendered = render_statement(deal, roll_forward(deal, 1)[0])
    result = parse_document(rendered.text)
    assert result.discrepancies == () and result.unparsed == ()
    assert _differences(rendered.truth, result.statement) == []


def test_a_series_whose_contract_ids_contain_the_templates_is_written_once() -> None:
    # series 2002-22 prints floors IMP0222F1..F5: the template's IMP022 is inside the new id
    deal = new_deal(DealSpec(series="2002-22", closing=date(2002, 9, 27), seed=8, loans=60))
    rendered = render_statement(deal, roll_forward(deal, 1)[0])
    assert "IMP0222F1" in rendered.text and "IMP02222" not in rendered.text
    assert _differences(rendered.truth, parse_document(rendered.text).statement) == []


def test_twelve_month_averages_print_once_the_deal_has_made_twelve_distributions() -> None:
    deal = new_deal(DealSpec(series="2003-7", closing=date(2003, 2, 26), seed=21, loans=60))
    months = roll_forward(deal, 13)
    young, old = (render_statement(deal, months[index]) for index in (10, 12))
    assert young.truth.rate("SMM", "12_months", "total").value is None
    assert old.truth.rate("SMM", "12_months", "total").value is not None
    parsed = parse_document(old.text)
    assert parsed.discrepancies == ()
    assert _differences(old.truth, parsed.statement) == []
