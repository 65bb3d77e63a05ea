"""One filing through edgar -> parsers -> db, as plain Python: the library code the Prefect tasks call.

Nothing here imports Prefect, so it is tested and timed on its own (bench/ compares a flow with a plain loop
over these functions). Every outcome is recorded in the database (``filing.status/stage/error/attempts``) and
returned as data: a failure of one filing is a :class:`FilingOutcome`, never an exception that stops the
others.

Statuses a filing ends a run in:

* ``loaded``      the statement's rows were written (new, or replacing an older parse / an amended month);
* ``unchanged``   loaded again and every row was identical: nothing written;
* ``unsupported`` a recognised template without a parser yet (``template`` names it). Stored raw, never
                  loaded as data; ``reparse`` picks it up once a parser exists;
* ``failed``      ``stage`` (fetch / parse / load / pipeline) and ``error`` say where and why;
                  ``retryable`` says whether a later attempt can help (5xx, timeout, database away) or
                  not (404, damaged or foreign document). Failures at ``parse`` are deterministic: sync and
                  backfill leave them alone (no rewrite on every run), ``reparse`` redoes them.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from db.engine import make_engine
from db.errors import DatabaseError, DatabaseUnavailableError
from db.load import FilingMeta, load_filing, record_filing
from edgar.client import EdgarClient
from edgar.errors import ConfigurationError, EdgarError
from edgar.fetch import FetchedSubmission, fetch_submission, load_submission
from edgar.raw_store import RawStore
from edgar.records import Document, FilingRef, StoredFiling, Submission
from edgar.settings import Settings
from edgar.urls import filing_index_page_url
from parsers.api import PARSER_VERSION, parse_document
from parsers.detect import Template, detect_template
from parsers.errors import ParseError, UnknownFormatError, UnsupportedTemplateError

__all__ = [
    "FETCHERS",
    "FETCH_AHEAD",
    "FilingOutcome",
    "Pipeline",
    "filing_meta",
    "guarded",
    "ingest_ref",
    "ingest_refs",
    "reparse_ref",
    "statement_documents",
]

log = logging.getLogger(__name__)

Logger = logging.Logger | logging.LoggerAdapter[Any]

#: Requests one consumer keeps in flight: enough to cover a request's latency while parse/load run; the
#: client's rate limiter, shared by every thread, keeps the total at the configured rate.
FETCHERS = 2
#: Filings one consumer lets its fetchers run ahead of parse/load (fetched or in flight, not yet consumed).
#: This bounds the submissions held in memory: fetched bytes are in the raw store already.
FETCH_AHEAD = 8


@dataclass(frozen=True, slots=True)
class FilingOutcome:
    """How one filing ended this attempt (see the module docstring for the statuses)."""

    accession_no: str
    cik: int
    form: str
    status: str  # loaded | unchanged | unsupported | failed
    stage: str | None = None  # fetch | parse | load, where a failure happened
    error: str | None = None  # one line
    template: str | None = None
    fetched: bool = False  # a request was made for it in this attempt (0 when replayed from the raw store)
    parsed: bool = False
    discrepancies: int = 0
    attempts: int = 0  # failed attempts recorded so far
    retryable: bool = False
    edgar_link: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


class Pipeline:
    """The resources one flow run shares across its batches: settings, engine, raw store, EDGAR client.

    ``offline=True`` (reparse) builds no client at all: any attempt to reach EDGAR raises ConfigurationError.
    Thread-safe: the engine pools connections, the client is thread-safe, the store writes atomically.
    """

    def __init__(self, settings: Settings, *, offline: bool = False) -> None:
        self.settings = settings
        self.offline = offline
        self.engine = make_engine(settings.database_location)
        self.store = RawStore(settings.raw_store_location)
        self._client: EdgarClient | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> EdgarClient:
        if self.offline:
            raise ConfigurationError("this run works from the raw store only and may not reach EDGAR")
        with self._lock:
            if self._client is None:
                self._client = EdgarClient(self.settings)
            return self._client

    def stats(self) -> tuple[int, int]:
        """(requests made, throttle pauses) by this pipeline's client so far."""
        if self._client is None:
            return 0, 0
        stats = self._client.stats
        return stats.requests, stats.throttle_pauses

    def edgar_link(self, cik: int, accession_no: str) -> str:
        return filing_index_page_url(self.settings, cik, accession_no)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self.engine.dispose()


