"""The Prefect flows of imh-edgar: ``sync``, ``backfill``, ``ingest_filing`` and ``reparse``.

Batched, not one task per filing (prefect.md §4: ~20 ms of server work per task run would dominate): one
task per CIK / quarter for discovery, one task per batch of filings for fetch -> parse -> load, and a task
run of its own (``filing-<accession>``, retried with backoff) only for the filings that still failed in their
batch, so the UI shows exactly what needs attention. Each filing's outcome is recorded in the database; the
database, not Prefect's caches, decides what is already done, so every flow is resumable and safe to run
twice or side by side.

Task bodies are calls into :mod:`flows.pipeline` (plain Python over edgar/, parsers/ and db/).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner
from sqlalchemy import func, select

from db.load import filings_needing_reparse, known_accessions, read
from db.migrate import upgrade
from db.models import Filing, FilingCompany
from edgar.discovery import Discovery, discover_filings, quarter_end, quarters
from edgar.errors import EdgarError
from edgar.fetch import fetch_by_accession
from edgar.records import FilingRef
from edgar.settings import Settings, load_settings
from edgar.urls import normalize_accession, submission_txt_url
from flows.monitoring import Progress, Tally, publish_run_artifacts
from flows.pipeline import FilingOutcome, Pipeline, guarded, ingest_ref, ingest_refs, reparse_ref
from parsers.api import PARSER_VERSION
from parsers.errors import ImhEdgarError

__all__ = [
    "BATCH_SIZE",
    "DONE_STATUSES",
    "MAX_WORKERS",
    "FilingFailedError",
    "RunInputError",
    "backfill",
    "ingest_filing",
    "reparse",
    "sync",
]

BATCH_SIZE = 50
# Fetching is bounded by the SEC rate limit, parsing by the CPU: a few threads hide the request latency;
# Prefect's default pool is unbounded (prefect.md §3.6).
MAX_WORKERS = 4
#: A filing in one of these states is done: discovery skips it (failed / half-done filings are retried).
DONE_STATUSES = ("loaded", "unsupported")
#: Failures that only a new parser can change: sync and backfill skip them too, ``reparse`` redoes them.
SETTLED_FAILURE_STAGES = ("parse",)


class RunInputError(ImhEdgarError):
    """A flow was started with parameters that cannot work (bad date range, unknown accession)."""


class FilingFailedError(ImhEdgarError):
    """A filing that still failed after its batch; raised by its own ``filing-<accession>`` task run."""

    def __init__(self, outcome: FilingOutcome) -> None:
        self.outcome = outcome
        super().__init__(f"{outcome.accession_no} failed at {outcome.stage}: {outcome.error}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (FilingFailedError, (self.outcome,))


# --------------------------------------------------------------------------------------------------- tasks


def _retry_if_retryable(task: Any, task_run: Any, state: State) -> bool:
    """Retry only a failure that can go away (5xx, timeout, database away), never a 404 or bad data."""
    error = state.result(raise_on_failure=False)
    if isinstance(error, FilingFailedError):
        return error.outcome.retryable
    return isinstance(error, EdgarError) and error.retryable


# Discovery reads mutable indexes: never cached by Prefect, retried when EDGAR failed transiently.
_DISCOVERY_TASK_OPTIONS: dict[str, Any] = {
    "cache_policy": NO_CACHE,
    "retries": 2,
    "retry_delay_seconds": [5, 30],
    "retry_condition_fn": _retry_if_retryable,
}


@task(name="discover-cik", task_run_name="discover-cik-{cik}", **_DISCOVERY_TASK_OPTIONS)
def discover_cik(
    pipeline: Pipeline,
    cik: int,
    start: date | None,
    end: date | None,
    forms: Sequence[str],
    known: frozenset[str],
) -> Discovery:
    """The CIK's new filings in the window, from its submissions JSON (older pages only when needed)."""
    return discover_filings(
        pipeline.client,
        known=known,
        start=start,
        end=end,
        ciks=(cik,),
        company_patterns=(),
        forms=forms,
        use_full_index=False,
    )


