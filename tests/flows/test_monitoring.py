"""The run summary and failure table, as plain data (no Prefect)."""

from __future__ import annotations

from flows.monitoring import Tally, failure_rows, summarize, summary_markdown
from flows.pipeline import FilingOutcome

ARCHIVES = "https://www.sec.gov/Archives/edgar/data/1017447"


def _outcome(accession: str, status: str, **kwargs: object) -> FilingOutcome:
    return FilingOutcome(
        accession_no=accession,
        cik=1017447,
        form="8-K",
        status=status,
        edgar_link=f"{ARCHIVES}/{accession.replace('-', '')}/{accession}-index.htm",
        **kwargs,  # type: ignore[arg-type]
    )


OUTCOMES = [
    _outcome(
        "0001020242-03-000013", "loaded", fetched=True, parsed=True, discrepancies=2, template="trustee-text"
    ),
    _outcome("0001020242-03-000161", "unchanged", parsed=True, template="trustee-html"),
    _outcome("0001020242-04-000001", "unsupported", fetched=True, template="trustee-2004"),
    _outcome("0001056404-04-000002", "unsupported", fetched=True, template="ctslink"),
    _outcome("0001056404-04-000003", "unsupported", fetched=True, template="ctslink"),
    _outcome(
        "0001020242-02-000305",
        "failed",
        fetched=True,
        stage="parse",
        error="section 'Contents', line 50: truncated",
    ),
]


def test_summary_counts_each_outcome_once() -> None:
    summary = summarize(
        "backfill", OUTCOMES, discovered=10, skipped=4, requests=9, throttle_pauses=1, elapsed_seconds=2.5
    )
    assert (summary.new, summary.fetched, summary.parsed) == (6, 5, 2)
    assert (summary.loaded, summary.unchanged, summary.failed) == (1, 1, 1)
    assert summary.unsupported == {"ctslink": 2, "trustee-2004": 1}
    assert summary.unsupported_total == 3
    assert summary.templates == {
        "(not read)": {"failed": 1},
        "ctslink": {"unsupported": 2},
        "trustee-2004": {"unsupported": 1},
        "trustee-html": {"unchanged": 1},
        "trustee-text": {"loaded": 1},
    }
    assert summary.discrepancies == 2
    assert summary.as_dict()["throttle_pauses"] == 1


def test_summary_markdown_shows_every_count_and_the_filings_by_template_and_status() -> None:
    summary = summarize(
        "backfill", OUTCOMES, discovered=10, skipped=4, requests=9, throttle_pauses=1, elapsed_seconds=2.5
    )
    text = summary_markdown(
        summary, title="Backfill 2002-01-01 to 2004-12-31", parameters={"start": "2002-01-01"}
    )
    for row in (
        "| discovered | 10 |",
        "| skipped | 4 |",
        "| loaded | 1 |",
        "| unchanged | 1 |",
        "| failed | 1 |",
        "| data-quality discrepancies | 2 |",
        "| requests to EDGAR | 9 |",
        "| throttle pauses | 1 |",
        "| template | loaded | unchanged | unsupported | failed |",
        "| trustee-text | 1 | 0 | 0 | 0 |",
        "| trustee-html | 0 | 1 | 0 | 0 |",
        "| ctslink | 0 | 0 | 2 | 0 |",
        "| trustee-2004 | 0 | 0 | 1 | 0 |",
        "| (not read) | 0 | 0 | 0 | 1 |",
    ):
        assert row in text
    assert "`start=2002-01-01`" in text and "1 filing(s) failed" in text


def test_discovery_failures_are_listed_in_the_summary() -> None:
    summary = summarize(
        "sync", [], discovered=0, skipped=0, requests=1, throttle_pauses=0, elapsed_seconds=0.1
    )
    text = summary_markdown(summary, title="Sync", discovery_errors=["CIK 1017447: SEC answered HTTP 503"])
    assert "Discovery failed" in text and "CIK 1017447: SEC answered HTTP 503" in text
    assert "No filing failed." in text


def test_failure_rows_name_the_stage_the_error_and_the_filing_on_edgar() -> None:
    rows = failure_rows(OUTCOMES)
    assert rows == [
        {
            "accession": "0001020242-02-000305",
            "cik": "1017447",
            "form": "8-K",
            "stage": "parse",
            "error": "section 'Contents', line 50: truncated",
            "attempts": "0",
            "edgar": "https://www.sec.gov/Archives/edgar/data/1017447/000102024202000305/0001020242-02-000305-index.htm",
        }
    ]


def test_a_tally_merged_from_batches_keeps_counts_and_only_the_failed_outcomes() -> None:
    first, second = Tally.of(OUTCOMES[:3]), Tally.of(OUTCOMES[3:])
    first.merge(second)
    assert first.failures == [OUTCOMES[-1]]
    kwargs = {"discovered": 10, "skipped": 4, "requests": 9, "throttle_pauses": 1, "elapsed_seconds": 2.5}
    assert first.summary("backfill", **kwargs) == summarize("backfill", OUTCOMES, **kwargs)  # type: ignore[arg-type]


def test_a_failure_taken_out_for_a_retry_counts_only_as_its_final_outcome() -> None:
    tally = Tally.of(OUTCOMES)
    (failed,) = tally.take_failures()
    tally.add(_outcome(failed.accession_no, "loaded", parsed=True))  # the retry loaded it without a request
    summary = tally.summary(
        "backfill", discovered=6, skipped=0, requests=5, throttle_pauses=0, elapsed_seconds=1.0
    )
    assert (summary.new, summary.fetched, summary.parsed, summary.loaded, summary.failed) == (6, 4, 3, 2, 0)
    assert tally.failures == []
