"""The generated mirror: SEC's URL layout and formats, as edgar/ reads them, deterministic from the seed."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from corpus.cli import main
from corpus.mirror import MALFORMED_KINDS, PRESETS, Manifest, generate_mirror
from edgar.client import EdgarClient
from edgar.discovery import discover_filings, name_matches, parse_full_index
from edgar.settings import DEFAULT_COMPANY_PATTERNS, load_settings
from edgar.sgml import parse_submission
from edgar.testserver import EdgarTestServer
from parsers.api import parse_document
from parsers.errors import ParseError, UnsupportedTemplateError

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "1017447" / "000102024203000013" / "im020212.txt"


def _generate(root: Path, preset: str, seed: int = 0) -> Manifest:
    p = PRESETS[preset]
    return generate_mirror(
        root,
        seed=seed,
        deals=p.deals,
        months=p.months,
        amendments=p.amendments,
        page_size=p.page_size,
        malformed=p.malformed,
        loans=p.loans,
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    return _generate(tmp_path_factory.mktemp("small"), "small")


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    return _generate(tmp_path_factory.mktemp("faults"), "faults")


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_the_same_seed_writes_a_byte_identical_mirror(small: Manifest, tmp_path: Path) -> None:
    again = _generate(tmp_path / "again", "small")
    assert _tree_digest(again.root) == _tree_digest(small.root)


def test_every_filing_sits_in_the_sec_folder_layout_with_its_listing(small: Manifest) -> None:
    for filing in small.filings:
        folder = (
            small.root
            / "Archives"
            / "edgar"
            / "data"
            / str(filing.cik)
            / filing.accession_no.replace("-", "")
        )
        assert (folder / f"{filing.accession_no}.txt").is_file()
        assert (folder / filing.filename).is_file()
        names = [
            item["name"] for item in json.loads((folder / "index.json").read_text())["directory"]["item"]
        ]
        assert names == [f"{filing.accession_no}.txt", filing.filename]


def test_the_real_statement_is_in_the_mirror_byte_for_byte(small: Manifest) -> None:
    (real,) = small.of_kind("real")
    assert real.accession_no == "0001020242-03-000013"
    folder = small.root / "Archives/edgar/data/1017447/000102024203000013"
    assert (folder / "im020212.txt").read_bytes() == REAL.read_bytes()
    assert REAL.read_bytes() in (folder / "0001020242-03-000013.txt").read_bytes()
    assert real.sha256 == "93d058eb5c8db55911ab6d43ea2217a89f2800afd6774332fb7fccfce8acc1a0"


def test_every_full_submission_parses_with_the_header_facts_of_the_manifest(small: Manifest) -> None:
    for filing in small.filings:
        raw = (small.root / filing.path).read_bytes()
        submission = parse_submission(raw)
        header = submission.header
        assert (header.accession_no, header.form, header.filed) == (
            filing.accession_no,
            filing.form,
            filing.filed,
        )
        assert header.period == filing.period
        assert [f.cik for f in header.filers] == [filing.cik]
        assert raw.startswith(b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----") == (filing.filed.year <= 2004)
        (document,) = submission.documents
        assert document.filename == filing.filename


def test_submissions_pages_list_every_filing_of_a_cik_exactly_once(small: Manifest) -> None:
    by_cik: dict[int, set[str]] = {}
    for filing in small.filings:
        by_cik.setdefault(filing.cik, set()).add(filing.accession_no)
    paged = 0
    for cik, accessions in by_cik.items():
        first = json.loads((small.root / "submissions" / f"CIK{cik:010d}.json").read_text())
        assert first["cik"] == str(cik)
        pages = [first["filings"]["recent"]]
        for entry in first["filings"]["files"]:
            page = json.loads((small.root / "submissions" / entry["name"]).read_text())
            assert "filings" not in page and len(page["accessionNumber"]) == entry["filingCount"]
            pages.append(page)
            paged += 1
        listed = [a for page in pages for a in page["accessionNumber"]]
        assert len(listed) == len(set(listed)) and set(listed) == accessions
        for page in pages:
            assert len({len(column) for column in page.values()}) == 1  # columnar: one row per index
    assert paged >= 2  # the small preset's page size makes CIK 1017447 spill onto older pages


def test_company_index_names_every_filing_and_series_ciks_only_by_name(small: Manifest) -> None:
    rows = []
    for path in (small.root / "Archives/edgar/full-index").rglob("company.idx"):
        rows += parse_full_index(path.read_text(encoding="latin-1"), source=str(path))
    family = [row for row in rows if name_matches(row.company_name, DEFAULT_COMPANY_PATTERNS)]
    assert {row.accession_no for row in family} == {f.accession_no for f in small.filings}
    assert any(not name_matches(row.company_name, DEFAULT_COMPANY_PATTERNS) for row in rows)  # neighbours
    series_ciks = {f.cik for f in small.filings} - set(small.explicit_ciks)
    assert series_ciks, "some deal must be filed under its own series CIK"
    form_rows = []
    for path in (small.root / "Archives/edgar/full-index").rglob("form.idx"):
        form_rows += parse_full_index(path.read_text(encoding="latin-1"), source=str(path))
    assert sorted(form_rows, key=repr) == sorted(rows, key=repr)


def test_an_amendment_restates_a_month_of_the_same_deal_later_with_other_values(small: Manifest) -> None:
    (amendment,) = small.of_kind("amendment")
    (original,) = [
        f
        for f in small.of_kind("statement")
        if (f.series, f.distribution_date) == (amendment.series, amendment.distribution_date)
    ]
    assert amendment.form == "8-K/A" and amendment.filed > original.filed
    assert amendment.accession_no != original.accession_no
    texts = [
        parse_submission((small.root / f.path).read_bytes()).documents[0].body for f in (original, amendment)
    ]
    first, second = (parse_document(text) for text in texts)
    assert first.discrepancies == () and second.discrepancies == ()
    assert first.statement.bond_class("Cert").interest != second.statement.bond_class("Cert").interest
    assert first.statement.bond_class("A") == second.statement.bond_class("A")


def test_malformed_inputs_are_recorded_with_the_outcome_the_parser_gives_them(faults: Manifest) -> None:
    assert sorted(f.kind for f in faults.expected("failed", "unsupported")) == sorted(MALFORMED_KINDS)
    for filing in faults.expected("failed", "unsupported"):
        submission = parse_submission((faults.root / filing.path).read_bytes())
        expected = UnsupportedTemplateError if filing.expect == "unsupported" else ParseError
        with pytest.raises(expected) as caught:
            parse_document(submission.documents[0].body, filing.filename)
        if filing.expect == "failed":
            assert not isinstance(caught.value, UnsupportedTemplateError)


def test_discovery_through_the_test_server_finds_exactly_the_mirrors_8k_filings(
    small: Manifest, tmp_path: Path
) -> None:
    with EdgarTestServer(small.root) as server:
        settings = load_settings(
            {},
            user_agent="Acme Research admin@acme.example",
            data_dir=tmp_path,
            max_requests_per_second=50,
            **server.settings_overrides(),
        )
        with EdgarClient(settings) as client:
            found = discover_filings(client, start=date(2002, 1, 1), end=small.last_filed)
    wanted = {f.accession_no for f in small.filings if f.form in ("8-K", "8-K/A")}
    assert {ref.accession_no for ref in found.refs} == wanted
    assert found.ciks_by_name == frozenset({f.cik for f in small.filings} - {1017447})


def test_cli_writes_a_preset_and_rejects_an_unknown_malformed_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", str(tmp_path / "m"), "--preset", "small", "--deals", "1", "--months", "2"]) == 0
    manifest = Manifest.load(tmp_path / "m")
    assert len(manifest.of_kind("statement")) == 2 and manifest.of_kind("real")
    assert main(["generate", str(tmp_path / "x"), "--malformed", "garbage,bogus"]) == 2
    assert "bogus" in capsys.readouterr().err
