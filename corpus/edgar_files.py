"""The files EDGAR serves around a filing, written the way SEC writes them (formats in shared edgar.md §a-§d).

Pure text builders: a full submission ``.txt`` (SGML header, PEM wrapper on the older years), a folder's
``index.json``, the quarterly ``company.idx`` / ``form.idx`` (fixed width) and the submissions JSON pages
(columnar ``filings.recent`` plus older pages with the arrays at the top level).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "Filer",
    "FilingFacts",
    "company_idx",
    "form_idx",
    "index_json",
    "submission_txt",
    "submissions_pages",
]

# The PEM preamble of 1996-2004 full submissions (0001020242-02-000467 and edgar.md §c); the MIC-Info lines
# differ per filing, so they are derived from the content here.
_PEM_HEAD = (
    "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\n"
    "Proc-Type: 2001,MIC-CLEAR\n"
    "Originator-Name: webmaster@www.sec.gov\n"
    "Originator-Key-Asymmetric:\n"
    " MFgwCgYEVQgBAQICAf8DSgAwRwJAW2sNKK9AVtBzYZmr6aGjlWyK3XmZv3dTINen\n"
    " TWSM7vrzLADbmYQaionwg5sDW3P6oaM5D3tdezXMm7z1T+B+twIDAQAB\n"
    "MIC-Info: RSA-MD5,RSA,\n"
)
_PEM_TAIL = "-----END PRIVACY-ENHANCED MESSAGE-----\n"
#: The last year whose submissions carry the PEM wrapper in the IMH set (edgar.md §c: "seen 1996…2004").
LAST_PEM_YEAR = 2004


@dataclass(frozen=True, slots=True)
class Filer:
    """The registrant block of the SGML header."""

    cik: int
    name: str
    file_number: str
    irs_number: str = ""
    state: str = "DE"


@dataclass(frozen=True, slots=True)
class FilingFacts:
    accession_no: str
    form: str  # 8-K, 8-K/A, 424B5 ...
    filer: Filer
    period: date | None
    filed: date
    accepted: datetime  # Eastern time, naive as SEC prints it
    film_number: str
    filename: str | None
    description: str
    items: str = "Other events"


def _header(f: FilingFacts, with_acceptance_tag: bool) -> str:
    acc = f.accession_no
    stamp = f.filed.strftime("%Y%m%d")
    accepted = f.accepted.strftime("%Y%m%d%H%M%S")
    lines = [
        f"<SEC-DOCUMENT>{acc}.txt : {stamp}",
        f"<SEC-HEADER>{acc}.hdr.sgml : {stamp} {accepted}",
    ]
    if with_acceptance_tag:
        lines.append(f"<ACCEPTANCE-DATETIME>{accepted}")
    lines += [
        f"ACCESSION NUMBER:\t\t{acc}",
        f"CONFORMED SUBMISSION TYPE:\t{f.form}",
        "PUBLIC DOCUMENT COUNT:\t\t1",
    ]
    if f.period is not None:
        lines.append(f"CONFORMED PERIOD OF REPORT:\t{f.period:%Y%m%d}")
    lines += [
        f"ITEM INFORMATION:\t\t{f.items}",
        f"FILED AS OF DATE:\t\t{stamp}",
        "",
        "FILER:",
        "",
        "\tCOMPANY DATA:\t",
        f"\t\tCOMPANY CONFORMED NAME:\t\t\t{f.filer.name}",
        f"\t\tCENTRAL INDEX KEY:\t\t\t{f.filer.cik:010d}",
        "\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tASSET-BACKED SECURITIES [6189]",
    ]
    if f.filer.irs_number:
        lines.append(f"\t\tIRS NUMBER:\t\t\t\t{f.filer.irs_number}")
    lines += [
        f"\t\tSTATE OF INCORPORATION:\t\t\t{f.filer.state}",
        "\t\tFISCAL YEAR END:\t\t\t1231",
        "",
        "\tFILING VALUES:",
        f"\t\tFORM TYPE:\t\t{f.form}",
        "\t\tSEC ACT:\t\t1934 Act",
        f"\t\tSEC FILE NUMBER:\t{f.filer.file_number}",
        f"\t\tFILM NUMBER:\t\t{f.film_number}",
        "",
        "\tBUSINESS ADDRESS:\t",
        "\t\tSTREET 1:\t\t1401 DOVE STREET",
        "\t\tSTREET 2:\t\tSUITE 200",
        "\t\tCITY:\t\t\tNEWPORT BEACH",
        "\t\tSTATE:\t\t\tCA",
        "\t\tZIP:\t\t\t92660",
        "\t\tBUSINESS PHONE:\t\t9494753600",
        "",
        "\tMAIL ADDRESS:\t",
        "\t\tSTREET 1:\t\t20371 IRVINE AVENUE",
        "\t\tCITY:\t\t\tSANTA ANA HEIGHTS",
        "\t\tSTATE:\t\t\tCA",
        "\t\tZIP:\t\t\t92707",
        "</SEC-HEADER>",
    ]
    return "\n".join(lines) + "\n"


def submission_txt(f: FilingFacts, body: str) -> str:
    """The full submission: header, one ``<DOCUMENT>`` holding ``body`` unchanged, PEM on the older years."""
    document = [
        "<DOCUMENT>",
        f"<TYPE>{f.form}",
        "<SEQUENCE>1",
    ]
    if f.filename:
        document.append(f"<FILENAME>{f.filename}")
    document += [f"<DESCRIPTION>{f.description}", "<TEXT>"]
    pem = f.filed.year <= LAST_PEM_YEAR
    text = _header(f, with_acceptance_tag=not pem) + "\n".join(document) + "\n" + body
    text += ("" if body.endswith("\n") else "\n") + "</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    if not pem:
        return text
    digest = base64.b64encode(hashlib.sha512(text.encode("latin-1", "replace")).digest()).decode("ascii")
    return _PEM_HEAD + f" {digest[:64]}\n {digest[64:88]}\n\n" + text + _PEM_TAIL


def index_json(cik: int, accession_no: str, files: Sequence[tuple[str, int]], modified: datetime) -> dict:
    """A filing folder's directory listing (edgar.md §b): generated files have an empty size."""
    folder = accession_no.replace("-", "")
    stamp = modified.strftime("%Y-%m-%d %H:%M:%S")
    items = [
        {
            "last-modified": stamp,
            "name": name,
            "type": "text.gif",
            "size": "" if name.endswith(f"{accession_no}.txt") else str(size),
        }
        for name, size in files
    ]
    return {
        "directory": {
            "item": items,
            "name": f"/Archives/edgar/data/{cik}/{folder}",
            "parent-dir": f"/Archives/edgar/data/{cik}",
        }
    }


