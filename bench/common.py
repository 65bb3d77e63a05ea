"""Shared pieces of the benchmark and fault scripts: a generated mirror, the test server, settings, checksums.

Scripts, not tests: each run measures what it prints, in the same run, and writes JSON to ``bench/results``.
Everything is local (127.0.0.1); nothing here talks to SEC.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python bench/x.py` from a checkout
    sys.path.insert(0, str(ROOT))

from flows.runtime import PROCESS_DEFAULTS  # noqa: E402

for _key, _value in PROCESS_DEFAULTS.items():  # before Prefect is imported anywhere
    os.environ.setdefault(_key, _value)

from corpus.mirror import PRESETS, Manifest, generate_mirror  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# Columns whose values depend on when a run happened, not on what it loaded.
_VOLATILE = ("created_at", "updated_at", "status_changed_at", "fetched_at")
USER_AGENT = "imh-edgar benchmarks bench@imh-edgar.example"


def mirror(work: Path, preset: str, seed: int = 0, **overrides: Any) -> Manifest:
    """The preset's mirror under ``work`` (written once per preset/seed/overrides, then reused)."""
    key = "-".join([preset, str(seed), *(f"{k}{v}" for k, v in sorted(overrides.items()))])
    root = work / f"mirror-{key}"
    if (root / "corpus-manifest.json").is_file():
        return Manifest.load(root)
    p = PRESETS[preset]
    arguments: dict[str, Any] = {
        "deals": p.deals,
        "months": p.months,
        "amendments": p.amendments,
        "page_size": p.page_size,
        "malformed": p.malformed,
        "loans": p.loans,
    }
    arguments.update(overrides)
    started = time.perf_counter()
    manifest = generate_mirror(root, seed=seed, **arguments)
    print(f"  generated {len(manifest.filings)} filings ({preset}) in {time.perf_counter() - started:.1f} s")
    return manifest


def ingestible(manifest: Manifest) -> list:
    return sorted(
        (f for f in manifest.filings if f.form in ("8-K", "8-K/A")), key=lambda f: (f.filed, f.accession_no)
    )


def env_values(server_url: str, data_dir: Path, manifest: Manifest, **extra: str) -> dict[str, str]:
    """IMH_* settings aimed at the local test server and a fresh data directory."""
    first = manifest.first_filed or date(2002, 1, 1)
    values = {
        "IMH_USER_AGENT": USER_AGENT,
        "IMH_SEC_WWW_URL": server_url,
        "IMH_SEC_DATA_URL": server_url,
        "IMH_DATA_DIR": str(data_dir),
        "IMH_FULL_INDEX_START": date(first.year, 1, 1).isoformat(),
        "IMH_MAX_RETRIES": "3",
        "IMH_BACKOFF_BASE_SECONDS": "0.05",
        "IMH_BACKOFF_MAX_SECONDS": "0.2",
        "IMH_THROTTLE_PAUSE_SECONDS": "2",
    }
    values.update(extra)
    return values


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set ``values`` (and clear every other IMH_ variable) for the duration of the block."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("IMH_")}
    for key in saved:
        del os.environ[key]
    os.environ.update(values)
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith("IMH_")]:
            del os.environ[key]
        os.environ.update(saved)


@contextmanager
def prefect_server(home: Path) -> Iterator[None]:
    """A temporary local Prefect server for the flows (the same hermetic set-up as tests/flows)."""
    import prefect.settings as ps
    from prefect.testing.utilities import prefect_test_harness

    updates = {
        ps.PREFECT_HOME: str(home),
        ps.PREFECT_RESULTS_LOCAL_STORAGE_PATH: str(home / "storage"),
        ps.PREFECT_SERVER_ANALYTICS_ENABLED: False,
        ps.PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None,
        ps.PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE: 100,
        ps.PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE: 100,
        ps.PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: 180,
        ps.PREFECT_LOGGING_LEVEL: "WARNING",
    }
    with ps.temporary_settings(updates=updates), prefect_test_harness(server_startup_timeout=180):
        yield


def table_rows(database_url: str) -> dict[str, list[str]]:
    """Per table: its rows as sorted reprs, the volatile timestamp columns left out."""
    from sqlalchemy import MetaData, select

    from db.engine import make_engine

    engine = make_engine(database_url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        out = {}
        with engine.connect() as conn:
            for name, table in sorted(metadata.tables.items()):
                if name == "alembic_version":
                    continue
                columns = [c for c in table.c if c.name not in _VOLATILE]
                out[name] = sorted(repr(tuple(row)) for row in conn.execute(select(*columns)))
        return out
    finally:
        engine.dispose()


def table_checksums(rows: dict[str, list[str]]) -> dict[str, str]:
    """Per table: row count and sha256 of its sorted rows."""
    return {
        name: f"{len(lines)}:{hashlib.sha256(chr(10).join(lines).encode()).hexdigest()[:16]}"
        for name, lines in rows.items()
    }


def report(name: str, figures: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> Path:
    """Print each figure next to its target and write ``bench/results/<name>.json``."""
    print()
    width = max(len(f["figure"]) for f in figures)
    for f in figures:
        target = f.get("target", "")
        verdict = "" if f.get("ok") is None else ("  PASS" if f["ok"] else "  FAIL")
        print(f"  {f['figure']:<{width}}  {f['value']!s:>12}  target {target}{verdict}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "figures": figures,
        **(extra or {}),
    }
    path.write_text(json.dumps(payload, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"\n  written to {path.relative_to(ROOT)}")
    return path
