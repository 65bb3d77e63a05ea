"""Idempotent writes: ``INSERT ... ON CONFLICT (natural key) DO UPDATE ... WHERE <something differs>``.

SQLModel has no upsert, so this uses the dialect constructs of SQLAlchemy (SQLite and PostgreSQL both have
them). The ``WHERE`` clause makes an unchanged row a no-op: nothing is written, ``updated_at`` is not touched,
and the row is not returned by ``RETURNING``, which is how inserted / updated / unchanged are counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from db.errors import LoadError

__all__ = ["UpsertCounts", "excluded", "existing_ids", "upsert_rows"]

#: Columns an upsert never compares or overwrites: identity and the bookkeeping timestamps.
_BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})


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


def excluded(connection: Connection, table: Table) -> Any:
    """The ``excluded`` pseudo-table (the incoming row of an upsert), for writing a ``guard``."""
    return _insert(connection, table).excluded


def upsert_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str],
    now: datetime,
    guard: ColumnElement[bool] | None = None,
    existing: Mapping[tuple[Any, ...], int] | None = None,
    insert_only: Sequence[str] = (),
) -> tuple[UpsertCounts, dict[tuple[Any, ...], int]]:
    """Upsert ``rows`` into ``table`` on the natural ``key``; return the counts and ``{key: id}`` of all rows.

    ``guard`` is an extra condition for the update (e.g. "the incoming version is newer"); it may refer to
    the incoming row through the ``excluded`` pseudo-table (:func:`excluded`). ``existing`` is
    ``{key: id}`` of rows already present, when the caller has it; it only tells inserts from updates.
    ``insert_only`` columns are written on insert and never compared or updated (values another step
    maintains, such as ``distribution.is_current``). Rows of one call must have distinct keys (a database
    refuses to update one row twice in one statement).
    """
    counts = UpsertCounts()
    if not rows:
        return counts, {}
    keys = [tuple(row[column] for column in key) for row in rows]
    if len(set(keys)) != len(keys):
        seen: set[tuple[Any, ...]] = set()
        duplicate = next(k for k in keys if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise LoadError(
            f"two {table.name} rows share the natural key {dict(zip(key, duplicate, strict=True))}",
            hint="the parse returned a duplicate row; fix the parser or the template declaration",
        )
    if existing is None:
        existing = existing_ids(connection, table, key, keys)
    columns = [c for c in rows[0] if c not in _BOOKKEEPING and c not in key and c not in insert_only]
    stamped = [{**row, "created_at": now, "updated_at": now} for row in rows]
    stmt = _insert(connection, table)
    excluded = stmt.excluded
    differs = or_(*(table.c[c].is_distinct_from(excluded[c]) for c in columns)) if columns else None
    conditions = [c for c in (differs, guard) if c is not None]
    where = and_(*conditions) if conditions else None
    update = {c: excluded[c] for c in columns}
    update["updated_at"] = excluded.updated_at
    if where is None:
        # A table that is all key: nothing can change, so a conflict is simply "unchanged".
        stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
    else:
        stmt = stmt.on_conflict_do_update(index_elements=list(key), set_=update, where=where)
    stmt = stmt.returning(table.c.id, *(table.c[c] for c in key))
    written = connection.execute(stmt, stamped).all()
    ids = dict(existing)
    for row in written:
        row_key = tuple(row[1:])
        if row_key in existing:
            counts.updated += 1
        else:
            counts.inserted += 1
        ids[row_key] = row[0]
    counts.unchanged = len(rows) - len(written)
    missing = [k for k in keys if k not in ids]
    if missing:
        ids.update(existing_ids(connection, table, key, missing))
    return counts, ids


def existing_ids(
    connection: Connection,
    table: Table,
    key: Sequence[str],
    keys: Sequence[tuple[Any, ...]] | None = None,
    *,
    where: ColumnElement[bool] | None = None,
) -> dict[tuple[Any, ...], int]:
    """``{natural key: id}`` of the rows of ``table`` matching ``keys`` (or ``where``)."""
    key_columns = [table.c[c] for c in key]
    query = select(table.c.id, *key_columns)
    if where is not None:
        query = query.where(where)
    found: dict[tuple[Any, ...], int] = {}
    if keys is None:
        for row in connection.execute(query):
            found[tuple(row[1:])] = row[0]
        return found
    wanted = set(keys)
    # Batches keep the IN list under SQLite's bound-parameter limit.
    key_list = list(wanted)
    for start in range(0, len(key_list), 500):
        batch = key_list[start : start + 500]
        condition = (
            key_columns[0].in_([k[0] for k in batch]) if len(key) == 1 else tuple_(*key_columns).in_(batch)
        )
        for row in connection.execute(query.where(condition)):
            found[tuple(row[1:])] = row[0]
    return found
