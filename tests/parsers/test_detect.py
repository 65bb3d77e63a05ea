"""Template detection: every stored excerpt and the real statement are named, foreign filings are unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.detect import Template, detect_template, is_html_markup

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL = FIXTURES / "real" / "1017447" / "000102024203000013" / "im020212.txt"
EXCERPTS = FIXTURES / "excerpts"

T, H, N, C, U = (
    Template.TRUSTEE_TEXT,
    Template.TRUSTEE_HTML,
    Template.TRUSTEE_2004,
    Template.CTSLINK,
    Template.UNKNOWN,
)

# Every excerpt with the template it must get and why. "cover only" = the 2,000 stored characters end inside
# the 8-K cover page, before the statement title block: the Deutsche Bank cover precedes text, HTML, 2004+
# statements alike, so the template cannot be named from it (012 and 011 included, although their full
# documents are an HTML and a text statement).
EXPECTED: dict[str, tuple[Template, str]] = {
    "001": (U, "1996 issuance 8-K"),
    "002": (U, "cover only"),
    "003": (U, "cover only"),
    "004": (U, "cover only"),
    "005": (T, "cover + text title block and contents"),
    "006": (U, "cover only"),
    "007": (T, "cover + text title block and contents"),
    "008": (U, "cover only"),
    "009": (U, "cover only"),
    "010": (T, "cover + text title block and contents"),
    "011": (U, "cover only (the full document is tests/fixtures/real/.../im020212.txt)"),
    "012": (U, "cover only (im020206.htm; its statement is past the 2,000 stored characters)"),
    "013": (U, "cover only"),
    "014": (U, "2000-1 issuance 8-K"),
    "015": (U, "1999 cover only"),
    "016": (U, "cover letter"),
    "017": (U, "cover letter"),
    "018": (C, "Norwest (Columbia MD) 8-K cover of the 2000-1 CTSLink report"),
    "019": (C, "CTSLink statement"),
    "020": (C, "Norwest (Columbia MD) 8-K cover"),
    "021": (C, "CTSLink statement"),
    "022": (C, "Norwest (Columbia MD) 8-K cover"),
    "023": (C, "CTSLink statement"),
    "024": (U, "1998 cover only"),
    "025": (U, "1998 cover letter"),
    "026": (U, "cover only"),
    "027": (T, "ISAC cover + text title block"),
    "028": (T, "ISAC cover + text title block"),
    "029": (T, "ISAC cover + text title block"),
    "030": (U, "cover only"),
    "031": (T, "ISAC cover + text title block"),
    "032": (U, "cover only"),
    "033": (H, "trustee HTML statement"),
    "034": (H, "trustee HTML supplemental statement"),
    "035": (U, "cover only"),
    "036": (U, "cover only"),
    "037": (H, "trustee HTML statement"),
    "038": (H, "trustee HTML statement"),
    "039": (U, "cover only"),
    "040": (N, "2004+ External Parties layout"),
    "041": (U, "cover only"),
    "042": (U, "cover only"),
    "043": (U, "cover only"),
    "044": (U, "cover only"),
    "045": (U, "cover only"),
    "046": (U, "cover only"),
    "047": (H, "trustee HTML revised statement"),
    "048": (U, "cover only"),
    "049": (U, "S-3 comment-letter response"),
    "050": (U, "S-3 comment-letter response"),
    "051": (H, "trustee HTML cover + statement in one document"),
    "052": (C, "Wells Fargo (Columbia MD) 8-K cover of the 2004-2 report"),
    "053": (C, "Wells Fargo (Columbia MD) 8-K cover of the 2004-2 report"),
    "054": (H, "trustee HTML statement (2004-4 kept the old layout)"),
    "055": (H, "trustee HTML statement"),
    "056": (H, "trustee HTML statement"),
    "057": (H, "trustee HTML statement"),
    "058": (N, "2005 External Parties layout"),
    "059": (N, "2005 External Parties layout"),
    "060": (N, "2005 External Parties layout"),
    "061": (N, "2005 External Parties layout"),
    "062": (N, "2005 External Parties layout"),
    "063": (N, "2005 External Parties layout"),
    "064": (U, "2001 issuance 8-K"),
    "065": (U, "indenture exhibit"),
    "066": (U, "1998 cover only"),
    "067": (U, "1998 cover only"),
    "068": (U, "prospectus supplement"),
    "069": (U, "trust agreement exhibit"),
    "070": (U, "prospectus supplement"),
    "071": (N, "2004+ External Parties layout"),
}


def _excerpt(excerpt_id: str) -> tuple[str, str | None]:
    data = json.loads((EXCERPTS / f"{excerpt_id}.json").read_text(encoding="utf-8"))
    doc_file = data["meta"]["doc_file"]
    return data["excerpt"], (doc_file if doc_file.endswith((".txt", ".htm")) else None)


def test_every_stored_excerpt_has_an_expected_template() -> None:
    stored = sorted(p.stem for p in EXCERPTS.glob("*.json"))
    assert stored == sorted(EXPECTED)


@pytest.mark.parametrize("excerpt_id", sorted(EXPECTED))
def test_excerpt_is_classified_to_its_template(excerpt_id: str) -> None:
    text, filename = _excerpt(excerpt_id)
    expected, why = EXPECTED[excerpt_id]
    assert detect_template(text, filename) is expected, why


def test_real_text_statement_is_trustee_text() -> None:
    assert detect_template(REAL.read_text(encoding="ascii"), "im020212.txt") is Template.TRUSTEE_TEXT


def test_unfolded_and_crlf_statement_is_still_trustee_text() -> None:
    text = REAL.read_text(encoding="ascii")
    assert detect_template(text.replace("\n", "\r\n")) is Template.TRUSTEE_TEXT
    assert detect_template(text.replace("\n>", "")) is Template.TRUSTEE_TEXT


def test_html_markup_rendition_is_trustee_html() -> None:
    html = (
        "<html><body><p>FORM 8-K</p><table>"
        "<tr><td>Impac CMB Trust 2003-1</td></tr><tr><td>Collateralized Asset-Backed Bonds</td></tr>"
        "<tr><td>October&nbsp;27, 2003 Distribution</td></tr><tr><td>Contents</td></tr>"
        "<tr><td>TABLE OF CONTENTS</td><td></td></tr></table></body></html>"
    )
    assert detect_template(html, "im030110.htm") is Template.TRUSTEE_HTML


def test_statement_wrapped_in_pre_goes_to_the_text_template() -> None:
    body = REAL.read_text(encoding="ascii")
    html = f"<html><body><pre>{body}</pre></body></html>"
    assert detect_template(html, "im020212.htm") is Template.TRUSTEE_TEXT


def test_edgar_sgml_table_tags_are_not_html() -> None:
    text, _ = _excerpt("019")
    assert "<TABLE>" in text
    assert not is_html_markup(text)


@pytest.mark.parametrize("text", ["", "\x00\xff garbage", "Distribution Contents", "|\n|\n|\n"])
def test_foreign_or_empty_text_is_unknown(text: str) -> None:
    assert detect_template(text) is Template.UNKNOWN


def test_only_the_two_trustee_templates_are_supported() -> None:
    assert {t for t in Template if t.supported} == {Template.TRUSTEE_TEXT, Template.TRUSTEE_HTML}


def test_verbose_html_markup_far_from_the_title_block_is_still_trustee_html() -> None:
    cell = '<td style="font-family: Arial; font-size: 8pt; color: #000000; border: none">&nbsp;</td>'
    filler = "".join(f"<tr>{cell * 12}</tr>\n" for _ in range(80))  # ~80 kB of empty styled cells
    html = (
        "<html><body><table><tr><td>Impac CMB Trust 2003-1</td></tr>"
        "<tr><td>Collateralized Asset-Backed Bonds</td></tr><tr><td>October 27, 2003 Distribution</td></tr>"
        f"<tr><td>Contents</td></tr>{filler}<tr><td>TABLE OF CONTENTS</td></tr></table></body></html>"
    )
    assert detect_template(html, "im030110.htm") is Template.TRUSTEE_HTML
