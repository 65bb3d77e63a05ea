"""Filing status bookkeeping: discovered -> fetched -> parsed -> loaded / failed / unsupported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dbfactory import PARSER_VERSION, REAL_ACCESSION, real_meta, real_parse, snapshot
from sqlalchemy import Engine, select

from db.load import filings_needing_reparse, known_accessions, load_filing, record_filing
from db.models import Filing, FilingCompany
from db.query import status_report

OTHER = real_meta(accession_no="0001020242-03-000099", document_name="im020301.txt")


def _filing(engine: Engine, accession: str = REAL_ACCESSION) -> dict:
    table = Filing.__table__
    with engine.connect() as conn:
        return dict(conn.execute(select(table).where(table.c.accession_no == accession)).mappings().one())


def test_filing_moves_through_the_lifecycle_and_remembers_when(engine: Engine) -> None:
    t0, t1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    record_filing(engine, real_meta(), "discovered", now=t0)
    assert (_filing(engine)["status"], _filing(engine)["status_changed_at"]) == ("discovered", t0)
    record_filing(engine, real_meta(), "fetched", now=t1)
    row = _filing(engine)
    assert (row["status"], row["status_changed_at"], row["created_at"]) == ("fetched", t1, t0)


def test_rediscovering_a_loaded_filing_keeps_it_loaded(engine: Engine) -> None:
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    before = snapshot(engine)
    record_filing(engine, real_meta(), "discovered")
    assert _filing(engine)["status"] == "loaded"
    assert snapshot(engine) == before


def test_recording_the_same_state_twice_writes_nothing(engine: Engine) -> None:
    record_filing(engine, real_meta(), "fetched")
    before = snapshot(engine)
    record_filing(engine, real_meta(), "fetched")
    assert snapshot(engine) == before


def test_each_failure_counts_an_attempt_and_keeps_stage_and_one_line_error(engine: Engine) -> None:
    record_filing(engine, real_meta(), "discovered")
    record_filing(engine, real_meta(), "failed", stage="fetch", error="HTTP 503 from sec.gov\n  retry later")
    record_filing(
        engine, real_meta(), "failed", stage="parse", error="section 'REO Report', line 812: garbled"
    )
    row = _filing(engine)
    assert (row["status"], row["attempts"], row["stage"]) == ("failed", 2, "parse")
    assert row["error"] == "section 'REO Report', line 812: garbled"
    report = status_report(engine)
    assert report.counts["failed"] == 1
    assert [(f.accession_no, f.stage, f.attempts) for f in report.failures] == [(REAL_ACCESSION, "parse", 2)]


def test_a_successful_load_clears_the_last_error(engine: Engine) -> None:
    record_filing(engine, real_meta(), "failed", stage="load", error="database is locked")
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    row = _filing(engine)
    assert (row["status"], row["error"], row["stage"], row["attempts"]) == ("loaded", None, None, 1)


def test_metadata_left_empty_keeps_what_was_stored(engine: Engine) -> None:
    record_filing(engine, real_meta(), "fetched")
    record_filing(engine, real_meta(sha256=None, url=None, company_names=()), "parsed")
    row = _filing(engine)
    assert row["sha256"] == real_meta().sha256 and row["url"] == real_meta().url
    with engine.connect() as conn:
        names = conn.execute(select(FilingCompany.__table__.c.company_name)).scalars().all()
    assert names == ["IMH ASSETS CORP"]


def test_every_cik_of_a_filing_is_recorded(engine: Engine) -> None:
    record_filing(
        engine, real_meta(ciks=(1017447, 1178785), company_names=("IMH ASSETS CORP", "TRUST")), "fetched"
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(FilingCompany.__table__.c.cik, FilingCompany.__table__.c.company_name)
        ).all()
    assert sorted(rows) == [(1017447, "IMH ASSETS CORP"), (1178785, "TRUST")]
    assert _filing(engine)["cik"] == 1017447


def test_unknown_status_is_refused_with_the_valid_ones(engine: Engine) -> None:
    with pytest.raises(ValueError, match=r"unknown filing status 'done'.*'discovered'"):
        record_filing(engine, real_meta(), "done")


def test_known_accessions_filters_by_status(engine: Engine) -> None:
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    record_filing(engine, OTHER, "failed", stage="fetch", error="timeout")
    assert known_accessions(engine) == {REAL_ACCESSION, OTHER.accession_no}
    assert known_accessions(engine, statuses=("loaded",)) == {REAL_ACCESSION}
    assert known_accessions(engine, statuses=["failed", "unsupported"]) == {OTHER.accession_no}


def test_filings_loaded_by_an_older_parser_or_failed_at_parse_need_reparse(engine: Engine) -> None:
    load_filing(engine, real_meta(), real_parse(), PARSER_VERSION)
    record_filing(engine, OTHER, "failed", stage="parse", error="garbled")
    fetch_failure = real_meta(accession_no="0001020242-03-000100")
    record_filing(engine, fetch_failure, "failed", stage="fetch", error="timeout")
    assert filings_needing_reparse(engine, PARSER_VERSION) == [OTHER.accession_no]
    assert filings_needing_reparse(engine, "test-2") == [REAL_ACCESSION, OTHER.accession_no]


def test_unsupported_filing_is_offered_again_only_to_a_newer_parser(engine: Engine) -> None:
    record_filing(
        engine, OTHER, "unsupported", stage="parse", error="CTSLink layout", parser_version="test-1"
    )
    assert filings_needing_reparse(engine, "test-1") == []
    assert filings_needing_reparse(engine, "test-2") == [OTHER.accession_no]
