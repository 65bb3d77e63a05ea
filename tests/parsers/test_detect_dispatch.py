"""parse_document dispatches on the detected template: parsed, named-but-unsupported, or unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import parsers
from parsers import (
    PARSER_VERSION,
    ImhEdgarError,
    ParseError,
    Template,
    UnknownFormatError,
    UnsupportedTemplateError,
    parse_document,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL = FIXTURES / "real" / "1017447" / "000102024203000013" / "im020212.txt"


def _excerpt(excerpt_id: str) -> str:
    return json.loads((FIXTURES / "excerpts" / f"{excerpt_id}.json").read_text(encoding="utf-8"))["excerpt"]


def test_real_statement_is_parsed_reconciled_and_named() -> None:
    result = parse_document(REAL.read_text(encoding="ascii"), "im020212.txt")
    assert result.template == Template.TRUSTEE_TEXT.value
    assert result.reconciled and result.discrepancies == () and result.checks_run > 600
    assert result.unparsed == ()


@pytest.mark.parametrize(
    ("excerpt_id", "template"),
    [
        ("019", Template.CTSLINK),
        ("053", Template.CTSLINK),
        ("071", Template.TRUSTEE_2004),
        ("058", Template.TRUSTEE_2004),
    ],
)
def test_recognised_templates_without_a_parser_are_named_not_parsed(
    excerpt_id: str, template: Template
) -> None:
    with pytest.raises(UnsupportedTemplateError) as caught:
        parse_document(_excerpt(excerpt_id))
    assert caught.value.template == template.value
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("excerpt_id", ["050", "068", "064", "003"])
def test_foreign_or_cover_only_documents_are_unknown(excerpt_id: str) -> None:
    with pytest.raises(UnknownFormatError) as caught:
        parse_document(_excerpt(excerpt_id), "filename4.htm")
    assert "filename4.htm" in str(caught.value)


def test_all_our_parse_errors_share_the_project_root() -> None:
    for error in (UnknownFormatError, UnsupportedTemplateError):
        assert issubclass(error, ParseError) and issubclass(error, ImhEdgarError)


def test_package_re_exports_the_public_api() -> None:
    assert isinstance(PARSER_VERSION, str) and PARSER_VERSION
    assert set(parsers.__all__) >= {
        "parse_document",
        "detect_template",
        "reconcile",
        "Template",
        "PARSER_VERSION",
    }
    for name in parsers.__all__:
        assert getattr(parsers, name) is not None
    with pytest.raises(AttributeError):
        _ = parsers.no_such_thing
