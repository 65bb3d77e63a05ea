"""Shared fixtures of the parser tests: the real statement (accession 0001020242-03-000013) and its parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.records import ParseResult
from parsers.trustee_text import parse_trustee_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL_STATEMENT = FIXTURES / "real" / "1017447" / "000102024203000013" / "im020212.txt"


@pytest.fixture(scope="session")
def real_text() -> str:
    return REAL_STATEMENT.read_text(encoding="ascii")


@pytest.fixture(scope="session")
def real_result(real_text: str) -> ParseResult:
    return parse_trustee_text(real_text)
