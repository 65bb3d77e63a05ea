"""``imh-edgar``: the one command line of the product.

Every command has ``--help``. :func:`main` returns the exit code instead of exiting, so tests call it
directly: 0 success, 1 a run finished with failed filings, 2 a one-line error (bad input, missing setting,
unreachable database, bad date range); no traceback is ever shown for our own errors.

Heavy imports (Prefect ~0.7 s, the parsers, the database layer) happen inside the commands, so ``--help`` and
``parse`` stay fast and Prefect's environment defaults are in place before Prefect is first imported.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from flows.runtime import apply_process_defaults
from parsers.errors import ImhEdgarError

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
    from parsers.api import parse_document

    text, filename = _read_document(path)
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


def _parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"bad date range: {name} {value!r} is not a date like 2003-01-31") from None


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    apply_process_defaults()
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
