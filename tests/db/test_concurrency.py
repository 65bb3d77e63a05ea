"""Two processes loading the same filings at the same moment end with exactly one load's rows and no error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from dbfactory import PARSER_VERSION, clear_tables, real_meta, real_parse, run_at_once, snapshot, variant
from sqlalchemy import Engine

from db.engine import make_engine
from db.load import FilingMeta, load_filing, record_filing
from parsers.records import ParseResult

FILINGS: list[tuple[FilingMeta, ParseResult]] = []


def _filings() -> list[tuple[FilingMeta, ParseResult]]:
    if not FILINGS:
        parsed = real_parse()
        FILINGS.extend(
            [
                (real_meta(), parsed),
                (
                    real_meta(accession_no="0001020242-03-000020", form="8-K/A", filed=date(2003, 1, 9)),
                    variant(parsed, class_a_interest=Decimal("616656.87")),
                ),
                (
                    real_meta(accession_no="0001020242-03-000045", filed=date(2003, 2, 3)),
                    variant(parsed, distribution_date=date(2003, 1, 27)),
                ),
            ]
        )
    return FILINGS


def _load_all(url: str, order: list[int]) -> None:
    engine = make_engine(url)
    try:
        for index in order:
            meta, parsed = _filings()[index]
            record_filing(engine, meta, "parsed")
            load_filing(engine, meta, parsed, PARSER_VERSION)
    finally:
        engine.dispose()


def _sequential_state(engine: Engine) -> dict[str, tuple[int, str]]:
    clear_tables(engine)
    for meta, parsed in _filings():
        record_filing(engine, meta, "parsed")
        load_filing(engine, meta, parsed, PARSER_VERSION)
    return snapshot(engine, content_only=True)


@pytest.mark.slow
def test_two_processes_loading_the_same_filings_end_with_one_loads_rows(engine: Engine) -> None:
    expected = _sequential_state(engine)
    clear_tables(engine)
    assert _race(engine, [[0, 1, 2], [1, 0, 2]]) == []
    assert snapshot(engine, content_only=True) == expected


def _race(engine: Engine, orders: list[list[int]]) -> list[str]:
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    return run_at_once(_load_all, [(url, order) for order in orders])


@pytest.mark.slow
def test_original_and_amendment_loaded_at_once_leave_exactly_the_amendment_current(engine: Engine) -> None:
    expected = _sequential_state(engine)
    for _ in range(2):
        clear_tables(engine)
        # The deal already holds newer facts, so neither loader writes the deal row: only the explicit
        # deal lock keeps both from deciding "I am current" at the same time.
        meta, parsed = _filings()[2]
        load_filing(engine, meta, parsed, PARSER_VERSION)
        assert _race(engine, [[0], [1]]) == []
        assert snapshot(engine, content_only=True) == expected
