"""The read side: what users ask the database (the CLI's ``deals``, ``history``, ``export`` and ``status``).

Every function takes an engine and returns plain records (frozen dataclasses, Decimal, date); nothing prints.
Reads run in a deferred transaction on SQLite, so they never wait behind a running load.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, cast

from sqlalchemy import Connection, Engine, Select, and_, func, select
from sqlalchemy.sql import ColumnElement

from db.errors import DatabaseError
from db.load import FIELD_RENAMES, LOAN_FIELD_RENAMES
from db.models import (
    FILING_STATUSES,
    BondClassRow,
    CollateralGroupRow,
    Deal,
    DelinquencyCellRow,
    Distribution,
    Filing,
    LoanEvent,
    RateRow,
    metadata,
    table_of,
)
from db.session import read
from parsers import records

__all__ = [
    "DealSummary",
    "DistributionPoint",
    "FailedFiling",
    "StatusReport",
    "csv_text",
    "distribution_history",
    "export_table",
    "list_deals",
    "loan_history",
    "read_parse_result",
    "status_report",
]


@dataclass(frozen=True, slots=True)
class DealSummary:
    """One deal and the span of distributions loaded for it."""

    name: str
    issuer_cik: int | None
    depositor: str | None
    trustee: str | None
    closing_date: date | None
    first_distribution: date | None
    last_distribution: date | None
    distributions: int  # current versions (one per distribution date)
    versions: int  # every filing's version, amendments and superseded ones included


@dataclass(frozen=True, slots=True)
class DistributionPoint:
    """A deal's figures for one distribution date (the current version), for trend tables and charts."""

    distribution_date: date
    accession_no: str
    form: str
    versions: int  # how many filings printed this distribution (>1: amended)
    bonds_prior_balance: Decimal | None  # Total row of the Certificate Payment Report
    bonds_principal: Decimal | None
    bonds_interest: Decimal | None
    bonds_current_balance: Decimal | None
    collateral_balance: Decimal | None  # Collateral Report, TOTAL, current principal balance
    loan_count: int | None
    delinquent_balance: Decimal | None  # Delinquency Report, Total group, TOTAL status x TOTAL bucket
    delinquent_pct: Decimal | None  # the same cell's % Balance
    foreclosure_balance: Decimal | None
    reo_balance: Decimal | None
    cpr: Decimal | None  # current-month CPR, total
    cdr: Decimal | None  # current-month CDR, total
    quality_status: str