def statement_documents(submission: Submission) -> list[tuple[Document, Template]]:
    """The documents holding remittance statements, with their templates, in sequence order.

    Every supported statement counts: one filing may carry several (the 2003 8-K/A re-filings of 2002 months).
    Supported templates win over recognised-but-unsupported ones (the 8-K cover page of a CTSLink filing is
    itself recognisable); when none is supported, the first recognised one stands for the filing (it is then
    recorded as unsupported under that template). Empty when no document is a statement we know.
    """
    supported: list[tuple[Document, Template]] = []
    recognised: list[tuple[Document, Template]] = []
    for document in sorted(submission.documents, key=lambda d: d.sequence):
        template = detect_template(document.body, document.filename)
        if template.supported:
            supported.append((document, template))
        elif template is not Template.UNKNOWN:
            recognised.append((document, template))
    return supported or recognised[:1]


def filing_meta(
    ref: FilingRef,
    submission: Submission | None = None,
    document: Document | None = None,
    stored: StoredFiling | None = None,
    template: str | None = None,
) -> FilingMeta:
    """What db/ records about a filing, from edgar's records (the SGML header wins over the discovery row)."""
    header = submission.header if submission is not None else None
    names = {ref.cik: ref.company_name}
    ciks = [ref.cik]
    if header is not None:
        for filer in header.filers:
            names[filer.cik] = filer.name or names.get(filer.cik, "")
            if filer.cik not in ciks:
                ciks.append(filer.cik)
    document_name = None
    if document is not None:
        # Pre-2001 submissions have no <FILENAME>; the sequence number is the document's identity then.
        document_name = document.filename or f"sequence-{document.sequence}"
    raw = next((f for f in stored.files if f.filename == f"{ref.accession_no}.txt"), None) if stored else None
    return FilingMeta(
        accession_no=ref.accession_no,
        form=header.form if header is not None else ref.form,
        filed=header.filed if header is not None else ref.filed,
        ciks=tuple(ciks),
        period=(header.period if header is not None else None) or ref.period,
        company_names=tuple(names.get(cik, "") for cik in ciks),
        url=ref.url,
        sha256=raw.sha256 if raw is not None else None,
        document_name=document_name,
        template=template,
    )


def ingest_ref(pipeline: Pipeline, ref: FilingRef, *, logger: Logger = log) -> FilingOutcome:
    """Fetch (one request, or none when the raw store has it), parse and load one discovered filing."""
    return _after_fetch(pipeline, ref, lambda: fetch_submission(pipeline.client, pipeline.store, ref), logger)


