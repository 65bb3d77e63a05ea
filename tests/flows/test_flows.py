"""The flows against the local EDGAR test server serving a generated mirror, under one Prefect test harness.

Each test gets its own data directory (SQLite database, raw store, limiter state); the mirror and the test
server are shared by the session and the server's counters are reset per test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Engine, text

from corpus.mirror import FilingEntry, Manifest
from db.engine import make_engine
from edgar.testserver import EdgarTestServer

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="session")
def manifest(small_mirror: Path) -> Manifest:
    return Manifest.load(small_mirror)


@pytest.fixture(scope="session")
def mirror_filings(manifest: Manifest) -> list[FilingEntry]:
    """The mirror's filings the pipeline ingests (8-K, 8-K/A), oldest first; 424B5s are not among them."""
    filings = sorted(manifest.filings, key=lambda f: (f.filed, f.accession_no))
    wanted = [f for f in filings if f.expect != "skip"]
    assert {f.expect for f in wanted} == {"load", "failed", "unsupported"}
    return wanted


def _expected_statuses(filings: list[FilingEntry]) -> dict[str, tuple[str, str | None]]:
    meaning = {"load": ("loaded", None), "unsupported": ("unsupported", None), "failed": ("failed", "parse")}
    return {f.accession_no: meaning[f.expect] for f in filings}


@pytest.fixture(scope="session")
def edgar_server(small_mirror: Path) -> Iterator[EdgarTestServer]:
    with EdgarTestServer(small_mirror) as server:
        yield server


def _point_settings_at(
    monkeypatch: pytest.MonkeyPatch, server: EdgarTestServer, data_dir: Path, filings: list[FilingEntry]
) -> None:
    """IMH_* settings of one run: the test server, ``data_dir``, fast retries; nothing else from the env."""
    server.reset_stats()
    server.unblock()
    values = {
        "IMH_SEC_WWW_URL": server.url,
        "IMH_SEC_DATA_URL": server.url,
        "IMH_DATA_DIR": str(data_dir),
        "IMH_MAX_REQUESTS_PER_SECOND": "200",
        "IMH_MAX_RETRIES": "1",
        "IMH_BACKOFF_BASE_SECONDS": "0",
        "IMH_BACKOFF_MAX_SECONDS": "0",
        "IMH_THROTTLE_PAUSE_SECONDS": "1",
        "IMH_FULL_INDEX_START": date(filings[0].filed.year, 1, 1).isoformat(),
    }
    for key in [k for k in os.environ if k.startswith("IMH_")]:
        monkeypatch.delenv(key)
    for key, value in values.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def app_env(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edgar_server: EdgarTestServer,
    mirror_filings: list[FilingEntry],
) -> Path:
    """A fresh, empty data directory (database, raw store, limiter state) with the settings pointing at it."""
    _point_settings_at(monkeypatch, edgar_server, tmp_path / "data", mirror_filings)
    return tmp_path / "data"


@pytest.fixture(scope="session")
def ingested_once(
    tmp_path_factory: pytest.TempPathFactory, edgar_server: EdgarTestServer, mirror_filings: list[FilingEntry]
) -> Path:
    """A data directory after one backfill of the whole mirror (copied by the tests that start from there)."""
    from flows.ingest import backfill

    data_dir = tmp_path_factory.mktemp("ingested") / "data"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _point_settings_at(monkeypatch, edgar_server, data_dir, mirror_filings)
        backfill(**_window(mirror_filings))
    return data_dir


@pytest.fixture
def ingested_env(app_env: Path, ingested_once: Path, edgar_server: EdgarTestServer) -> Path:
    """Like ``app_env``, but holding a copy of the data of one complete first run."""
    shutil.copytree(ingested_once, app_env)
    edgar_server.reset_stats()
    return app_env


def _engine(data_dir: Path) -> Engine:
    return make_engine(f"sqlite:///{data_dir / 'imh_edgar.db'}")


