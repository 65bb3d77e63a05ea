"""Migrations: `upgrade head` builds the schema from nothing on both databases, exactly as the models say."""

from __future__ import annotations

import multiprocessing
import traceback
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from db.engine import make_engine
from db.errors import SchemaNotReadyError
from db.migrate import alembic_config, current_revision, ensure_current, head_revision, upgrade
from db.models import metadata


def test_upgrade_creates_every_table_in_an_empty_database(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) == set(metadata.tables) | {"alembic_version"}
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models_exactly(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_upgrade_twice_is_a_no_op(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        first = upgrade(engine)
        assert upgrade(db_url) == first
        ensure_current(engine)
    finally:
        engine.dispose()


def test_ensure_current_names_the_missing_migration_on_an_empty_database(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with pytest.raises(SchemaNotReadyError, match=r"none \(empty\).*run the migrations"):
            ensure_current(engine)
    finally:
        engine.dispose()


def _upgrade_in_child(url: str, barrier: Any, errors: Any) -> None:
    try:
        barrier.wait(timeout=60)
        upgrade(url)
    except BaseException:  # noqa: BLE001 - any failure must reach the parent test
        errors.put(traceback.format_exc())


@pytest.mark.slow
def test_two_processes_migrating_an_empty_database_at_once_both_succeed(db_url: str) -> None:
    context = multiprocessing.get_context("fork")
    barrier, errors = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_upgrade_in_child, args=(db_url, barrier, errors)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert [w.exitcode for w in workers] == [0, 0]
    engine = make_engine(db_url)
    try:
        ensure_current(engine)
    finally:
        engine.dispose()


def test_downgrade_to_base_removes_every_table(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
