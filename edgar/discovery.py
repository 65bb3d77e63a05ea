"""Discovery: which filings exist, cheaply, from the submissions JSON and the quarterly full-index.

Two sources, merged and de-duplicated by accession (a filing with several filers is listed once per filer):

* per explicit CIK (``settings.ciks``), the submissions JSON: ``filings.recent`` plus every older page named
  in ``filings.files`` (columnar arrays at the top level of a page), zipped by key name, never by position;
* across the family, the quarterly ``company.idx``: rows whose company name matches a pattern
  (``settings.company_patterns``) or whose CIK is listed, so series registrants are found without anyone
  listing them. Column offsets come from the header line, never from splitting on whitespace.

Cost of a run with nothing new (the daily ``sync``): one request per explicit CIK (the first submissions page;
an older page is read once and then served from a cache in the state dir for as long as its ``files[]``
entry (name, count, date range) is unchanged) plus at most one request for the full-index: quarters that ended
more than a week before they were read are immutable and their matching rows are cached too, and the current
quarter is asked for with ``If-None-Match``/``If-Modified-Since`` when the server gave an ETag/Last-Modified.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from edgar.client import EdgarClient, HttpResult
from edgar.errors import BadContentError, NotFoundError
from edgar.records import FilingRef
from edgar.settings import Settings
from edgar.sgml import decode_bytes, is_ascii_digits
from edgar.urls import (
    full_index_url,
    normalize_accession,
    submission_txt_url,
    submissions_page_url,
    submissions_url,
)

log = logging.getLogger(__name__)

# a quarter's index is treated as final once this long after the quarter's end (late filings of the last day
# land in the next days' indexes)
QUARTER_SETTLE_DAYS = 7


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One data line of company.idx / form.idx."""

    company_name: str
    form: str
    cik: int
    filed: date
    filename: str  # edgar/data/1017447/0001020242-02-000305.txt

    @property
    def accession_no(self) -> str:
        return normalize_accession(self.filename.rsplit("/", 1)[-1].removesuffix(".txt"))


@dataclass(frozen=True, slots=True)
class Discovery:
    refs: tuple[FilingRef, ...]  # new filings (not in ``known``), de-duplicated, oldest first
    requests: int  # HTTP requests this discovery made
    total_found: int  # matching filings before removing the known ones
    ciks_by_name: frozenset[int] = frozenset()  # CIKs found only through a company-name pattern
    missing_indexes: tuple[str, ...] = ()  # full-index URLs the server did not have
    pages_read: int = 0  # submissions pages read (recent + older)


# --- pure parsing ---


def parse_submissions_page(
    data: dict[str, Any], *, cik: int, settings: Settings, company_name: str | None = None
) -> tuple[FilingRef, ...]:
    """Refs of one submissions page: the first (``filings.recent``) or an older one (top-level arrays)."""
    if "filings" in data:
        columns = data["filings"].get("recent") or {}
        company_name = company_name or str(data.get("name") or "")
    else:
        columns = data
    if not isinstance(columns, dict) or "accessionNumber" not in columns:
        raise BadContentError(f"CIK {cik}: submissions page has no accessionNumber column")
    length = len(columns["accessionNumber"])
    for key in ("filingDate", "form"):
        if len(columns.get(key) or ()) != length:
            raise BadContentError(
                f"CIK {cik}: submissions column {key!r} is missing or of a different length"
            )

    def column(key: str) -> Sequence[Any]:
        values = columns.get(key)
        return values if isinstance(values, list) and len(values) == length else [""] * length

    refs = []
    for accession, filed, report, form, primary in zip(
        columns["accessionNumber"],
        column("filingDate"),
        column("reportDate"),
        column("form"),
        column("primaryDocument"),
        strict=True,
    ):
        accession = normalize_accession(str(accession))
        # pre-2001 rows name the .txt itself or nothing as primary document (edgar.md §a)
        primary = str(primary or "") or None
        if primary and (primary == f"{accession}.txt" or "/" in primary):
            primary = primary.rsplit("/", 1)[-1] if "/" in primary else None
        refs.append(
            FilingRef(
                accession_no=accession,
                cik=int(cik),
                company_name=company_name or "",
                form=str(form).strip().upper(),
                filed=_iso_date(str(filed), f"CIK {cik} {accession} filingDate"),
                period=_iso_date(str(report), f"CIK {cik} {accession} reportDate") if report else None,
                url=submission_txt_url(settings, cik, accession),
                primary_document=primary,
            )
        )
    return tuple(refs)


