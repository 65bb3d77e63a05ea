"""Database fixtures: every test runs on SQLite and on a real PostgreSQL server over TCP.

PostgreSQL: a throwaway database ``imh_test_<pid>_<random>`` is created for the session through the
maintenance database named by ``IMH_TEST_PG_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``, the server this machine kind and ``.ci/run`` start with
trust authentication) and dropped at the end. Each test starts from an empty ``public`` schema. When no server
answers, PostgreSQL tests are skipped with the reason, unless ``CI`` is set: then they fail, because CI must
prove both databases.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbfactory import clear_tables
from pg_throwaway import throwaway_database
from sqlalchemy import Engine, create_engine, text

from db.engine import make_engine
from db.migrate import current_revision, head_revision, upgrade


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """URL of a PostgreSQL database created for this test session (dropped afterwards)."""
    with throwaway_database("imh_test") as url:
        yield url


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def sqlite_migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once for the session (tests get copies)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "imh.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file, so a plain copy is complete
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_kind(request: pytest.FixtureRequest) -> str:
    """Which database a test runs on; every database test is collected once per kind."""
    return str(request.param)


@pytest.fixture
def db_url(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database: a fresh SQLite file, or the session's PostgreSQL database emptied."""
    if db_kind == "sqlite":
        return f"sqlite:///{tmp_path / 'imh.sqlite'}"
    url: str = request.getfixturevalue("pg_database_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def engine(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a migrated database with no rows."""
    if db_kind == "sqlite":
        # A copy of a file migrated once per session: the same schema, without an Alembic run per test.
        shutil.copyfile(request.getfixturevalue("sqlite_migrated_file"), tmp_path / "imh.sqlite")
        engine = make_engine(f"sqlite:///{tmp_path / 'imh.sqlite'}")
    else:
        engine = make_engine(request.getfixturevalue("pg_database_url"))
        # Migrating costs a second per test on PostgreSQL; emptying the tables of a migrated schema does not.
        if current_revision(engine) == head_revision():
            clear_tables(engine)
        else:
            engine.dispose()
            _reset_postgres(str(engine.url.render_as_string(hide_password=False)))
            engine = make_engine(request.getfixturevalue("pg_database_url"))
            upgrade(engine)
    yield engine
    engine.dispose()
