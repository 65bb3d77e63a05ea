"""Amendments and re-filings: the current version of a distribution never depends on the load order."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from dbfactory import PARSER_VERSION, clear_tables, hand_parse, real_meta, real_parse, snapshot, variant
from sqlalchemy import Engine, select

from db.load import FilingMeta, load_filing
from db.models import BondClassRow, Deal, Distribution
from db.query import distribution_history

ORIGINAL = real_meta()
# An 8-K/A filed a week later correcting class A interest, and a plain 8-K re-filing filed later still:
# the amendment stays current (amendment beats original before filed date counts).
AMENDMENT = real_meta(accession_no="0001020242-03-000020", form="8-K/A", filed=date(2003, 1, 9))
REFILING = real_meta(accession_no="0001020242-03-000031", form="8-K", filed=date(2003, 1, 16))
NEXT_MONTH = real_meta(
    accession_no="0001020242-03-000045", filed=date(2003, 2, 3), document_name="im020301.txt"
)

VERSIONS = {
    ORIGINAL.accession_no: (ORIGINAL, None),
    AMENDMENT.accession_no: (AMENDMENT, Decimal("616656.87")),
    REFILING.accession_no: (REFILING, Decimal("616656.88")),
}


def _load(engine: Engine, meta: FilingMeta, interest: Decimal | None, *, small: bool = False) -> None:
    base = hand_parse() if small else real_parse()
    load_filing(engine, meta, variant(base, class_a_interest=interest), PARSER_VERSION)


def _versions(engine: Engine) -> list[tuple[str, bool, str | None]]:
    dist = Distribution.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(dist.c.accession_no, dist.c.is_current, dist.c.superseded_by).order_by(dist.c.accession_no)
        ).all()
    return [(r.accession_no, bool(r.is_current), r.superseded_by) for r in rows]


def _current_class_a_interest(engine: Engine) -> Decimal:
    dist, bonds = Distribution.__table__, BondClassRow.__table__
    with engine.connect() as conn:
        return conn.execute(
            select(bonds.c.interest)
            .join(dist, dist.c.id == bonds.c.distribution_id)
            .where(dist.c.is_current.is_(True) & (bonds.c.class_name == "A"))
        ).scalar_one()


def test_amendment_supersedes_the_original_and_the_original_stays_as_history(engine: Engine) -> None:
    _load(engine, ORIGINAL, None)
    _load(engine, AMENDMENT, Decimal("616656.87"))
    assert _versions(engine) == [
        (ORIGINAL.accession_no, False, AMENDMENT.accession_no),
        (AMENDMENT.accession_no, True, None),
    ]
    assert _current_class_a_interest(engine) == Decimal("616656.87")
    history = distribution_history(engine, "Impac CMB Trust 2002-2")
    assert [(p.accession_no, p.form, p.versions) for p in history] == [(AMENDMENT.accession_no, "8-K/A", 2)]


def test_amendment_loaded_before_the_original_stays_current(engine: Engine) -> None:
    _load(engine, AMENDMENT, Decimal("616656.87"))
    _load(engine, ORIGINAL, None)
    assert (AMENDMENT.accession_no, True, None) in _versions(engine)
    assert _current_class_a_interest(engine) == Decimal("616656.87")


def test_later_filing_supersedes_an_earlier_one_of_the_same_form(engine: Engine) -> None:
    _load(engine, REFILING, Decimal("616656.88"))
    _load(engine, ORIGINAL, None)
    assert _versions(engine) == [
        (ORIGINAL.accession_no, False, REFILING.accession_no),
        (REFILING.accession_no, True, None),
    ]


def test_every_load_order_ends_in_the_same_state(engine: Engine) -> None:
    states = set()
    for order in itertools.permutations(VERSIONS):
        clear_tables(engine)
        for accession in order:
            # The hand-built statement (a quarter of the real rows) keeps six orders x three loads quick.
            _load(engine, *VERSIONS[accession], small=True)
        assert _current_class_a_interest(engine) == Decimal("616656.87"), order
        states.add(tuple(sorted(snapshot(engine, content_only=True).items())))
    assert len(states) == 1


def test_deal_facts_come_from_the_newest_distribution_whatever_the_order(engine: Engine) -> None:
    later = variant(real_parse(), distribution_date=date(2003, 1, 27))
    load_filing(engine, NEXT_MONTH, later, PARSER_VERSION)
    load_filing(engine, ORIGINAL, real_parse(), PARSER_VERSION)
    deal = Deal.__table__
    with engine.connect() as conn:
        row = conn.execute(select(deal.c.accession_no, deal.c.version_key)).one()
    assert row.accession_no == NEXT_MONTH.accession_no
    assert row.version_key.startswith("2003-01-27|")
    dates = [p.distribution_date for p in distribution_history(engine, "Impac CMB Trust 2002-2")]
    assert dates == [date(2002, 12, 26), date(2003, 1, 27)]