@task(name="discover-quarter", task_run_name="discover-{year}-q{quarter}", **_DISCOVERY_TASK_OPTIONS)
def discover_quarter(
    pipeline: Pipeline,
    year: int,
    quarter: int,
    start: date,
    end: date,
    patterns: Sequence[str],
    forms: Sequence[str],
    known: frozenset[str],
) -> Discovery:
    """New filings of the quarter whose company name matches a pattern (series registrants nobody listed)."""
    first = date(year, 3 * quarter - 2, 1)
    return discover_filings(
        pipeline.client,
        known=known,
        start=max(start, first),
        end=min(end, quarter_end(year, quarter)),
        ciks=(),
        company_patterns=patterns,
        forms=forms,
    )


@task(name="filings-batch", task_run_name="{kind}-batch-{number}-of-{batches}", cache_policy=NO_CACHE)
def process_batch(
    pipeline: Pipeline, refs: Sequence[FilingRef], kind: str, number: int, batches: int
) -> Tally:
    """fetch -> parse -> load for each filing of the batch, downloads running ahead of parse and load.

    Failures come back as outcomes in the tally, not exceptions; the other filings only as counts.
    """
    logger = get_run_logger()
    if kind == "reparse":
        outcomes: Iterable[FilingOutcome] = (
            guarded(pipeline, ref, partial(reparse_ref, pipeline, ref, logger=logger), logger=logger)
            for ref in refs
        )
    else:
        outcomes = ingest_refs(pipeline, refs, logger=logger)
    return Tally.of(outcomes)


@task(
    name="filing",
    task_run_name="filing-{accession_no}",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=[10, 60],
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_if_retryable,
)
def process_filing(
    pipeline: Pipeline, ref: FilingRef, accession_no: str, kind: str, previous: FilingOutcome | None = None
) -> FilingOutcome:
    """One filing on its own: a straggler of a batch (retried while its failure is transient) or ``ingest``.

    A straggler whose failure cannot go away (404, damaged statement) is not tried again: the task run
    fails at once with the recorded reason, so it shows up in the UI without another request.
    """
    logger = get_run_logger()
    if previous is not None and not previous.retryable:
        raise FilingFailedError(previous)
    step = reparse_ref if kind == "reparse" else ingest_ref
    outcome = guarded(pipeline, ref, partial(step, pipeline, ref, logger=logger), logger=logger)
    if outcome.status == "failed":
        raise FilingFailedError(outcome)
    return outcome


# ------------------------------------------------------------------------------------------------- helpers


def _filing_order(ref: FilingRef) -> tuple[date, str]:
    return ref.filed, ref.accession_no