@dataclass(frozen=True, slots=True)
class FailedFiling:
    accession_no: str
    form: str
    filed: date
    stage: str | None
    error: str | None
    attempts: int
    url: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Filings by state, the last activity and the most recent failures."""

    counts: Mapping[str, int]  # every state of FILING_STATUSES, zero included
    last_change: datetime | None
    failures: tuple[FailedFiling, ...]
    distributions_with_discrepancies: int


# --- deals and history


def list_deals(engine: Engine) -> list[DealSummary]:
    """Every deal with the span of its loaded distributions, by name."""
    deal, dist = table_of(Deal), table_of(Distribution)
    current = dist.c.is_current.is_(True)
    query = (
        select(
            deal.c.name,
            deal.c.issuer_cik,
            deal.c.depositor,
            deal.c.trustee,
            deal.c.closing_date,
            func.min(dist.c.distribution_date),
            func.max(dist.c.distribution_date),
            func.count(dist.c.id).filter(current),
            func.count(dist.c.id),
        )
        .select_from(deal.outerjoin(dist, dist.c.deal_id == deal.c.id))
        .group_by(deal.c.id)
        .order_by(deal.c.name)
    )
    return read(engine, lambda conn: [DealSummary(*row) for row in conn.execute(query)])


def _deal_id(conn: Connection, deal_name: str) -> int:
    deal = table_of(Deal)
    found = conn.execute(select(deal.c.id).where(deal.c.name == deal_name)).scalar_one_or_none()
    if found is None:
        names = [r[0] for r in conn.execute(select(deal.c.name).order_by(deal.c.name).limit(20))]
        raise DatabaseError(
            f"no deal named {deal_name!r}",
            hint=f"known deals: {', '.join(names) or 'none loaded yet'}",
        )
    return int(found)


def distribution_history(
    engine: Engine, deal_name: str, start: date | None = None, end: date | None = None
) -> list[DistributionPoint]:
    """The deal's current distributions from ``start`` to ``end`` (inclusive), oldest first."""
    dist = table_of(Distribution)
    bonds, coll = table_of(BondClassRow), table_of(CollateralGroupRow)
    cells, rates = table_of(DelinquencyCellRow), table_of(RateRow)

    def cell(status: str, measure: str) -> Any:
        return (
            select(cells.c.value)
            .where(
                (cells.c.distribution_id == dist.c.id)
                & (cells.c.group_name == "total")
                & (cells.c.status == status)
                & (cells.c.bucket == "total")
                & (cells.c.measure == measure)
            )
            .scalar_subquery()
        )

    def rate(metric: str) -> Any:
        return (
            select(rates.c.value)
            .where(
                (rates.c.distribution_id == dist.c.id)
                & (rates.c.metric == metric)
                & (rates.c.rate_window == "current")
                & (rates.c.group_name == "total")
            )
            .scalar_subquery()
        )

    versions = dist.alias("version")
    version_count = (
        select(func.count(versions.c.id))
        .where(
            (versions.c.deal_id == dist.c.deal_id)
            & (versions.c.distribution_date == dist.c.distribution_date)
        )
        .scalar_subquery()
    )

    def work(conn: Connection) -> list[DistributionPoint]:
        deal_id = _deal_id(conn, deal_name)
        query = (
            select(
                dist.c.distribution_date,
                dist.c.accession_no,
                dist.c.form,
                version_count,
                bonds.c.prior_principal_balance,
                bonds.c.principal,
                bonds.c.interest,
                bonds.c.current_principal_balance,
                coll.c.balance_current,
                coll.c.loan_count_current,
                cell("total", "balance"),
                cell("total", "balance_pct"),
                cell("foreclosure", "balance"),
                cell("reo", "balance"),
                rate("CPR"),
                rate("CDR"),
                dist.c.quality_status,
            )
            .select_from(
                dist.outerjoin(
                    bonds, (bonds.c.distribution_id == dist.c.id) & bonds.c.is_total.is_(True)
                ).outerjoin(coll, (coll.c.distribution_id == dist.c.id) & (coll.c.group_name == "total"))
            )
            .where(_current_between(dist, deal_id, start, end))
            .order_by(dist.c.distribution_date)
        )
        return [DistributionPoint(*cast(tuple[Any, ...], row)) for row in conn.execute(query)]

    return read(engine, work)


def loan_history(engine: Engine, deal_name: str, loan_number: str) -> list[dict[str, Any]]:
    """Every event of one loan across months (current versions), oldest first, as column -> value."""
    events, dist = table_of(LoanEvent), table_of(Distribution)

    def work(conn: Connection) -> list[dict[str, Any]]:
        deal_id = _deal_id(conn, deal_name)
        query = (
            select(events)
            .join(dist, dist.c.id == events.c.distribution_id)
            .where(
                (events.c.deal_id == deal_id)
                & (events.c.loan_number == loan_number)
                & dist.c.is_current.is_(True)
            )
            .order_by(events.c.distribution_date, events.c.line)
        )
        return [dict(row) for row in conn.execute(query).mappings()]

    return read(engine, work)


def _current_between(
    dist: Any, deal_id: int | None, start: date | None, end: date | None, *, current_only: bool = True
) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if current_only:
        conditions.append(dist.c.is_current.is_(True))
    if deal_id is not None:
        conditions.append(dist.c.deal_id == deal_id)
    if start is not None:
        conditions.append(dist.c.distribution_date >= start)
    if end is not None:
        conditions.append(dist.c.distribution_date <= end)
    return and_(True, *conditions)


# --- export


