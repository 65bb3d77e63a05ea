"""Pure discovery parsing: submissions pages zipped by key name, fixed-width full-index by header offsets."""

from __future__ import annotations

from datetime import date

import pytest
from sgml_mirror import company_idx, form_idx

from edgar.discovery import name_matches, parse_full_index, parse_submissions_page, quarters
from edgar.errors import BadContentError
from edgar.settings import Settings, load_settings


@pytest.fixture
def settings() -> Settings:
    return load_settings({})


def _first_page(recent: dict[str, list[object]]) -> dict[str, object]:
    return {
        "cik": "1017447",
        "name": "IMH ASSETS CORP",
        "filings": {
            "recent": recent,
            "files": [
                {"name": "CIK0001017447-submissions-001.json", "filingCount": 347, "filingFrom": "1996-08-29"}
            ],
        },
    }


def test_first_page_rows_are_zipped_by_key_name_whatever_the_order(settings: Settings) -> None:
    recent = {
        "primaryDocument": ["im020212.txt", ""],
        "form": ["8-K", "8-K"],
        "reportDate": ["2002-12-26", ""],
        "isXBRLNumeric": [0, 0],  # a newer key: ignored
        "accessionNumber": ["0001020242-03-000013", "0000882377-96-000135"],
        "filingDate": ["2003-01-02", "1996-08-29"],
    }
    latest, oldest = parse_submissions_page(_first_page(recent), cik=1017447, settings=settings)
    assert latest.accession_no == "0001020242-03-000013"
    assert (latest.form, latest.filed, latest.period) == ("8-K", date(2003, 1, 2), date(2002, 12, 26))
    assert latest.primary_document == "im020212.txt"
    assert latest.company_name == "IMH ASSETS CORP"
    assert latest.url == (
        "https://www.sec.gov/Archives/edgar/data/1017447/000102024203000013/0001020242-03-000013.txt"
    )
    assert oldest.period is None  # reportDate "" is no period, not a failed date
    assert oldest.primary_document is None


def test_older_page_has_its_columns_at_the_top_level(settings: Settings) -> None:
    page = {
        "accessionNumber": ["0001020242-02-000305"],
        "filingDate": ["2002-10-30"],
        "reportDate": ["2002-06-25"],
        "form": ["8-K/A"],
        "primaryDocument": ["im02018k4.txt"],
    }
    (ref,) = parse_submissions_page(page, cik=1017447, settings=settings, company_name="IMH ASSETS CORP")
    assert (ref.accession_no, ref.form, ref.company_name) == (
        "0001020242-02-000305",
        "8-K/A",
        "IMH ASSETS CORP",
    )


def test_xsl_rendering_prefix_is_dropped_from_the_primary_document(settings: Settings) -> None:
    page = {
        "accessionNumber": ["0001790565-22-000015"],
        "filingDate": ["2022-01-03"],
        "form": ["4"],
        "primaryDocument": ["xslF345X03/wf-form4_164.xml"],
    }
    (ref,) = parse_submissions_page(page, cik=1318605, settings=settings, company_name="x")
    assert ref.primary_document == "wf-form4_164.xml"


def test_columns_of_different_lengths_are_bad_content(settings: Settings) -> None:
    page = {"accessionNumber": ["0001020242-02-000305", "0001020242-02-000307"], "filingDate": ["2002-10-30"]}
    with pytest.raises(BadContentError, match="filingDate"):
        parse_submissions_page(page, cik=1017447, settings=settings, company_name="x")


ROWS = [
    ("IMH ASSETS CORP", "8-K/A", 1017447, date(2003, 1, 27), "edgar/data/1017447/0001020242-03-000161.txt"),
    (
        "IMH ASSETS CORP IPAC CMB TRUST SERIES 2003-1",
        "8-K",
        1217024,
        date(2003, 3, 5),
        "edgar/data/1217024/0001020242-03-000300.txt",
    ),
    (
        "AAMES CAPITAL CORP",
        "SC 13G/A",
        913951,
        date(2003, 2, 14),
        "edgar/data/913951/0000913951-03-000001.txt",
    ),
]


@pytest.mark.parametrize("render", [company_idx, form_idx])
def test_full_index_columns_come_from_the_header_line(render: object) -> None:
    rows = parse_full_index(render(ROWS))  # type: ignore[operator]
    by_cik = {r.cik: r for r in rows}
    assert len(rows) == 3
    assert by_cik[913951].form == "SC 13G/A"  # a form type with a space
    assert by_cik[1217024].company_name == "IMH ASSETS CORP IPAC CMB TRUST SERIES 2003-1"
    assert by_cik[1017447].accession_no == "0001020242-03-000161"
    assert by_cik[1017447].filed == date(2003, 1, 27)


def test_real_1993_company_idx_record_parses_at_sec_offsets() -> None:
    # header and record as quoted in edgar.md §d (columns 0/62/74/86/98)
    header = f"{'Company Name':<62}Form Type   CIK         Date Filed  File Name\n"
    record = f"{'AMERICAN MEDICAL HOLDINGS INC':<62}10-K        861439      1993-11-29  "
    text = header + "-" * 141 + "\n" + record + "edgar/data/861439/0000912057-94-000263.txt\n"
    (row,) = parse_full_index(text)
    assert (row.company_name, row.form, row.cik, row.filed) == (
        "AMERICAN MEDICAL HOLDINGS INC",
        "10-K",
        861439,
        date(1993, 11, 29),
    )


def test_a_name_overflowing_its_column_is_read_from_the_right() -> None:
    long_name = "IMH ASSETS CORP COLLATERALIZED ASSET BACKED BONDS SER 2000 1 EXTRA"
    text = (
        company_idx([])
        + f"{long_name} 8-K         1104508     2000-02-15  edgar/data/1104508/0001020242-00-000050.txt\n"
    )
    (row,) = parse_full_index(text)
    assert (row.cik, row.form, row.company_name) == (1104508, "8-K", long_name)


def test_index_without_header_is_bad_content() -> None:
    with pytest.raises(BadContentError, match="header"):
        parse_full_index("<html>403 Forbidden</html>")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IMH ASSETS CORP", True),
        ("IMH ASSETS CORP IPAC CMB TRUST SERIES 2003-1", True),
        ("Impac  CMB Trust Series 1998-3", True),
        ("IMPAC SECURED ASSETS CMN TRUST SERIES 1998-1", True),
        ("AAMES CAPITAL CORP", False),
        ("COLLATERALIZED ASSET-BACKED BONDS SERIES 2002-3", False),
    ],
)
def test_company_patterns_match_the_start_of_normalised_names(name: str, expected: bool) -> None:
    assert name_matches(name, ("IMH ASSETS CORP", "IMPAC CMB TRUST", "IMPAC SECURED ASSETS")) is expected


def test_wildcard_patterns_match_anywhere() -> None:
    assert name_matches(
        "COLLATERALIZED ASSET-BACKED BONDS SERIES 2002-3", ["*ASSET-BACKED BONDS SERIES 2002-*"]
    )


def test_quarters_cover_the_range_inclusively() -> None:
    assert list(quarters(date(2002, 11, 5), date(2003, 4, 1))) == [(2002, 4), (2003, 1), (2003, 2)]
