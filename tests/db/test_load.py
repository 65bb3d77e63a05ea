"""Loading the real statement: every value retrievable, re-loads write nothing, failures leave nothing."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from dbfactory import (
    PARSER_VERSION,
    REAL_ACCESSION,
    hand_parse,
    real_meta,
    real_parse,
    snapshot,
    variant,
)
from sqlalchemy import Engine, func, select

import db.load
from db.engine import make_engine
from db.errors import LoadError, SchemaNotReadyError
from db.load import load_filing, record_filing, statement_rows
from db.models import BondClassRow, Distribution, Filing, StatementItemRow, metadata
from db.query import read_parse_result
from parsers.records import Discrepancy


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one())


def test_real_statement_round_trips_every_value(engine: Engine) -> None:
    parsed = real_parse()
    load_filing(engine, real_meta(), parsed, PARSER_VERSION)
    back = read_parse_result(engine, REAL_ACCESSION)
    assert back == parsed
    if engine.dialect.name == "postgresql":
        # NUMERIC keeps the printed scale too: "7484177.40" stays 7484177.40, not 7484177.4.
        assert [str(i.value) for i in back.items] == [str(i.value) for i in parsed.items]


def test_hand_built_statement_with_discrepancy_unparsed_line_and_liquidation_round_trips(
    engine: Engine,
) -> None:
    parsed = hand_parse()
    load_filing(engine, real_meta(), parsed, PARSER_VERSION)
    assert read_parse_result(engine, REAL_ACCESSION) == parsed
    with engine.connect() as conn:
        quality = conn.execute(select(Distribution.__table__.c.quality_status)).scalar_one()
    assert quality == "discrepancies"


def test_every_printed_value_is_a_statement_item_row_with_its_raw_text(engine: Engine) -> None:
    parsed = real_parse()
    load_filing(engine, real_meta(), parsed, PARSER_VERSION)
    items = StatementItemRow.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(items.c.line, items.c.column_name, items.c.raw, items.c.value)).all()
        class_a_row = (
            conn.execute(select(items.c.value).where((items.c.label == "A") & (items.c.line == 143)))
            .scalars()
            .all()
        )
    assert len(rows) == len(parsed.items)
    assert {(r.line, r.column_name, r.raw) for r in rows} == {(i.line, i.column, i.raw) for i in parsed.items}
    # fixture line 143: the class A row of "Distribution in Dollars - Current Period"
    assert Decimal("616656.86") in class_a_row
    assert Decimal("472500000") in class_a_row


def test_class_a_figures_are_queryable_as_exact_decimals(engine: Engine) -> None:
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    bonds = BondClassRow.__table__
    with engine.connect() as conn:
        row = conn.execute(select(bonds).where(bonds.c.class_name == "A")).mappings().one()
    assert row["prior_principal_balance"] == Decimal("431396174.4")
    assert row["current_principal_balance"] == Decimal("423538788.9")
    assert row["factor_current_principal"] == Decimal("896.3783891")
    assert row["pass_through_rate"] == Decimal("0.0166")
    assert row["cusip"] == "45254NCK1"
    assert row["accession_no"] == REAL_ACCESSION
    assert row["document_name"] == "im020212.txt"


def test_second_load_of_an_unchanged_filing_writes_nothing(engine: Engine) -> None:
    first = load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    before = snapshot(engine)
    second = load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    assert first.changed and first.inserted > 1000
    assert not second.changed
    assert (second.inserted, second.updated, second.deleted) == (0, 0, 0)
    assert second.unchanged == first.inserted + first.updated + first.unchanged
    # The snapshot includes created_at / updated_at, so "identical" also means no timestamp moved.
    assert snapshot(engine) == before


def test_reload_with_one_corrected_value_updates_only_that_row(engine: Engine) -> None:
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    before = snapshot(engine)
    corrected = variant(real_parse(), class_a_interest=Decimal("616656.87"))
    outcome = load_filing(engine, real_meta(), corrected, PARSER_VERSION)
    after = snapshot(engine)
    assert (outcome.inserted, outcome.updated, outcome.deleted) == (0, 1, 0)
    assert outcome.tables["bond_class"].updated == 1
    assert {name for name in after if after[name] != before[name]} == {"bond_class"}


def test_reload_by_a_new_parser_version_updates_the_filing_and_distribution_rows_only(engine: Engine) -> None:
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    before = snapshot(engine)
    outcome = load_filing(engine, real_meta(), real_parse(), "test-2")
    after = snapshot(engine)
    assert outcome.updated == 2
    assert {name for name in after if after[name] != before[name]} == {"filing", "distribution"}


def test_reload_deletes_rows_the_new_parse_no_longer_has(engine: Engine) -> None:
    parsed = real_parse()
    load_filing(engine, real_meta(), parsed, PARSER_VERSION)
    fewer = dataclasses.replace(parsed, items=parsed.items[:-3])
    outcome = load_filing(engine, real_meta(), fewer, PARSER_VERSION)
    assert outcome.deleted == 3
    assert _count(engine, "statement_item") == len(parsed.items) - 3
    assert read_parse_result(engine, REAL_ACCESSION) == fewer


def test_failure_in_the_middle_of_a_filing_leaves_nothing_of_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_filing(engine, real_meta(), "parsed")
    before = snapshot(engine)
    real_replace = db.load._replace_children
    written: list[str] = []

    def fail_after_some_tables(conn, model, rows, distribution_id, now, **options):  # type: ignore[no-untyped-def]
        if len(written) == 5:
            raise RuntimeError("disk on fire")
        written.append(model.__tablename__)
        return real_replace(conn, model, rows, distribution_id, now, **options)

    monkeypatch.setattr(db.load, "_replace_children", fail_after_some_tables)
    with pytest.raises(RuntimeError, match="disk on fire"):
        load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    assert len(written) == 5
    assert snapshot(engine) == before


def test_duplicate_natural_key_in_a_parse_fails_with_load_error_and_writes_nothing(engine: Engine) -> None:
    parsed = real_parse()
    cells = parsed.statement.delinquency
    broken = dataclasses.replace(
        parsed, statement=dataclasses.replace(parsed.statement, delinquency=(*cells, cells[0]))
    )
    before = snapshot(engine)
    with pytest.raises(LoadError, match="two delinquency_cell rows share the natural key"):
        load_filing(engine, real_meta(), broken, PARSER_VERSION)
    assert snapshot(engine) == before


def test_load_into_an_unmigrated_database_says_to_run_the_migrations(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with pytest.raises(SchemaNotReadyError, match="run the migrations"):
            load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    finally:
        engine.dispose()


def test_load_marks_the_filing_loaded_with_template_and_parser_version(engine: Engine) -> None:
    record_filing(engine, real_meta(), "discovered")
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    with engine.connect() as conn:
        row = conn.execute(select(Filing.__table__)).mappings().one()
    assert (row["status"], row["parser_version"], row["template"]) == (
        "loaded",
        PARSER_VERSION,
        "trustee-text-2002",
    )
    assert row["sha256"] == real_meta().sha256


def test_statement_rows_cover_every_field_of_every_record() -> None:
    rows = statement_rows(
        hand_parse(),
        distribution_id=1,
        accession_no=REAL_ACCESSION,
        document_name="im020212.txt",
        deal_id=1,
        loan_ids={"1100344047": 1, "1100344065": 2, "1109005345": 3},
    )
    for name, table_rows in rows.items():
        table = metadata.tables[name]
        writable = {c.name for c in table.c} - {"id", "created_at", "updated_at"}
        for row in table_rows:
            assert set(row) == writable, name


def test_reparse_that_reads_another_distribution_date_moves_the_version(engine: Engine) -> None:
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    moved = variant(real_parse(), distribution_date=date(2002, 12, 27))
    outcome = load_filing(engine, real_meta(), moved, PARSER_VERSION)
    dist = Distribution.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(dist.c.distribution_date, dist.c.is_current)).all()
    assert [(r.distribution_date, bool(r.is_current)) for r in rows] == [(date(2002, 12, 27), True)]
    assert outcome.is_current and outcome.deleted >= 1
    assert read_parse_result(engine, REAL_ACCESSION) == moved


def test_computed_28_digit_discrepancy_is_stored_rounded_to_15_significant_digits(engine: Engine) -> None:
    # balance x rate x days / 360 in Decimal arithmetic: 28 significant digits (generated filing
    # 0001020242-03-000084 failed to load on SQLite with such a discrepancy).
    expected = Decimal("423538788.9") * Decimal("0.0166") * 31 / 360
    assert len(expected.as_tuple().digits) == 28
    actual = Decimal("616656.86")
    found = Discrepancy(
        check="class.interest_equals_rate_times_balance",
        expected=expected,
        actual=actual,
        difference=actual - expected,
        tolerance=Decimal("0.01"),
        context="class A",
        lines=(143,),
    )
    parsed = dataclasses.replace(real_parse(), discrepancies=(found,))
    load_filing(engine, real_meta(), parsed, PARSER_VERSION)
    (stored,) = read_parse_result(engine, REAL_ACCESSION).discrepancies
    assert stored.expected == Decimal("605425.168799833")
    assert stored.difference == Decimal("11231.6912001667")
    assert (stored.actual, stored.tolerance, stored.lines) == (actual, Decimal("0.01"), (143,))
    again = load_filing(engine, real_meta(), parsed, PARSER_VERSION)
    assert not again.changed


def test_printed_value_longer_than_sqlite_holds_is_still_refused_not_rounded(engine: Engine) -> None:
    parsed = real_parse()
    long = Decimal("123456789012.3456")  # 16 significant digits, as if printed
    items = (dataclasses.replace(parsed.items[0], value=long), *parsed.items[1:])
    longer = dataclasses.replace(parsed, items=items)
    if engine.dialect.name == "sqlite":
        with pytest.raises(LoadError, match="16 significant digits"):
            load_filing(engine, real_meta(), longer, PARSER_VERSION)
    else:
        load_filing(engine, real_meta(), longer, PARSER_VERSION)
        assert read_parse_result(engine, REAL_ACCESSION).items[0].value == long