def export_table(
    engine: Engine,
    table_name: str,
    out: Path | TextIO,
    *,
    deal_name: str | None = None,
    start: date | None = None,
    end: date | None = None,
    current_only: bool = True,
    file_format: str = "csv",
) -> int:
    """Write ``table_name``'s rows for a deal and distribution-date range to ``out``; returns the row count.

    Statement tables get ``deal`` and ``distribution_date`` as their first columns and are filtered by
    distribution date; ``filing`` is filtered by filed date; other tables only by deal. ``current_only``
    (default) leaves out superseded versions. CSV keeps every Decimal exactly as stored and is written while
    the rows stream from the database; ``parquet`` needs pyarrow and builds the table in memory.
    """
    if table_name not in metadata.tables:
        raise DatabaseError(
            f"no table named {table_name!r}", hint=f"choose one of: {', '.join(sorted(metadata.tables))}"
        )
    if file_format not in ("csv", "parquet"):
        raise DatabaseError(f"unknown export format {file_format!r}", hint="use csv or parquet")
    if file_format == "parquet" and not isinstance(out, Path):
        raise DatabaseError("Parquet export writes to a file path", hint="pass a path ending in .parquet")

    def work(conn: Connection) -> int:
        deal_id = _deal_id(conn, deal_name) if deal_name is not None else None
        query = _export_query(table_name, deal_id, start, end, current_only)
        result = conn.execution_options(yield_per=2000).execute(query)
        columns = list(result.keys())
        if file_format == "parquet":
            rows: list[Sequence[Any]] = [tuple(row) for row in result]
            _write_parquet(columns, rows, out)
            return len(rows)
        return _write_csv(columns, (tuple(row) for row in result), out)

    return read(engine, work)


def _columns(table: Any) -> list[Any]:
    # Identity and facts first, bookkeeping timestamps last: the order an analyst reads a CSV in.
    stamps = ("created_at", "updated_at")
    return [c for c in table.c if c.name not in stamps] + [table.c[name] for name in stamps]


def _export_query(
    table_name: str, deal_id: int | None, start: date | None, end: date | None, current_only: bool
) -> Select[Any]:
    table = metadata.tables[table_name]
    dist, deal, filing = table_of(Distribution), table_of(Deal), table_of(Filing)
    if "distribution_id" in table.c:
        query = (
            select(
                deal.c.name.label("deal"),
                dist.c.distribution_date.label("distribution_date"),
                *_columns(table),
            )
            .select_from(
                table.join(dist, dist.c.id == table.c.distribution_id).join(deal, deal.c.id == dist.c.deal_id)
            )
            .where(_current_between(dist, deal_id, start, end, current_only=current_only))
            .order_by(dist.c.distribution_date, table.c.id)
        )
        if table_name == "loan_event":
            # loan_event carries its own distribution_date; keep one column of that name.
            query = query.with_only_columns(deal.c.name.label("deal"), *_columns(table))
        return query
    if table_name == "distribution":
        return (
            select(deal.c.name.label("deal"), *_columns(dist))
            .select_from(dist.join(deal, deal.c.id == dist.c.deal_id))
            .where(_current_between(dist, deal_id, start, end, current_only=current_only))
            .order_by(dist.c.distribution_date, dist.c.version_key)
        )
    if table_name == "filing":
        query = select(*_columns(filing))
        if deal_id is not None:
            query = query.where(filing.c.id.in_(select(dist.c.filing_id).where(dist.c.deal_id == deal_id)))
        if start is not None:
            query = query.where(filing.c.filed >= start)
        if end is not None:
            query = query.where(filing.c.filed <= end)
        return query.order_by(filing.c.filed, filing.c.accession_no)
    query = select(*_columns(table))
    if deal_id is not None and "deal_id" in table.c:
        query = query.where(table.c.deal_id == deal_id)
    elif deal_id is not None and table_name == "deal":
        query = query.where(table.c.id == deal_id)
    elif deal_id is not None and "filing_id" in table.c:
        query = query.where(table.c.filing_id.in_(select(dist.c.filing_id).where(dist.c.deal_id == deal_id)))
    return query.order_by(table.c.id)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _write_csv(columns: list[str], rows: Iterable[Sequence[Any]], out: Path | TextIO) -> int:
    if isinstance(out, Path):
        with out.open("w", newline="", encoding="utf-8") as handle:
            return _write_csv(columns, rows, handle)
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
    return count


