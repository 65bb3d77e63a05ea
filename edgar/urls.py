"""URL builders for SEC's layout (edgar.md §a-d). Pure: settings in, strings out."""

from __future__ import annotations

import re

from edgar.errors import BadContentError
from edgar.settings import Settings

_ACCESSION_RE = re.compile(r"^(\d{10})-?(\d{2})-?(\d{6})$")


def normalize_accession(value: str) -> str:
    """``000102024203000013`` or ``0001020242-03-000013`` -> ``0001020242-03-000013``."""
    match = _ACCESSION_RE.match(value.strip())
    if not match:
        raise BadContentError(
            f"not an accession number: {value!r}", hint="expected 10-2-6 digits like 0001020242-03-000013"
        )
    return "-".join(match.groups())


def cik10(cik: int) -> str:
    return f"{int(cik):010d}"


def submissions_url(settings: Settings, cik: int) -> str:
    return f"{settings.sec_data_url}/submissions/CIK{cik10(cik)}.json"


def submissions_page_url(settings: Settings, name: str) -> str:
    # names come from the recent page's files[] (CIK0001017447-submissions-001.json)
    if "/" in name or ".." in name:
        raise BadContentError(f"suspicious submissions page name {name!r}")
    return f"{settings.sec_data_url}/submissions/{name}"


def full_index_url(settings: Settings, year: int, quarter: int, kind: str = "company") -> str:
    return f"{settings.sec_www_url}/Archives/edgar/full-index/{year}/QTR{quarter}/{kind}.idx"


def filing_folder_url(settings: Settings, cik: int, accession_no: str) -> str:
    # int(cik) drops leading zeros only (sec-edgar-downloader's strip("0") also ate trailing ones)
    return f"{settings.sec_www_url}/Archives/edgar/data/{int(cik)}/{accession_no.replace('-', '')}"


def submission_txt_url(settings: Settings, cik: int, accession_no: str) -> str:
    return f"{filing_folder_url(settings, cik, accession_no)}/{accession_no}.txt"


def index_json_url(settings: Settings, cik: int, accession_no: str) -> str:
    return f"{filing_folder_url(settings, cik, accession_no)}/index.json"


def document_url(settings: Settings, cik: int, accession_no: str, filename: str) -> str:
    return f"{filing_folder_url(settings, cik, accession_no)}/{filename}"


def archives_url(settings: Settings, path: str) -> str:
    """A full-index ``File Name`` (``edgar/data/1017447/0000882377-96-000135.txt``) as a URL."""
    return f"{settings.sec_www_url}/Archives/{path.lstrip('/')}"


def filing_index_page_url(settings: Settings, cik: int, accession_no: str) -> str:
    """The human "Filing Detail" page, for links in failure reports."""
    return f"{filing_folder_url(settings, cik, accession_no)}/{accession_no}-index.htm"
