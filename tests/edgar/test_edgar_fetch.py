"""Fetch: one request per new filing, raw bytes stored before parsing, index.json fallback, offline replay."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date

import pytest
import responses
from edgar_testkit import FakeClock
from sgml_mirror import FILING_03_000013, FILING_03_000161, render_submission, with_real_body

from edgar.client import EdgarClient
from edgar.errors import BadContentError, NotFoundError
from edgar.fetch import fetch_by_accession, fetch_submission, load_submission
from edgar.raw_store import RawStore
from edgar.records import FilingRef
from edgar.settings import Settings

FOLDER = "https://www.sec.gov/Archives/edgar/data/1017447/000102024203000013"
TXT_URL = f"{FOLDER}/0001020242-03-000013.txt"
LEGACY_URL = "https://www.sec.gov/Archives/edgar/data/1017447/0001020242-03-000013.txt"
REAL = render_submission(with_real_body(FILING_03_000013)).encode("ascii")


def _ref(url: str = TXT_URL) -> FilingRef:
    return FilingRef(
        accession_no="0001020242-03-000013",
        cik=1017447,
        company_name="IMH ASSETS CORP",
        form="8-K",
        filed=date(2003, 1, 2),
        period=date(2002, 12, 26),
        url=url,
        primary_document="im020212.txt",
    )


@pytest.fixture
def client(sec_settings: Settings, clock: FakeClock) -> EdgarClient:
    return EdgarClient(sec_settings, clock=clock, rng=random.Random(1))


@pytest.fixture
def store(sec_settings: Settings) -> RawStore:
    return RawStore(sec_settings.raw_store_location)


@responses.activate
def test_a_new_filing_costs_one_request_and_a_stored_one_none(client: EdgarClient, store: RawStore) -> None:
    responses.get(TXT_URL, body=REAL)
    first = fetch_submission(client, store, _ref())
    assert (first.fetched, first.requests) == (True, 1)
    assert first.primary.filename == "im020212.txt"
    assert first.stored.file("0001020242-03-000013.txt").sha256 == hashlib.sha256(REAL).hexdigest()
    again = fetch_submission(client, store, _ref())
    assert (again.fetched, again.requests) == (False, 0)
    assert again.submission == first.submission
    assert len(responses.calls) == 1


@responses.activate
def test_a_truncated_download_is_fetched_again_and_only_whole_bytes_are_stored(
    client: EdgarClient, store: RawStore
) -> None:
    responses.get(TXT_URL, body=REAL[: len(REAL) - 40])
    responses.get(TXT_URL, body=REAL)
    fetched = fetch_submission(client, store, _ref())
    assert store.read(1017447, "0001020242-03-000013", "0001020242-03-000013.txt") == REAL
    assert fetched.requests == 2


@responses.activate
def test_missing_txt_falls_back_to_index_json_and_the_primary_document(
    client: EdgarClient, store: RawStore
) -> None:
    body = with_real_body(FILING_03_000013).documents[0].body.encode("ascii")
    listing = {"directory": {"item": [{"name": "0001020242-03-000013-index.html"}, {"name": "im020212.txt"}]}}
    responses.get(TXT_URL, status=404)
    responses.get(LEGACY_URL, status=404)
    responses.get(f"{FOLDER}/index.json", json=listing)
    responses.get(f"{FOLDER}/im020212.txt", body=body)
    fetched = fetch_submission(client, store, _ref())
    assert fetched.requests == 4  # two 404s, index.json, the document
    assert fetched.submission.source == "index"
    assert fetched.primary.body.encode("ascii") == body
    assert fetched.submission.header.period == date(2002, 12, 26)
    assert sorted(f.filename for f in fetched.stored.files) == ["im020212.txt", "index.json"]
    replayed = load_submission(store, 1017447, "0001020242-03-000013")  # no ref: facts from the manifest
    assert replayed == fetched.submission


@responses.activate
def test_a_filing_only_at_the_legacy_top_level_path_is_fetched_there(
    client: EdgarClient, store: RawStore
) -> None:
    # 1996 filings are listed as edgar/data/1017447/0000882377-96-000135.txt (imh-filings.md, filing 001)
    responses.get(TXT_URL, status=404)
    responses.get(LEGACY_URL, body=REAL)
    fetched = fetch_submission(client, store, _ref())
    assert fetched.requests == 2
    assert fetched.submission.source == "txt"


@responses.activate
def test_a_filing_missing_everywhere_is_not_found(client: EdgarClient, store: RawStore) -> None:
    responses.get(TXT_URL, status=404)
    responses.get(LEGACY_URL, status=404)
    responses.get(f"{FOLDER}/index.json", status=404)
    with pytest.raises(NotFoundError):
        fetch_submission(client, store, _ref())
    assert not store.has_filing(1017447, "0001020242-03-000013")


@responses.activate
@pytest.mark.parametrize(
    "fetch",
    [
        lambda client, store: fetch_submission(client, store, _ref()),
        lambda client, store: fetch_by_accession(client, store, "0001020242-03-000013", cik=1017447),
    ],
    ids=["fetch_submission", "fetch_by_accession"],
)
def test_another_filing_served_under_this_url_is_refused_and_not_stored(
    client: EdgarClient, store: RawStore, fetch: Callable[[EdgarClient, RawStore], object]
) -> None:
    # Once stored, the wrong bytes would hold this accession's write-once slot and be replayed forever.
    responses.get(TXT_URL, body=render_submission(FILING_03_000161).encode())
    with pytest.raises(BadContentError, match="another filing"):
        fetch(client, store)
    assert not store.has_filing(1017447, "0001020242-03-000013")


@responses.activate
def test_unsplittable_bytes_are_kept_in_the_store_for_replay(client: EdgarClient, store: RawStore) -> None:
    text = REAL.decode()
    broken = text[: text.index("<DOCUMENT>")] + "</SEC-DOCUMENT>\n"
    responses.get(TXT_URL, body=broken.encode())
    with pytest.raises(BadContentError, match="no <DOCUMENT>"):
        fetch_submission(client, store, _ref())
    assert store.has_filing(1017447, "0001020242-03-000013")


@responses.activate
def test_replay_from_the_store_needs_no_network(client: EdgarClient, store: RawStore) -> None:
    responses.get(TXT_URL, body=REAL)
    fetched = fetch_submission(client, store, _ref())
    responses.reset()
    assert load_submission(store, 1017447, "0001020242-03-000013") == fetched.submission


@responses.activate
def test_fetch_by_accession_builds_the_ref_from_the_header(client: EdgarClient, store: RawStore) -> None:
    responses.get(TXT_URL, body=REAL)
    fetched = fetch_by_accession(client, store, "000102024203000013", cik=1017447)
    assert fetched.ref == _ref()
    assert fetched.requests == 1
