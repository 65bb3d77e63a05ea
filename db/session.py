"""Transactions with retries, read-only connections, and database errors translated into ours.

Every database call of db/ goes through :func:`run_in_transaction` (writes) or :func:`read` (reads), so a
caller sees one of the db.errors types with a one-line message naming the database (password hidden), never a
driver traceback:

* unreachable server or unopenable file -> DatabaseUnavailableError;
* missing tables -> SchemaNotReadyError ("run the migrations");
* a value a column type refused, a constraint, any other database error -> LoadError (writes) or
  DatabaseError (reads).

A write transaction that lost a race with a concurrent loader (PostgreSQL serialization failure 40001,
deadlock 40P01, unique violation 23505; SQLite "database is locked" after the busy timeout) is rolled back and
run again from the start, up to six times with jittered exponential backoff.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError, StatementError

from db.engine import redacted
from db.errors import DatabaseError, DatabaseUnavailableError, LoadError, SchemaNotReadyError

__all__ = ["read", "run_in_transaction", "translate_error"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_MAX_ATTEMPTS = 6
# SQLSTATEs of a transaction that lost a race with another loader and is safe to run again.
_RETRIABLE_SQLSTATES = frozenset({"40001", "40P01", "23505"})


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)


def _is_retriable(exc: DBAPIError) -> bool:
    if _sqlstate(exc) in _RETRIABLE_SQLSTATES:
        return True
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def run_in_transaction(engine: Engine, accession_no: str, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one transaction for filing ``accession_no``; retry it when it lost a race."""
    for attempt in range(1, _MAX_ATTEMPTS + 1):
        try:
            with engine.begin() as conn:
                return work(conn)
        except StatementError as exc:
            if not isinstance(exc, DBAPIError):
                # A value our column types refused (db.types): name it, nothing was written.
                raise LoadError(
                    f"cannot store a value of filing {accession_no}: {exc.orig}",
                    hint="nothing of the filing was written",
                ) from exc
            if _is_retriable(exc) and attempt < _MAX_ATTEMPTS:
                pause = 0.05 * 2 ** (attempt - 1) * (1 + random.random())
                log.info(
                    "write of %s lost a race (%s); retry %d in %.2fs",
                    accession_no,
                    _sqlstate(exc) or "locked",
                    attempt,
                    pause,
                )
                time.sleep(pause)
                continue
            raise translate_error(exc, engine, accession_no) from exc
    raise AssertionError("unreachable: the last attempt returns or raises")


def read(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run read-only ``work`` on a connection (a deferred transaction on SQLite, so it never queues behind
    a loader) and translate database errors into ours."""
    try:
        with engine.connect().execution_options(sqlite_read_only=True) as conn:
            return work(conn)
    except DBAPIError as exc:
        raise translate_error(exc, engine, None) from exc


def translate_error(exc: DBAPIError, engine: Engine, accession_no: str | None) -> DatabaseError:
    """Our error for a driver error; ``accession_no`` names the filing being written (None: a read)."""
    where = redacted(engine.url)
    text = " ".join(str(exc.orig).split())
    lowered = text.lower()
    if exc.connection_invalidated or (
        isinstance(exc, OperationalError)
        and any(s in lowered for s in ("connection", "could not connect", "unable to open", "server"))
    ):
        return DatabaseUnavailableError(
            f"cannot reach database {where}: {text}",
            hint="check the database URL and that the server is running",
        )
    if "no such table" in lowered or _sqlstate(exc) == "42P01":
        return SchemaNotReadyError(
            f"database {where} has no imh-edgar schema ({text})",
            hint="run the migrations first (db.migrate.upgrade, CLI: imh-edgar db upgrade)",
        )
    kind = "constraint violated" if isinstance(exc, IntegrityError) else "database error"
    if isinstance(exc, ProgrammingError):
        kind = "schema mismatch"
    if accession_no is None:
        return DatabaseError(f"{kind} while reading database {where}: {text}", hint="check the query")
    return LoadError(
        f"{kind} while writing filing {accession_no} to {where}: {text}",
        hint="nothing of the filing was written; fix the cause and load it again",
    )