def _chunks(items: Sequence[FilingRef], size: int) -> list[Sequence[FilingRef]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _process(
    pipeline: Pipeline,
    refs: Sequence[FilingRef],
    *,
    kind: str,
    batch_size: int,
    straggler_retries: int,
    straggler_retry_delay_seconds: float,
) -> Tally:
    """Run every filing through its batch, then the failures through their own retried task runs."""
    if batch_size < 1:
        raise RunInputError(f"batch_size must be at least 1, got {batch_size}")
    # Nothing to do (the usual daily sync) needs no progress artifact: one API round trip less per run.
    progress = Progress(f"{kind}-progress", len(refs), f"{kind}: filings processed", artifact=bool(refs))
    chunks = _chunks(refs, batch_size)
    futures = [
        process_batch.submit(pipeline, chunk, kind, number, len(chunks))
        for number, chunk in enumerate(chunks, start=1)
    ]
    tally = Tally()
    for future in as_completed(futures):
        batch = future.result()  # a batch task fails only on infrastructure errors: that fails the run
        tally.merge(batch)
        progress.advance(batch.total)

    failed = sorted(tally.take_failures(), key=_outcome_order(refs))
    if failed:
        delays = [straggler_retry_delay_seconds * 2**i for i in range(straggler_retries)]
        single = process_filing.with_options(retries=straggler_retries, retry_delay_seconds=delays or 0)
        by_accession = {ref.accession_no: ref for ref in refs}
        retried = [
            (
                previous,
                single.submit(
                    pipeline, by_accession[previous.accession_no], previous.accession_no, kind, previous
                ),
            )
            for previous in failed
        ]
        for previous, retry in retried:
            result = retry.result(raise_on_failure=False)
            if isinstance(result, FilingFailedError):
                final = result.outcome
            elif isinstance(result, FilingOutcome):
                final = result
            else:  # the task crashed outside the pipeline's guard: keep the batch's outcome, say why
                get_run_logger().error("%s: retry task ended with %r", previous.accession_no, result)
                final = previous
            tally.add(final)
    tally.failures = _with_attempts(pipeline, tally.failures)
    return tally


def _outcome_order(refs: Sequence[FilingRef]) -> Callable[[FilingOutcome], int]:
    position = {ref.accession_no: i for i, ref in enumerate(refs)}
    return lambda outcome: position[outcome.accession_no]


def _with_attempts(pipeline: Pipeline, outcomes: list[FilingOutcome]) -> list[FilingOutcome]:
    """Fill in each failed filing's attempt count as recorded in the database (for the failures table)."""
    failed = [o.accession_no for o in outcomes if o.status == "failed"]
    if not failed:
        return outcomes
    table = Filing.__table__
    query = select(table.c.accession_no, table.c.attempts).where(table.c.accession_no.in_(failed))
    try:
        attempts = read(pipeline.engine, lambda conn: dict(conn.execute(query).all()))
    except ImhEdgarError:  # the database is away: the counts are a nicety, the failures are already known
        return outcomes
    return [replace(o, attempts=attempts.get(o.accession_no, o.attempts)) for o in outcomes]


def _settled(table: Any) -> Any:
    """Filings sync/backfill never redo: done, or failed in a way only a new parser can change."""
    return table.c.status.in_(DONE_STATUSES) | (
        (table.c.status == "failed") & table.c.stage.in_(SETTLED_FAILURE_STAGES)
    )


def _unsettled_refs(
    pipeline: Pipeline,
    *,
    start: date | None,
    end: date | None,
    ciks: Sequence[int] | None,
    forms: Sequence[str],
) -> list[FilingRef]:
    """Recorded filings a run must try again: failed at fetch or load, or left half-way by a crash."""
    table = Filing.__table__
    query = select(table.c.accession_no).where(~_settled(table) & table.c.form.in_(list(forms)))
    if start is not None:
        query = query.where(table.c.filed >= start)
    if end is not None:
        query = query.where(table.c.filed <= end)
    if ciks is not None:
        query = query.where(table.c.cik.in_(list(ciks)))
    accessions = read(pipeline.engine, lambda conn: conn.execute(query).scalars().all())
    return _refs_from_database(pipeline, accessions) if accessions else []


def _done_in_window(pipeline: Pipeline, start: date | None, end: date | None) -> int:
    """Filings of the window that were settled before this run: what discovery skipped."""
    table = Filing.__table__
    query = select(func.count()).select_from(table).where(_settled(table))
    if start is not None:
        query = query.where(table.c.filed >= start)
    if end is not None:
        query = query.where(table.c.filed <= end)
    return int(read(pipeline.engine, lambda conn: conn.execute(query).scalar_one()))


def _discover(
    pipeline: Pipeline,
    *,
    start: date,
    end: date,
    ciks: Sequence[int],
    patterns: Sequence[str],
    forms: Sequence[str],
) -> tuple[list[FilingRef], list[str]]:
    """New filings of the window, oldest first, and the discovery failures (one line each)."""
    # Discovery is told every recorded accession (its paging shortcut relies on that); the unsettled ones come
    # back through _unsettled_refs instead, wherever they sit in the submissions pages.
    known = frozenset(known_accessions(pipeline.engine))
    futures = [discover_cik.submit(pipeline, cik, start, end, forms, known) for cik in ciks]
    if patterns:
        futures += [
            discover_quarter.submit(pipeline, year, quarter, start, end, patterns, forms, known)
            for year, quarter in quarters(start, end)
        ]
    found: dict[str, FilingRef] = {}
    errors: list[str] = []
    for future in futures:  # in submission order: a CIK's own listing wins over the name search's row
        result = future.result(raise_on_failure=False)
        if isinstance(result, Discovery):
            for ref in result.refs:
                found.setdefault(ref.accession_no, ref)
        elif isinstance(result, ImhEdgarError):
            errors.append(" ".join(str(result).split()))
        else:
            raise result
    return sorted(found.values(), key=_filing_order), errors


def _open(settings: Settings, *, offline: bool = False) -> Pipeline:
    if not offline:
        # Refuse before the first request, with the one-line message naming IMH_USER_AGENT.
        settings.user_agent_for(settings.sec_www_url)
        settings.user_agent_for(settings.sec_data_url)
    pipeline = Pipeline(settings, offline=offline)
    try:
        upgrade(pipeline.engine)  # a laptop needs no set-up step; at head this only reads the revision
    except BaseException:
        pipeline.close()
        raise
    return pipeline


def _finish(
    pipeline: Pipeline,
    kind: str,
    title: str,
    tally: Tally,
    *,
    started: float,
    discovered: int,
    skipped: int,
    parameters: dict[str, Any],
    discovery_errors: Sequence[str] = (),
) -> dict[str, Any]:
    requests, pauses = pipeline.stats()
    summary = tally.summary(
        kind,
        discovered=discovered,
        skipped=skipped,
        requests=requests,
        throttle_pauses=pauses,
        elapsed_seconds=time.monotonic() - started,
    )
    publish_run_artifacts(
        kind, summary, tally.failures, title=title, parameters=parameters, discovery_errors=discovery_errors
    )
    get_run_logger().info(
        "%s: %d discovered, %d new, %d loaded, %d unchanged, %d unsupported, %d failed, %d requests, %.1f s",
        title,
        summary.discovered,
        summary.new,
        summary.loaded,
        summary.unchanged,
        summary.unsupported_total,
        summary.failed,
        summary.requests,
        summary.elapsed_seconds,
    )
    if discovery_errors:
        raise EdgarError(
            f"discovery failed for {len(discovery_errors)} source(s) of the window: {discovery_errors[0]}",
            hint="the filings that were found were processed; run again to complete the window",
        )
    return summary.as_dict()


def _ingest_window(
    kind: str,
    title: str,
    *,
    start: date | None,
    end: date | None,
    ciks: Sequence[int] | None,
    forms: Sequence[str] | None,
    batch_size: int,
    straggler_retries: int,
    straggler_retry_delay_seconds: float,
    parameters: dict[str, Any],
) -> dict[str, Any]:
    started = time.monotonic()
    settings = load_settings()
    today = datetime.now(UTC).date()
    start = start or settings.full_index_start
    end = end or today
    if end < start:
        raise RunInputError(f"bad date range: end {end} is before start {start}", hint="swap the dates")
    pipeline = _open(settings)
    try:
        # Explicit CIKs narrow a run to them; otherwise the configured CIKs plus the company-name search.
        patterns = settings.company_patterns if ciks is None else ()
        refs, errors = _discover(
            pipeline,
            start=start,
            end=end,
            ciks=tuple(settings.ciks if ciks is None else ciks),
            patterns=patterns,
            forms=tuple(forms or settings.forms),
        )
        # sync retries every unsettled filing, a backfill those of its window.
        retry_window = (None, None) if kind == "sync" else (start, end)
        retries = _unsettled_refs(
            pipeline,
            start=retry_window[0],
            end=retry_window[1],
            ciks=ciks,
            forms=tuple(forms or settings.forms),
        )
        found = {ref.accession_no for ref in refs}
        refs = sorted([*refs, *(r for r in retries if r.accession_no not in found)], key=_filing_order)
        skipped = _done_in_window(pipeline, start, end)
        tally = _process(
            pipeline,
            refs,
            kind=kind,
            batch_size=batch_size,
            straggler_retries=straggler_retries,
            straggler_retry_delay_seconds=straggler_retry_delay_seconds,
        )
        return _finish(
            pipeline,
            kind,
            title,
            tally,
            started=started,
            discovered=len(refs) + skipped,
            skipped=skipped,
            parameters=parameters,
            discovery_errors=errors,
        )
    finally:
        pipeline.close()


# --------------------------------------------------------------------------------------------------- flows


def _sync_run_name() -> str:
    from prefect.runtime import flow_run

    when = flow_run.scheduled_start_time or datetime.now(UTC)
    return f"sync-{when:%Y-%m-%d-%H%M}"


_TASK_RUNNER = ThreadPoolTaskRunner(max_workers=MAX_WORKERS)


@flow(name="imh-edgar-sync", flow_run_name=_sync_run_name, task_runner=_TASK_RUNNER, log_prints=False)
def sync(
    lookback_days: int = 30,
    batch_size: int = BATCH_SIZE,
    straggler_retries: int = 2,
    straggler_retry_delay_seconds: float = 10.0,
) -> dict[str, Any]:
    """Ingest what EDGAR published since the last run (the scheduled job).

    The window starts ``lookback_days`` before the newest filing already done (late-listed filings and a
    missed day are caught up), or at ``IMH_FULL_INDEX_START`` on an empty database.
    """
    settings = load_settings()
    engine_pipeline = Pipeline(settings, offline=True)
    try:
        upgrade(engine_pipeline.engine)
        table = Filing.__table__
        newest = read(
            engine_pipeline.engine,
            lambda conn: conn.execute(
                select(func.max(table.c.filed)).where(_settled(table))
            ).scalar_one_or_none(),
        )
    finally:
        engine_pipeline.close()
    start = newest - timedelta(days=lookback_days) if newest is not None else None
    return _ingest_window(
        "sync",
        "Sync",
        start=start,
        end=None,
        ciks=None,
        forms=None,
        batch_size=batch_size,
        straggler_retries=straggler_retries,
        straggler_retry_delay_seconds=straggler_retry_delay_seconds,
        parameters={"since": start or settings.full_index_start, "lookback_days": lookback_days},
    )


@flow(
    name="imh-edgar-backfill",
    flow_run_name="backfill-{start}-to-{end}",
    task_runner=_TASK_RUNNER,
    log_prints=False,
)
def backfill(
    start: date,
    end: date,
    ciks: list[int] | None = None,
    forms: list[str] | None = None,
    batch_size: int = BATCH_SIZE,
    straggler_retries: int = 2,
    straggler_retry_delay_seconds: float = 10.0,
) -> dict[str, Any]:
    """Ingest every filing filed from ``start`` to ``end`` (inclusive); resumable, safe twice or beside sync.

    ``ciks`` narrows the run to those registrants (no name search); ``forms`` overrides ``IMH_FORMS``.
    """
    return _ingest_window(
        "backfill",
        f"Backfill {start} to {end}",
        start=start,
        end=end,
        ciks=ciks,
        forms=forms,
        batch_size=batch_size,
        straggler_retries=straggler_retries,
        straggler_retry_delay_seconds=straggler_retry_delay_seconds,
        parameters={"start": start, "end": end, "ciks": ciks, "forms": forms},
    )


@flow(
    name="imh-edgar-ingest-filing",
    flow_run_name="ingest-{accession}",
    task_runner=_TASK_RUNNER,
    log_prints=False,
)
def ingest_filing(accession: str, cik: int | None = None) -> dict[str, Any]:
    """Fetch, parse and load one filing (for a person fixing one case); ``cik`` is needed for a new filing."""
    started = time.monotonic()
    settings = load_settings()
    accession = normalize_accession(accession)
    pipeline = _open(settings)
    try:
        if cik is None:
            table = Filing.__table__
            cik = read(
                pipeline.engine,
                lambda conn: conn.execute(
                    select(table.c.cik).where(table.c.accession_no == accession)
                ).scalar_one_or_none(),
            )
            if cik is None:
                raise RunInputError(
                    f"filing {accession} is not in the database", hint="pass its CIK: --cik 1017447"
                )
        fetched = fetch_by_accession(pipeline.client, pipeline.store, accession, cik)
        state = process_filing.with_options(retries=2, retry_delay_seconds=[2, 10])(
            pipeline, fetched.ref, accession, "ingest", return_state=True
        )
        result = state.result(raise_on_failure=False)
        outcome = result.outcome if isinstance(result, FilingFailedError) else result
        if not isinstance(outcome, FilingOutcome):
            raise result
        if fetched.fetched:
            outcome = replace(outcome, fetched=True)
        return _finish(
            pipeline,
            "ingest-filing",
            f"Ingest {accession}",
            Tally.of(_with_attempts(pipeline, [outcome])),
            started=started,
            discovered=1,
            skipped=0,
            parameters={"accession": accession, "cik": cik},
        )
    finally:
        pipeline.close()


def _refs_from_database(pipeline: Pipeline, accessions: Sequence[str]) -> list[FilingRef]:
    filing, company = Filing.__table__, FilingCompany.__table__
    query = (
        select(filing, company.c.company_name)
        .join(company, (company.c.filing_id == filing.c.id) & (company.c.cik == filing.c.cik), isouter=True)
        .where(filing.c.accession_no.in_(list(accessions)))
    )
    rows = read(pipeline.engine, lambda conn: conn.execute(query).mappings().all())
    refs = [
        FilingRef(
            accession_no=row["accession_no"],
            cik=row["cik"],
            company_name=row["company_name"] or "",
            form=row["form"],
            filed=row["filed"],
            period=row["period"],
            url=row["url"] or submission_txt_url(pipeline.settings, row["cik"], row["accession_no"]),
        )
        for row in rows
    ]
    return sorted(refs, key=_filing_order)


@flow(name="imh-edgar-reparse", flow_run_name="reparse-{scope}", task_runner=_TASK_RUNNER, log_prints=False)
def reparse(
    scope: str = "outdated",
    accessions: list[str] | None = None,
    batch_size: int = BATCH_SIZE,
) -> dict[str, Any]:
    """Parse and load again from the raw store, with no network at all.

    ``scope="outdated"`` (default): filings loaded by another parser version, unsupported ones (a parser may
    exist now) and those that failed at parse or load. ``scope="all"``: every recorded filing. ``accessions``:
    exactly those.
    """
    started = time.monotonic()
    if scope not in ("outdated", "all"):
        raise RunInputError(f"scope must be 'outdated' or 'all', got {scope!r}")
    settings = load_settings()
    pipeline = _open(settings, offline=True)
    try:
        if accessions:
            wanted = [normalize_accession(a) for a in accessions]
        elif scope == "all":
            wanted = sorted(known_accessions(pipeline.engine))
        else:
            wanted = filings_needing_reparse(pipeline.engine, PARSER_VERSION)
        refs = _refs_from_database(pipeline, wanted)
        missing = sorted(set(wanted) - {r.accession_no for r in refs})
        if missing:
            raise RunInputError(f"not in the database: {', '.join(missing[:5])}", hint="ingest them first")
        tally = _process(
            pipeline,
            refs,
            kind="reparse",
            batch_size=batch_size,
            straggler_retries=0,
            straggler_retry_delay_seconds=0.0,
        )
        return _finish(
            pipeline,
            "reparse",
            f"Reparse ({scope}, parser {PARSER_VERSION})",
            tally,
            started=started,
            discovered=len(refs),
            skipped=0,
            parameters={"scope": scope, "accessions": accessions},
        )
    finally:
        pipeline.close()
