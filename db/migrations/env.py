"""Alembic environment: runs on the connection db.migrate passes in, or on a URL from the command line.

Command-line use (from the repository root)::

    alembic -c db/alembic.ini -x url=sqlite:///data/imh.sqlite upgrade head
"""

from __future__ import annotations

import os
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlmodel.sql.sqltypes import AutoString

from db.engine import make_engine
from db.models import metadata
from db.types import Amount, UtcDateTime

config = context.config


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("IMH_DATABASE_URL")
    url = url or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("no database URL: pass -x url=sqlite:///path/imh.sqlite or set IMH_DATABASE_URL")
    return url


def _render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Revisions are frozen history: they spell plain SQLAlchemy types (same DDL), never our Python classes,
    # so a later change to db.types cannot change what an old revision creates.
    if kind == "type":
        if isinstance(item, Amount):
            return "sa.Numeric()"
        if isinstance(item, UtcDateTime):
            return "sa.DateTime(timezone=True)"
        if isinstance(item, AutoString):
            return "sa.String()"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_item=_render_item,
        # SQLite cannot ALTER constraints in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    given = config.attributes.get("connection")
    if given is not None:
        _configure(given)
    else:
        engine = make_engine(_url())
        try:
            with engine.connect() as connection:
                _configure(connection)
                connection.commit()
        finally:
            engine.dispose()
