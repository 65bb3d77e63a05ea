"""Migrations: `upgrade head` builds the schema from nothing on both databases, exactly as the models say."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from dbfactory import run_at_once
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


@pytest.mark.slow
def test_two_processes_migrating_an_empty_database_at_once_both_succeed(db_url: str) -> None:
    assert run_at_once(upgrade, [(db_url,), (db_url,)]) == []
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
