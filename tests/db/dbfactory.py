"""Test helpers for db/: statements and filing metadata built from the real fixture.

``real_parse()`` is the parser's output on the real statement (Impac CMB Trust 2002-2, December 26, 2002,
accession 0001020242-03-000013). ``variant()`` derives another filing's version of a statement from it (an
8-K/A with a corrected figure, the next month's statement), so amendment and history tests use real shapes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from db.load import FilingMeta
from parsers.records import BondClass, ParseResult

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/real/1017447/000102024203000013/im020212.txt"
REAL_ACCESSION = "0001020242-03-000013"
REAL_DOCUMENT = "im020212.txt"
PARSER_VERSION = "test-1"


@cache
def real_parse() -> ParseResult:
    """The real statement, parsed and reconciled by the project's parser."""
    from parsers.trustee_text import parse_trustee_text

    return parse_trustee_text(FIXTURE.read_text(encoding="ascii"))


def real_meta(**changes: object) -> FilingMeta:
    """The real filing's metadata (values from tests/fixtures/PROVENANCE.md)."""
    meta = FilingMeta(
        accession_no=REAL_ACCESSION,
        form="8-K",
        filed=date(2003, 1, 2),
        period=date(2002, 12, 26),
        ciks=(1017447,),
        company_names=("IMH ASSETS CORP",),
        url="https://www.sec.gov/Archives/edgar/data/1017447/000102024203000013/im020212.txt",
        sha256=hashlib.sha256(FIXTURE.read_bytes()).hexdigest(),
        document_name=REAL_DOCUMENT,
        template="trustee-text-2002",
    )
    return dataclasses.replace(meta, **changes)  # type: ignore[arg-type]


def variant(
    result: ParseResult, *, class_a_interest: Decimal | None = None, distribution_date: date | None = None
) -> ParseResult:
    """Another version of ``result``: class A interest corrected and/or the statement on another date."""
    statement = result.statement
    if class_a_interest is not None:
        classes = tuple(
            dataclasses.replace(c, interest=class_a_interest) if c.class_name == "A" else c
            for c in statement.classes
        )
        statement = dataclasses.replace(statement, classes=classes)
    if distribution_date is not None:
        statement = dataclasses.replace(
            statement, deal=dataclasses.replace(statement.deal, distribution_date=distribution_date)
        )
    return dataclasses.replace(result, statement=statement)


def class_a(result: ParseResult) -> BondClass:
    return result.statement.bond_class("A")
