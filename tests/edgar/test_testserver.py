"""The local EDGAR test server: SEC's URL layout, conditional GET, fault injection the client survives."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from edgar_testkit import local_settings
from sgml_mirror import FILING_03_000161, FILING_96_000135, Mirror, render_submission

from edgar.client import EdgarClient
from edgar.errors import NotFoundError, TransientError, TruncatedBodyError
from edgar.testserver import EdgarTestServer, FaultConfig, main

TXT_PATH = "/Archives/edgar/data/1017447/000102024203000161/0001020242-03-000161.txt"


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    m = Mirror(tmp_path / "mirror")
    m.add(FILING_03_000161)
    m.add(FILING_96_000135)
    m.write_submissions(1017447, "IMH ASSETS CORP", page_size=1)
    return m.root


def _get(url: str) -> requests.Response:
    return requests.get(url, headers={"User-Agent": "Acme Research admin@acme.example"}, timeout=5)


def test_both_hosts_are_served_path_for_path(mirror: Path) -> None:
    with EdgarTestServer(mirror) as server:
        txt = _get(server.url + TXT_PATH)
        recent = _get(server.url + "/submissions/CIK0001017447.json")
        older = _get(server.url + "/submissions/CIK0001017447-submissions-001.json")
    assert txt.status_code == 200
    assert txt.content == render_submission(FILING_03_000161).encode("latin-1")
    assert txt.headers["Content-Length"] == str(len(txt.content))
    assert recent.json()["filings"]["files"][0]["name"] == "CIK0001017447-submissions-001.json"
    assert "accessionNumber" in older.json()
    assert server.stats.paths[TXT_PATH] == 1


def test_the_legacy_top_level_txt_path_of_1996_filings_is_served(mirror: Path) -> None:
    with EdgarTestServer(mirror) as server:
        response = _get(server.url + "/Archives/edgar/data/1017447/0000882377-96-000135.txt")
    assert response.status_code == 200
    assert response.content.startswith(b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----")


@pytest.mark.parametrize(
    "path", ["/Archives/../../../etc/passwd", "/Archives/%2e%2e/%2e%2e/etc/passwd", "/..", "/Archives/edgar"]
)
def test_nothing_outside_the_mirror_or_a_directory_is_served(mirror: Path, path: str) -> None:
    with EdgarTestServer(mirror) as server:
        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("GET", path, headers={"User-Agent": "Acme Research admin@acme.example"})
        status = connection.getresponse().status
        connection.close()
    assert status == 404


def test_an_undeclared_agent_gets_sec_403_page(mirror: Path) -> None:
    with EdgarTestServer(mirror) as server:
        response = requests.get(
            server.url + TXT_PATH, headers={"User-Agent": "python-requests/2.32"}, timeout=5
        )
    assert response.status_code == 403
    assert b"Undeclared Automated Tool" in response.content


def test_conditional_get_answers_304_when_unchanged(mirror: Path) -> None:
    with EdgarTestServer(mirror) as server:
        first = _get(server.url + TXT_PATH)
        again = requests.get(
            server.url + TXT_PATH,
            headers={
                "User-Agent": "Acme Research admin@acme.example",
                "If-None-Match": first.headers["ETag"],
            },
            timeout=5,
        )
    assert again.status_code == 304
    assert again.content == b""


def test_throttle_emulation_blocks_above_the_rate_and_extends_on_requests(mirror: Path) -> None:
    with EdgarTestServer(mirror, throttle_rps=3, block_seconds=0.5, throttle_status=403) as server:
        statuses = [_get(server.url + TXT_PATH).status_code for _ in range(6)]
        assert server.blocked
        time.sleep(1.1)  # past the block and below the rate again over the last second, as SEC requires
        after = _get(server.url + TXT_PATH).status_code
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [403, 403, 403]
    assert server.stats.requests_during_block == 2
    # each arrival during the block is recorded with the start of its block (the 4th request's arrival)
    started = {began for _, began in server.stats.block_arrivals}
    assert len(server.stats.block_arrivals) == 2 and len(started) == 1
    assert all(arrival > began for arrival, began in server.stats.block_arrivals)
    assert after == 200


@pytest.mark.parametrize("kind", ["error", "reset", "truncate", "stall"])
def test_the_client_recovers_from_each_injected_fault(tmp_path: Path, mirror: Path, kind: str) -> None:
    with EdgarTestServer(mirror, faults=FaultConfig(stall_seconds=1.0)) as server:
        server.inject(TXT_PATH, kind, kind)
        settings = local_settings(tmp_path, server.url, read_timeout_seconds=0.3)
        with EdgarClient(settings) as client:
            result = client.get(server.url + TXT_PATH, expect_submission=True)
    assert result.content == render_submission(FILING_03_000161).encode("latin-1")
    assert client.stats.retries == 2
    assert server.stats.faults[kind] == 2


def test_a_body_always_cut_short_is_never_returned(tmp_path: Path, mirror: Path) -> None:
    with EdgarTestServer(mirror, faults=FaultConfig(truncate_rate=1.0)) as server:
        settings = local_settings(tmp_path, server.url, max_retries=2)
        with pytest.raises(TruncatedBodyError) as caught, EdgarClient(settings) as client:
            client.get(server.url + TXT_PATH)
    assert isinstance(caught.value, TransientError)
    assert server.stats.total == 3


def test_random_faults_are_reproducible_from_the_seed(mirror: Path) -> None:
    def run() -> list[int]:
        faults = FaultConfig(error_rate=0.3, seed=42)
        with EdgarTestServer(mirror, faults=faults) as server:
            return [_get(server.url + TXT_PATH).status_code for _ in range(20)]

    first = run()
    assert first == run()
    assert 503 in first
    assert 200 in first


def test_missing_files_are_404_and_not_retried(tmp_path: Path, mirror: Path) -> None:
    with EdgarTestServer(mirror) as server:
        settings = local_settings(tmp_path, server.url)
        with pytest.raises(NotFoundError), EdgarClient(settings) as client:
            client.get(server.url + "/Archives/edgar/data/1017447/nothing.txt")
    assert server.stats.total == 1


def test_command_line_refuses_a_missing_mirror(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.slow
def test_command_line_serves_a_mirror(mirror: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "edgar.testserver", str(mirror), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        url = first_line.split(" at ")[1].strip()
        assert _get(url + TXT_PATH).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
