"""Benchmark: db.load.load_filing on the real statement, against a plain executemany of the same rows.

Measured in one run, on the same database, so the ratio does not depend on the machine's load:

* ``first``: ``load_filing`` into emptied tables (filing, deal, distribution, loans, every statement row);
* ``reload``: ``load_filing`` of the same, unchanged parse again (writes nothing);
* ``plain``: ``conn.execute(table.insert(), rows)`` of the same statement rows (``statement_rows``) into the
  emptied statement tables, in one transaction: the floor any loader pays to get those rows in.

Each figure is the median of ``--repeat`` rounds after one warm-up; in each round the three run back to back.
SQLite runs on a temporary file; PostgreSQL on a throwaway database created through ``--pg-url`` (default:
``IMH_TEST_PG_URL`` or the local test server) and dropped afterwards, skipped with a reason when unreachable.

    .venv/bin/python bench/db_load.py [--repeat 15] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python bench/db_load.py` from a checkout
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, make_url, text  # noqa: E402

from db.engine import make_engine  # noqa: E402
from db.load import FilingMeta, load_filing, statement_rows  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import STATEMENT_TABLES, metadata, table_of  # noqa: E402
from parsers.reconcile import reconcile  # noqa: E402
from parsers.records import ParseResult  # noqa: E402
from parsers.trustee_text import parse_trustee_text  # noqa: E402

TEXT = ROOT / "tests" / "fixtures" / "real" / "1017447" / "000102024203000013" / "im020212.txt"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
META = FilingMeta(
    accession_no="0001020242-03-000013",
    form="8-K",
    filed=date(2003, 1, 2),
    period=date(2002, 12, 26),
    ciks=(1017447,),
    company_names=("IMH ASSETS CORP",),
    document_name="im020212.txt",
    template="trustee-text-2002",
)


def _parse() -> ParseResult:
    result = parse_trustee_text(TEXT.read_text(encoding="ascii"))
    discrepancies, checks_run = reconcile(result.statement)
    return dataclasses.replace(result, discrepancies=discrepancies, checks_run=checks_run)


def _clear(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def _round(engine: Engine, parsed: ParseResult) -> tuple[float, float, float, int]:
    """One round: (first load s, unchanged re-load s, plain executemany s, statement rows)."""
    _clear(engine)
    started = time.perf_counter()
    outcome = load_filing(engine, META, parsed, "bench")
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = load_filing(engine, META, parsed, "bench")
    reload = time.perf_counter() - started
    if again.changed:
        raise SystemExit(f"the unchanged re-load wrote rows: {again}")
    with engine.connect() as conn:
        loan_ids = dict(conn.execute(text("SELECT loan_number, id FROM loan")).all())
        deal_id = conn.execute(text("SELECT id FROM deal")).scalar_one()
    rows = statement_rows(
        parsed,
        distribution_id=outcome.distribution_id,
        accession_no=META.accession_no,
        document_name=META.document_name or "",
        deal_id=deal_id,
        loan_ids=loan_ids,
    )
    with engine.begin() as conn:  # empty the statement tables, keeping the distribution they belong to
        for model in STATEMENT_TABLES:
            conn.execute(table_of(model).delete())
    now = datetime.now(UTC)
    stamped = {name: [{**r, "created_at": now, "updated_at": now} for r in rs] for name, rs in rows.items()}
    started = time.perf_counter()
    with engine.begin() as conn:
        for model in STATEMENT_TABLES:
            table = table_of(model)
            if stamped[table.name]:
                conn.execute(table.insert(), stamped[table.name])
    plain = time.perf_counter() - started
    return first, reload, plain, sum(len(r) for r in rows.values())


def _measure(name: str, engine: Engine, parsed: ParseResult, repeat: int) -> None:
    upgrade(engine)
    _round(engine, parsed)  # warm-up: connections, statement caches
    rounds = [_round(engine, parsed) for _ in range(repeat)]
    first = statistics.median(r[0] for r in rounds) * 1000
    reload = statistics.median(r[1] for r in rounds) * 1000
    plain = statistics.median(r[2] for r in rounds) * 1000
    first_ratio = statistics.median(r[0] / r[2] for r in rounds)
    reload_ratio = statistics.median(r[1] / r[2] for r in rounds)
    print(
        f"{name:10s} rows {rounds[0][3]:5d}  first load {first:7.1f} ms ({first_ratio:4.1f}x plain)  "
        f"unchanged re-load {reload:7.1f} ms ({reload_ratio:4.1f}x plain)  plain executemany {plain:6.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-url", default=os.environ.get("IMH_TEST_PG_URL") or DEFAULT_PG_URL)
    args = parser.parse_args(argv)
    parsed = _parse()
    print(f"rounds: median of {args.repeat} after one warm-up")
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as work:
            engine = make_engine(f"sqlite:///{Path(work) / 'bench.sqlite'}")
            try:
                _measure("sqlite", engine, parsed, args.repeat)
            finally:
                engine.dispose()
    if args.only in (None, "postgresql"):
        admin_url = make_url(args.pg_url).set(drivername="postgresql+psycopg")
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        name = f"imh_bench_{os.getpid()}_{secrets.token_hex(4)}"
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "no PostgreSQL here"
            where = admin_url.render_as_string(hide_password=True)
            print(f"postgresql skipped: {where} not reachable ({exc})")
            return 0
        engine = make_engine(admin_url.set(database=name))
        try:
            _measure("postgresql", engine, parsed, args.repeat)
        finally:
            engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
