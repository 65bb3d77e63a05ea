"""End to end, the production path for real: ``prefect server start`` on loopback, ``imh-edgar bootstrap``,
``prefect deploy`` from deploy/prefect.yaml, a process worker, PostgreSQL as the application database, and the
backfill deployment run to completion; then the database and the run's artifacts are read back.

Every process is started here and stopped by its PID (the worker may ignore its first SIGTERM, prefect.md
§3.11). Marked ``slow`` (about a minute) but always run: CI must prove the deployment path.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pg_throwaway import throwaway_database
from sqlalchemy import create_engine, text

from corpus.mirror import Manifest
from edgar.testserver import EdgarTestServer

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _api(base: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{base}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def _wait_healthy(base: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"prefect server exited with {process.returncode}")
        try:
            if _api(base, "GET", "/health") is True:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"prefect server at {base} not healthy after {timeout} s")


def _stop(process: subprocess.Popen[bytes], name: str) -> None:
    """SIGTERM, then a second signal if it lingers (the process worker ignores the first for a while)."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        os.kill(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
    raise AssertionError(f"{name} (pid {process.pid}) did not stop")


@pytest.fixture
def pg_app_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for the application data (dropped afterwards)."""
    with throwaway_database("imh_e2e") as url:
        yield url


def _run(args: list[str], env: dict[str, str], timeout: float = 120) -> str:
    done = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_backfill_deployment_runs_on_a_process_worker_into_postgresql(
    tmp_path: Path, small_mirror: Path, pg_app_url: str
) -> None:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "IMH_")) and key != "PYTEST_CURRENT_TEST"
    }
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_API_URL=api,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE="100",
        PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE="100",
        PREFECT_WORKER_QUERY_SECONDS="1",
        PREFECT_WORKER_HEARTBEAT_SECONDS="5",
        IMH_PROJECT_DIR=str(REPO),
        IMH_DATA_DIR=str(tmp_path / "data"),
        IMH_DATABASE_URL=pg_app_url,
        # Every worker shares the SEC budget through the Prefect global limit `imh-edgar bootstrap` creates.
        IMH_RATE_LIMIT_BACKEND="prefect",
        IMH_MAX_REQUESTS_PER_SECOND="50",
    )
    processes: list[tuple[subprocess.Popen[bytes], str]] = []
    with EdgarTestServer(small_mirror) as edgar:
        env.update(IMH_SEC_WWW_URL=edgar.url, IMH_SEC_DATA_URL=edgar.url)
        try:
            server = subprocess.Popen(
                [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append((server, "prefect server"))
            _wait_healthy(api, server, timeout=150)

            bootstrap_out = _run([str(BIN / "imh-edgar"), "bootstrap"], env)
            assert "work pool          imh-edgar (process): created" in bootstrap_out
            limit = _api(api, "GET", "/v2/concurrency_limits/sec-edgar")
            assert (limit["limit"], limit["slot_decay_per_second"]) == (1, 50.0)

            _run(
                [
                    str(BIN / "prefect"),
                    "--no-prompt",
                    "deploy",
                    "--all",
                    "--prefect-file",
                    "deploy/prefect.yaml",
                ],
                env,
            )
            deployment = _api(api, "GET", "/deployments/name/imh-edgar-backfill/backfill")
            sync_deployment = _api(api, "GET", "/deployments/name/imh-edgar-sync/daily")
            assert sync_deployment["schedules"][0]["schedule"]["cron"] == "0 7 * * 1-5"
            assert sync_deployment["schedules"][0]["schedule"]["timezone"] == "America/New_York"

            worker = subprocess.Popen(
                [str(BIN / "prefect"), "worker", "start", "--pool", "imh-edgar", "--type", "process"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append((worker, "prefect worker"))

            manifest = Manifest.load(small_mirror)
            assert manifest.first_filed and manifest.last_filed
            window = {"start": manifest.first_filed.isoformat(), "end": manifest.last_filed.isoformat()}
            run = _api(
                api, "POST", f"/deployments/{deployment['id']}/create_flow_run", {"parameters": window}
            )
            deadline = time.monotonic() + 240
            state = run["state"]
            while time.monotonic() < deadline:
                state = _api(api, "GET", f"/flow_runs/{run['id']}")["state"]
                if state["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                    break
                time.sleep(1)
            assert state["type"] == "COMPLETED", state

            artifacts = _api(
                api, "POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}
            )
            by_key = {a["key"]: a for a in artifacts if a.get("key")}
            assert "backfill-summary" in by_key and "backfill-progress" in by_key
            assert by_key["backfill-progress"]["data"] == 100.0
            summary_md = by_key["backfill-summary"]["data"]
            assert "| loaded |" in summary_md
            flow_run = _api(api, "GET", f"/flow_runs/{run['id']}")
            assert flow_run["name"] == f"backfill-{window['start']}-to-{window['end']}"
            # The CLI reads the same PostgreSQL database and the server's run history.
            status = _run([str(BIN / "imh-edgar"), "status"], env)
            assert f"loaded       {len(manifest.expected('load'))}" in status
            assert flow_run["name"] in status and "Completed" in status
        finally:
            for process, name in reversed(processes):
                _stop(process, name)

    engine = create_engine(pg_app_url)
    try:
        with engine.connect() as conn:
            statuses = dict(conn.execute(text("SELECT status, count(*) FROM filing GROUP BY status")).all())
            current = conn.execute(text("SELECT count(*) FROM distribution WHERE is_current")).scalar_one()
            months = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT DISTINCT deal_id, distribution_date FROM distribution) AS m"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    expected = {
        "loaded": len(manifest.expected("load")),
        "unsupported": len(manifest.expected("unsupported")),
    }
    expected["failed"] = len(manifest.expected("failed"))
    assert statuses == {status: count for status, count in expected.items() if count}
    assert current == months > 0  # exactly one current version of every deal-month, amendments included
    loaded_line = next(line for line in summary_md.splitlines() if line.startswith("| loaded |"))
    assert f"| {expected['loaded']} |" in loaded_line
