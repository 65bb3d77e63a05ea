"""The fault scripts of bench/faults.py in small form: the generated mirror served with injected faults.

The pipeline's library calls (discovery, then fetch -> parse -> load per filing) run in this process against
the test server; the full scripts (more filings, SIGKILL loop, a stopped PostgreSQL) are in bench/faults.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.mirror import PRESETS, Manifest, generate_mirror
from db.migrate import upgrade
from edgar.discovery import discover_filings
from edgar.settings import load_settings
from edgar.testserver import EdgarTestServer, FaultConfig
from flows.pipeline import Pipeline, ingest_ref

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    p = PRESETS["small"]
    return generate_mirror(
        tmp_path_factory.mktemp("mirror"),
        seed=9,
        deals=2,
        months=3,
        amendments=1,
        page_size=p.page_size,
        loans=p.loans,
    )


def _ingest(server: EdgarTestServer, manifest: Manifest, data: Path, **settings: object) -> list:
    values = {
        "user_agent": "Acme Research admin@acme.example",
        "data_dir": data,
        "sec_www_url": server.url,
        "sec_data_url": server.url,
        "max_requests_per_second": 1000,
        "backoff_base_seconds": 0.01,
        "backoff_max_seconds": 0.05,
        "full_index_start": manifest.first_filed,
        **settings,
    }
    pipeline = Pipeline(load_settings({}, **values))
    try:
        upgrade(pipeline.engine)
        refs = discover_filings(pipeline.client, start=manifest.first_filed, end=manifest.last_filed).refs
        return [ingest_ref(pipeline, ref) for ref in refs]
    finally:
        pipeline.close()


def test_every_filing_is_loaded_once_through_5xx_resets_truncated_bodies_and_stalls(
    small: Manifest, tmp_path: Path
) -> None:
    faults = FaultConfig(
        error_rate=0.2,
        reset_rate=0.1,
        truncate_rate=0.2,
        stall_rate=0.05,
        stall_seconds=1.5,
        seed=3,
        path_prefix="/Archives/edgar/data/",
    )
    with EdgarTestServer(small.root, faults=faults) as server:
        outcomes = _ingest(server, small, tmp_path / "data", read_timeout_seconds=0.5, max_retries=8)
        injected = sum(server.stats.faults.values())
    wanted = {f.accession_no for f in small.filings if f.form in ("8-K", "8-K/A")}
    assert injected > 0
    assert sorted(o.accession_no for o in outcomes) == sorted(wanted)
    assert {o.status for o in outcomes} == {"loaded"}
    # nothing truncated was stored: every stored submission is the mirror's file byte for byte
    by_accession = {f.accession_no: f for f in small.filings}
    stored = list((tmp_path / "data" / "raw").rglob("*.txt"))
    assert len(stored) == len(wanted)
    for path in stored:
        assert path.read_bytes() == (small.root / by_accession[path.stem].path).read_bytes()


def test_a_throttled_run_pauses_and_sends_nothing_during_the_block(small: Manifest, tmp_path: Path) -> None:
    with EdgarTestServer(small.root, throttle_rps=4, block_seconds=1.0) as server:
        outcomes = _ingest(
            server, small, tmp_path / "data", max_requests_per_second=20, throttle_pause_seconds=1.5
        )
        throttled, during_block = server.stats.throttle_responses, server.stats.requests_during_block
    assert throttled >= 1
    assert during_block == 0
    assert {o.status for o in outcomes} == {"loaded"}
