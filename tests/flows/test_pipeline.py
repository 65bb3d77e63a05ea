"""flows.pipeline as plain Python (no Prefect): a filing through edgar -> parsers -> db, failures as data."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from corpus.mirror import FilingEntry, Manifest
from db.migrate import upgrade
from edgar.records import Document, FilingRef, Submission, SubmissionHeader
from edgar.settings import load_settings
from edgar.testserver import EdgarTestServer
from edgar.urls import submission_txt_url
from flows import pipeline as pipeline_module
from flows.pipeline import (
    Pipeline,
    guarded,
    ingest_ref,
    ingest_refs,
    reparse_ref,
    statement_documents,
)
from parsers.detect import Template, detect_template

REAL = Path(__file__).parents[1] / "fixtures/real/1017447/000102024203000013/im020212.txt"


@pytest.fixture
def pipeline(tmp_path: Path, small_mirror: Path) -> Iterator[Pipeline]:
    with EdgarTestServer(small_mirror) as server:
        settings = load_settings(
            env={}, data_dir=str(tmp_path / "data"), max_retries=0, **server.settings_overrides()
        )
        opened = Pipeline(settings)
        upgrade(opened.engine)
        try:
            yield opened
        finally:
            opened.close()


def _ref(pipeline: Pipeline, entry: FilingEntry) -> FilingRef:
    return FilingRef(
        accession_no=entry.accession_no,
        cik=entry.cik,
        company_name=entry.company_name,
        form=entry.form,
        filed=entry.filed,
        period=entry.period,
        url=submission_txt_url(pipeline.settings, entry.cik, entry.accession_no),
    )


def _row(pipeline: Pipeline, accession: str) -> tuple[str, str | None, int, str | None]:
    with pipeline.engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, stage, attempts, template FROM filing WHERE accession_no = :a"),
            {"a": accession},
        ).one()
    return row.status, row.stage, row.attempts, row.template


def _entry(small_mirror: Path, kind: str) -> FilingEntry:
    return next(f for f in Manifest.load(small_mirror).filings if f.kind == kind)


def test_a_statement_is_fetched_once_parsed_and_loaded_then_replayed_offline(
    pipeline: Pipeline, small_mirror: Path
) -> None:
    ref = _ref(pipeline, _entry(small_mirror, "real"))
    first = ingest_ref(pipeline, ref)
    assert (first.status, first.fetched, first.parsed, first.template) == (
        "loaded",
        True,
        True,
        "trustee-text",
    )
    assert _row(pipeline, ref.accession_no) == ("loaded", None, 0, "trustee-text")

    offline = Pipeline(pipeline.settings, offline=True)
    try:
        again = reparse_ref(offline, ref)
    finally:
        offline.close()
    assert (again.status, again.fetched) == ("unchanged", False)


@pytest.mark.parametrize(
    ("kind", "status", "stage", "template"),
    [
        ("html", "unsupported", None, "trustee-2004"),
        ("truncated", "failed", "parse", "trustee-text"),
        ("garbage", "failed", "parse", "unknown"),
        ("foreign", "failed", "parse", "unknown"),
    ],
)
def test_what_cannot_be_loaded_is_recorded_with_its_reason_and_never_loaded(
    pipeline: Pipeline, small_mirror: Path, kind: str, status: str, stage: str | None, template: str
) -> None:
    ref = _ref(pipeline, _entry(small_mirror, kind))
    outcome = ingest_ref(pipeline, ref)
    assert (outcome.status, outcome.stage, outcome.template, outcome.retryable) == (
        status,
        stage,
        template,
        False,
    )
    assert outcome.error and "\n" not in outcome.error
    assert _row(pipeline, ref.accession_no)[:2] == (status, stage)
    with pipeline.engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM distribution WHERE accession_no = :a"), {"a": ref.accession_no}
            ).scalar_one()
            == 0
        )


def test_a_filing_edgar_does_not_have_fails_at_fetch_and_is_not_retryable(pipeline: Pipeline) -> None:
    ref = FilingRef(
        accession_no="0001020242-99-999999",
        cik=1017447,
        company_name="IMH ASSETS CORP",
        form="8-K",
        filed=date(1999, 1, 4),
        period=None,
        url=submission_txt_url(pipeline.settings, 1017447, "0001020242-99-999999"),
    )
    outcome = ingest_ref(pipeline, ref)
    assert (outcome.status, outcome.stage, outcome.retryable) == ("failed", "fetch", False)
    assert outcome.edgar_link.endswith("/0001020242-99-999999-index.htm")
    assert _row(pipeline, ref.accession_no)[:3] == ("failed", "fetch", 1)


def test_a_parser_bug_fails_only_that_filing_at_parse(
    pipeline: Pipeline, small_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str, filename: str | None = None) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(pipeline_module, "parse_document", broken)
    ref = _ref(pipeline, _entry(small_mirror, "real"))
    outcome = guarded(pipeline, ref, lambda: ingest_ref(pipeline, ref), logger=pipeline_module.log)
    assert (outcome.status, outcome.stage) == ("failed", "parse")
    assert outcome.error == "unexpected IndexError: list index out of range"


def test_the_statement_document_wins_over_a_recognisable_cover_page() -> None:
    cover = "FORM 8-K c/o Wells Fargo Bank Minnesota, N.A. 9062 Old Annapolis Road Columbia, MD 21045"
    header = SubmissionHeader(
        accession_no="0001020242-03-000013",
        form="8-K",
        filed=date(2003, 1, 2),
        period=None,
        accepted=None,
        document_count=2,
        filers=(),
    )
    submission = Submission(
        header=header,
        documents=(
            Document(type="8-K", sequence=1, filename="cover.txt", description=None, body=cover),
            Document(
                type="EX-99", sequence=2, filename="im020212.txt", description=None, body=REAL.read_text()
            ),
        ),
        encoding="utf-8",
    )
    assert detect_template(cover, "cover.txt") is Template.CTSLINK  # the cover alone is recognisable
    assert [(d.filename, t) for d, t in statement_documents(submission)] == [
        ("im020212.txt", Template.TRUSTEE_TEXT)
    ]


def test_every_statement_of_a_filing_is_loaded(pipeline: Pipeline) -> None:
    # The 2003 8-K/A re-filings carried 2002 months' statements; one filing may hold several.
    from corpus.mirror import iter_statements

    months = [rendered.text for _, _, _, rendered in iter_statements(11, 1, 2, 60)]
    header = SubmissionHeader(
        accession_no="0001020242-03-000099",
        form="8-K/A",
        filed=date(2003, 6, 2),
        period=None,
        accepted=None,
        document_count=3,
        filers=(),
    )
    documents = (
        Document(type="8-K/A", sequence=1, filename="cover.txt", description=None, body="FORM 8-K/A\n"),
        *(
            Document(type="EX-99", sequence=n, filename=f"im99{n:02d}.txt", description=None, body=body)
            for n, body in enumerate(months, start=2)
        ),
    )
    submission = Submission(header=header, documents=documents, encoding="utf-8")
    ref = FilingRef(
        accession_no=header.accession_no,
        cik=1017447,
        company_name="IMH ASSETS CORP",
        form="8-K/A",
        filed=header.filed,
        period=None,
        url=submission_txt_url(pipeline.settings, 1017447, header.accession_no),
    )
    outcome = pipeline_module._parse_and_load(
        pipeline, ref, submission, None, pipeline_module._start(pipeline, ref), logger=pipeline_module.log
    )
    assert outcome.status == "loaded"
    with pipeline.engine.connect() as conn:
        loaded = (
            conn.execute(
                text("SELECT document_name FROM distribution WHERE accession_no = :a ORDER BY 1"),
                {"a": header.accession_no},
            )
            .scalars()
            .all()
        )
    assert loaded == ["im9902.txt", "im9903.txt"]


def _statement_refs(pipeline: Pipeline, small_mirror: Path) -> list[FilingRef]:
    entries = [f for f in Manifest.load(small_mirror).filings if f.expect == "load"]
    return [_ref(pipeline, entry) for entry in sorted(entries, key=lambda f: (f.filed, f.accession_no))]


def test_ingest_refs_downloads_the_next_filing_while_the_first_is_still_being_fetched(
    pipeline: Pipeline, small_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A sequential loop would never start the second download while the first waits: this one times out then.
    refs = _statement_refs(pipeline, small_mirror)[:3]
    second_started = threading.Event()
    real_fetch = pipeline_module.fetch_submission

    def fetch(client: object, store: object, ref: FilingRef) -> object:
        if ref == refs[1]:
            second_started.set()
        elif ref == refs[0] and not second_started.wait(timeout=10):
            raise AssertionError("the second download never started while the first was in flight")
        return real_fetch(client, store, ref)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_module, "fetch_submission", fetch)
    outcomes = list(ingest_refs(pipeline, refs, fetchers=2, ahead=2))
    assert [o.accession_no for o in outcomes] == [r.accession_no for r in refs]
    assert all(o.status == "loaded" and o.fetched for o in outcomes)


def test_ingest_refs_never_runs_more_than_its_window_ahead_of_parse_and_load(
    pipeline: Pipeline, small_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = _statement_refs(pipeline, small_mirror)
    started: list[str] = []
    real_fetch = pipeline_module.fetch_submission

    def fetch(client: object, store: object, ref: FilingRef) -> object:
        started.append(ref.accession_no)
        return real_fetch(client, store, ref)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_module, "fetch_submission", fetch)
    ahead = 3
    for consumed, outcome in enumerate(ingest_refs(pipeline, refs, fetchers=3, ahead=ahead), start=1):
        assert outcome.accession_no == refs[consumed - 1].accession_no
        assert len(started) <= consumed + ahead
    assert sorted(started) == sorted(r.accession_no for r in refs)  # each downloaded once


def test_ingest_refs_fails_a_missing_filing_alone_and_goes_on(pipeline: Pipeline, small_mirror: Path) -> None:
    good = _statement_refs(pipeline, small_mirror)[:2]
    missing = replace(
        good[0],
        accession_no="0001020242-99-999999",
        url=submission_txt_url(pipeline.settings, good[0].cik, "0001020242-99-999999"),
    )
    outcomes = list(ingest_refs(pipeline, [good[0], missing, good[1]]))
    assert [(o.status, o.stage) for o in outcomes] == [
        ("loaded", None),
        ("failed", "fetch"),
        ("loaded", None),
    ]
    assert _row(pipeline, missing.accession_no)[:2] == ("failed", "fetch")
