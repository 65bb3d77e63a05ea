"""Download a filing in one request, store the bytes first, then split them (or replay from the store).

A new filing costs exactly one request: ``{accession}.txt`` holds the SGML header and every document. Only
when SEC has no ``.txt`` (404) does the fallback read the folder's ``index.json`` and the primary document
(two more requests). A filing already in the raw store costs no request at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from edgar.client import EdgarClient, HttpResult
from edgar.errors import BadContentError, NotFoundError
from edgar.raw_store import RawStore, safe_filename
from edgar.records import Document, FilingRef, StoredFiling, Submission
from edgar.sgml import decode_bytes, header_from_ref, parse_submission
from edgar.urls import archives_url, document_url, index_json_url, normalize_accession, submission_txt_url

log = logging.getLogger(__name__)

INDEX_JSON = "index.json"


@dataclass(frozen=True, slots=True)
class FetchedSubmission:
    ref: FilingRef
    stored: StoredFiling
    submission: Submission
    fetched: bool  # False: served from the raw store without any request
    requests: int  # requests this call made (1 for a new filing, 0 when already stored)

    @property
    def primary(self) -> Document:
        return self.submission.primary_document(self.ref.primary_document)


def txt_filename(accession_no: str) -> str:
    return f"{accession_no}.txt"


def fetch_submission(client: EdgarClient, store: RawStore, ref: FilingRef) -> FetchedSubmission:
    """Return the filing's submission, fetching and storing it only if the raw store does not have it."""
    stored = store.get_filing(ref.cik, ref.accession_no)
    if stored is not None:
        return FetchedSubmission(
            ref, stored, load_submission(store, ref.cik, ref.accession_no, ref=ref), False, 0
        )
    result, misses = _get_submission_txt(client, ref)
    if result is None:
        log.info("%s: no full submission .txt, falling back to index.json", ref.accession_no)
        stored, submission, requests = _fetch_via_index(client, store, ref)
        return FetchedSubmission(ref, stored, submission, True, requests + misses)
    else:
        _refuse_other_accession(result.content, ref.url, ref.accession_no)
        # raw first: the bytes are kept even if they turn out not to parse, so the failure can be replayed
        stored = store.put_filing(
            ref.cik, ref.accession_no, {txt_filename(ref.accession_no): result.content}, source_url=ref.url
        )
        submission = parse_submission(result.content, ref=ref)
    return FetchedSubmission(ref, stored, submission, True, result.attempts + misses)


def _get_submission_txt(client: EdgarClient, ref: FilingRef) -> tuple[HttpResult | None, int]:
    """The .txt from the ref's URL, else from SEC's legacy top-level path; (None, 404s) if neither exists."""
    legacy = archives_url(client.settings, f"edgar/data/{ref.cik}/{ref.accession_no}.txt")
    misses = 0
    for url in dict.fromkeys((ref.url, legacy)):
        try:
            return client.get(url, accession_no=ref.accession_no, expect_submission=True), misses
        except NotFoundError:
            misses += 1  # a 404 is never retried: one request
    return None, misses


def fetch_by_accession(
    client: EdgarClient, store: RawStore, accession_no: str, cik: int
) -> FetchedSubmission:
    """One filing by accession (``imh-edgar ingest 0001020242-03-000013``); its header supplies the ref."""
    accession_no = normalize_accession(accession_no)
    url = submission_txt_url(client.settings, cik, accession_no)
    stored = store.get_filing(cik, accession_no)
    if stored is not None:
        submission = load_submission(store, cik, accession_no)
        return FetchedSubmission(_ref_from_submission(submission, cik, url), stored, submission, False, 0)
    result = client.get(url, accession_no=accession_no, expect_submission=True)
    _refuse_other_accession(result.content, url, accession_no)
    stored = store.put_filing(cik, accession_no, {txt_filename(accession_no): result.content}, source_url=url)
    submission = parse_submission(result.content)
    ref = _ref_from_submission(submission, cik, url)
    _check_accession(submission, ref)
    return FetchedSubmission(ref, stored, submission, True, result.attempts)


def load_submission(
    store: RawStore, cik: int, accession_no: str, *, ref: FilingRef | None = None
) -> Submission:
    """Rebuild the submission from the raw store with no network (reparse after a parser change)."""
    accession_no = normalize_accession(accession_no)
    manifest = store.require_filing(cik, accession_no)
    names = {f.filename for f in manifest.files}
    if txt_filename(accession_no) in names:
        return parse_submission(store.read(cik, accession_no, txt_filename(accession_no)), ref=ref)
    meta = dict(manifest.meta)
    ref = ref or _ref_from_meta(meta, manifest.source_url)
    primary = meta.get("primary_document") or next(n for n in sorted(names) if n != INDEX_JSON)
    return _index_submission(ref, primary, store.read(cik, accession_no, primary))


