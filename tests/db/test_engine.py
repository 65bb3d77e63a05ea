"""Engine factory and column types: safe SQLite settings, clear errors, exact numbers on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text
from sqlalchemy.exc import StatementError

from db.engine import make_engine, redacted
from db.errors import DatabaseUnavailableError
from db.load import known_accessions
from db.migrate import upgrade
from db.types import Amount, UtcDateTime

# Printed forms seen in the real statement (im020212.txt), plus the extremes the types must survive.
PRINTED = [
    "431396174.4",  # Excel general format, 10 significant digits
    "896.3783891",
    "0.060074995",
    "-212730.77",  # printed (212,730.77)
    "0.00",
    "472500000",
    "5.49451E-05",  # Excel switches to exponent notation for small numbers
    "123456789012.345",  # 15 significant digits: the most SQLite keeps exactly
]


def test_sqlite_engine_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'deep/dir/imh.sqlite'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000
    finally:
        engine.dispose()


def test_sqlite_reader_is_not_blocked_by_a_writer_holding_the_lock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'imh.sqlite'}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with engine.begin() as writer:  # BEGIN IMMEDIATE: holds the write lock until the block ends
            writer.execute(text("INSERT INTO t VALUES (2)"))
            with engine.connect().execution_options(sqlite_read_only=True) as reader:
                assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1
    finally:
        engine.dispose()


def test_plain_postgresql_url_uses_the_psycopg_driver() -> None:
    engine = make_engine("postgresql://analyst:secret@127.0.0.1:5432/imh")
    try:
        assert engine.url.drivername == "postgresql+psycopg"
        assert "secret" not in redacted(engine.url)
    finally:
        engine.dispose()


def test_unsupported_backend_is_refused_with_example_urls() -> None:
    with pytest.raises(DatabaseUnavailableError, match=r"unsupported database backend 'mysql'.*sqlite:///"):
        make_engine("mysql://root@localhost/imh")


def test_unreadable_url_is_refused_with_example_urls() -> None:
    with pytest.raises(DatabaseUnavailableError, match=r"cannot read database URL.*postgresql\+psycopg://"):
        make_engine("not a url")


def test_unreachable_server_is_one_clear_error_not_a_driver_traceback() -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    engine = make_engine("postgresql+psycopg://postgres:pw@127.0.0.1:9/imh?connect_timeout=2")
    try:
        with pytest.raises(
            DatabaseUnavailableError, match=r"cannot reach database .*127\.0\.0\.1:9"
        ) as caught:
            known_accessions(engine)
        assert "pw" not in str(caught.value)
        with pytest.raises(DatabaseUnavailableError, match="cannot migrate database"):
            upgrade(engine)
    finally:
        engine.dispose()


def _probe_table() -> tuple[MetaData, Table]:
    metadata = MetaData()
    table = Table(
        "probe",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("amount", Amount()),
        Column("at", UtcDateTime()),
    )
    return metadata, table


def test_amounts_come_back_exactly_as_printed(db_url: str) -> None:
    engine = make_engine(db_url)
    metadata, table = _probe_table()
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(table), [{"id": i, "amount": Decimal(v)} for i, v in enumerate(PRINTED)])
        with engine.connect() as conn:
            back = conn.execute(select(table.c.amount).order_by(table.c.id)).scalars().all()
            # Sums in SQL work on both databases (SQLite reads the REAL / TEXT cells as numbers).
            total = conn.execute(select(table.c.amount).where(table.c.amount > 400000000)).scalars().all()
    finally:
        engine.dispose()
    assert back == [Decimal(v) for v in PRINTED]
    assert all(isinstance(v, Decimal) for v in back)
    assert Decimal("431396174.4") in total and Decimal("472500000") in total


def test_amount_refuses_a_float(db_url: str) -> None:
    engine = make_engine(db_url)
    metadata, table = _probe_table()
    try:
        metadata.create_all(engine)
        with pytest.raises(StatementError, match="refusing float"), engine.begin() as conn:
            conn.execute(insert(table), {"id": 1, "amount": 0.1})
    finally:
        engine.dispose()


def test_datetimes_are_stored_in_utc_and_come_back_aware(db_url: str) -> None:
    engine = make_engine(db_url)
    metadata, table = _probe_table()
    local = datetime(2003, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(table), {"id": 1, "at": local})
        with engine.connect() as conn:
            back = conn.execute(select(table.c.at)).scalar_one()
        with pytest.raises(StatementError, match="naive datetime"), engine.begin() as conn:
            conn.execute(insert(table), {"id": 2, "at": datetime(2003, 1, 2)})
    finally:
        engine.dispose()
    assert back == local and back.tzinfo == UTC


def test_rows_sharing_one_timestamp_object_and_rows_with_others_each_keep_their_own(db_url: str) -> None:
    # UtcDateTime converts a repeated datetime object once; a different object is converted anew.
    engine = make_engine(db_url)
    metadata, table = _probe_table()
    now = datetime(2026, 11, 26, 16, 5, tzinfo=UTC)
    other = datetime(2003, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    stamps = [now, now, other, now, other, other]
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(table), [{"id": i, "at": at} for i, at in enumerate(stamps)])
        with engine.connect() as conn:
            back = conn.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
        with pytest.raises(StatementError, match="naive datetime"), engine.begin() as conn:
            conn.execute(insert(table), [{"id": 9, "at": now}, {"id": 10, "at": datetime(2003, 1, 2)}])
    finally:
        engine.dispose()
    assert back == stamps


def test_amount_with_more_digit_characters_than_significant_digits_is_stored_exactly(db_url: str) -> None:
    # "-0.00123456789012345" has 18 digit characters, 15 of them significant: past the fast path, still exact.
    engine = make_engine(db_url)
    metadata, table = _probe_table()
    value = Decimal("-0.00123456789012345")
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(table), {"id": 1, "amount": value})
        with engine.connect() as conn:
            assert conn.execute(select(table.c.amount)).scalar_one() == value
    finally:
        engine.dispose()


def test_more_digits_than_sqlite_keeps_are_refused_there_and_exact_on_postgresql(db_url: str) -> None:
    engine = make_engine(db_url)
    metadata, table = _probe_table()
    long_value = Decimal("12345678901234567.123456789")
    try:
        metadata.create_all(engine)
        if engine.dialect.name == "sqlite":
            with (
                pytest.raises(StatementError, match=r"26 significant digits.*use PostgreSQL"),
                engine.begin() as conn,
            ):
                conn.execute(insert(table), {"id": 1, "amount": long_value})
        else:
            with engine.begin() as conn:
                conn.execute(insert(table), {"id": 1, "amount": long_value})
            with engine.connect() as conn:
                assert conn.execute(select(table.c.amount)).scalar_one() == long_value
    finally:
        engine.dispose()
