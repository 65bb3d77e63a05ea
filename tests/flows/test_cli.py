"""The command line: exit codes and one-line errors (no traceback), tested through ``main(argv)``."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from flows.cli import main

REAL = Path(__file__).parents[1] / "fixtures/real/1017447/000102024203000013/im020212.txt"
COMMANDS = [
    "parse",
    "sync",
    "backfill",
    "ingest",
    "reparse",
    "status",
    "deals",
    "history",
    "export",
    "demo",
    "bootstrap",
    "db",
]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in [k for k in os.environ if k.startswith("IMH_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("IMH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env file is read


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


def test_parse_prints_the_real_statement_as_json_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(REAL), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["template"] == "trustee-text"
    assert document["statement"]["deal"]["distribution_date"] == "2002-12-26"


def test_parse_reads_the_statement_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REAL.read_bytes())))
    assert main(["parse", "-", "--format", "summary"]) == 0
    out = capsys.readouterr().out
    assert "Impac CMB Trust 2002-2" in out and "discrepancies 0" in out


def test_parse_of_a_foreign_document_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "letter.txt"
    foreign.write_text("Dear shareholder,\nthe annual meeting will be held on May 1.\n")
    assert main(["parse", str(foreign)]) == 2
    assert "not a remittance statement" in _one_line_error(capsys.readouterr().err)


def test_parse_of_a_truncated_statement_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_bytes(REAL.read_bytes()[:3000])
    assert main(["parse", str(cut)]) == 2
    assert "line" in _one_line_error(capsys.readouterr().err)


def test_parse_of_a_missing_file_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "no-such-file.txt"]) == 2
    assert "no such file" in _one_line_error(capsys.readouterr().err)


def test_sync_against_sec_without_a_user_agent_stops_before_any_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["sync"]) == 2
    assert "IMH_USER_AGENT" in _one_line_error(capsys.readouterr().err)


def test_an_invalid_setting_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IMH_USER_AGENT", "no-email-here")
    assert main(["sync"]) == 2
    assert "IMH_USER_AGENT" in _one_line_error(capsys.readouterr().err)


def test_an_unreachable_database_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IMH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    assert main(["status"]) == 2
    assert "127.0.0.1:1" in _one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [("2003-02-01", "2003-01-01", "before start"), ("2003-13-01", "2003-12-31", "not a date")],
)
def test_a_bad_date_range_is_one_line_and_exit_2(
    start: str, end: str, says: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IMH_USER_AGENT", "Acme Research admin@acme.example")
    assert main(["backfill", start, end]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert "bad date range" in line and says in line


def test_bootstrap_without_a_prefect_server_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["bootstrap"]) == 2
    assert "PREFECT_API_URL" in _one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    assert "Usage" in capsys.readouterr().out


def test_an_unknown_command_is_a_usage_error_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "No such command" in capsys.readouterr().err


def test_querying_a_database_that_was_never_filled_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["deals"]) == 2
    assert "revision" in _one_line_error(capsys.readouterr().err)