def _fetch_via_index(
    client: EdgarClient, store: RawStore, ref: FilingRef
) -> tuple[StoredFiling, Submission, int]:
    settings = client.settings
    index_url = index_json_url(settings, ref.cik, ref.accession_no)
    index_result = client.get(index_url, accession_no=ref.accession_no)
    listing = index_result.json()
    try:
        names = [str(item["name"]) for item in listing["directory"]["item"]]
    except (KeyError, TypeError):
        raise BadContentError(
            "index.json has no directory.item[].name list", url=index_url, accession_no=ref.accession_no
        ) from None
    primary = _choose_primary(ref, names)
    safe_filename(primary, accession_no=ref.accession_no)
    doc_url = document_url(settings, ref.cik, ref.accession_no, primary)
    doc_result = client.get(doc_url, accession_no=ref.accession_no)
    meta = {
        "primary_document": primary,
        "company_name": ref.company_name,
        "form": ref.form,
        "filed": ref.filed.isoformat(),
        "period": ref.period.isoformat() if ref.period else "",
    }
    stored = store.put_filing(
        ref.cik,
        ref.accession_no,
        {INDEX_JSON: index_result.content, primary: doc_result.content},
        source_url=index_url,
        meta=meta,
    )
    requests = index_result.attempts + doc_result.attempts
    return stored, _index_submission(ref, primary, doc_result.content), requests


def _choose_primary(ref: FilingRef, names: list[str]) -> str:
    if ref.primary_document and ref.primary_document in names:
        return ref.primary_document
    # generated files (-index.html, -index-headers.html, the .txt itself) and images are never the report
    candidates = [
        n
        for n in names
        if not n.startswith(ref.accession_no) and n.lower().endswith((".txt", ".htm", ".html"))
    ]
    if not candidates:
        raise BadContentError(
            f"index.json lists no document to read ({', '.join(names) or 'empty'})",
            accession_no=ref.accession_no,
        )
    return candidates[0]


def _index_submission(ref: FilingRef, primary: str, raw: bytes) -> Submission:
    text, encoding = decode_bytes(raw)
    document = Document(type=ref.form, sequence=1, filename=primary, description=None, body=text)
    return Submission(header=header_from_ref(ref), documents=(document,), encoding=encoding, source="index")


def _ref_from_meta(meta: dict[str, str], source_url: str) -> FilingRef:
    missing = [k for k in ("company_name", "form", "filed") if k not in meta]
    if missing:
        raise BadContentError(f"stored index fallback lacks {', '.join(missing)}", hint="pass the FilingRef")
    parts = source_url.rstrip("/").split("/")
    accession_folder, cik = parts[-2], int(parts[-3])
    accession = normalize_accession(accession_folder)
    return FilingRef(
        accession_no=accession,
        cik=cik,
        company_name=meta["company_name"],
        form=meta["form"],
        filed=date.fromisoformat(meta["filed"]),
        period=date.fromisoformat(meta["period"]) if meta.get("period") else None,
        url=source_url.rsplit("/", 1)[0] + f"/{accession}.txt",
        primary_document=meta.get("primary_document"),
    )


def _ref_from_submission(submission: Submission, cik: int, url: str) -> FilingRef:
    header = submission.header
    filer = next((f for f in header.filers if f.cik == cik), header.filers[0] if header.filers else None)
    return FilingRef(
        accession_no=header.accession_no,
        cik=cik,
        company_name=filer.name if filer else "",
        form=header.form,
        filed=header.filed,
        period=header.period,
        url=url,
        primary_document=submission.primary_document().filename,
    )


def _check_accession(submission: Submission, ref: FilingRef) -> None:
    if submission.header.accession_no != ref.accession_no:
        raise BadContentError(
            f"downloaded submission is {submission.header.accession_no}, not {ref.accession_no}",
            url=ref.url,
            accession_no=ref.accession_no,
            hint="the mirror or URL serves the wrong file; the bytes are kept in the raw store",
        )


def _refuse_other_accession(raw: bytes, url: str, accession_no: str) -> None:
    # checked before storing: bytes of another filing must not take this accession's write-once slot (once
    # stored, every later run would be served the wrong filing from the store without asking SEC again)
    head = raw[:8192]
    if b"ACCESSION NUMBER:" in head and accession_no.encode() not in head:
        raise BadContentError(
            f"{url} serves another filing's submission, not {accession_no}",
            url=url,
            accession_no=accession_no,
            hint="the mirror or URL is wrong; nothing was stored",
        )
