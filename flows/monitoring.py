"""What a run tells the people watching it: the counts, the failures, the progress (Prefect UI and CLI).

The pure half (:class:`RunSummary`, :func:`summary_markdown`, :func:`failure_rows`) is plain data and text,
tested without Prefect; :func:`publish_run_artifacts` and :class:`Progress` put them on the flow run as
artifacts.
Artifact keys are lowercase-with-dashes (Prefect rejects anything else), one family per flow:
``<flow>-summary``, ``<flow>-failures``, ``<flow>-progress``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from flows.pipeline import FilingOutcome

__all__ = [
    "Progress",
    "RunSummary",
    "Tally",
    "failure_rows",
    "listen_to_progress",
    "publish_run_artifacts",
    "summarize",
    "summary_markdown",
]

ProgressListener = Callable[[int, int, str], None]  # (done, total, what)
_listeners: list[ProgressListener] = []
_listeners_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class RunSummary:
    """The counts of one flow run; ``as_dict()`` is the flow's return value."""

    flow: str
    discovered: int = 0  # filings discovery saw in the window (new + already done)
    new: int = 0  # not yet loaded/recorded as done: the work of this run
    skipped: int = 0  # already done before this run (resumability: never fetched again)
    fetched: int = 0  # downloaded in this run (one request each); the rest came from the raw store
    parsed: int = 0
    loaded: int = 0  # loaded with new or changed rows
    unchanged: int = 0  # loaded again and nothing differed: no row written
    failed: int = 0
    unsupported: dict[str, int] = field(default_factory=dict)  # template -> filings
    # template -> status -> filings: what this run met, per statement layout ("(not read)": failed before
    # its template was known, e.g. at download)
    templates: dict[str, dict[str, int]] = field(default_factory=dict)
    discrepancies: int = 0  # reconciliation discrepancies in the statements of this run
    requests: int = 0  # HTTP requests this run made to EDGAR (discovery included)
    throttle_pauses: int = 0
    elapsed_seconds: float = 0.0

    @property
    def unsupported_total(self) -> int:
        return sum(self.unsupported.values())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_NOT_READ = "(not read)"


