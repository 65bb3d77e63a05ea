"""Pure parsing of EDGAR's full submission ``{accession}.txt``: bytes/text in, records out (edgar.md §c).

No I/O here, so the fetch step and the offline replay from the raw store (reparse) share one code path.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TypeGuard
from zoneinfo import ZoneInfo

from edgar.errors import BadContentError
from edgar.records import Document, Filer, FilingRef, Submission, SubmissionHeader

# EDGAR stamps acceptance times in Eastern time (edgar.md §b: ACCEPTANCE-DATETIME is Eastern).
EDGAR_TZ = ZoneInfo("America/New_York")

_PEM_BEGIN = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----"
_PEM_END = "-----END PRIVACY-ENHANCED MESSAGE-----"
_FIRST_TAG_RE = re.compile(r"^<(?:SEC-DOCUMENT|SEC-HEADER|IMS-HEADER|DOCUMENT)>", re.M)
_HEADER_RE = re.compile(r"<(SEC|IMS)-HEADER>(.*?)</\1-HEADER>", re.S)
_DOCUMENT_RE = re.compile(r"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.S)
_HDR_STAMP_RE = re.compile(r"\.hdr\.sgml\s*:\s*(\d{8})(?:\s+(\d{14}))?")
_ACCEPTANCE_TAG_RE = re.compile(r"^<ACCEPTANCE-DATETIME>\s*(\d{14})", re.M)
_FILER_SECTIONS = {"FILER", "SUBJECT COMPANY", "FILED BY", "REPORTING-OWNER", "ISSUER", "SERIAL COMPANY"}
_SUBSECTIONS = {
    "COMPANY DATA",
    "FILING VALUES",
    "BUSINESS ADDRESS",
    "MAIL ADDRESS",
    "FORMER COMPANY",
    "OWNER DATA",
}
_ENCODINGS = ("utf-8", "cp1252", "latin-1")


def is_ascii_digits(text: str | None) -> TypeGuard[str]:
    """``str.isdigit`` accepts "²", which ``int()`` refuses; EDGAR's numbers are ASCII digits."""
    return text is not None and text.isascii() and text.isdigit()


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode with the first of UTF-8, cp1252, latin-1 that accepts every byte; returns (text, encoding).

    latin-1 maps every byte, so this never fails; cp1252 rejects its five undefined bytes (0x81 0x8D 0x8F 0x90
    0x9D), which then fall through to latin-1.
    """
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def strip_pem(text: str) -> str:
    """Drop the PEM wrapper of pre-2005 files (1996-2004 IMH filings) and anything before the first tag."""
    if _PEM_BEGIN not in text[:200]:
        return text
    start = _FIRST_TAG_RE.search(text)
    body = text[start.start() :] if start else text
    end = body.rfind(_PEM_END)
    return body[:end] if end >= 0 else body


def is_complete_submission(raw: bytes) -> bool:
    """False for a body cut short: ``<SEC-DOCUMENT>`` without ``</SEC-DOCUMENT>``, or the last document
    unclosed.

    Some old submissions have no ``<SEC-DOCUMENT>`` line at all (edgartools fixture 0000899681-95-000096);
    for those the last ``<DOCUMENT>`` must be closed.
    """
    if b"<SEC-DOCUMENT>" in raw:
        return b"</SEC-DOCUMENT>" in raw
    last_open = raw.rfind(b"<DOCUMENT>")
    return last_open >= 0 and raw.find(b"</DOCUMENT>", last_open) >= 0


def parse_submission(raw: bytes | str, *, ref: FilingRef | None = None) -> Submission:
    """Parse a full submission; ``ref`` supplies the header facts of a rare file without ``<SEC-HEADER>``."""
    if isinstance(raw, bytes):
        text, encoding = decode_bytes(raw)
    else:
        text, encoding = raw, "str"
    text = strip_pem(text.replace("\r\n", "\n").replace("\r", "\n"))
    accession_hint = ref.accession_no if ref else None
    header_match = _HEADER_RE.search(text)
    if header_match:
        header = parse_sec_header(header_match.group(0), accession_hint=accession_hint)
        rest = text[header_match.end() :]
    elif ref is not None:
        header = header_from_ref(ref)
        rest = text
    else:
        raise BadContentError(
            "full submission has no <SEC-HEADER> block",
            hint="pass the FilingRef so its facts stand in for the header, or check the file",
        )
    documents = tuple(_parse_document(block, header.accession_no) for block in _DOCUMENT_RE.findall(rest))
    if not documents:
        raise BadContentError(
            "full submission contains no <DOCUMENT>",
            accession_no=header.accession_no,
            hint="the file is damaged or not a full submission .txt",
        )
    return Submission(header=header, documents=documents, encoding=encoding)


def header_from_ref(ref: FilingRef) -> SubmissionHeader:
    return SubmissionHeader(
        accession_no=ref.accession_no,
        form=ref.form,
        filed=ref.filed,
        period=ref.period,
        accepted=None,
        document_count=None,
        filers=(Filer(cik=ref.cik, name=ref.company_name),),
    )


def parse_sec_header(text: str, *, accession_hint: str | None = None) -> SubmissionHeader:
    """Parse ``<SEC-HEADER>…</SEC-HEADER>``: ``LABEL:<TABs>value`` lines nested by indentation."""
    top: dict[str, str] = {}
    items: list[str] = []
    filers: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    subsection = ""
    accepted: datetime | None = None

    if (stamp := _HDR_STAMP_RE.search(text)) and stamp.group(2):
        accepted = _parse_timestamp(stamp.group(2), "hdr.sgml stamp", accession_hint)
    if tag := _ACCEPTANCE_TAG_RE.search(text):
        accepted = _parse_timestamp(tag.group(1), "ACCEPTANCE-DATETIME", accession_hint)

    for raw_line in text.split("\n"):
        line = raw_line.rstrip()
        if not line.strip() or line.lstrip().startswith("<"):
            continue
        indented = line[0] in " \t"
        label, sep, value = line.strip().partition(":")
        if not sep:
            continue
        label, value = label.strip().upper(), value.strip()
        if not indented:
            if label in _FILER_SECTIONS and not value:
                current = {"ROLE": label}
                filers.append(current)
                subsection = ""
                continue
            current = None
            if label == "ITEM INFORMATION":
                if value:
                    items.append(value)
            else:
                top.setdefault(label, value)
            continue
        if current is None:
            continue
        if label in _SUBSECTIONS:
            subsection = label
            continue
        if not value:
            # an empty field, not a block: "SEC ACT:" is empty in 0001020242-99-000029
            continue
        if subsection == "FORMER COMPANY" and label == "FORMER CONFORMED NAME":
            current["FORMER"] = (current.get("FORMER", "") + "\n" + value).strip("\n")
        elif subsection in ("COMPANY DATA", "FILING VALUES", "OWNER DATA", ""):
            current.setdefault(label, value)

    accession = top.get("ACCESSION NUMBER") or accession_hint
    if not accession:
        raise BadContentError(
            "SEC header has no ACCESSION NUMBER", hint="check the file is an EDGAR submission"
        )
    form = top.get("CONFORMED SUBMISSION TYPE")
    if not form:
        raise BadContentError("SEC header has no CONFORMED SUBMISSION TYPE", accession_no=accession)
    filed_text = top.get("FILED AS OF DATE")
    if not filed_text:
        raise BadContentError("SEC header has no FILED AS OF DATE", accession_no=accession)
    filed = _parse_date(filed_text, "FILED AS OF DATE", accession)
    period_text = top.get("CONFORMED PERIOD OF REPORT")
    period = _parse_date(period_text, "CONFORMED PERIOD OF REPORT", accession) if period_text else None
    count_text = top.get("PUBLIC DOCUMENT COUNT")
    document_count = int(count_text) if is_ascii_digits(count_text) else None
    return SubmissionHeader(
        accession_no=accession,
        form=form,
        filed=filed,
        period=period,
        accepted=accepted,
        document_count=document_count,
        filers=tuple(_filer(block, accession) for block in filers if "CENTRAL INDEX KEY" in block),
        items=tuple(items),
    )


def _filer(block: dict[str, str], accession: str) -> Filer:
    cik_text = block["CENTRAL INDEX KEY"]
    if not is_ascii_digits(cik_text):
        raise BadContentError(f"CENTRAL INDEX KEY is not a number: {cik_text!r}", accession_no=accession)
    former = tuple(n for n in block.get("FORMER", "").split("\n") if n)
    return Filer(
        cik=int(cik_text),
        name=block.get("COMPANY CONFORMED NAME") or block.get("OWNER CONFORMED NAME") or "",
        role=block["ROLE"],
        file_number=block.get("SEC FILE NUMBER") or None,
        form_type=block.get("FORM TYPE") or None,
        sic=block.get("STANDARD INDUSTRIAL CLASSIFICATION") or None,
        irs_number=block.get("IRS NUMBER") or None,
        state_of_incorporation=block.get("STATE OF INCORPORATION") or None,
        fiscal_year_end=block.get("FISCAL YEAR END") or None,
        film_number=block.get("FILM NUMBER") or None,
        former_names=former,
    )


def _parse_document(block: str, accession: str) -> Document:
    text_at = block.find("<TEXT>")
    head = block if text_at < 0 else block[:text_at]
    fields: dict[str, str] = {}
    for line in head.split("\n"):
        line = line.strip()
        if line.startswith("<") and ">" in line:
            tag, _, value = line[1:].partition(">")
            fields.setdefault(tag.upper(), value.strip())
    doc_type = fields.get("TYPE")
    if not doc_type:
        raise BadContentError("<DOCUMENT> without <TYPE>", accession_no=accession)
    sequence_text = fields.get("SEQUENCE", "")
    if not is_ascii_digits(sequence_text):
        raise BadContentError(
            f"<DOCUMENT> {doc_type} has no numeric <SEQUENCE> (got {sequence_text!r})", accession_no=accession
        )
    if text_at < 0:
        body = ""
    else:
        body = block[text_at + len("<TEXT>") :]
        if body.startswith("\n"):
            body = body[1:]
        end = body.rfind("</TEXT>")
        if end >= 0:
            body = body[:end]
    return Document(
        type=doc_type,
        sequence=int(sequence_text),
        filename=fields.get("FILENAME") or None,
        description=fields.get("DESCRIPTION") or None,
        body=body,
    )


def _parse_date(value: str, label: str, accession: str | None) -> date:
    try:
        return datetime.strptime(value.strip()[:8], "%Y%m%d").date()
    except ValueError:
        raise BadContentError(f"{label} is not a YYYYMMDD date: {value!r}", accession_no=accession) from None


def _parse_timestamp(value: str, label: str, accession: str | None) -> datetime:
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=EDGAR_TZ)
    except ValueError:
        raise BadContentError(f"{label} is not YYYYMMDDhhmmss: {value!r}", accession_no=accession) from None
