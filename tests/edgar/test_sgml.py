"""The full submission .txt: PEM, <SEC-HEADER>, <DOCUMENT> split, decoding; from real IMH header facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sgml_mirror import (
    FILING_02_000305,
    FILING_03_000013,
    FILING_03_000161,
    FILING_96_000135,
    FILING_99_000029,
    FilerFacts,
    real_statement,
    render_submission,
    with_real_body,
)

from edgar.errors import BadContentError
from edgar.records import FilingRef
from edgar.sgml import decode_bytes, is_complete_submission, parse_submission, strip_pem

NEW_YORK = ZoneInfo("America/New_York")


def test_header_of_the_june_2002_amendment_gives_every_fact() -> None:
    submission = parse_submission(render_submission(FILING_03_000161).encode())
    header = submission.header
    assert header.accession_no == "0001020242-03-000161"
    assert header.form == "8-K/A"
    assert header.period == date(2002, 6, 25)
    assert header.filed == date(2003, 1, 27)
    assert header.accepted == datetime(2003, 1, 27, 14, 15, 33, tzinfo=NEW_YORK)
    assert header.accepted.utcoffset() is not None
    assert header.document_count == 1 == len(submission.documents)
    assert header.items == ("Other events",)
    (filer,) = header.filers
    assert (filer.cik, filer.name, filer.file_number) == (1017447, "IMH ASSETS CORP", "333-06637")
    assert (filer.form_type, filer.film_number, filer.state_of_incorporation) == ("8-K/A", "03525578", "DE")
    assert filer.sic == "ASSET-BACKED SECURITIES [6189]"


def test_address_lines_do_not_leak_into_the_filer() -> None:
    # the BUSINESS ADDRESS block has its own "STATE: CA"; STATE OF INCORPORATION stays DE
    (filer,) = parse_submission(render_submission(FILING_03_000161)).header.filers
    assert filer.state_of_incorporation == "DE"
    assert filer.irs_number == "330705301"


def test_pem_wrapper_is_stripped_before_the_first_tag() -> None:
    text = render_submission(FILING_02_000305)
    assert text.startswith("-----BEGIN PRIVACY-ENHANCED MESSAGE-----")
    stripped = strip_pem(text)
    assert stripped.startswith("<SEC-DOCUMENT>0001020242-02-000305.txt : 20021030")
    assert "PRIVACY-ENHANCED" not in stripped
    assert "MIC-Info" not in stripped


def test_misspelled_description_is_kept_verbatim() -> None:
    (doc,) = parse_submission(render_submission(FILING_02_000305)).documents
    assert (doc.type, doc.sequence, doc.filename) == ("8-K/A", 1, "im02018k4.txt")
    assert doc.description == "IMH ASSESTS CORP."


def test_1996_documents_have_no_filename_and_no_acceptance_stamp() -> None:
    submission = parse_submission(render_submission(FILING_96_000135))
    header = submission.header
    assert header.filed == date(1996, 8, 29)  # FILED AS OF, not the ".txt : 19960830" stamp
    assert header.accepted is None
    assert header.items == ("Other events", "Financial statements and exhibits")
    assert header.document_count == 2
    assert [(d.type, d.sequence, d.filename) for d in submission.documents] == [
        ("8-K", 1, None),
        ("EX-99", 2, None),
    ]
    assert submission.documents[0].description == "IMH ASSETS CORP."


def test_empty_item_information_and_sec_act_are_tolerated() -> None:
    header = parse_submission(render_submission(FILING_99_000029)).header
    assert header.items == ()
    assert header.period == date(1998, 12, 15)
    assert header.filers[0].file_number == "333-38879-05"


def test_real_statement_comes_back_unchanged_from_its_full_submission() -> None:
    submission = parse_submission(render_submission(with_real_body(FILING_03_000013)).encode("ascii"))
    doc = submission.primary_document("im020212.txt")
    assert doc.filename == "im020212.txt"
    assert doc.body.rstrip("\n") == real_statement().rstrip("\n")
    assert "Impac CMB Trust   2002-2" in doc.body
    assert submission.encoding == "utf-8"
    assert submission.header.period == date(2002, 12, 26)


def test_every_filer_of_a_co_registrant_filing_is_listed() -> None:
    series = FilerFacts(
        cik=1176322,
        name="COLLATERALIZED ASSET-BACKED BONDS SERIES 2002-3",
        sic="ASSET-BACKED SECURITIES [6189]",
        form_type="8-K",
        file_number="333-83600-01",
    )
    facts = replace(FILING_03_000161, filers=(*FILING_03_000161.filers, series))
    filers = parse_submission(render_submission(facts)).header.filers
    assert [(f.cik, f.file_number) for f in filers] == [(1017447, "333-06637"), (1176322, "333-83600-01")]


def test_crlf_line_endings_parse_like_lf() -> None:
    text = render_submission(FILING_03_000161)
    assert parse_submission(text.replace("\n", "\r\n")) == parse_submission(text)


def test_document_tags_have_no_closing_tags_and_values_run_to_end_of_line() -> None:
    text = render_submission(FILING_03_000161)
    assert "</TYPE>" not in text
    (doc,) = parse_submission(text).documents
    assert doc.description == "8 KA JUNE Impac CMB Trust 2002-2"
    assert doc.is_html


def test_submission_without_sec_document_line_still_splits() -> None:
    # edgartools fixture 0000899681-95-000096 starts directly at <DOCUMENT>; the ref stands in for the header
    text = "<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<TEXT>\nbody\n</TEXT>\n</DOCUMENT>\n"
    ref = FilingRef("0000899681-95-000096", 1017447, "IMH ASSETS CORP", "8-K", date(1995, 1, 3), None, "u")
    submission = parse_submission(text, ref=ref)
    assert submission.header.accession_no == "0000899681-95-000096"
    assert submission.documents[0].body == "body\n"
    assert is_complete_submission(text.encode())


def test_text_without_documents_is_bad_content_naming_the_accession() -> None:
    text = render_submission(FILING_03_000161)
    broken = text[: text.index("<DOCUMENT>")]
    with pytest.raises(BadContentError, match="no <DOCUMENT>") as caught:
        parse_submission(broken)
    assert caught.value.accession_no == "0001020242-03-000161"


def test_unreadable_filed_date_is_bad_content_not_a_value_error() -> None:
    text = render_submission(FILING_03_000161).replace(
        "FILED AS OF DATE:\t\t20030127", "FILED AS OF DATE:\t\t2003012X"
    )
    with pytest.raises(BadContentError, match="FILED AS OF DATE is not a YYYYMMDD date"):
        parse_submission(text)


def test_cut_submission_is_detected() -> None:
    raw = render_submission(with_real_body(FILING_03_000013)).encode()
    assert is_complete_submission(raw)
    assert not is_complete_submission(raw[: len(raw) // 2])
    assert not is_complete_submission(raw.replace(b"</SEC-DOCUMENT>", b""))


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("Trust 2002-2 \u2013 naïve".encode(), "utf-8"),
        (b"Impac \x93CMB\x94 Trust", "cp1252"),  # curly quotes from a Windows word processor
        (b"undefined in cp1252: \x81\x8d", "latin-1"),
    ],
)
def test_bytes_decode_utf8_then_cp1252_then_latin1(raw: bytes, encoding: str) -> None:
    text, used = decode_bytes(raw)
    assert used == encoding
    assert text.encode(encoding) == raw


def test_cp1252_submission_records_its_encoding() -> None:
    facts = replace(
        FILING_02_000305, documents=(replace(FILING_02_000305.documents[0], body="Impac \u201cCMB\u201d"),)
    )
    submission = parse_submission(render_submission(facts).encode("cp1252"))
    assert submission.encoding == "cp1252"
    assert "\u201cCMB\u201d" in submission.documents[0].body
