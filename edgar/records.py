"""Immutable records edgar/ hands to the rest of the application (dates are ``date``, datetimes tz-aware)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class FilingRef:
    """One filing found by discovery: enough to fetch it in one request."""

    accession_no: str  # 0001020242-03-000013
    cik: int  # the filer the filing was found under (not the accession's agent prefix)
    company_name: str
    form: str  # 8-K, 8-K/A, 10-D ...
    filed: date
    period: date | None  # CONFORMED PERIOD OF REPORT / reportDate; None where the source has none
    url: str  # the full submission {accession}.txt
    primary_document: str | None = None  # im020212.txt; None from the full-index or pre-2001 filings

    @property
    def folder(self) -> str:
        """Accession without dashes, the folder name under the CIK."""
        return self.accession_no.replace("-", "")


@dataclass(frozen=True, slots=True)
class Filer:
    """One FILER / SUBJECT COMPANY block of the SGML header."""

    cik: int
    name: str
    role: str = "FILER"  # FILER, SUBJECT COMPANY, FILED BY, REPORTING-OWNER
    file_number: str | None = None
    form_type: str | None = None
    sic: str | None = None
    irs_number: str | None = None
    state_of_incorporation: str | None = None
    fiscal_year_end: str | None = None
    film_number: str | None = None
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SubmissionHeader:
    """The facts of ``<SEC-HEADER>`` (or, for the index.json fallback, of the FilingRef)."""

    accession_no: str
    form: str
    filed: date
    period: date | None
    accepted: datetime | None  # ACCEPTANCE-DATETIME / hdr.sgml stamp, America/New_York; None before ~2002
    document_count: int | None
    filers: tuple[Filer, ...]
    items: tuple[str, ...] = ()

    @property
    def file_numbers(self) -> tuple[str, ...]:
        return tuple(f.file_number for f in self.filers if f.file_number)


@dataclass(frozen=True, slots=True)
class Document:
    """One ``<DOCUMENT>`` of a submission. ``filename`` is absent before 2001 (IMH 1996/1998/1999 filings)."""

    type: str
    sequence: int
    filename: str | None
    description: str | None
    body: str

    @property
    def is_html(self) -> bool:
        name = (self.filename or "").lower()
        return name.endswith((".htm", ".html")) or self.body.lstrip()[:200].lower().startswith(
            ("<html", "<!doc")
        )


@dataclass(frozen=True, slots=True)
class Submission:
    header: SubmissionHeader
    documents: tuple[Document, ...]
    encoding: str  # utf-8, cp1252 or latin-1: the first that decoded the bytes
    source: str = "txt"  # "txt" (full submission) or "index" (index.json + document fallback)

    def primary_document(self, filename: str | None = None) -> Document:
        """The document named ``filename`` if given and present, else sequence 1 (EDGAR's primary)."""
        if filename:
            for doc in self.documents:
                if doc.filename == filename:
                    return doc
        return min(self.documents, key=lambda d: d.sequence)


@dataclass(frozen=True, slots=True)
class StoredFile:
    filename: str
    sha256: str
    size: int
    url: str  # where the bytes live (fsspec URL or local path)


@dataclass(frozen=True, slots=True)
class StoredFiling:
    """Manifest of one filing in the raw store; written last, so its presence means every file is complete."""

    cik: int
    accession_no: str
    source_url: str
    fetched_at: datetime
    files: tuple[StoredFile, ...] = field(default_factory=tuple)
    # facts that are not in the bytes themselves (the FilingRef of an index.json fallback), as sorted pairs
    meta: tuple[tuple[str, str], ...] = ()

    def file(self, filename: str) -> StoredFile:
        for f in self.files:
            if f.filename == filename:
                return f
        raise KeyError(filename)