def ingest_refs(
    pipeline: Pipeline,
    refs: Sequence[FilingRef],
    *,
    logger: Logger = log,
    fetchers: int = FETCHERS,
    ahead: int = FETCH_AHEAD,
) -> Iterator[FilingOutcome]:
    """:func:`ingest_ref` for each filing, in order, with downloads running ahead of parse and load.

    A sequential loop leaves the rate limit idle while it parses and loads (a backfill reached 0.29 of the
    limit that its download stage alone reached 0.94 of). Here ``fetchers`` threads download (into the raw
    store, as always) while this thread parses and loads; at most ``ahead`` filings are fetched or in
    flight and not yet consumed, so memory stays bounded however many filings there are. Outcomes come out
    in the order of ``refs``; each filing fails alone (:func:`guarded`), exactly as with :func:`ingest_ref`.
    """
    if not refs:
        return
    pending = iter(refs)
    window: deque[tuple[FilingRef, Future[FetchedSubmission]]] = deque()
    with ThreadPoolExecutor(max_workers=max(1, fetchers), thread_name_prefix="imh-fetch") as pool:

        def fetch_next() -> None:
            ref = next(pending, None)
            if ref is not None:
                window.append((ref, pool.submit(fetch_submission, pipeline.client, pipeline.store, ref)))

        try:
            for _ in range(max(1, ahead)):
                fetch_next()
            while window:
                ref, future = window.popleft()
                fetch_next()  # keep the window full before the CPU-bound part
                yield guarded(
                    pipeline, ref, partial(_after_fetch, pipeline, ref, future.result, logger), logger=logger
                )
        finally:
            # An abandoned iteration (the consumer stopped) must not leave downloads queued behind it.
            for _, future in window:
                future.cancel()


def _after_fetch(
    pipeline: Pipeline, ref: FilingRef, fetch: Callable[[], FetchedSubmission], logger: Logger
) -> FilingOutcome:
    outcome = _start(pipeline, ref)
    try:
        fetched = fetch()
    except EdgarError as error:
        logger.warning("%s fetch failed: %s", ref.accession_no, error)
        return _fail(pipeline, ref, outcome, "fetch", error, retryable=error.retryable, logger=logger)
    outcome = replace(outcome, fetched=fetched.fetched)
    return _parse_and_load(pipeline, ref, fetched.submission, fetched.stored, outcome, logger=logger)


def reparse_ref(pipeline: Pipeline, ref: FilingRef, *, logger: Logger = log) -> FilingOutcome:
    """Parse and load one filing again from the raw store alone (no network)."""
    outcome = _start(pipeline, ref)
    try:
        stored = pipeline.store.get_filing(ref.cik, ref.accession_no)
        submission = load_submission(pipeline.store, ref.cik, ref.accession_no)
    except EdgarError as error:
        logger.warning("%s is not readable from the raw store: %s", ref.accession_no, error)
        return _fail(pipeline, ref, outcome, "fetch", error, retryable=False, logger=logger)
    return _parse_and_load(pipeline, ref, submission, stored, outcome, logger=logger)


def _start(pipeline: Pipeline, ref: FilingRef) -> FilingOutcome:
    return FilingOutcome(
        accession_no=ref.accession_no,
        cik=ref.cik,
        form=ref.form,
        status="failed",
        edgar_link=pipeline.edgar_link(ref.cik, ref.accession_no),
    )


