"""The read side users call through the CLI: deals, distribution history, loan history and exports."""

from __future__ import annotations

import csv
import importlib.util
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from dbfactory import PARSER_VERSION, REAL_ACCESSION, hand_parse, real_meta, real_parse, variant
from sqlalchemy import Engine

from db.errors import DatabaseError
from db.load import load_filing
from db.query import (
    csv_text,
    distribution_history,
    export_table,
    list_deals,
    loan_history,
    status_report,
)

DEAL = "Impac CMB Trust 2002-2"
NEXT = real_meta(accession_no="0001020242-03-000045", filed=date(2003, 2, 3), document_name="im020301.txt")


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    load_filing(engine, NEXT, variant(real_parse(), distribution_date=date(2003, 1, 27)), PARSER_VERSION)
    return engine


def test_list_deals_shows_the_span_of_loaded_distributions(loaded: Engine) -> None:
    [deal] = list_deals(loaded)
    assert (deal.name, deal.issuer_cik, deal.depositor) == (DEAL, 1017447, "IMH ASSETS CORP")
    assert (deal.first_distribution, deal.last_distribution) == (date(2002, 12, 26), date(2003, 1, 27))
    assert (deal.distributions, deal.versions, deal.closing_date) == (2, 2, date(2002, 4, 29))


def test_history_reads_the_statement_figures_of_each_month(loaded: Engine) -> None:
    december = distribution_history(loaded, DEAL, end=date(2002, 12, 31))
    assert len(december) == 1
    point = december[0]
    # Figures as printed in the real statement (Total class row, Collateral TOTAL, Delinquency Total page).
    assert point.bonds_prior_balance == Decimal("453080109.1")
    assert point.bonds_current_balance == Decimal("444827775.6")
    assert point.bonds_principal == Decimal("8252333.44")
    assert point.collateral_balance == Decimal("448577758.5")
    assert point.loan_count == 1820
    assert point.delinquent_balance == Decimal("10703636.69")
    assert point.delinquent_pct == Decimal("0.023861274")
    assert point.foreclosure_balance == Decimal("4038644.59")
    assert point.reo_balance == Decimal("625221.11")
    assert point.cpr == Decimal("0.186232294")
    assert point.cdr == Decimal("0")
    assert point.quality_status == "reconciled"
    assert [p.distribution_date for p in distribution_history(loaded, DEAL)] == [
        date(2002, 12, 26),
        date(2003, 1, 27),
    ]


def test_history_of_an_unknown_deal_names_the_known_ones(loaded: Engine) -> None:
    with pytest.raises(DatabaseError, match=r"no deal named 'Impac CMB Trust 2099-9'.*known deals: Impac"):
        distribution_history(loaded, "Impac CMB Trust 2099-9")


def test_loan_history_reads_a_loans_events_across_months(engine: Engine) -> None:
    load_filing(engine, real_meta(), hand_parse(), PARSER_VERSION)
    events = loan_history(engine, DEAL, "1109005345")
    assert [(e["event"], e["distribution_date"]) for e in events] == [
        ("became_reo", date(2002, 12, 26)),
        ("liquidated", date(2002, 12, 26)),
    ]
    assert events[0]["stated_principal_balance"] == Decimal("416265.15")
    assert events[1]["realized_loss"] == Decimal("-12.5")


def test_export_writes_exact_decimals_for_a_deal_and_date_range(loaded: Engine) -> None:
    text = csv_text(loaded, "bond_class", deal_name=DEAL, start=date(2002, 12, 1), end=date(2002, 12, 31))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["class_name"] for r in rows] == ["A", "B", "Cert", "Total"]
    assert {r["distribution_date"] for r in rows} == {"2002-12-26"}
    class_a = rows[0]
    assert (class_a["deal"], class_a["accession_no"]) == (DEAL, REAL_ACCESSION)
    assert Decimal(class_a["factor_current_principal"]) == Decimal("896.3783891")
    assert Decimal(class_a["prior_principal_balance"]) == Decimal("431396174.4")
    assert list(rows[0])[:4] == ["deal", "distribution_date", "id", "distribution_id"]


def test_export_of_every_table_runs_and_counts_rows(loaded: Engine, tmp_path: Path) -> None:
    from db.models import metadata

    for name in metadata.tables:
        target = tmp_path / f"{name}.csv"
        count = export_table(loaded, name, target, deal_name=DEAL)
        with target.open(encoding="utf-8") as handle:
            assert sum(1 for _ in csv.reader(handle)) == count + 1, name


def test_export_of_an_unknown_table_lists_the_tables(loaded: Engine) -> None:
    with pytest.raises(DatabaseError, match=r"no table named 'bonds'.*bond_class"):
        export_table(loaded, "bonds", io.StringIO())


def test_parquet_export_without_pyarrow_says_how_to_get_it(loaded: Engine, tmp_path: Path) -> None:
    if importlib.util.find_spec("pyarrow") is not None:
        pytest.skip("pyarrow is installed here, so there is no missing-dependency message to check")
    with pytest.raises(DatabaseError, match=r"Parquet export needs pyarrow.*pip install pyarrow"):
        export_table(loaded, "rate", tmp_path / "rate.parquet", file_format="parquet")


def test_status_report_counts_every_state(loaded: Engine) -> None:
    report = status_report(loaded)
    assert report.counts == {
        "discovered": 0,
        "fetched": 0,
        "parsed": 0,
        "loaded": 2,
        "failed": 0,
        "unsupported": 0,
    }
    assert report.failures == ()
    assert report.distributions_with_discrepancies == 0
    assert report.last_change is not None and report.last_change.tzinfo is not None