def _write_parquet(columns: list[str], rows: list[Sequence[Any]], out: Path | TextIO) -> None:
    try:
        import pyarrow as pa  # type: ignore[import-not-found,unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise DatabaseError(
            "Parquet export needs pyarrow, which is not installed", hint="pip install pyarrow, or export csv"
        ) from exc
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
    pq.write_table(table, out)


# --- status


def status_report(engine: Engine, *, failures: int = 10) -> StatusReport:
    """Filings by state (every state, zero included), last change and the ``failures`` latest failures."""
    filing, dist = table_of(Filing), table_of(Distribution)

    def work(conn: Connection) -> StatusReport:
        counts = dict.fromkeys(FILING_STATUSES, 0)
        for status, count in conn.execute(select(filing.c.status, func.count()).group_by(filing.c.status)):
            counts[status] = count
        last = conn.execute(select(func.max(filing.c.status_changed_at))).scalar()
        failed = conn.execute(
            select(
                filing.c.accession_no,
                filing.c.form,
                filing.c.filed,
                filing.c.stage,
                filing.c.error,
                filing.c.attempts,
                filing.c.url,
                filing.c.status_changed_at,
            )
            .where(filing.c.status == "failed")
            .order_by(filing.c.status_changed_at.desc(), filing.c.accession_no)
            .limit(failures)
        )
        flagged = conn.execute(
            select(func.count())
            .select_from(dist)
            .where(dist.c.is_current.is_(True) & (dist.c.quality_status == "discrepancies"))
        ).scalar_one()
        return StatusReport(
            counts=counts,
            last_change=last if last is None or last.tzinfo else _utc(last),
            failures=tuple(FailedFiling(*row) for row in failed),
            distributions_with_discrepancies=int(flagged),
        )

    return read(engine, work)


def _utc(value: datetime) -> datetime:
    # Aggregates (max) bypass the column type on SQLite, so the stored UTC text comes back naive.
    return value.replace(tzinfo=UTC)


# --- read a whole statement back


def read_parse_result(
    engine: Engine, accession_no: str, document_name: str | None = None
) -> records.ParseResult:
    """Rebuild the ParseResult that was loaded for a filing's statement document, from the database alone.

    The inverse of db.load.load_filing: a round trip returns an equal ParseResult (order of every tuple is the
    load order, which is the parse's order).
    """

    def work(conn: Connection) -> records.ParseResult:
        dist = table_of(Distribution)
        query = select(dist).where(dist.c.accession_no == accession_no)
        if document_name is not None:
            query = query.where(dist.c.document_name == document_name)
        found = conn.execute(query).mappings().all()
        if len(found) != 1:
            raise DatabaseError(
                f"{len(found)} loaded statements for filing {accession_no}"
                + (f" document {document_name}" if document_name else ""),
                hint="load the filing first, or name the document",
            )
        return _rebuild(conn, found[0])

    return read(engine, work)


def _rows(conn: Connection, table_name: str, distribution_id: int, **where: Any) -> list[Mapping[Any, Any]]:
    table = metadata.tables[table_name]
    query = select(table).where(table.c.distribution_id == distribution_id)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    return list(conn.execute(query.order_by(table.c.id)).mappings())


def _record(cls: type[Any], row: Mapping[Any, Any], renames: Mapping[str, str] = FIELD_RENAMES) -> Any:
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        value = row[renames.get(item.name, item.name)]
        if item.name == "lines":
            value = tuple(int(v) for v in value.split(",")) if value else ()
        values[item.name] = value
    return cls(**values)


def _one(conn: Connection, cls: type[Any], table_name: str, distribution_id: int) -> Any:
    found = _rows(conn, table_name, distribution_id)
    if len(found) != 1:
        raise DatabaseError(
            f"distribution {distribution_id} has {len(found)} {table_name} rows, expected 1",
            hint="reload the filing",
        )
    return _record(cls, found[0])


