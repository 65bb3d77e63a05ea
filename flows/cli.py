"""``imh-edgar``: the one command line of the product.

Every command has ``--help``. :func:`main` returns the exit code instead of exiting, so tests call it
directly: 0 success, 1 a run finished with failed filings, 2 a one-line error (bad input, missing setting,
unreachable database, bad date range); no traceback is ever shown for our own errors.

Heavy imports (Prefect ~0.7 s, the parsers, the database layer) happen inside the commands, so ``--help`` and
``parse`` stay fast and Prefect's environment defaults are in place before Prefect is first imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from flows.runtime import apply_process_defaults
from parsers.errors import ImhEdgarError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from edgar.settings import Settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="imh-edgar",
    help="Discover, download, parse and load the IMH Assets Corp / Impac CMB Trust remittance statements "
    "from SEC EDGAR.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Discover, download, parse and load the IMH / Impac CMB Trust remittance statements from SEC EDGAR.

    Offline first try: `imh-edgar demo`. Settings come from IMH_* environment variables (deploy/.env.example).
    """


class ParseFormat(StrEnum):
    json = "json"
    summary = "summary"


def _fail(message: str) -> typer.Exit:
    """Print ``error: <message>`` as one line on stderr; the caller raises the returned Exit(2)."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    return typer.Exit(2)


def _read_document(path: str) -> tuple[str, str | None]:
    """The text of ``path`` (``-`` is stdin) and the filename the parser may use as a hint."""
    if path == "-":
        raw = sys.stdin.buffer.read()
        filename = None
    else:
        file = Path(path)
        if not file.is_file():
            raise _fail(f"no such file: {path}")
        raw = file.read_bytes()
        filename = file.name
    from edgar.sgml import decode_bytes

    text, _encoding = decode_bytes(raw)
    return text, filename


@app.command()
def parse(
    path: Annotated[str, typer.Argument(help="A statement file (text or HTML), or - for stdin.")],
    output_format: Annotated[
        ParseFormat, typer.Option("--format", help="json: every record; summary: counts and checks.")
    ] = ParseFormat.json,
) -> None:
    """Parse one remittance statement offline and print it (no network, no database)."""
    text, filename = _read_document(path)
    from parsers.api import parse_document

    result = parse_document(text, filename=filename)
    if output_format is ParseFormat.json:
        from parsers.serialize import to_json

        typer.echo(to_json(result))
        return
    statement = result.statement
    typer.echo(f"template           {result.template}")
    typer.echo(f"deal               {statement.deal.trust_name} {statement.deal.series}")
    typer.echo(f"distribution date  {statement.distribution_date.isoformat()}")
    typer.echo(f"classes            {', '.join(c.class_name for c in statement.classes)}")
    typer.echo(f"items              {len(result.items)}")
    typer.echo(f"unparsed lines     {len(result.unparsed)}")
    typer.echo(f"checks run         {result.checks_run}, discrepancies {len(result.discrepancies)}")
    for discrepancy in result.discrepancies:
        typer.echo(
            f"  {discrepancy.check} ({discrepancy.context}): expected {discrepancy.expected}, "
            f"actual {discrepancy.actual}, difference {discrepancy.difference}"
        )


def _parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"bad date range: {name} {value!r} is not a date like 2003-01-31") from None


def _settings(*, network: bool) -> Settings:
    """Settings validated up front, so a missing User-Agent is one line before anything starts."""
    from edgar.settings import load_settings

    settings = load_settings()
    if network:
        settings.user_agent_for(settings.sec_www_url)
        settings.user_agent_for(settings.sec_data_url)
    return settings


def _engine(settings: Settings, *, migrate: bool) -> Engine:
    """The application database, reachable (and migrated to head for commands that write)."""
    from db.engine import make_engine
    from db.migrate import ensure_current, upgrade

    engine = make_engine(settings.database_location)
    try:
        if migrate:
            upgrade(engine)
        else:
            # Unreachable: DatabaseUnavailableError naming the URL; empty or old: SchemaNotReadyError.
            ensure_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _run(flow_call: Callable[[], dict[str, Any]], title: str) -> int:
    """Run a flow in this process with a progress bar on stderr; print its summary; 1 if anything failed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from flows.monitoring import listen_to_progress

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task_id = bar.add_task(title, total=None)

        def update(done: int, total: int, what: str) -> None:
            bar.update(task_id, completed=done, total=total or None, description=what)

        with listen_to_progress(update):
            summary = flow_call()
    _print_summary(summary)
    return 1 if summary.get("failed") else 0


