"""Idempotent writes: ``INSERT ... ON CONFLICT (natural key) DO UPDATE ... WHERE <something differs>``.

SQLModel has no upsert, so this uses SQLAlchemy's dialect constructs (SQLite and PostgreSQL both have them).

A write happens in two steps. First the stored rows with the same natural keys are read and compared in
Python: identical rows are not sent at all, so a re-load of an unchanged filing executes no write statement.
Then the remaining rows go out as one ``executemany`` upsert whose ``WHERE`` clause still skips rows that do
not differ (another process may have written them in between): an unchanged row is never rewritten and its
``updated_at`` never moves. Counts come from the comparison; under a race with a concurrent loader a row the
other process wrote first may be counted as inserted by both.

Cost (bench/db_load.py): the stored rows come back as plain tuples of only the compared columns (no
timestamps, no mappings) and are compared as one tuple per row; each table's upsert statement is built once
per process; a scope the caller has just created (a new distribution) is not read at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, delete, or_, select, tuple_
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


def upsert_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str],
    now: datetime,
    newer_wins: str | None = None,
    insert_only: Sequence[str] = (),
    want_ids: bool = True,
    replace_within: ColumnElement[bool] | None = None,
    known_empty: bool = False,
) -> tuple[UpsertCounts, dict[Key, int]]:
    """Upsert ``rows`` into ``table`` on the natural ``key``; return the counts and ``{key: id}``.

    ``newer_wins`` names a column (a sortable version key): a stored row is only overwritten by a row whose
    value there is at least as high, so the final state does not depend on the order of the writes.
    ``insert_only`` columns are written on insert and never compared or updated (values another step
    maintains, such as ``distribution.is_current``). Rows must have distinct keys and the same columns.
    ``want_ids=False`` skips looking up the ids of new rows.
    ``replace_within``: the rows are *all* the rows of ``table`` matching this condition (one distribution's
    rows of a statement table); stored rows matching it whose key is not among ``rows`` are deleted.
    ``known_empty``: the caller knows no stored row matches (the scope was created in this transaction), so
    the stored rows are not read.
    """
    counts = UpsertCounts()
    if not rows and replace_within is None:
        return counts, {}
    key_of = _getter(key)
    keys = [key_of(row) for row in rows]
    if len(set(keys)) != len(keys):
        seen: set[Key] = set()
        duplicate = next(k for k in keys if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise LoadError(
            f"two {table.name} rows share the natural key {dict(zip(key, duplicate, strict=True))}",
            hint="the parse returned a duplicate row; fix the parser or the template declaration",
        )
    skip = _BOOKKEEPING.union(key, insert_only)
    columns = tuple(c for c in rows[0] if c not in skip) if rows else ()
    existing: dict[Key, tuple[int, tuple[Any, ...]]]
    if known_empty:
        existing = {}
    elif replace_within is not None:
        existing = existing_rows(connection, table, key, columns, where=replace_within)
    else:
        existing = existing_rows(connection, table, key, columns, keys)

    to_write: list[dict[str, Any]] = []
    if existing:
        values_of = _getter(columns)
        newer = columns.index(newer_wins) if newer_wins is not None else None
        for row_key, row in zip(keys, rows, strict=True):
            stored = existing.get(row_key)
            if stored is None:
                counts.inserted += 1
            elif values_of(row) == stored[1] or (
                newer is not None and row[columns[newer]] < stored[1][newer]
            ):
                counts.unchanged += 1
                continue
            else:
                counts.updated += 1
            to_write.append({**row, "created_at": now, "updated_at": now})
    else:
        counts.inserted = len(rows)
        to_write = [{**row, "created_at": now, "updated_at": now} for row in rows]

    if to_write:
        connection.execute(
            _upsert_statement(connection.dialect.name, table, tuple(key), columns, newer_wins), to_write
        )
    if replace_within is not None:
        wanted = set(keys)
        stale = [stored[0] for row_key, stored in existing.items() if row_key not in wanted]
        for start in range(0, len(stale), _KEY_BATCH):
            connection.execute(delete(table).where(table.c.id.in_(stale[start : start + _KEY_BATCH])))
        counts.deleted += len(stale)
    ids = {k: stored[0] for k, stored in existing.items()}
    if want_ids:
        missing = [k for k in keys if k not in ids]
        if missing:
            ids.update({k: r[0] for k, r in existing_rows(connection, table, key, (), missing).items()})
    return counts, ids


def _getter(columns: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """``row -> tuple of row[c] for c in columns``, at C speed (itemgetter of one name returns no tuple)."""
    if len(columns) == 1:
        only = columns[0]
        return lambda row: (row[only],)
    if not columns:
        return lambda row: ()
    return itemgetter(*columns)


@lru_cache(maxsize=256)
def _upsert_statement(
    dialect: str, table: Table, key: tuple[str, ...], columns: tuple[str, ...], newer_wins: str | None
) -> Any:
    """The upsert statement of one table and column set, built once per process (building ``excluded``
    and the comparison clause cost more than executing the statement for a small table)."""
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table)
    else:
        raise LoadError(f"no upsert for database dialect {dialect!r}", hint="use SQLite or PostgreSQL")
    incoming = stmt.excluded
    conditions: list[ColumnElement[bool]] = []
    if columns:
        conditions.append(or_(*(table.c[c].is_distinct_from(incoming[c]) for c in columns)))
    if newer_wins is not None:
        newer: Any = incoming[newer_wins]
        stored: Any = table.c[newer_wins]
        if dialect == "postgresql":
            # Version keys compare byte by byte (as in Python); a locale collation such as en_US would skip
            # the "|" and "-" separators. SQLite compares bytes already (and has no collation named "C").
            newer, stored = newer.collate("C"), stored.collate("C")
        conditions.append(newer >= stored)
    if not conditions:
        # A table that is all key: nothing can change, so a conflict is simply "unchanged".
        return stmt.on_conflict_do_nothing(index_elements=list(key))
    update = {c: incoming[c] for c in columns}
    update["updated_at"] = incoming.updated_at
    # Run as executemany without RETURNING: psycopg sends it as one pipeline of one small prepared
    # statement, far cheaper than a multi-row VALUES statement with thousands of placeholders.
    return stmt.on_conflict_do_update(index_elements=list(key), set_=update, where=and_(*conditions))


def existing_rows(
    connection: Connection,
    table: Table,
    key: Sequence[str],
    columns: Sequence[str] = (),
    keys: Sequence[Key] | None = None,
    *,
    where: ColumnElement[bool] | None = None,
) -> dict[Key, tuple[int, tuple[Any, ...]]]:
    """``{natural key: (id, stored values of columns)}`` of the rows of ``table`` matching ``keys`` (or
    ``where``); one SELECT of plain tuples per batch of keys."""
    width = len(key)
    query = select(table.c.id, *(table.c[c] for c in key), *(table.c[c] for c in columns))
    if where is not None:
        query = query.where(where)
    found: dict[Key, tuple[int, tuple[Any, ...]]] = {}
    if keys is None:
        batches: list[Any] = [query]
    else:
        wanted = list(dict.fromkeys(keys))
        key_columns = [table.c[c] for c in key]
        batches = []
        for start in range(0, len(wanted), _KEY_BATCH):
            batch = wanted[start : start + _KEY_BATCH]
            if width == 1:
                batches.append(query.where(key_columns[0].in_([k[0] for k in batch])))
            else:
                batches.append(query.where(tuple_(*key_columns).in_(batch)))
    for batch_query in batches:
        for row in connection.execute(batch_query):
            found[tuple(row[1 : 1 + width])] = (row[0], tuple(row[1 + width :]))
    return found