def _rebuild(conn: Connection, dist: Mapping[Any, Any]) -> records.ParseResult:
    d = dist["id"]
    deal = conn.execute(select(table_of(Deal)).where(table_of(Deal).c.id == dist["deal_id"])).mappings().one()
    parties = {
        kind: [r for r in _rows(conn, "party", d, kind=kind)]
        for kind in ("servicer", "underwriter", "certificate_insurer")
    }
    contacts = _rows(conn, "contact", d)
    info = records.DealInfo(
        trust_name=deal["trust_name"],
        series=deal["series"],
        bond_description=deal["bond_description"],
        distribution_date=dist["distribution_date"],
        seller=dist["seller"],
        certificate_insurers=tuple(p["name"] for p in parties["certificate_insurer"]),
        servicers=tuple(records.Party(p["name"], p["role"], p["line"]) for p in parties["servicer"]),
        underwriters=tuple(records.Party(p["name"], p["role"], p["line"]) for p in parties["underwriter"]),
        cut_off_date=dist["cut_off_date"],
        closing_date=dist["closing_date"],
        first_payment_date=dist["first_payment_date"],
        record_date=dist["record_date"],
        contact=_record(records.Contact, contacts[0]) if contacts else None,
        total_pages=dist["total_pages"],
        line=dist["deal_info_line"],
    )
    bond_rows = _rows(conn, "bond_class", d)
    events = {
        event: [_record(cls, r, LOAN_FIELD_RENAMES) for r in _rows(conn, "loan_event", d, event=event)]
        for event, cls in (
            ("became_reo", records.ReoLoan),
            ("paid_in_full", records.PrepaidLoan),
            ("liquidated", records.LiquidatedLoan),
        )
    }
    totals = [_record(records.BondClass, r) for r in bond_rows if r["is_total"]]
    if len(totals) != 1:
        raise DatabaseError(f"distribution {d} has {len(totals)} Total class rows, expected 1")

    def many(cls: type[Any], table_name: str) -> tuple[Any, ...]:
        return tuple(_record(cls, r) for r in _rows(conn, table_name, d))

    statement = records.Statement(
        cover=_one(conn, records.CoverPage, "cover_page", d),
        deal=info,
        contents=many(records.ContentsEntry, "contents_entry"),
        classes=tuple(_record(records.BondClass, r) for r in bond_rows if not r["is_total"]),
        class_total=totals[0],
        group_lines=many(records.GroupLine, "group_line"),
        collateral=many(records.CollateralGroup, "collateral_group"),
        credit_enhancement=_one(conn, records.CreditEnhancement, "credit_enhancement", d),
        delinquency=many(records.DelinquencyCell, "delinquency_cell"),
        reo_summary=_one(conn, records.ReoSummary, "reo_summary", d),
        reo_loans=tuple(events["became_reo"]),
        rates=many(records.RateItem, "rate"),
        prepayment_detail_summary=_one(conn, records.PrepaymentDetailSummary, "prepayment_detail_summary", d),
        prepaid_loans=tuple(events["paid_in_full"]),
        realized_loss_detail_summary=_one(
            conn, records.RealizedLossDetailSummary, "realized_loss_detail_summary", d
        ),
        liquidated_loans=tuple(events["liquidated"]),
        miscellaneous=_one(conn, records.Miscellaneous, "miscellaneous", d),
        derivative_payments=many(records.DerivativePayment, "derivative_payment"),
        loan_groups=many(records.LoanGroup, "loan_group"),
    )
    return records.ParseResult(
        template=dist["template"],
        statement=statement,
        items=many(records.Item, "statement_item"),
        unparsed=many(records.UnparsedLine, "unparsed_line"),
        discrepancies=many(records.Discrepancy, "data_quality_issue"),
        checks_run=dist["checks_run"],
    )


def csv_text(engine: Engine, table_name: str, **kwargs: Any) -> str:
    """``export_table`` into a string (handy in tests and notebooks)."""
    buffer = io.StringIO()
    export_table(engine, table_name, buffer, **kwargs)
    return buffer.getvalue()