def _print_summary(summary: dict[str, Any]) -> None:
    order = (
        "discovered",
        "new",
        "skipped",
        "fetched",
        "parsed",
        "loaded",
        "unchanged",
        "failed",
        "discrepancies",
        "requests",
        "throttle_pauses",
    )
    width = max(len(k) for k in order) + 2
    for key in order:
        typer.echo(f"{key.replace('_', ' '):<{width}}{summary.get(key, 0)}")
    for template, count in (summary.get("unsupported") or {}).items():
        typer.echo(f"{'unsupported':<{width}}{count} ({template})")
    typer.echo(f"{'elapsed':<{width}}{summary.get('elapsed_seconds', 0):.1f} s")


@app.command()
def sync(
    lookback_days: Annotated[
        int, typer.Option(help="Re-check this many days before the newest filing.")
    ] = 30,
) -> None:
    """Ingest what EDGAR published since the last run (what the daily deployment runs)."""
    settings = _settings(network=True)
    _engine(settings, migrate=True).dispose()
    from flows.ingest import sync as sync_flow

    raise typer.Exit(_run(lambda: sync_flow(lookback_days=lookback_days), "sync"))


@app.command()
def backfill(
    start: Annotated[str, typer.Argument(help="First filing date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Argument(help="Last filing date, YYYY-MM-DD (inclusive).")],
    cik: Annotated[list[int] | None, typer.Option(help="Only this CIK (repeatable); no name search.")] = None,
    form: Annotated[
        list[str] | None, typer.Option(help="Form types (repeatable), default IMH_FORMS.")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Filings per fetch-parse-load task.")] = 50,
) -> None:
    """Ingest every filing filed between START and END; resumable and safe to run again."""
    first, last = _parse_day(start, "start"), _parse_day(end, "end")
    assert first is not None and last is not None
    if last < first:
        raise _fail(f"bad date range: end {last} is before start {first}")
    if batch_size < 1:
        raise _fail(f"--batch-size must be at least 1, got {batch_size}")
    settings = _settings(network=True)
    _engine(settings, migrate=True).dispose()
    from flows.ingest import backfill as backfill_flow

    call = partial(
        backfill_flow, start=first, end=last, ciks=cik or None, forms=form or None, batch_size=batch_size
    )
    raise typer.Exit(_run(call, f"backfill {first} to {last}"))


@app.command()
def ingest(
    accession: Annotated[str, typer.Argument(help="Accession number, e.g. 0001020242-03-000013.")],
    cik: Annotated[
        int | None, typer.Option(help="Filer CIK; needed when the filing is not in the database.")
    ] = None,
) -> None:
    """Fetch, parse and load one filing (for fixing one case)."""
    from sqlalchemy import select

    from edgar.urls import normalize_accession

    try:
        accession = normalize_accession(accession)
    except ValueError as error:
        raise _fail(str(error)) from None
    settings = _settings(network=True)
    engine = _engine(settings, migrate=True)
    try:
        if cik is None:
            from db.load import read
            from db.models import Filing

            table = Filing.__table__
            query = select(table.c.cik).where(table.c.accession_no == accession)
            cik = read(engine, lambda conn: conn.execute(query).scalar_one_or_none())
            if cik is None:
                raise _fail(f"filing {accession} is not in the database; pass its CIK, e.g. --cik 1017447")
    finally:
        engine.dispose()
    from flows.ingest import ingest_filing

    raise typer.Exit(_run(lambda: ingest_filing(accession=accession, cik=cik), f"ingest {accession}"))


@app.command()
def reparse(
    all_filings: Annotated[
        bool, typer.Option("--all", help="Every recorded filing, not only outdated.")
    ] = False,
    accession: Annotated[list[str] | None, typer.Option(help="Exactly this filing (repeatable).")] = None,
) -> None:
    """Parse and load again from the raw store, without any network (e.g. after a parser upgrade)."""
    settings = _settings(network=False)
    _engine(settings, migrate=True).dispose()
    from flows.ingest import reparse as reparse_flow

    scope = "all" if all_filings else "outdated"
    raise typer.Exit(
        _run(lambda: reparse_flow(scope=scope, accessions=accession or None), f"reparse {scope}")
    )


@app.command()
def status(
    failures: Annotated[int, typer.Option(help="How many of the latest failures to list.")] = 10,
) -> None:
    """Filings by state, the last change, and the latest failures."""
    from db.query import status_report

    settings = _settings(network=False)
    engine = _engine(settings, migrate=False)
    report = status_report(engine, failures=failures)
    engine.dispose()
    typer.echo(f"database     {_redacted(settings.database_location)}")
    for state, count in report.counts.items():
        typer.echo(f"{state:<12} {count}")
    last = report.last_change.isoformat(timespec="seconds") if report.last_change else "never"
    typer.echo(f"last change  {last}")
    typer.echo(f"distributions with data-quality discrepancies: {report.distributions_with_discrepancies}")
    for line in _last_flow_runs():
        typer.echo(line)
    if report.failures:
        typer.echo("latest failures:")
        for failed in report.failures:
            typer.echo(
                f"  {failed.accession_no}  {failed.form:<6} {failed.filed}  {failed.stage or '-'}: "
                f"{failed.error or ''} (attempts {failed.attempts})"
            )


@app.command()
def deals() -> None:
    """Every deal in the database with the span of its distributions."""
    from db.query import list_deals

    engine = _engine(_settings(network=False), migrate=False)
    rows = list_deals(engine)
    engine.dispose()
    if not rows:
        typer.echo("no deals yet: run `imh-edgar demo`, `imh-edgar sync` or `imh-edgar backfill`")
        return
    typer.echo(f"{'deal':<34} {'first':<10} {'last':<10} {'months':>6} {'versions':>8}")
    for row in rows:
        typer.echo(
            f"{row.name:<34} {_day(row.first_distribution):<10} {_day(row.last_distribution):<10} "
            f"{row.distributions:>6} {row.versions:>8}"
        )


@app.command()
def history(
    deal: Annotated[str, typer.Argument(help="Deal name as `imh-edgar deals` lists it.")],
    start: Annotated[str | None, typer.Option(help="From this distribution date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Up to this distribution date, YYYY-MM-DD.")] = None,
) -> None:
    """A deal's distributions month by month: bond and collateral balances, delinquency, speeds."""
    from db.query import distribution_history

    first, last = _parse_day(start, "start"), _parse_day(end, "end")
    if first and last and last < first:
        raise _fail(f"bad date range: end {last} is before start {first}")
    engine = _engine(_settings(network=False), migrate=False)
    points = distribution_history(engine, deal, first, last)
    engine.dispose()
    typer.echo(
        f"{'date':<10} {'bonds balance':>16} {'collateral':>16} {'loans':>6} {'delinquent':>14} "
        f"{'CPR':>8} {'quality':<13} {'filing'}"
    )
    for p in points:
        typer.echo(
            f"{p.distribution_date.isoformat():<10} {_num(p.bonds_current_balance):>16} "
            f"{_num(p.collateral_balance):>16} {p.loan_count if p.loan_count is not None else '':>6} "
            f"{_num(p.delinquent_balance):>14} {_num(p.cpr, '.4f'):>8} {p.quality_status:<13} "
            f"{p.accession_no}{' (amended)' if p.versions > 1 else ''}"
        )


@app.command()
def export(
    table: Annotated[str, typer.Argument(help="Table name, e.g. bond_class, collateral_group, loan_event.")],
    output: Annotated[str, typer.Option("--output", "-o", help="File to write, - for stdout.")] = "-",
    deal: Annotated[str | None, typer.Option(help="Only this deal.")] = None,
    start: Annotated[str | None, typer.Option(help="From this distribution date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Up to this distribution date, YYYY-MM-DD.")] = None,
    all_versions: Annotated[bool, typer.Option(help="Include superseded (amended) versions.")] = False,
    file_format: Annotated[str, typer.Option("--format", help="csv or parquet (needs pyarrow).")] = "csv",
) -> None:
    """Export one table for a deal and date range as CSV (exact decimals) or Parquet."""
    from db.query import export_table

    first, last = _parse_day(start, "start"), _parse_day(end, "end")
    if first and last and last < first:
        raise _fail(f"bad date range: end {last} is before start {first}")
    if output == "-" and file_format != "csv":
        raise _fail("parquet needs a file: pass --output FILE.parquet")
    engine = _engine(_settings(network=False), migrate=False)
    target: Path | TextIO = sys.stdout if output == "-" else Path(output)
    count = export_table(
        engine,
        table,
        target,
        deal_name=deal,
        start=first,
        end=last,
        current_only=not all_versions,
        file_format=file_format,
    )
    engine.dispose()
    if output != "-":
        typer.echo(f"{count} rows of {table} written to {output}")


@app.command()
def demo(
    data_dir: Annotated[Path, typer.Option(help="Where the mirror, raw store and database go.")] = Path(
        "data"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the generated mirror.")] = 2002,
) -> None:
    """Run the real flows fully offline: a generated EDGAR mirror on 127.0.0.1, into SQLite; then query it."""
    from flows.demo import SAMPLE_SQL, demo_environment, prepare_demo

    setup = prepare_demo(data_dir, seed=seed)
    typer.echo(
        f"EDGAR mirror       {setup.mirror} ({setup.filings} filings, {setup.first_filed} to "
        f"{setup.last_filed})"
    )
    with demo_environment(setup) as url:
        typer.echo(f"served at          {url} (loopback only; nothing leaves this machine)")
        settings = _settings(network=True)
        _engine(settings, migrate=True).dispose()
        from flows.ingest import backfill as backfill_flow

        window = partial(backfill_flow, start=setup.first_filed, end=setup.last_filed)
        typer.echo(f"\n$ imh-edgar backfill {setup.first_filed} {setup.last_filed}")
        first = _run(window, "backfill")
        typer.echo(f"\n$ imh-edgar backfill {setup.first_filed} {setup.last_filed}   # again: nothing to do")
        second = _run(window, "backfill again")
        typer.echo(f"\nDatabase           {setup.database_path}  (SQLite; IMH_DATABASE_URL for PostgreSQL)")
        typer.echo(f"Raw store          {settings.raw_store_location}  (every byte from EDGAR, with sha256)")
        typer.echo(f"\nSample queries (with IMH_DATA_DIR={setup.data_dir}):\n\n$ imh-edgar deals")
        deals()
        showcase = _most_amended_deal(settings)
        typer.echo(f"\n$ imh-edgar history '{showcase}'")
        history(showcase)
        typer.echo(f"\n$ sqlite3 {setup.database_path} <<'SQL'\n{SAMPLE_SQL}\nSQL")
        _print_sql(settings, SAMPLE_SQL)
        typer.echo("\nMore: imh-edgar status | imh-edgar export bond_class -o classes.csv | docs/schema.md")
    raise typer.Exit(max(first, second))


def _most_amended_deal(settings: Settings) -> str:
    """The deal whose history shows most: the most filings per month (an amendment), then the most months."""
    from db.query import list_deals

    engine = _engine(settings, migrate=False)
    try:
        rows = list_deals(engine)
    finally:
        engine.dispose()
    best = max(rows, key=lambda r: (r.versions - r.distributions, r.distributions, r.name))
    return best.name


def _print_sql(settings: Settings, sql: str) -> None:
    from sqlalchemy import text

    engine = _engine(settings, migrate=False)
    try:
        with engine.connect() as conn:
            result = conn.execute(text(sql))
            rows = [tuple("" if v is None else str(v) for v in row) for row in result]
            header = tuple(result.keys())
    finally:
        engine.dispose()
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    for row in (header, *rows):
        typer.echo(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


@app.command()
def bootstrap(
    work_pool: Annotated[str, typer.Option(help="Name of the process work pool to create.")] = "imh-edgar",
    migrate: Annotated[bool, typer.Option(help="Also migrate the application database.")] = True,
) -> None:
    """Set up a Prefect server: work pool, the SEC rate limit for all workers, the database schema."""
    from flows.bootstrap import bootstrap as run_bootstrap

    report = run_bootstrap(_settings(network=False), work_pool=work_pool, migrate=migrate)
    for line in report.lines():
        typer.echo(line)
    typer.echo(
        "next: prefect --no-prompt deploy --all --prefect-file deploy/prefect.yaml, then start workers"
    )


db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the application database to the newest schema (runs automatically before every flow)."""
    from db.migrate import upgrade

    settings = _settings(network=False)
    revision = upgrade(settings.database_location)
    typer.echo(f"{_redacted(settings.database_location)} is at revision {revision}")


def _last_flow_runs(limit: int = 5) -> list[str]:
    """The latest imh-edgar flow runs on the Prefect server named by PREFECT_API_URL (none without one: a
    temporary local Prefect is not worth starting for this)."""
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        return ["last runs    (set PREFECT_API_URL to list the flow runs of a Prefect server)"]
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    names = ["imh-edgar-sync", "imh-edgar-backfill", "imh-edgar-ingest-filing", "imh-edgar-reparse"]
    with get_client(sync_client=True) as client:
        # The server is optional for status: an unreachable one is one line, not an error.
        unhealthy = client.api_healthcheck()
        if unhealthy is not None:
            return [f"last runs    Prefect at {api_url} not reachable ({type(unhealthy).__name__})"]
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=names)),
            sort=FlowRunSort.EXPECTED_START_TIME_DESC,
            limit=limit,
        )
    lines = ["last runs:"]
    for run in runs:
        when = run.start_time or run.expected_start_time
        lines.append(
            f"  {run.name:<40} {run.state_name or '-':<10} {when:%Y-%m-%d %H:%M UTC}"
            if when
            else f"  {run.name:<40} {run.state_name or '-'}"
        )
    return lines


def _redacted(url: str) -> str:
    from db.engine import redacted

    return redacted(url)


def _day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def _num(value: Decimal | None, spec: str = ",.2f") -> str:
    return "" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    apply_process_defaults()
    # Per-filing INFO lines belong in the Prefect UI and the logs; on a terminal the progress bar says enough.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    try:
        app(args=argv, prog_name="imh-edgar", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except ImhEdgarError as error:
        typer.echo(f"error: {' '.join(str(error).split())}", err=True)
        return 2
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    return 0
