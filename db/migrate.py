"""Schema migrations, run from code: ``upgrade(url_or_engine)`` is ``alembic upgrade head`` on that database.

The migration scripts ship inside the package (db/migrations), so an installed imh-edgar can migrate a fresh
SQLite file or PostgreSQL database without the repository checkout.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from db.engine import make_engine, redacted
from db.errors import DatabaseUnavailableError, SchemaNotReadyError
from db.session import read

__all__ = [
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision",
    "ensure_current",
    "head_revision",
    "upgrade",
]

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Arbitrary constant: the PostgreSQL advisory lock that keeps two workers from migrating at the same time.
_MIGRATION_LOCK_ID = 4_417_447_020_242


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migration scripts (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest revision this code ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise SchemaNotReadyError("the packaged migrations have no head revision", hint="reinstall imh-edgar")
    return head


def upgrade(url_or_engine: str | URL | Engine) -> str:
    """Migrate the database to the newest revision (creating the schema in an empty database); returns it.

    Safe to run from several processes at once: PostgreSQL takes an advisory lock, SQLite the write lock.
    """
    engine = url_or_engine if isinstance(url_or_engine, Engine) else make_engine(url_or_engine)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            revision = MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:
        raise DatabaseUnavailableError(
            f"cannot migrate database {redacted(engine.url)}: {' '.join(str(exc.orig).split())}",
            hint="check the database URL, that the server is running and that the user may create tables",
        ) from exc
    finally:
        if not isinstance(url_or_engine, Engine):
            engine.dispose()
    log.info("database %s is at revision %s", redacted(engine.url), revision)
    return revision or ""


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, None for an empty database."""
    return read(engine, lambda connection: MigrationContext.configure(connection).get_current_revision())


def ensure_current(engine: Engine) -> None:
    """Raise SchemaNotReadyError unless the database is at the newest revision (call before a run)."""
    have, want = current_revision(engine), head_revision()
    if have != want:
        raise SchemaNotReadyError(
            f"database {redacted(engine.url)} is at revision {have or 'none (empty)'}; needs {want}",
            hint="run the migrations: db.migrate.upgrade(url) (CLI: imh-edgar db upgrade)",
        )
