"""The README's main command: ``imh-edgar demo`` fills the default SQLite database offline and shows it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from corpus.mirror import Manifest
from flows.cli import main

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_demo_populates_the_default_sqlite_database_offline_and_prints_queries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A user's SEC / PostgreSQL settings must not leak into the demo.
    monkeypatch.setenv("IMH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/not-used")
    monkeypatch.setenv("IMH_SEC_WWW_URL", "https://www.sec.gov")
    monkeypatch.chdir(tmp_path)

    assert main(["demo", "--data-dir", "demo-data"]) == 0

    out = capsys.readouterr().out
    data = tmp_path / "demo-data"
    manifest = Manifest.load(data / "demo-mirror")
    engine = create_engine(f"sqlite:///{data / 'imh_edgar.db'}")
    try:
        with engine.connect() as conn:
            loaded = conn.execute(text("SELECT count(*) FROM filing WHERE status = 'loaded'")).scalar_one()
            deals = conn.execute(text("SELECT count(*) FROM deal")).scalar_one()
    finally:
        engine.dispose()
    assert loaded == len(manifest.expected("load")) > 0
    assert deals == manifest.deals + 1  # the generated deals and the real Impac CMB Trust 2002-2
    assert f"Database           {data / 'imh_edgar.db'}" in out
    assert "Impac CMB Trust 2002-2" in out and "current_principal_balance" in out
    assert os.environ["IMH_DATABASE_URL"].endswith("not-used")  # restored after the demo