def _statuses(data_dir: Path) -> dict[str, tuple[str, str | None]]:
    engine = _engine(data_dir)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT accession_no, status, stage FROM filing")).all()
    finally:
        engine.dispose()
    return {accession: (status, stage) for accession, status, stage in rows}


def _database_fingerprint(data_dir: Path) -> str:
    """A checksum of every row of every table: equal fingerprints mean nothing was written."""
    engine = _engine(data_dir)
    digest = hashlib.sha256()
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite%' ORDER BY 1"
                )
            ).scalars()
            for table in list(tables):
                for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                    digest.update(repr((table, tuple(row))).encode())
    finally:
        engine.dispose()
    return digest.hexdigest()


def _run(flow: Any, **parameters: Any) -> tuple[dict[str, Any], UUID]:
    state = flow(**parameters, return_state=True)
    return state.result(), state.state_details.flow_run_id


def _artifacts(flow_run_id: UUID) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key: a for a in found if a.key}


def _task_run_names(flow_run_id: UUID, expected: str, timeout: float = 60.0) -> set[str]:
    """Task-run names of a flow run; task runs are recorded from events, so wait until ``expected`` shows."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    deadline = time.monotonic() + timeout
    names: set[str] = set()
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            runs = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
            names = {r.name for r in runs}
            if expected in names:
                break
            time.sleep(0.25)
    return names


def _window(filings: list[FilingEntry]) -> dict[str, date]:
    return {"start": filings[0].filed, "end": filings[-1].filed}


def test_first_run_ingests_every_filing_and_reports_it(
    app_env: Path, mirror_filings: list[FilingEntry], edgar_server: EdgarTestServer
) -> None:
    from flows.ingest import backfill

    summary, run_id = _run(backfill, **_window(mirror_filings))

    expected = _expected_statuses(mirror_filings)
    assert _statuses(app_env) == expected
    loaded = sum(status == "loaded" for status, _ in expected.values())
    failed = [f for f in mirror_filings if f.expect == "failed"]
    assert summary["new"] == summary["fetched"] == len(mirror_filings)
    assert (summary["loaded"], summary["failed"]) == (loaded, len(failed))
    assert summary["unsupported"] == {"trustee-2004": 1}
    # The mixed mirror's filings counted per template and status (issue 7: the run summary shows both).
    by_template = summary["templates"]
    assert by_template["trustee-2004"] == {"unsupported": 1}
    assert by_template["trustee-text"]["loaded"] == loaded  # its truncated statement fails under it too
    assert sum(counts.get("failed", 0) for counts in by_template.values()) == len(failed)
    assert summary["discrepancies"] == 0
    # One request per filing, plus discovery (submissions pages and quarterly indexes).
    filing_requests = sum(
        n for path, n in edgar_server.stats.paths.items() if path.startswith("/Archives/edgar/data/")
    )
    assert filing_requests == len(mirror_filings)
    assert summary["requests"] == edgar_server.stats.total

    artifacts = _artifacts(run_id)
    assert {"backfill-summary", "backfill-progress", "backfill-failures"} <= set(artifacts)
    assert artifacts["backfill-progress"].data == 100.0
    assert f"| loaded | {loaded} |" in artifacts["backfill-summary"].data
    assert "| trustee-2004 | 0 | 0 | 1 | 0 |" in artifacts["backfill-summary"].data
    rows = json.loads(artifacts["backfill-failures"].data)
    assert sorted(r["accession"] for r in rows) == sorted(f.accession_no for f in failed)
    assert {r["stage"] for r in rows} == {"parse"}


def test_second_run_fetches_nothing_and_writes_nothing(
    ingested_env: Path, mirror_filings: list[FilingEntry], edgar_server: EdgarTestServer
) -> None:
    from flows.ingest import backfill

    app_env = ingested_env
    before = _database_fingerprint(app_env)

    summary, _ = _run(backfill, **_window(mirror_filings))

    assert summary["new"] == summary["fetched"] == summary["loaded"] == 0
    assert summary["skipped"] == summary["discovered"] == len(mirror_filings)
    assert not [p for p in edgar_server.stats.paths if p.startswith("/Archives/edgar/data/")]
    assert _database_fingerprint(app_env) == before


def test_a_filing_whose_download_keeps_failing_is_reported_and_does_not_block_others(
    app_env: Path, mirror_filings: list[FilingEntry], edgar_server: EdgarTestServer
) -> None:
    from flows.ingest import backfill

    broken = [f for f in mirror_filings if f.expect == "load"][2]
    path = (
        f"/Archives/edgar/data/{broken.cik}/{broken.accession_no.replace('-', '')}/{broken.accession_no}.txt"
    )
    # batch: 1 + IMH_MAX_RETRIES requests; its own task run: 2 attempts of 2 requests each
    edgar_server.inject(path, *["error"] * 6)

    summary, run_id = _run(
        backfill, **_window(mirror_filings), straggler_retries=1, straggler_retry_delay_seconds=0
    )

    expected = _expected_statuses(mirror_filings)
    expected[broken.accession_no] = ("failed", "fetch")
    assert _statuses(app_env) == expected
    assert summary["new"] == len(mirror_filings)
    assert summary["failed"] == 1 + sum(f.expect == "failed" for f in mirror_filings)
    rows = json.loads(_artifacts(run_id)["backfill-failures"].data)
    row = next(r for r in rows if r["accession"] == broken.accession_no)
    assert row["stage"] == "fetch" and "503" in row["error"]
    assert row["edgar"].endswith(f"/{broken.accession_no}-index.htm")
    assert int(row["attempts"]) == 3  # the batch's attempt, then its own task run's two
    assert f"filing-{broken.accession_no}" in _task_run_names(run_id, f"filing-{broken.accession_no}")

    # The server recovered: the next run picks up exactly the failed filing.
    edgar_server.reset_stats()
    again, _ = _run(backfill, **_window(mirror_filings))
    assert (again["new"], again["fetched"], again["failed"]) == (1, 1, 0)
    assert _statuses(app_env)[broken.accession_no] == ("loaded", None)


def test_an_amendment_arriving_later_replaces_the_original(
    app_env: Path, mirror_filings: list[FilingEntry]
) -> None:
    from flows.ingest import backfill

    amendments = [f for f in mirror_filings if f.kind == "amendment"]
    if not amendments:
        pytest.fail("the mirror must hold an 8-K/A amendment for this test")
    amendment = amendments[0]
    window = _window(mirror_filings)
    # The first run ends the day before the amendment was filed: it has not "arrived" yet.
    _run(backfill, start=window["start"], end=amendment.filed - timedelta(days=1))
    statuses = _statuses(app_env)
    assert amendment.accession_no not in statuses
    original = next(
        f
        for f in mirror_filings
        if f.kind == "statement"
        and (f.series, f.distribution_date) == (amendment.series, amendment.distribution_date)
    )
    assert statuses[original.accession_no] == ("loaded", None)

    second, _ = _run(backfill, **window)

    engine = _engine(app_env)
    try:
        with engine.connect() as conn:
            versions = conn.execute(
                text(
                    "SELECT f.accession_no, f.form, d.is_current FROM distribution d "
                    "JOIN filing f ON f.id = d.filing_id "
                    "WHERE (d.deal_id, d.distribution_date) IN "
                    "(SELECT d2.deal_id, d2.distribution_date FROM distribution d2 "
                    " JOIN filing f2 ON f2.id = d2.filing_id WHERE f2.accession_no = :acc)"
                ),
                {"acc": amendment.accession_no},
            ).all()
    finally:
        engine.dispose()
    current = [accession for accession, _, is_current in versions if is_current]
    assert current == [amendment.accession_no]
    assert any(
        form == "8-K" and not is_current for _, form, is_current in versions
    )  # the original stays as history
    assert second["loaded"] >= 1


def test_reparse_works_with_the_network_blocked(
    ingested_env: Path, mirror_filings: list[FilingEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    import requests

    from flows.ingest import reparse

    app_env = ingested_env
    statuses = _statuses(app_env)
    loaded = [a for a, (status, _) in statuses.items() if status == "loaded"]
    not_loaded = [a for a, (status, _) in statuses.items() if status != "loaded"]
    engine = _engine(app_env)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE filing SET parser_version = '0.0.1' WHERE accession_no = :a"), {"a": loaded[0]}
            )
    finally:
        engine.dispose()

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("reparse tried to reach EDGAR")

    monkeypatch.setattr(requests.Session, "send", no_network)
    monkeypatch.setenv("IMH_SEC_WWW_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("IMH_SEC_DATA_URL", "http://127.0.0.1:9")

    # Outdated: the filing loaded by an older parser, and every unparsable one; they stay as they were, since
    # this parser still cannot read them. Unsupported layouts were recorded with this parser version, so they
    # wait for a newer parser instead of being offered to every reparse.
    unsupported = sum(status == "unsupported" for status, _ in statuses.values())
    assert unsupported > 0
    outdated, _ = _run(reparse)
    assert outdated["new"] == 1 + len(not_loaded) - unsupported
    assert (outdated["loaded"], outdated["requests"]) == (1, 0)
    assert outdated["failed"] == sum(status == "failed" for status, _ in statuses.values())
    everything, _ = _run(reparse, scope="all")
    assert everything["new"] == len(mirror_filings)
    assert everything["loaded"] == 0 and everything["unchanged"] == len(loaded)  # same parser, same rows
    assert _statuses(app_env) == statuses


def test_sync_on_an_empty_database_ingests_the_history_then_finds_nothing_new(
    app_env: Path, mirror_filings: list[FilingEntry], edgar_server: EdgarTestServer
) -> None:
    from flows.ingest import sync

    first, run_id = _run(sync)
    assert _statuses(app_env) == _expected_statuses(mirror_filings)
    assert first["new"] == first["fetched"] == len(mirror_filings)
    assert "sync-summary" in _artifacts(run_id)

    before = _database_fingerprint(app_env)
    edgar_server.reset_stats()
    second, _ = _run(sync)
    assert (second["new"], second["fetched"], second["loaded"]) == (0, 0, 0)
    assert not [p for p in edgar_server.stats.paths if p.startswith("/Archives/edgar/data/")]
    assert _database_fingerprint(app_env) == before


def test_the_cli_runs_a_backfill_prints_its_summary_and_exits_1_when_filings_failed(
    app_env: Path, mirror_filings: list[FilingEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    window = _window(mirror_filings)
    assert main(["backfill", str(window["start"]), str(window["end"]), "--batch-size", "4"]) == 1
    out = capsys.readouterr().out
    failed = sum(f.expect == "failed" for f in mirror_filings)
    assert f"new              {len(mirror_filings)}" in out and f"failed           {failed}" in out

    assert main(["status"]) == 0
    status = capsys.readouterr().out
    assert f"loaded       {sum(f.expect == 'load' for f in mirror_filings)}" in status
    assert "latest failures:" in status


def test_the_cli_ingests_one_filing_by_accession(
    app_env: Path, mirror_filings: list[FilingEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    real = next(f for f in mirror_filings if f.kind == "real")
    assert main(["ingest", real.accession_no]) == 2  # not in the database yet: it needs the CIK
    assert "--cik" in capsys.readouterr().err

    assert main(["ingest", real.accession_no, "--cik", str(real.cik)]) == 0
    assert "loaded           1" in capsys.readouterr().out
    assert _statuses(app_env) == {real.accession_no: ("loaded", None)}
    assert main(["ingest", real.accession_no]) == 0  # now known: same rows, nothing written
    assert "unchanged        1" in capsys.readouterr().out
