"""The engine factory: one function that turns a database URL into a configured SQLAlchemy engine.

There is no module-level engine; callers build one from their settings and pass it around.

* SQLite (``sqlite:///path/to/imh.sqlite``): WAL journal (readers never wait for the writer), a busy timeout
  so a second process waits for the lock instead of failing, foreign keys on, and every transaction opened
  with ``BEGIN IMMEDIATE``. Python's sqlite3 module would otherwise open a deferred transaction that takes the
  write lock only at its first write; two loaders that both read first then deadlock on the lock upgrade and
  one gets ``database is locked`` at once, whatever the timeout. Taking the write lock up front makes
  concurrent loads queue cleanly. Connections used only for reading may pass
  ``execution_options(sqlite_read_only=True)`` to get a deferred transaction that never blocks.
* PostgreSQL (``postgresql+psycopg://user@host:5432/db``; plain ``postgresql://`` is taken to mean psycopg 3,
  the driver we ship): pre-ping so a restarted server does not surface as an error on the first statement.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError

from db.errors import DatabaseUnavailableError

__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "make_engine", "redacted", "sqlite_url"]

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 60_000
"""How long a SQLite connection waits for another process's write transaction before giving up."""


def sqlite_url(path: str | Path) -> str:
    """The SQLAlchemy URL of a SQLite file (the default database lives in the data directory)."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def redacted(url: str | URL) -> str:
    """The URL as text with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def make_engine(url: str | URL, **engine_kwargs: Any) -> Engine:
    """Build an engine for ``url`` (SQLite file or PostgreSQL) configured for safe concurrent loads.

    Raises :class:`~db.errors.DatabaseUnavailableError` for a URL we cannot use (wrong syntax, unsupported
    backend, SQLite file in a directory that cannot be created). Reachability is checked on first use.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailableError(
            f"cannot read database URL {str(url)!r}",
            hint="use sqlite:///path/to/imh.sqlite or postgresql+psycopg://user:password@host:5432/dbname",
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _make_sqlite_engine(parsed, **engine_kwargs)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine_kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **engine_kwargs)
    raise DatabaseUnavailableError(
        f"unsupported database backend {backend!r} in {redacted(parsed)}",
        hint="use sqlite:///path/to/imh.sqlite or postgresql+psycopg://user:password@host:5432/dbname",
    )


def _make_sqlite_engine(url: URL, **engine_kwargs: Any) -> Engine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        parent = Path(database).expanduser().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailableError(
                f"cannot create the directory {str(parent)!r} for SQLite database {redacted(url)}",
                hint="choose a writable data directory or set the database URL",
            ) from exc
    connect_args = dict(engine_kwargs.pop("connect_args", {}))
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
    engine = create_engine(url, connect_args=connect_args, **engine_kwargs)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below (pysqlite's own BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if database and database != ":memory:":
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        if connection.get_execution_options().get("sqlite_read_only"):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