_COLUMN_LABELS = {
    "company_name": "Company Name",
    "form": "Form Type",
    "cik": "CIK",
    "filed": "Date Filed",
    "filename": "File Name",
}


def parse_full_index(text: str, *, source: str = "full-index") -> list[IndexRow]:
    """Rows of a fixed-width company.idx or form.idx; column starts are read from the header line."""
    lines = text.replace("\r\n", "\n").split("\n")
    header_at = next(
        (i for i, line in enumerate(lines) if all(label in line for label in _COLUMN_LABELS.values())), None
    )
    if header_at is None:
        raise BadContentError(f"{source}: no 'Company Name … File Name' header line", url=source)
    header = lines[header_at]
    starts = {key: header.index(label) for key, label in _COLUMN_LABELS.items()}
    order = sorted(starts, key=starts.__getitem__)
    spans = {
        key: (starts[key], starts[order[i + 1]] if i + 1 < len(order) else None)
        for i, key in enumerate(order)
    }
    rows = []
    body_start = header_at + 1
    if body_start < len(lines) and set(lines[body_start].strip()) <= {"-"}:
        body_start += 1
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        if not line.strip():
            continue
        fields = {key: line[a:b].strip() if b else line[a:].strip() for key, (a, b) in spans.items()}
        if not (
            is_ascii_digits(fields["cik"])
            and _DATE_RE.match(fields["filed"])
            and fields["filename"].endswith(".txt")
        ):
            fields = _right_anchored(line, spans) or fields
        if not is_ascii_digits(fields["cik"]) or not fields["filename"]:
            raise BadContentError(f"{source} line {number}: cannot read CIK/File Name from {line.strip()!r}")
        rows.append(
            IndexRow(
                company_name=" ".join(fields["company_name"].split()),
                form=fields["form"].upper(),
                cik=int(fields["cik"]),
                filed=_iso_date(fields["filed"], f"{source} line {number}"),
                filename=fields["filename"],
            )
        )
    return rows


def _right_anchored(line: str, spans: dict[str, tuple[int, int | None]]) -> dict[str, str] | None:
    # A name that overflows its column shifts the rest of the line; the last three fields never contain
    # spaces.
    parts = line.rstrip().rsplit(None, 3)
    if len(parts) != 4 or not is_ascii_digits(parts[1]):
        return None
    left, cik, filed, filename = parts
    first, second = sorted(("company_name", "form"), key=lambda k: spans[k][0])
    if first == "form":  # form.idx: the 12-wide form column comes first and never overflows
        split_at = spans[second][0]
        return {
            "form": left[:split_at].strip(),
            "company_name": left[split_at:].strip(),
            "cik": cik,
            "filed": filed,
            "filename": filename,
        }
    # company.idx: the name ran into the form column; the form is what follows the last gap
    match = re.match(r"^(.*\S)\s{2,}(\S.*)$", left.rstrip()) or re.match(r"^(.*\S)\s+(\S+)$", left.rstrip())
    if not match:
        return None
    return {"company_name": match[1], "form": match[2], "cik": cik, "filed": filed, "filename": filename}


def name_matches(name: str, patterns: Iterable[str]) -> bool:
    """Case-insensitive "starts with" on whitespace-normalised names; ``*`` and ``?`` are wildcards."""
    normalized = " ".join(name.upper().split())
    for pattern in patterns:
        p = " ".join(pattern.upper().split())
        if ("*" in p or "?" in p) and fnmatch.fnmatchcase(normalized, p):
            return True
        if normalized.startswith(p):
            return True
    return False


