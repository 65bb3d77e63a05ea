"""Issue 3 "Done when", end to end on a small mirror served by the local test server.

Discovery finds exactly the filings present (including those only on older submissions pages and series CIKs
found only by name), each new filing costs one request, the raw store holds every byte with its hash, a second
run costs at most two requests, and a throttled server makes every worker pause rather than retry.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from edgar_testkit import FakeClock, local_settings
from sgml_mirror import (
    FILING_02_000305,
    FILING_03_000013,
    FILING_03_000161,
    FILING_96_000135,
    FILING_99_000029,
    FilerFacts,
    Mirror,
    series_filing,
    with_real_body,
)

from edgar.client import EdgarClient
from edgar.discovery import discover_filings
from edgar.fetch import fetch_submission
from edgar.raw_store import RawStore
from edgar.records import FilingRef
from edgar.testserver import EdgarTestServer

START, END = date(1996, 7, 1), date(2003, 3, 31)

ISSUANCE_2002_3 = replace(
    series_filing(
        "0000882377-02-000401",
        1017447,
        "IMH ASSETS CORP",
        "8-K",
        date(2002, 7, 1),
        date(2002, 6, 27),
        "333-83600",
        "d1234.txt",
    ),
    # a co-registrant filing: listed under both CIKs in company.idx, found once
    filers=(
        FilerFacts(1017447, "IMH ASSETS CORP", "ASSET-BACKED SECURITIES [6189]", "8-K", "333-83600"),
        FilerFacts(
            1176322,
            "COLLATERALIZED ASSET-BACKED BONDS SERIES 2002-3",
            "ASSET-BACKED SECURITIES [6189]",
            "8-K",
            "333-83600-01",
        ),
    ),
)
PROSPECTUS_2001 = replace(
    series_filing(
        "0000882377-01-500107",
        1017447,
        "IMH ASSETS CORP",
        "424B5",
        date(2001, 5, 25),
        date(2001, 5, 25),
        "333-54966",
        "d25969.txt",
    ),
    period=None,
)
SERIES_2003_1 = series_filing(
    "0001020242-03-000300",
    1217024,
    "IMH ASSETS CORP IPAC CMB TRUST SERIES 2003-1",
    "8-K",
    date(2003, 3, 5),
    date(2003, 2, 25),
    "333-83600-07",
    "im030102.htm",
)
ISAC_AMENDMENT = series_filing(
    "0001020242-03-000207",
    1018905,
    "IMPAC SECURED ASSETS CORP",
    "8-K/A",
    date(2003, 1, 21),
    date(2002, 12, 26),
    "333-66328",
    "im02s212.txt",
)
SERIES_10K = series_filing(
    "0001020242-03-000500",
    1076336,
    "IMPAC CMB TRUST SERIES 1998-3",
    "10-K",
    date(2003, 3, 28),
    date(2002, 12, 31),
    "333-38879-05",
    "k.txt",
)

IMH_OWN = [
    FILING_96_000135,
    FILING_02_000305,
    with_real_body(FILING_03_000013),
    FILING_03_000161,
    ISSUANCE_2002_3,
]
SERIES = [FILING_99_000029, SERIES_2003_1, ISAC_AMENDMENT]
EXPECTED = {f.accession for f in IMH_OWN + SERIES}


@pytest.fixture
def mirror(tmp_path: Path) -> Mirror:
    m = Mirror(tmp_path / "mirror")
    for facts in [*IMH_OWN, *SERIES, PROSPECTUS_2001, SERIES_10K]:
        m.add(facts)
    # only the depositor has a submissions JSON here; two filings per page puts most of them on older pages
    m.write_submissions(1017447, "IMH ASSETS CORP", page_size=2)
    m.extra_index_rows.append(
        (
            "AAMES CAPITAL CORP",
            "8-K",
            913951,
            date(1998, 12, 31),
            "edgar/data/913951/0001011438-98-000429.txt",
        )
    )
    m.write_full_index(START, END)
    return m


def _fetch_all(
    client: EdgarClient, store: RawStore, refs: tuple[FilingRef, ...], workers: int = 3
) -> list[int]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [f.requests for f in pool.map(lambda r: fetch_submission(client, store, r), refs)]


@pytest.mark.slow
def test_discovery_fetch_and_store_on_a_mirror(tmp_path: Path, mirror: Mirror) -> None:
    with EdgarTestServer(mirror.root) as server:
        settings = local_settings(tmp_path, server.url)
        store = RawStore(settings.raw_store_location)
        with EdgarClient(settings) as client:
            found = discover_filings(client, start=START, end=END)

            assert {r.accession_no for r in found.refs} == EXPECTED
            assert len(found.refs) == len(EXPECTED)  # the co-registrant filing appears once
            assert found.pages_read == 3  # recent + two older pages
            assert {1076336, 1217024, 1018905} <= found.ciks_by_name
            assert found.missing_indexes == ()
            by_accession = {r.accession_no: r for r in found.refs}
            assert by_accession["0000882377-96-000135"].period == date(1996, 8, 29)  # from an older page
            assert by_accession["0001020242-03-000300"].company_name == SERIES_2003_1.filers[0].name

            server.reset_stats()
            costs = _fetch_all(client, store, found.refs)
            assert costs == [1] * len(EXPECTED)
            txt_requests = {p: n for p, n in server.stats.paths.items() if p.endswith(".txt")}
            assert sorted(txt_requests.values()) == [1] * len(EXPECTED)
            assert server.stats.total == len(EXPECTED)

            for ref in found.refs:
                served = (
                    mirror.root
                    / "Archives/edgar/data"
                    / str(ref.cik)
                    / ref.folder
                    / f"{ref.accession_no}.txt"
                ).read_bytes()
                manifest = store.get_filing(ref.cik, ref.accession_no)
                assert manifest is not None
                assert manifest.file(f"{ref.accession_no}.txt").sha256 == hashlib.sha256(served).hexdigest()
                assert store.read(ref.cik, ref.accession_no, f"{ref.accession_no}.txt") == served
            assert store.partial_files() == []

            server.reset_stats()
            again = discover_filings(client, start=START, end=END, known=EXPECTED)
            assert again.refs == ()
            assert again.requests <= 2
            assert server.stats.total == again.requests
            assert _fetch_all(client, store, found.refs) == [0] * len(EXPECTED)
            assert server.stats.total == again.requests
            assert discover_filings(client, start=START, end=END, full=True).pages_read == 3  # no cache


@pytest.mark.slow
def test_a_new_filing_is_found_by_the_cheap_second_run(tmp_path: Path, mirror: Mirror) -> None:
    with EdgarTestServer(mirror.root) as server:
        settings = local_settings(tmp_path, server.url)
        with EdgarClient(settings) as client:
            first = discover_filings(client, start=START, end=END)
            newer = series_filing(
                "0001020242-03-000310",
                1017447,
                "IMH ASSETS CORP",
                "8-K",
                date(2003, 3, 20),
                date(2003, 3, 25),
                "333-06637",
                "im020303.txt",
            )
            mirror.add(newer)
            mirror.write_submissions(1017447, "IMH ASSETS CORP", page_size=2)
            second = discover_filings(
                client, start=START, end=END, known={r.accession_no for r in first.refs}
            )
    assert [r.accession_no for r in second.refs] == ["0001020242-03-000310"]
    # the first page, and the one new older page; the two unchanged older pages come from the cache
    assert (second.requests, second.pages_read) == (2, 2)


@pytest.mark.slow
def test_a_throttled_server_makes_every_worker_pause(tmp_path: Path, mirror: Mirror) -> None:
    with EdgarTestServer(mirror.root, block_seconds=0.3, throttle_status=429) as server:
        settings = local_settings(tmp_path, server.url, throttle_pause_seconds=0.8)
        store = RawStore(settings.raw_store_location)
        with EdgarClient(settings) as client:
            refs = discover_filings(client, start=START, end=END).refs
            server.reset_stats()
            third = refs[2].url.removeprefix(server.url)
            server.inject(third, "throttle")
            costs = _fetch_all(client, store, refs, workers=3)
        stats = server.stats
    throttled_at = stats.first_throttle_at()
    assert throttled_at is not None
    assert client.stats.throttle_pauses == 1
    assert stats.throttle_responses <= 3  # only requests already on the wire; no retry storm
    assert stats.arrivals_between(throttled_at + 0.1, throttled_at + 0.75) == 0
    assert sum(costs) == len(refs) + stats.throttle_responses  # each throttled request was asked once more
    assert all(store.has_filing(r.cik, r.accession_no) for r in refs)


@pytest.mark.slow
def test_the_current_quarter_is_asked_conditionally_and_past_ones_come_from_the_cache(
    tmp_path: Path, mirror: Mirror
) -> None:
    # "today" is inside 2003 Q1, the mirror's last quarter: that index may still grow, the others are final
    clock = FakeClock(start=datetime(2003, 3, 30, 12, tzinfo=UTC).timestamp())
    with EdgarTestServer(mirror.root) as server:
        settings = local_settings(tmp_path, server.url)
        with EdgarClient(settings, clock=clock) as client:
            first = discover_filings(client, start=START)
            known = {r.accession_no for r in first.refs}
            second = discover_filings(client, start=START, known=known)
            assert (second.refs, second.requests, client.stats.not_modified) == ((), 2, 1)

            late = series_filing(
                "0001020242-03-000320",
                1176349,
                "IMPAC SECURED ASSETS CORP MORTGAGE PASS THR CERT SER 2002-3",
                "8-K",
                date(2003, 3, 28),
                date(2003, 3, 25),
                "333-66328-04",
                "im02s303.txt",
            )
            mirror.add(late)
            mirror.write_full_index(date(2003, 1, 1), END)
            third = discover_filings(client, start=START, known=known)
    assert [r.accession_no for r in third.refs] == ["0001020242-03-000320"]
    assert third.requests == 2
    assert first.requests == 3 + 27  # three submissions pages, 27 quarters 1996 Q3 .. 2003 Q1