@dataclass(frozen=True, slots=True)
class IndexRow:
    company_name: str
    form: str
    cik: int
    filed: date
    accession_no: str

    @property
    def filename(self) -> str:
        return f"edgar/data/{self.cik}/{self.accession_no}.txt"


def _index_head(kind: str, last_day: date) -> list[str]:
    return [
        f"Description:           Master Index of EDGAR Dissemination Feed by {kind}",
        f"Last Data Received:    {last_day:%B} {last_day.day}, {last_day.year}",
        "Comments:              webmaster@sec.gov",
        "Anonymous FTP:         ftp://ftp.sec.gov/edgar/",
        " ",
        " ",
        " ",
    ]


def _fixed_width(rows: Sequence[IndexRow], last_day: date, *, form_first: bool) -> str:
    name_col, form_col = ("Company Name", 62), ("Form Type", 12)
    first, second = (form_col, name_col) if form_first else (name_col, form_col)
    lines = _index_head(first[0], last_day)
    lines.append(f"{first[0]:<{first[1]}}{second[0]:<{second[1]}}{'CIK':<12}{'Date Filed':<12}File Name")
    lines.append("-" * 141)
    for row in sorted(
        rows, key=lambda r: (r.form, r.company_name) if form_first else (r.company_name, r.form)
    ):
        head = (row.form, row.company_name) if form_first else (row.company_name, row.form)
        lines.append(
            f"{head[0]:<{first[1]}}{head[1]:<{second[1]}}{row.cik:<12}{row.filed.isoformat():<12}{row.filename}"
        )
    return "\n".join(lines) + "\n"