def _parse_and_load(
    pipeline: Pipeline,
    ref: FilingRef,
    submission: Submission,
    stored: StoredFiling | None,
    outcome: FilingOutcome,
    *,
    logger: Logger,
) -> FilingOutcome:
    statements = statement_documents(submission)
    template = statements[0][1] if statements else Template.UNKNOWN
    try:
        if not statements:
            # Not a statement at all (garbage, an 8-K about something else): a deterministic failure at parse,
            # redone only by `reparse` (a new parser may recognise it), never by sync or backfill.
            raise UnknownFormatError(
                f"no statement template recognised in {len(submission.documents)} document(s)",
                hint="check the filing on EDGAR; if it is a statement, its template needs a parser",
            )
        # A recognised template without a parser (trustee-2004, ctslink) raises UnsupportedTemplateError here.
        parsed = [(doc, parse_document(doc.body, filename=doc.filename)) for doc, _ in statements]
    except UnsupportedTemplateError as error:
        logger.info("%s unsupported template %s: %s", ref.accession_no, error.template, error)
        unsupported = replace(outcome, status="unsupported", template=error.template, error=str(error))
        meta = filing_meta(ref, submission, statements[0][0], stored, error.template)
        return _record(pipeline, meta, unsupported, logger=logger)
    except Exception as error:  # ours (ParseError) or a parser bug: this filing fails, the batch goes on
        if isinstance(error, ParseError):
            logger.warning("%s parse failed: %s", ref.accession_no, error)
        else:
            logger.exception("%s: parser bug (%s)", ref.accession_no, type(error).__name__)
            error = _unexpected(error)
        meta = filing_meta(ref, submission, statements[0][0] if statements else None, stored, template.value)
        failed = replace(outcome, template=template.value)
        return _fail(pipeline, ref, failed, "parse", error, retryable=False, logger=logger, meta=meta)

    discrepancies = sum(len(result.discrepancies) for _, result in parsed)
    outcome = replace(outcome, parsed=True, template=parsed[0][1].template, discrepancies=discrepancies)
    changed = False
    for document, result in parsed:
        if result.discrepancies:
            logger.warning(
                "%s %s: %d reconciliation discrepancies (%s)",
                ref.accession_no,
                document.filename,
                len(result.discrepancies),
                ", ".join(sorted({d.check for d in result.discrepancies})),
            )
        meta = filing_meta(ref, submission, document, stored, result.template)
        try:
            loaded = load_filing(pipeline.engine, meta, result, PARSER_VERSION)
        except DatabaseError as error:
            logger.warning("%s load failed: %s", ref.accession_no, error)
            retryable = isinstance(error, DatabaseUnavailableError)
            return _fail(pipeline, ref, outcome, "load", error, logger=logger, meta=meta, retryable=retryable)
        changed = changed or loaded.changed
        logger.info(
            "%s %s: %s %s (%s)",
            ref.accession_no,
            "loaded" if loaded.changed else "unchanged",
            loaded.deal_name,
            loaded.distribution_date,
            result.template,
        )
    return replace(outcome, status="loaded" if changed else "unchanged")


def _record(pipeline: Pipeline, meta: FilingMeta, outcome: FilingOutcome, *, logger: Logger) -> FilingOutcome:
    """Write the filing's status row; a database that is away turns the outcome into a retryable failure."""
    try:
        record_filing(
            pipeline.engine,
            meta,
            outcome.status,
            stage=outcome.stage,
            error=outcome.error,
            # an unsupported layout is offered to reparse again only once the parser version changes
            parser_version=PARSER_VERSION if outcome.status == "unsupported" else None,
        )
    except DatabaseError as error:
        logger.warning("%s: could not record status %s: %s", meta.accession_no, outcome.status, error)
        if outcome.status == "failed":
            # Keep the original failure (that is what the reader needs); the next run tries again.
            return replace(outcome, retryable=True)
        return replace(outcome, status="failed", stage="load", error=_one_line(error), retryable=True)
    return outcome


def _fail(
    pipeline: Pipeline,
    ref: FilingRef,
    outcome: FilingOutcome,
    stage: str,
    error: Exception,
    *,
    retryable: bool,
    logger: Logger,
    meta: FilingMeta | None = None,
) -> FilingOutcome:
    failed = replace(outcome, status="failed", stage=stage, error=_one_line(error), retryable=retryable)
    return _record(pipeline, meta or filing_meta(ref), failed, logger=logger)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _unexpected(error: Exception) -> Exception:
    return RuntimeError(f"unexpected {type(error).__name__}: {_one_line(error)}")


def guarded(
    pipeline: Pipeline, ref: FilingRef, step: Callable[[], FilingOutcome], *, logger: Logger
) -> FilingOutcome:
    """Run ``step`` so that even a bug outside the parser fails only this filing, loudly."""
    try:
        return step()
    except Exception as error:  # a programming error: log the traceback, keep the batch going
        logger.exception("%s: unexpected %s in the pipeline", ref.accession_no, type(error).__name__)
        return _fail(
            pipeline,
            ref,
            _start(pipeline, ref),
            "pipeline",
            _unexpected(error),
            retryable=False,
            logger=logger,
        )
