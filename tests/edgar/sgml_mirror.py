"""Test builders: full submissions rebuilt line-per-field from real IMH header facts, and small EDGAR mirrors.

The facts below are read from the excerpts (tests/fixtures/excerpts/NNN.json, whitespace-collapsed there) and
imh-filings.md; each constant names its excerpt. Where a value is not in any excerpt (the filing date of
0001020242-03-000013, the second document of the 1996 filing) the comment says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from edgar.discovery import quarter_end, quarters

REAL_STATEMENT = Path(__file__).parents[1] / "fixtures/real/1017447/000102024203000013/im020212.txt"

PEM_HEAD = (
    "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\n"
    "Proc-Type: 2001,MIC-CLEAR\n"
    "Originator-Name: webmaster@www.sec.gov\n"
    "Originator-Key-Asymmetric:\n"
    " MFgwCgYEVQgBAQICAf8DSgAwRwJAW2sNKK9AVtBzYZmr6aGjlWyK3XmZv3dTINen\n"
    " TWSM7vrzLADbmYQaionwg5sDW3P6oaM5D3tdezXMm7z1T+B+twIDAQAB\n"
    "MIC-Info: RSA-MD5,RSA,\n"
    " LjmDm5K3KgFz5qa7+7YhEZeCqxqNVS38M32AVeQC/RXxW/TtFl4NZ/WwV1g5nTuP\n"
    " c9jvOg+md8b1jOgwgWd6Rg==\n"
    "\n"
)
PEM_TAIL = "-----END PRIVACY-ENHANCED MESSAGE-----\n"


@dataclass(frozen=True)
class FilerFacts:
    cik: int
    name: str
    sic: str
    form_type: str
    file_number: str
    irs_number: str | None = None
    state: str | None = None
    film_number: str | None = None
    sec_act: str = "1934 Act"
    business: tuple[tuple[str, str], ...] = ()
    mail: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DocFacts:
    type: str
    sequence: int
    filename: str | None
    description: str | None
    body: str


@dataclass(frozen=True)
class FilingFacts:
    accession: str
    form: str
    filed: date
    period: date | None
    filers: tuple[FilerFacts, ...]
    documents: tuple[DocFacts, ...]
    items: tuple[str, ...] = ("Other events",)
    accepted: str | None = None  # YYYYMMDDhhmmss after the hdr.sgml date, from ~2002
    txt_date: str | None = None  # the ".txt : " stamp, which may differ from FILED AS OF (001: 19960830)
    pem: bool = False
    sros: str | None = None

    @property
    def folder(self) -> str:
        return self.accession.replace("-", "")


def render_submission(f: FilingFacts) -> str:
    """The full submission ``.txt`` as EDGAR serves it: optional PEM, header line per field, documents."""
    stamp = f.txt_date or f.filed.strftime("%Y%m%d")
    hdr = f"{f.accession}.hdr.sgml : {stamp}" + (f" {f.accepted}" if f.accepted else "")
    lines = [f"<SEC-DOCUMENT>{f.accession}.txt : {stamp}", f"<SEC-HEADER>{hdr}"]
    lines.append(f"ACCESSION NUMBER:\t\t{f.accession}")
    lines.append(f"CONFORMED SUBMISSION TYPE:\t{f.form}")
    lines.append(f"PUBLIC DOCUMENT COUNT:\t\t{len(f.documents)}")
    if f.period:
        lines.append(f"CONFORMED PERIOD OF REPORT:\t{f.period:%Y%m%d}")
    lines.extend(f"ITEM INFORMATION:\t\t{item}".rstrip() for item in f.items or ("",))
    lines.append(f"FILED AS OF DATE:\t\t{f.filed:%Y%m%d}")
    if f.sros:
        lines.append(f"SROS:\t\t\t{f.sros}")
    for filer in f.filers:
        lines += ["", "FILER:", "", "\tCOMPANY DATA:\t"]
        lines.append(f"\t\tCOMPANY CONFORMED NAME:\t\t\t{filer.name}")
        lines.append(f"\t\tCENTRAL INDEX KEY:\t\t\t{filer.cik:010d}")
        lines.append(f"\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t{filer.sic}")
        if filer.irs_number:
            lines.append(f"\t\tIRS NUMBER:\t\t\t\t{filer.irs_number}")
        if filer.state:
            lines.append(f"\t\tSTATE OF INCORPORATION:\t\t\t{filer.state}")
        lines.append("\t\tFISCAL YEAR END:\t\t\t1231")
        lines += ["", "\tFILING VALUES:"]
        lines.append(f"\t\tFORM TYPE:\t\t{filer.form_type}")
        lines.append(f"\t\tSEC ACT:\t\t{filer.sec_act}".rstrip())
        lines.append(f"\t\tSEC FILE NUMBER:\t{filer.file_number}")
        if filer.film_number:
            lines.append(f"\t\tFILM NUMBER:\t\t{filer.film_number}")
        for title, address in (("BUSINESS ADDRESS", filer.business), ("MAIL ADDRESS", filer.mail)):
            if address:
                lines += ["", f"\t{title}:\t"]
                lines += [f"\t\t{label}:\t\t{value}" for label, value in address]
    lines.append("</SEC-HEADER>")
    for doc in f.documents:
        lines += ["<DOCUMENT>", f"<TYPE>{doc.type}", f"<SEQUENCE>{doc.sequence}"]
        if doc.filename:
            lines.append(f"<FILENAME>{doc.filename}")
        if doc.description is not None:
            lines.append(f"<DESCRIPTION>{doc.description}")
        body = doc.body if doc.body.endswith("\n") else doc.body + "\n"
        lines += ["<TEXT>", body + "</TEXT>", "</DOCUMENT>"]
    lines.append("</SEC-DOCUMENT>")
    text = "\n".join(lines) + "\n"
    return PEM_HEAD + text + PEM_TAIL if f.pem else text


def real_statement() -> str:
    return REAL_STATEMENT.read_text(encoding="ascii")


def cover(series: str, period: date) -> str:
    """A short stand-in document body for filings whose statement text is not the point of the test."""
    return f"FORM 8-K\nImpac CMB Trust {series}\nDistribution of {period:%B %d, %Y}\n"


# --- real header facts
# ----------------------------------------------------------------------------------------

_IMH_BUSINESS_2002 = (
    ("STREET 1", "1401 DOVE STREET"),
    ("STREET 2", "SUITE 200"),
    ("CITY", "NEWPORT BEACH"),
    ("STATE", "CA"),
    ("ZIP", "92660"),
    ("BUSINESS PHONE", "9494753600"),
)
_IMH_MAIL = (
    ("STREET 1", "20371 IRVINE AVENUE"),
    ("CITY", "SANTA ANA HEIGHTS"),
    ("STATE", "CA"),
    ("ZIP", "92707"),
)

# excerpts 002 and 012 (0001020242-02-000305, 0001020242-03-000161)
IMH_FILER_2002 = FilerFacts(
    cik=1017447,
    name="IMH ASSETS CORP",
    sic="ASSET-BACKED SECURITIES [6189]",
    form_type="8-K/A",
    file_number="333-06637",
    irs_number="330705301",
    state="DE",
    film_number="03525578",
    business=_IMH_BUSINESS_2002,
    mail=_IMH_MAIL,
)

# excerpt 012: 8-K/A of Impac CMB Trust 2002-2, June 2002, HTML document, accepted 2003-01-27 14:15:33
FILING_03_000161 = FilingFacts(
    accession="0001020242-03-000161",
    form="8-K/A",
    filed=date(2003, 1, 27),
    period=date(2002, 6, 25),
    accepted="20030127141533",
    pem=True,
    filers=(IMH_FILER_2002,),
    documents=(
        DocFacts(
            "8-K/A",
            1,
            "im020206.htm",
            "8 KA JUNE Impac CMB Trust 2002-2",
            "<HTML><BODY>FORM 8-K /A</BODY></HTML>",
        ),
    ),
)

# excerpt 002: 8-K/A of 2002-1 for June 2002, DESCRIPTION misspelled "IMH ASSESTS CORP."
FILING_02_000305 = FilingFacts(
    accession="0001020242-02-000305",
    form="8-K/A",
    filed=date(2002, 10, 30),
    period=date(2002, 6, 25),
    accepted="20021030101158",
    pem=True,
    filers=(replace(IMH_FILER_2002, film_number="02802176"),),
    documents=(
        DocFacts("8-K/A", 1, "im02018k4.txt", "IMH ASSESTS CORP.", cover("2002-1", date(2002, 6, 25))),
    ),
)

# The real statement (excerpt 011, fixture im020212.txt). Its header is not among the excerpts: the filing
# date 2003-01-02 is the signature date (imh-filings.md marks it ~), and no acceptance stamp or film number is
# used.
FILING_03_000013 = FilingFacts(
    accession="0001020242-03-000013",
    form="8-K",
    filed=date(2003, 1, 2),
    period=date(2002, 12, 26),
    filers=(replace(IMH_FILER_2002, form_type="8-K", film_number=None),),
    documents=(DocFacts("8-K", 1, "im020212.txt", "IMH ASSETS CORP", ""),),  # body filled by with_real_body
)

# excerpt 001: the 1996 issuance 8-K, PEM, no <FILENAME>, ".txt : 19960830" vs FILED AS OF 19960829, two
# items, SROS NONE. PUBLIC DOCUMENT COUNT is 2; the second document's type is not in the excerpt (EX-99 here).
FILING_96_000135 = FilingFacts(
    accession="0000882377-96-000135",
    form="8-K",
    filed=date(1996, 8, 29),
    period=date(1996, 8, 29),
    txt_date="19960830",
    pem=True,
    sros="NONE",
    items=("Other events", "Financial statements and exhibits"),
    filers=(
        FilerFacts(
            cik=1017447,
            name="IMH ASSETS CORP",
            sic="MORTGAGE BANKERS & LOAN CORRESPONDENTS [6162]",
            form_type="8-K",
            file_number="333-06637",
            irs_number="330705301",
            state="CA",
            film_number="96623420",
            business=(
                ("STREET 1", "20371 IRVINE AVENUE"),
                ("CITY", "SANTA ANA HEIGHTS"),
                ("STATE", "CA"),
                ("ZIP", "92707"),
                ("BUSINESS PHONE", "7145560122"),
            ),
            mail=_IMH_MAIL,
        ),
    ),
    documents=(
        DocFacts("8-K", 1, None, "IMH ASSETS CORP.", "SECURITIES AND EXCHANGE COMMISSION\nFORM 8-K\n"),
        DocFacts("EX-99", 2, None, None, "Exhibit\n"),
    ),
)

# excerpt 024: series CIK 1076336, empty ITEM INFORMATION and SEC ACT, header period 19981215
FILING_99_000029 = FilingFacts(
    accession="0001020242-99-000029",
    form="8-K",
    filed=date(1999, 2, 1),
    period=date(1998, 12, 15),
    pem=True,
    items=(),
    filers=(
        FilerFacts(
            cik=1076336,
            name="IMPAC CMB TRUST SERIES 1998-3",
            sic="MORTGAGE BANKERS & LOAN CORRESPONDENTS [6162]",
            form_type="8-K",
            file_number="333-38879-05",
            state="CA",
            film_number="99517605",
            sec_act="",
            business=(
                ("STREET 1", "3 PARK PLAZA 16TH FLOOR"),
                ("CITY", "IRVINE"),
                ("STATE", "CA"),
                ("ZIP", "92614"),
            ),
        ),
    ),
    documents=(DocFacts("8-K", 1, None, None, cover("1998-3", date(1998, 12, 15))),),
)


def with_real_body(facts: FilingFacts) -> FilingFacts:
    doc = replace(facts.documents[0], body=real_statement())
    return replace(facts, documents=(doc, *facts.documents[1:]))


def series_filing(
    accession: str, cik: int, name: str, form: str, filed: date, period: date, file_number: str, filename: str
) -> FilingFacts:
    """A remittance 8-K of a series registrant with the 2002-03 header shape (imh-filings.md §3)."""
    filer = replace(
        IMH_FILER_2002, cik=cik, name=name, form_type=form, file_number=file_number, film_number=None
    )
    return FilingFacts(
        accession=accession,
        form=form,
        filed=filed,
        period=period,
        filers=(filer,),
        documents=(DocFacts(form, 1, filename, name, cover(name, period)),),
    )


# --- a mirror directory in SEC's layout (docs/edgar.md)
# -------------------------------------------------------


@dataclass
class Mirror:
    root: Path
    filings: dict[str, FilingFacts] = field(default_factory=dict)
    listed_under: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    extra_index_rows: list[tuple[str, str, int, date, str]] = field(default_factory=list)

    def add(self, facts: FilingFacts, *, primary_in_folder: bool = True) -> Path:
        """Write the filing under every filer's CIK: full .txt, index.json and (optionally) its documents."""
        self.filings[facts.accession] = facts
        text = render_submission(facts).encode("latin-1")
        path = Path()
        for filer in facts.filers:
            self.listed_under[filer.cik].append(facts.accession)
            folder = self.root / "Archives/edgar/data" / str(filer.cik) / facts.folder
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{facts.accession}.txt"
            path.write_bytes(text)
            names = [f"{facts.accession}-index.html", f"{facts.accession}.txt"]
            if primary_in_folder:
                for doc in facts.documents:
                    if doc.filename:
                        (folder / doc.filename).write_bytes(doc.body.encode("latin-1"))
                        names.append(doc.filename)
            listing = {
                "directory": {
                    "item": [{"name": n, "type": "text.gif", "size": "", "last-modified": ""} for n in names],
                    "name": f"/Archives/edgar/data/{filer.cik}/{facts.folder}",
                }
            }
            (folder / "index.json").write_text(json.dumps(listing))
        return path

    def write_submissions(self, cik: int, name: str, *, page_size: int) -> list[str]:
        """Submissions JSON: full pages of ``page_size`` from the oldest filing on (-001 oldest), the rest
        (1 to ``page_size`` newest) in ``recent``; adding a filing leaves existing pages unchanged."""
        oldest_first = sorted(self.listed_under[cik], key=lambda a: (self.filings[a].filed, a))
        full_pages = max(0, (len(oldest_first) - 1) // page_size)
        older = [oldest_first[i * page_size : (i + 1) * page_size][::-1] for i in range(full_pages)]
        chunks = [oldest_first[full_pages * page_size :][::-1], *older]
        folder = self.root / "submissions"
        folder.mkdir(parents=True, exist_ok=True)
        page_names = [f"CIK{cik:010d}-submissions-{n:03d}.json" for n in range(1, len(chunks))]
        first = {
            "cik": str(cik),
            "entityType": "other",
            "name": name,
            "filings": {
                "recent": self._columns(chunks[0]),
                "files": [
                    {
                        "name": page_name,
                        "filingCount": len(chunk),
                        "filingFrom": min(self.filings[a].filed for a in chunk).isoformat(),
                        "filingTo": max(self.filings[a].filed for a in chunk).isoformat(),
                    }
                    for page_name, chunk in zip(page_names, chunks[1:], strict=True)
                ],
            },
        }
        (folder / f"CIK{cik:010d}.json").write_text(json.dumps(first))
        for page_name, chunk in zip(page_names, chunks[1:], strict=True):
            # an older page has the columns at its top level, in another key order (zip by name, not position)
            columns = self._columns(chunk)
            (folder / page_name).write_text(json.dumps(dict(reversed(list(columns.items())))))
        return page_names

    def _columns(self, accessions: list[str]) -> dict[str, list[object]]:
        rows = [self.filings[a] for a in accessions]
        return {
            "accessionNumber": [f.accession for f in rows],
            "filingDate": [f.filed.isoformat() for f in rows],
            "reportDate": [f.period.isoformat() if f.period else "" for f in rows],
            "acceptanceDateTime": ["" for _ in rows],
            "act": ["34" for _ in rows],
            "form": [f.form for f in rows],
            "fileNumber": [f.filers[0].file_number for f in rows],
            "items": ["" for _ in rows],
            "core_type": [f.form for f in rows],
            "size": [1000 for _ in rows],
            "isXBRL": [0 for _ in rows],
            "isInlineXBRL": [0 for _ in rows],
            "primaryDocument": [f.documents[0].filename or "" for f in rows],
            "primaryDocDescription": [f.documents[0].description or "" for f in rows],
        }

    def write_full_index(self, start: date, end: date) -> None:
        """company.idx and form.idx for every quarter in [start, end] (header only if nothing was filed)."""
        rows = [
            (filer.name, f.form, filer.cik, f.filed, f"edgar/data/{filer.cik}/{f.accession}.txt")
            for f in self.filings.values()
            for filer in f.filers
        ] + self.extra_index_rows
        for year, quarter in quarters(start, end):
            first_day = date(year, 3 * quarter - 2, 1)
            in_quarter = [r for r in rows if first_day <= r[3] <= quarter_end(year, quarter)]
            folder = self.root / f"Archives/edgar/full-index/{year}/QTR{quarter}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "company.idx").write_text(company_idx(in_quarter))
            (folder / "form.idx").write_text(form_idx(in_quarter))


_PREAMBLE = (
    "Description:           Daily Index of EDGAR Dissemination Feed by Company Name\n"
    "Last Data Received:    March 31, 2003\n"
    "Comments:              webmaster@sec.gov\n"
    "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n"
    "\n\n\n"
)


def company_idx(rows: list[tuple[str, str, int, date, str]]) -> str:
    """Fixed width 62/12/12/12/rest, sorted by company name (edgar.md §d)."""
    header = f"{'Company Name':<62}{'Form Type':<12}{'CIK':<12}{'Date Filed':<12}File Name\n"
    lines = [
        f"{name:<62}{form:<12}{cik:<12}{filed.isoformat():<12}{filename}  "
        for name, form, cik, filed, filename in sorted(rows)
    ]
    return _PREAMBLE + header + "-" * 141 + "\n" + "\n".join(lines) + "\n"


def form_idx(rows: list[tuple[str, str, int, date, str]]) -> str:
    """Same data ordered by form type: Form Type(12) Company Name(62) CIK(12) Date Filed(12) File Name."""
    header = f"{'Form Type':<12}{'Company Name':<62}{'CIK':<12}{'Date Filed':<12}File Name\n"
    lines = [
        f"{form:<12}{name:<62}{cik:<12}{filed.isoformat():<12}{filename}  "
        for name, form, cik, filed, filename in sorted(rows, key=lambda r: (r[1], r[0]))
    ]
    return _PREAMBLE + header + "-" * 141 + "\n" + "\n".join(lines) + "\n"