def quarters(start: date, end: date) -> Iterator[tuple[int, int]]:
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while (year, quarter) <= (end.year, (end.month - 1) // 3 + 1):
        yield year, quarter
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_end(year: int, quarter: int) -> date:
    return (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)


# --- caches of immutable discovery sources ---


class DiscoveryCache:
    """Small JSON files in ``<state_dir>/discovery``: what an immutable source held when it was last read.

    Entries: ``<year>-Q<n>-company-<fingerprint>`` (the matching rows of a quarter's company.idx plus the
    validators for a conditional GET) and ``submissions-<page name>`` (an older submissions page with the
    ``files[]`` entry it was read under).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load(self, key: str) -> dict[str, Any] | None:
        try:
            return dict(json.loads((self.directory / f"{key}.json").read_text()))
        except (FileNotFoundError, ValueError):
            return None

    def save(self, key: str, entry: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{key}.json"
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(entry))
        tmp.replace(path)


def _fingerprint(patterns: Sequence[str], ciks: Collection[int]) -> str:
    key = json.dumps([sorted(" ".join(p.upper().split()) for p in patterns), sorted(ciks)])
    return hashlib.sha256(key.encode()).hexdigest()[:12]


# --- discovery with I/O ---


@dataclass
class _Found:
    client: EdgarClient
    refs: dict[str, FilingRef] = field(default_factory=dict)
    requests: int = 0
    by_name: set[int] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    pages: int = 0

    def get(self, url: str, headers: dict[str, str] | None = None) -> HttpResult:
        # counted per call, not from the client's totals, which other threads move too
        result = self.client.get(url, headers=headers)
        self.requests += result.attempts
        return result

    def add(self, ref: FilingRef, *, prefer: bool = False) -> None:
        if prefer or ref.accession_no not in self.refs:
            self.refs[ref.accession_no] = ref


def discover_filings(
    client: EdgarClient,
    *,
    known: Collection[str] = frozenset(),
    start: date | None = None,
    end: date | None = None,
    ciks: Sequence[int] | None = None,
    company_patterns: Sequence[str] | None = None,
    forms: Sequence[str] | None = None,
    full: bool = False,
    use_full_index: bool = True,
) -> Discovery:
    """Filings of the configured CIKs and name patterns filed in [start, end] that are not in ``known``.

    ``known`` are the accessions the caller already has (the database's list). ``full=True`` reads every
    older submissions page again instead of using the cache. ``start`` defaults to
    ``settings.full_index_start``, ``end`` to today.
    """
    settings = client.settings
    ciks = tuple(settings.ciks if ciks is None else ciks)
    patterns = tuple(settings.company_patterns if company_patterns is None else company_patterns)
    wanted_forms = {f.upper() for f in (settings.forms if forms is None else forms)}
    today = datetime.fromtimestamp(client.clock.time(), UTC).date()
    start = start or settings.full_index_start
    end = end or today
    known_set = {normalize_accession(a) for a in known}
    found = _Found(client)

    for cik in ciks:
        for ref in _submissions_refs(client, cik, full, found):
            found.add(ref, prefer=True)
    if use_full_index and (patterns or ciks):
        for ref in _full_index_refs(client, start, end, patterns, ciks, today, found):
            found.add(ref)

    selected = [r for r in found.refs.values() if r.form in wanted_forms and start <= r.filed <= end]
    new = sorted(
        (r for r in selected if r.accession_no not in known_set), key=lambda r: (r.filed, r.accession_no)
    )
    return Discovery(
        refs=tuple(new),
        requests=found.requests,
        total_found=len(selected),
        ciks_by_name=frozenset(found.by_name - set(ciks)),
        missing_indexes=tuple(found.missing),
        pages_read=found.pages,
    )


def _submissions_refs(client: EdgarClient, cik: int, full: bool, found: _Found) -> list[FilingRef]:
    settings = client.settings
    first = found.get(submissions_url(settings, cik)).json()
    if not isinstance(first, dict) or "filings" not in first:
        raise BadContentError(f"CIK {cik}: not a submissions document", url=submissions_url(settings, cik))
    found.pages += 1
    name = str(first.get("name") or "")
    refs = list(parse_submissions_page(first, cik=cik, settings=settings))
    cache = DiscoveryCache(settings.state_path / "discovery")
    for entry in (first.get("filings") or {}).get("files") or []:
        page_name = str(entry.get("name") or "") if isinstance(entry, dict) else ""
        if not page_name:
            continue
        # An older page holds history: the same name, count and date range means the same filings, so
        # it is read once and then served from the cache (new filings only ever enter ``recent``).
        key = f"submissions-{page_name}"
        cached = None if full else cache.load(key)
        if cached is not None and cached.get("entry") == entry:
            page = cached["page"]
        else:
            page = found.get(submissions_page_url(settings, page_name)).json()
            if not isinstance(page, dict):
                raise BadContentError(f"CIK {cik}: older submissions page {page_name} is not an object")
            found.pages += 1
            cache.save(key, {"entry": entry, "page": page})
        refs.extend(parse_submissions_page(page, cik=cik, settings=settings, company_name=name))
    return refs


def _full_index_refs(
    client: EdgarClient,
    start: date,
    end: date,
    patterns: Sequence[str],
    ciks: Sequence[int],
    today: date,
    found: _Found,
) -> list[FilingRef]:
    settings = client.settings
    cache = DiscoveryCache(settings.state_path / "discovery")
    fingerprint = _fingerprint(patterns, ciks)
    cik_set = set(ciks)
    refs: list[FilingRef] = []
    for year, quarter in quarters(start, end):
        url = full_index_url(settings, year, quarter, "company")
        key = f"{year}-Q{quarter}-company-{fingerprint}"
        entry = cache.load(key)
        if entry is None or not entry.get("final"):
            entry = _fetch_quarter(found, url, entry, year, quarter, today, patterns, cik_set)
            if entry is None:
                found.missing.append(url)
                continue
            cache.save(key, entry)
        for row in entry["rows"]:
            cik = int(row["cik"])
            if cik not in cik_set:
                found.by_name.add(cik)
            accession = normalize_accession(row["accession_no"])
            refs.append(
                FilingRef(
                    accession_no=accession,
                    cik=cik,
                    company_name=row["company_name"],
                    form=row["form"],
                    filed=date.fromisoformat(row["filed"]),
                    period=None,
                    url=submission_txt_url(settings, cik, accession),
                    primary_document=None,
                )
            )
    # one filing listed under several filers: keep the explicitly configured CIK, else the lowest
    refs.sort(key=lambda r: (r.cik not in cik_set, r.cik))
    return refs


def _fetch_quarter(
    found: _Found,
    url: str,
    cached: dict[str, Any] | None,
    year: int,
    quarter: int,
    today: date,
    patterns: Sequence[str],
    ciks: set[int],
) -> dict[str, Any] | None:
    headers = {}
    if cached:
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
    try:
        result = found.get(url, headers=headers)
    except NotFoundError:
        found.requests += 1  # a 404 is never retried: exactly one request
        log.warning("no full-index at %s; skipping that quarter", url)
        return None
    final = today > quarter_end(year, quarter) + timedelta(days=QUARTER_SETTLE_DAYS)
    if result.status == 304 and cached:
        return {**cached, "final": final}
    text, _ = decode_bytes(result.content)
    rows = [
        r
        for r in parse_full_index(text, source=url)
        if r.cik in ciks or name_matches(r.company_name, patterns)
    ]
    return {
        "url": url,
        "final": final,
        "etag": result.headers.get("ETag"),
        "last_modified": result.headers.get("Last-Modified"),
        "rows": [
            {
                "company_name": r.company_name,
                "form": r.form,
                "cik": r.cik,
                "filed": r.filed.isoformat(),
                "accession_no": r.accession_no,
            }
            for r in rows
        ],
    }


_DATE_RE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def _iso_date(value: str, where: str) -> date:
    match = _DATE_RE.match(value.strip())
    try:
        if not match:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise BadContentError(f"{where}: not a date: {value!r}") from None


__all__ = [
    "Discovery",
    "IndexRow",
    "discover_filings",
    "name_matches",
    "parse_full_index",
    "parse_submissions_page",
    "quarters",
]
