"""Transactions: a write that lost a race is retried from the start; other failures become one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from dbfactory import PARSER_VERSION, hand_parse, real_meta
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError, OperationalError

from db.engine import make_engine
from db.errors import DatabaseUnavailableError, LoadError
from db.load import load_filing
from db.session import run_in_transaction


class _DriverError(Exception):
    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _sqlite_engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'imh.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    return engine


@pytest.mark.parametrize(
    ("sqlstate", "message"),
    [
        ("40001", "could not serialize access due to concurrent update"),
        ("40P01", "deadlock detected"),
        (None, "database is locked"),
    ],
)
def test_a_write_that_lost_a_race_is_retried_from_the_start(
    tmp_path: Path, sqlstate: str | None, message: str
) -> None:
    engine = _sqlite_engine(tmp_path)
    calls: list[int] = []

    def work(conn: Connection) -> int:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT ...", {}, _DriverError(message, sqlstate))
        return int(conn.execute(text("SELECT count(*) FROM t")).scalar_one())

    try:
        # The first attempt's insert was rolled back, so the table holds the second attempt's row only.
        assert run_in_transaction(engine, "0001020242-03-000013", work) == 1
        assert len(calls) == 2
    finally:
        engine.dispose()


def test_a_constraint_violation_is_a_load_error_naming_the_filing(tmp_path: Path) -> None:
    engine = _sqlite_engine(tmp_path)

    def work(conn: Connection) -> None:
        raise IntegrityError(
            "INSERT ...", {}, _DriverError("CHECK constraint failed: ck_filing_status", None)
        )

    try:
        with pytest.raises(LoadError, match=r"constraint violated while writing filing 0001020242-03-000013"):
            run_in_transaction(engine, "0001020242-03-000013", work)
    finally:
        engine.dispose()


def test_loading_into_an_unreachable_server_is_database_unavailable() -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:9/imh?connect_timeout=2")
    try:
        with pytest.raises(DatabaseUnavailableError, match=r"cannot reach database .*check the database URL"):
            load_filing(engine, real_meta(), hand_parse(), PARSER_VERSION)
    finally:
        engine.dispose()
