"""One throwaway PostgreSQL database for a test, created and dropped through a maintenance database.

Shared by tests/db (every database test runs on PostgreSQL too) and the end-to-end deployment test. The
maintenance database comes from ``IMH_TEST_PG_URL`` (default: the server this machine kind and ``.ci/run``
start on 127.0.0.1:5432 with trust authentication). When no server answers the test is skipped with the
reason, unless ``CI`` is set: then it fails, because CI must prove PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import URL, create_engine, make_url, text

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def admin_url() -> URL:
    url = make_url(os.environ.get("IMH_TEST_PG_URL") or DEFAULT_PG_URL)
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Yield the URL of a new database ``<prefix>_<pid>_<random>``; drop it (forcibly) afterwards."""
    admin = admin_url()
    engine = create_engine(admin, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "no PostgreSQL here"
        engine.dispose()
        reason = (
            f"PostgreSQL not reachable at {admin.render_as_string(hide_password=True)} "
            f"({' '.join(str(getattr(exc, 'orig', None) or exc).split())[:200]}); "
            "set IMH_TEST_PG_URL or start the server"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI requires PostgreSQL: {reason}")
        pytest.skip(reason)
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