def company_idx(rows: Sequence[IndexRow], last_day: date) -> str:
    """``company.idx``: columns at 0/62/74/86/98, sorted by company name (edgar.md §d)."""
    return _fixed_width(sorted(rows, key=lambda r: (r.filed, r.accession_no)), last_day, form_first=False)


def form_idx(rows: Sequence[IndexRow], last_day: date) -> str:
    """``form.idx``: the same rows ordered by form type, the 12-wide form column first."""
    return _fixed_width(sorted(rows, key=lambda r: (r.filed, r.accession_no)), last_day, form_first=True)


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    accession_no: str
    filed: date
    period: date | None
    accepted: datetime
    form: str
    file_number: str
    film_number: str
    size: int
    primary_document: str
    description: str


_COLUMNS = (
    "accessionNumber",
    "filingDate",
    "reportDate",
    "acceptanceDateTime",
    "act",
    "form",
    "fileNumber",
    "filmNumber",
    "items",
    "size",
    "isXBRL",
    "isInlineXBRL",
    "primaryDocument",
    "primaryDocDescription",
)


def _columnar(rows: Sequence[SubmissionRow]) -> dict[str, list]:
    out: dict[str, list] = {key: [] for key in _COLUMNS}
    for row in rows:
        out["accessionNumber"].append(row.accession_no)
        out["filingDate"].append(row.filed.isoformat())
        out["reportDate"].append(row.period.isoformat() if row.period else "")
        # SEC prints Eastern acceptance times as if UTC ("…T17:05:32.000Z"); kept that way on purpose
        out["acceptanceDateTime"].append(row.accepted.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
        out["act"].append("34")
        out["form"].append(row.form)
        out["fileNumber"].append(row.file_number)
        out["filmNumber"].append(row.film_number)
        out["items"].append("")
        out["size"].append(row.size)
        out["isXBRL"].append(0)
        out["isInlineXBRL"].append(0)
        out["primaryDocument"].append(row.primary_document)
        out["primaryDocDescription"].append(row.description)
    return out


def submissions_pages(filer: Filer, rows: Sequence[SubmissionRow], page_size: int) -> dict[str, dict]:
    """``CIK##########.json`` and its older pages, newest first; ``recent`` holds ``page_size`` filings."""
    newest_first = sorted(rows, key=lambda r: (r.accepted, r.accession_no), reverse=True)
    recent, older = newest_first[:page_size], newest_first[page_size:]
    pages: dict[str, dict] = {}
    files = []
    for number, start in enumerate(range(0, len(older), page_size), start=1):
        chunk = older[start : start + page_size]
        name = f"CIK{filer.cik:010d}-submissions-{number:03d}.json"
        pages[name] = _columnar(chunk)
        files.append(
            {
                "name": name,
                "filingCount": len(chunk),
                "filingFrom": min(r.filed for r in chunk).isoformat(),
                "filingTo": max(r.filed for r in chunk).isoformat(),
            }
        )
    address = {
        "street1": "1401 DOVE STREET",
        "street2": "SUITE 200",
        "city": "NEWPORT BEACH",
        "stateOrCountry": "CA",
        "zipCode": "92660",
        "stateOrCountryDescription": "CA",
    }
    pages[f"CIK{filer.cik:010d}.json"] = {
        "cik": str(filer.cik),
        "entityType": "other",
        "sic": "6189",
        "sicDescription": "Asset-Backed Securities",
        "insiderTransactionForOwnerExists": 0,
        "insiderTransactionForIssuerExists": 0,
        "name": filer.name,
        "tickers": [],
        "exchanges": [],
        "ein": filer.irs_number,
        "description": "",
        "website": "",
        "investorWebsite": "",
        "category": "",
        "fiscalYearEnd": "1231",
        "stateOfIncorporation": filer.state,
        "stateOfIncorporationDescription": filer.state,
        "addresses": {"mailing": address, "business": address},
        "phone": "9494753600",
        "flags": "",
        "formerNames": [],
        "filings": {"recent": _columnar(recent), "files": files},
    }
    return pages
