"""Idempotent writes: ``INSERT ... ON CONFLICT (natural key) DO UPDATE ... WHERE <something differs>``.

SQLModel has no upsert, so this uses SQLAlchemy's dialect constructs (SQLite and PostgreSQL both have them).

A write happens in two steps. First the stored rows with the same natural keys are read and compared in
Python: identical rows are not sent at all, so a re-load of an unchanged filing executes no write statement.
Then the remaining rows go out as one ``executemany`` upsert whose ``WHERE`` clause still skips rows that do
not differ (another process may have written them in between): an unchanged row is never rewritten and its
``updated_at`` never moves. Counts come from the comparison; under a race with a concurrent loader a row the
other process wrote first may be counted as inserted by both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from db.errors import LoadError

__all__ = ["UpsertCounts", "existing_rows", "upsert_rows"]

#: Columns an upsert never compares or overwrites: identity and the bookkeeping timestamps.
_BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})
# Keys per SELECT ... IN (...): keeps every statement under SQLite's bound-parameter limit.
_KEY_BATCH = 400

Key = tuple[Any, ...]


@dataclass(slots=True)
class UpsertCounts:
    """How many rows an upsert inserted, updated and left alone (plus rows deleted as stale)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


def _insert(connection: Connection, table: Table) -> Any:
    name = connection.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise LoadError(f"no upsert for database dialect {name!r}", hint="use SQLite or PostgreSQL")


def upsert_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str],
    now: datetime,
    newer_wins: str | None = None,
    existing: Mapping[Key, Mapping[Any, Any]] | None = None,
    insert_only: Sequence[str] = (),
    want_ids: bool = True,
) -> tuple[UpsertCounts, dict[Key, int]]:
    """Upsert ``rows`` into ``table`` on the natural ``key``; return the counts and ``{key: id}``.

    ``newer_wins`` names a column (a sortable version key): a stored row is only overwritten by a row whose
    value there is at least as high, so the final state does not depend on the order of the writes.
    ``existing`` is what :func:`existing_rows` returns for these keys, when the caller already has it.
    ``insert_only`` columns are written on insert and never compared or updated (values another step
    maintains, such as ``distribution.is_current``). Rows must have distinct keys and the same columns.
    ``want_ids=False`` skips looking up the ids of new rows.
    """
    counts = UpsertCounts()
    if not rows:
        return counts, {}
    keys = [tuple(row[column] for column in key) for row in rows]
    if len(set(keys)) != len(keys):
        seen: set[Key] = set()
        duplicate = next(k for k in keys if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise LoadError(
            f"two {table.name} rows share the natural key {dict(zip(key, duplicate, strict=True))}",
            hint="the parse returned a duplicate row; fix the parser or the template declaration",
        )
    columns = [c for c in rows[0] if c not in _BOOKKEEPING and c not in key and c not in insert_only]
    if existing is None:
        existing = existing_rows(connection, table, key, keys)

    to_write: list[dict[str, Any]] = []
    for row_key, row in zip(keys, rows, strict=True):
        stored = existing.get(row_key)
        if stored is None:
            counts.inserted += 1
        elif all(stored[c] == row[c] for c in columns) or (
            newer_wins is not None and row[newer_wins] < stored[newer_wins]
        ):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        to_write.append({**row, "created_at": now, "updated_at": now})

    if to_write:
        _execute_upsert(connection, table, to_write, key, columns, newer_wins)
    ids = {k: stored["id"] for k, stored in existing.items()}
    if want_ids:
        missing = [k for k in keys if k not in ids]
        if missing:
            ids.update({k: r["id"] for k, r in existing_rows(connection, table, key, missing).items()})
    return counts, ids


def _execute_upsert(
    connection: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    key: Sequence[str],
    columns: Sequence[str],
    newer_wins: str | None,
) -> None:
    stmt = _insert(connection, table)
    incoming = stmt.excluded
    conditions: list[ColumnElement[bool]] = []
    if columns:
        conditions.append(or_(*(table.c[c].is_distinct_from(incoming[c]) for c in columns)))
    if newer_wins is not None:
        newer: Any = incoming[newer_wins]
        stored: Any = table.c[newer_wins]
        if connection.dialect.name == "postgresql":
            # Version keys compare byte by byte (as in Python); a locale collation such as en_US would skip
            # the "|" and "-" separators. SQLite compares bytes already (and has no collation named "C").
            newer, stored = newer.collate("C"), stored.collate("C")
        conditions.append(newer >= stored)
    if not conditions:
        # A table that is all key: nothing can change, so a conflict is simply "unchanged".
        stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
    else:
        update = {c: incoming[c] for c in columns}
        update["updated_at"] = incoming.updated_at
        stmt = stmt.on_conflict_do_update(index_elements=list(key), set_=update, where=and_(*conditions))
    # executemany without RETURNING: psycopg sends it as one pipeline of one small prepared statement, far
    # cheaper than a multi-row VALUES statement with thousands of placeholders.
    connection.execute(stmt, rows)


def existing_rows(
    connection: Connection,
    table: Table,
    key: Sequence[str],
    keys: Sequence[Key] | None = None,
    *,
    where: ColumnElement[bool] | None = None,
) -> dict[Key, Mapping[Any, Any]]:
    """``{natural key: stored row}`` of the rows of ``table`` matching ``keys`` (or ``where``)."""
    key_columns = [table.c[c] for c in key]
    query = select(table)
    if where is not None:
        query = query.where(where)
    found: dict[Key, Mapping[Any, Any]] = {}
    if keys is None:
        for row in connection.execute(query).mappings():
            found[tuple(row[c] for c in key)] = row
        return found
    wanted = list(dict.fromkeys(keys))
    for start in range(0, len(wanted), _KEY_BATCH):
        batch = wanted[start : start + _KEY_BATCH]
        if len(key) == 1:
            condition = key_columns[0].in_([k[0] for k in batch])
        else:
            condition = tuple_(*key_columns).in_(batch)
        for row in connection.execute(query.where(condition)).mappings():
            found[tuple(row[c] for c in key)] = row
    return found