@dataclass(slots=True)
class Tally:
    """The outcomes of a run folded as they arrive: counters, plus the failed outcomes themselves.

    A run keeps this rather than every filing's outcome, so its memory does not grow with the number of
    filings (only failures are kept whole: the failures table and the stragglers need them).
    """

    fetched: int = 0
    parsed: int = 0
    loaded: int = 0
    unchanged: int = 0
    discrepancies: int = 0
    done: int = 0  # outcomes folded in that did not fail
    unsupported: Counter[str] = field(default_factory=Counter)
    by_template: Counter[tuple[str, str]] = field(default_factory=Counter)  # (template, status) but failures
    failures: list[FilingOutcome] = field(default_factory=list)

    @classmethod
    def of(cls, outcomes: Iterable[FilingOutcome]) -> Tally:
        tally = cls()
        for outcome in outcomes:
            tally.add(outcome)
        return tally

    def add(self, outcome: FilingOutcome) -> None:
        self.fetched += outcome.fetched
        self.parsed += outcome.parsed
        self.discrepancies += outcome.discrepancies
        if outcome.status == "failed":
            self.failures.append(outcome)
            return
        self.done += 1
        self.by_template[(outcome.template or _NOT_READ, outcome.status)] += 1
        self.loaded += outcome.status == "loaded"
        self.unchanged += outcome.status == "unchanged"
        if outcome.status == "unsupported":
            self.unsupported[outcome.template or "unknown"] += 1

    def merge(self, other: Tally) -> None:
        for name in ("fetched", "parsed", "loaded", "unchanged", "discrepancies", "done"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.unsupported.update(other.unsupported)
        self.by_template.update(other.by_template)
        self.failures.extend(other.failures)

    def take_failures(self) -> list[FilingOutcome]:
        """Take the failed outcomes out (to retry them), as if they had never been added."""
        failures, self.failures = self.failures, []
        for outcome in failures:
            self.fetched -= outcome.fetched
            self.parsed -= outcome.parsed
            self.discrepancies -= outcome.discrepancies
        return failures

    @property
    def total(self) -> int:
        return self.done + len(self.failures)

    def _templates(self) -> dict[str, dict[str, int]]:
        counts = self.by_template + Counter((f.template or _NOT_READ, "failed") for f in self.failures)
        table: dict[str, dict[str, int]] = {}
        for (template, status), count in sorted(counts.items()):
            table.setdefault(template, {})[status] = count
        return table

    def summary(
        self,
        flow: str,
        *,
        discovered: int,
        skipped: int,
        requests: int,
        throttle_pauses: int,
        elapsed_seconds: float,
    ) -> RunSummary:
        return RunSummary(
            flow=flow,
            discovered=discovered,
            new=self.total,
            skipped=skipped,
            fetched=self.fetched,
            parsed=self.parsed,
            loaded=self.loaded,
            unchanged=self.unchanged,
            failed=len(self.failures),
            unsupported=dict(sorted(self.unsupported.items())),
            templates=self._templates(),
            discrepancies=self.discrepancies,
            requests=requests,
            throttle_pauses=throttle_pauses,
            elapsed_seconds=round(elapsed_seconds, 3),
        )


def summarize(
    flow: str,
    outcomes: Iterable[FilingOutcome],
    *,
    discovered: int,
    skipped: int,
    requests: int,
    throttle_pauses: int,
    elapsed_seconds: float,
) -> RunSummary:
    """Fold the final outcome of every filing of a run into its :class:`RunSummary`."""
    return Tally.of(outcomes).summary(
        flow,
        discovered=discovered,
        skipped=skipped,
        requests=requests,
        throttle_pauses=throttle_pauses,
        elapsed_seconds=elapsed_seconds,
    )


def summary_markdown(
    summary: RunSummary,
    *,
    title: str,
    parameters: Mapping[str, Any] | None = None,
    discovery_errors: Sequence[str] = (),
) -> str:
    """The run summary as a markdown artifact: one table of counts, then what needs attention."""
    rows = [
        ("discovered", summary.discovered, "filings found in the window"),
        ("new", summary.new, "not done before this run"),
        ("skipped", summary.skipped, "already loaded or recorded: not fetched again"),
        ("fetched", summary.fetched, "downloaded now, one request each"),
        ("parsed", summary.parsed, ""),
        ("loaded", summary.loaded, "rows written"),
        ("unchanged", summary.unchanged, "reloaded, nothing differed, nothing written"),
        ("unsupported", summary.unsupported_total, "recognised template without a parser yet"),
        ("failed", summary.failed, "see the failures table"),
        ("data-quality discrepancies", summary.discrepancies, "reconciliation checks that did not hold"),
        ("requests to EDGAR", summary.requests, ""),
        ("throttle pauses", summary.throttle_pauses, "SEC said slow down; every worker paused"),
        ("elapsed", f"{summary.elapsed_seconds:.1f} s", ""),
    ]
    lines = [f"# {title}", ""]
    if parameters:
        shown = ", ".join(f"`{k}={v}`" for k, v in parameters.items() if v is not None)
        if shown:
            lines += [f"Parameters: {shown}", ""]
    lines += ["| | count | |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {note} |" for name, value, note in rows]
    if summary.templates:
        statuses = ("loaded", "unchanged", "unsupported", "failed")
        lines += ["", "## Filings by template and status", ""]
        lines += ["| template | " + " | ".join(statuses) + " |", "|---" + "|---:" * len(statuses) + "|"]
        lines += [
            f"| {template} | " + " | ".join(str(counts.get(status, 0)) for status in statuses) + " |"
            for template, counts in summary.templates.items()
        ]
    if discovery_errors:
        lines += ["", "## Discovery failed for part of the window", ""]
        lines += [f"- {error}" for error in discovery_errors]
        lines += ["", "The filings that were found were processed; run again to complete the window."]
    lines += [""]
    if summary.failed:
        lines.append(
            f"**{summary.failed} filing(s) failed**: see the failures table; the next run retries them."
        )
    else:
        lines.append("No filing failed.")
    return "\n".join(lines) + "\n"


def failure_rows(outcomes: Iterable[FilingOutcome]) -> list[dict[str, str]]:
    """One row per failed filing: what, where it stopped, why, and the filing on EDGAR."""
    return [
        {
            "accession": o.accession_no,
            "cik": str(o.cik),
            "form": o.form,
            "stage": o.stage or "",
            "error": o.error or "",
            "attempts": str(o.attempts),
            "edgar": o.edgar_link,
        }
        for o in outcomes
        if o.status == "failed"
    ]


def publish_run_artifacts(
    key_prefix: str,
    summary: RunSummary,
    outcomes: Iterable[FilingOutcome],
    *,
    title: str,
    parameters: Mapping[str, Any] | None = None,
    discovery_errors: Sequence[str] = (),
) -> None:
    """Attach the summary (markdown) and, if anything failed, the failures (table) to the current flow run."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_markdown_artifact(
        markdown=summary_markdown(
            summary, title=title, parameters=parameters, discovery_errors=discovery_errors
        ),
        key=f"{key_prefix}-summary",
        description=f"{title}: counts of this run",
    )
    rows = failure_rows(outcomes)
    if rows:
        create_table_artifact(
            table=rows,
            key=f"{key_prefix}-failures",
            description=f"{title}: filings that failed (the next run retries them)",
        )


@contextmanager
def listen_to_progress(listener: ProgressListener) -> Iterator[None]:
    """Call ``listener(done, total, what)`` whenever a flow of this process advances (CLI progress bar)."""
    with _listeners_lock:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _listeners_lock:
            _listeners.remove(listener)


class Progress:
    """Progress of one flow run: a Prefect progress artifact (0-100) plus the in-process listeners."""

    def __init__(self, key: str, total: int, what: str, *, artifact: bool = True) -> None:
        self.total = total
        self.done = 0
        self.what = what
        self._artifact_id = None
        if artifact:
            from prefect.artifacts import create_progress_artifact

            self._artifact_id = create_progress_artifact(
                progress=0.0 if total else 100.0, key=key, description=f"{what}: share done"
            )
        self._notify()

    def advance(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        if self._artifact_id is not None and self.total:
            from prefect.artifacts import update_progress_artifact

            update_progress_artifact(self._artifact_id, progress=round(100.0 * self.done / self.total, 1))
        self._notify()

    def _notify(self) -> None:
        with _listeners_lock:
            listeners = list(_listeners)
        for listener in listeners:
            listener(self.done, self.total, self.what)
