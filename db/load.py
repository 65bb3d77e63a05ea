"""Loading: filing status bookkeeping and one transaction per parsed filing, idempotent and order independent.

* :func:`record_filing` moves a filing through discovered -> fetched -> parsed -> loaded / failed /
  unsupported.
* :func:`load_filing` writes one parsed statement in one transaction with natural-key upserts: a second load
  of the same, unchanged parse writes nothing at all (no row inserted or updated, ``updated_at`` untouched)
  and says so.
* Amendments: every filing's statement is stored as its own ``distribution`` version. Among the versions of
  one deal and distribution date exactly one is current, chosen by :func:`distribution_version_key` (an
  amendment beats an original, then the later filed date, then the later accession), so the final state does
  not depend on the order in which filings are loaded. Deal and loan facts likewise come from the highest
  version key.
* Concurrency: PostgreSQL loads lock the deal row before deciding which version is current, and a transaction
  that loses a race (serialization failure, deadlock, unique violation) is retried from the start; SQLite
  takes the write lock at BEGIN (see db.engine) so loads queue behind the busy timeout.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update

from db.errors import LoadError
from db.models import (
    FILING_STATUSES,
    STATEMENT_TABLES,
    Deal,
    Distribution,
    Filing,
    FilingCompany,
    Loan,
    LoanEvent,
    table_of,
)
from db.session import read, run_in_transaction
from db.types import storable_computed
from db.upsert import UpsertCounts, upsert_rows
from parsers.records import Discrepancy, ParseResult, Party, Statement

__all__ = [
    "FIELD_RENAMES",
    "FilingMeta",
    "LoadOutcome",
    "deal_name",
    "distribution_version_key",
    "filings_needing_reparse",
    "known_accessions",
    "load_filing",
    "read",
    "record_filing",
    "statement_rows",
]

log = logging.getLogger(__name__)

#: Record field -> column, where the field name is an SQL reserved word (applies to every statement table).
FIELD_RENAMES: Mapping[str, str] = {
    "group": "group_name",
    "window": "rate_window",
    "check": "check_name",
    "column": "column_name",
}
#: In loan detail rows ``group`` is the loan-group *number* (1 = Fixed Group), not a group name.
LOAN_FIELD_RENAMES: Mapping[str, str] = {**FIELD_RENAMES, "group": "loan_group"}


@dataclass(frozen=True, slots=True)
class FilingMeta:
    """What db needs to know about a filing, independent of edgar/ (flows build it from edgar's records)."""

    accession_no: str  # "0001020242-03-000013"
    form: str  # "8-K" or "8-K/A"
    filed: date
    ciks: tuple[int, ...]  # the filer first
    period: date | None = None
    company_names: tuple[str, ...] = ()  # parallel to ciks where known
    url: str | None = None
    sha256: str | None = None
    document_name: str | None = None  # the statement document inside the filing, "im020212.txt"
    template: str | None = None

    @property
    def is_amendment(self) -> bool:
        return self.form.upper().endswith("/A")


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    """What one :func:`load_filing` did; ``changed`` is False when the database was left exactly as it was."""

    accession_no: str
    deal_name: str
    distribution_date: date
    distribution_id: int
    is_current: bool
    inserted: int
    updated: int
    unchanged: int
    deleted: int
    tables: Mapping[str, UpsertCounts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


# --- keys and naming


def deal_name(statement: Statement) -> str:
    """The deal's natural key: trust name and series, ``"Impac CMB Trust 2002-2"``."""
    return f"{statement.deal.trust_name} {statement.deal.series}"


def distribution_version_key(meta: FilingMeta, document_name: str) -> str:
    """Sortable rank of a filing's version of a distribution: amendment flag, filed date, accession, document.

    The highest key is current. Fixed-width parts make text order the intended order on both databases.
    """
    return f"{int(meta.is_amendment)}|{meta.filed.isoformat()}|{meta.accession_no}|{document_name}"


def _facts_version_key(distribution_date: date, version_key: str) -> str:
    # Deal and loan facts: the newest distribution wins, then the winning version of that distribution.
    return f"{distribution_date.isoformat()}|{version_key}"


def _now() -> datetime:
    return datetime.now(UTC)


# --- filing status


def record_filing(
    engine: Engine,
    meta: FilingMeta,
    status: str,
    *,
    stage: str | None = None,
    error: str | None = None,
    parser_version: str | None = None,
    now: datetime | None = None,
) -> None:
    """Record that ``meta``'s filing reached ``status`` (one of FILING_STATUSES), creating the row if needed.

    ``discovered`` never moves an existing filing backwards (re-running discovery keeps ``loaded`` filings
    loaded); ``failed`` counts one more attempt and keeps ``stage`` and the one-line ``error``. Metadata that
    ``meta`` leaves empty (None) keeps its stored value. Recording the same state twice writes nothing.
    ``parser_version`` is stored with ``unsupported`` (the parser that could not read the layout), so that
    :func:`filings_needing_reparse` offers the filing again only to a newer parser; for the other states the
    stored version stays the one whose rows are loaded (set by :func:`load_filing`).
    """
    if status not in FILING_STATUSES:
        raise ValueError(f"unknown filing status {status!r}; expected one of {FILING_STATUSES}")
    stamp = now or _now()
    versioned = (meta.template or "", parser_version) if status == "unsupported" and parser_version else None
    run_in_transaction(
        engine,
        meta.accession_no,
        lambda conn: _write_filing(conn, meta, status, stage, error, stamp, versioned),
    )


def _write_filing(
    conn: Connection,
    meta: FilingMeta,
    status: str,
    stage: str | None,
    error: str | None,
    now: datetime,
    loaded: tuple[str, str] | None,
) -> tuple[int, UpsertCounts]:
    """Upsert the filing row (and its companies); ``loaded`` is (template, parser_version) to store."""
    table = table_of(Filing)
    # FOR UPDATE (PostgreSQL): two workers recording failures of one filing must not both count attempt 1.
    current = (
        conn.execute(select(table).where(table.c.accession_no == meta.accession_no).with_for_update())
        .mappings()
        .first()
    )
    old: Mapping[Any, Any] = current or {}
    if status == "discovered" and current is not None:
        status, stage, error = current["status"], current["stage"], current["error"]
    elif status != "failed":
        stage, error = None, None
    attempts = int(old.get("attempts") or 0) + (1 if status == "failed" and current is not None else 0)
    if current is None and status == "failed":
        attempts = 1
    if status == "failed" and error:
        error = " ".join(error.split())[:2000]  # one line, bounded: it is shown in tables and monitoring
    template, parser_version = loaded if loaded else (meta.template, None)
    row = {
        "accession_no": meta.accession_no,
        "cik": meta.ciks[0] if meta.ciks else old.get("cik"),
        "form": meta.form,
        "filed": meta.filed,
        "period": meta.period if meta.period is not None else old.get("period"),
        "url": meta.url or old.get("url"),
        "document_name": meta.document_name or old.get("document_name"),
        "sha256": meta.sha256 or old.get("sha256"),
        "template": template or old.get("template"),
        "status": status,
        "stage": stage,
        "error": error,
        "attempts": attempts,
        "parser_version": parser_version or old.get("parser_version"),
        "status_changed_at": now if old.get("status") != status else old["status_changed_at"],
    }
    if row["cik"] is None:
        raise LoadError(
            f"filing {meta.accession_no} has no CIK", hint="pass the filer CIK in FilingMeta.ciks"
        )
    counts, ids = upsert_rows(conn, table, [row], key=Filing.natural_key, now=now)
    filing_id = ids[(meta.accession_no,)]
    names = dict(zip(meta.ciks, meta.company_names, strict=False))
    companies = [
        {
            "filing_id": filing_id,
            "accession_no": meta.accession_no,
            "cik": cik,
            "company_name": names.get(cik),
        }
        for cik in dict.fromkeys(meta.ciks)
    ]
    if companies:
        company_table = table_of(FilingCompany)
        # Only fill in names: a later record without names must not erase them.
        known = {
            r.cik: r.company_name
            for r in conn.execute(
                select(company_table.c.cik, company_table.c.company_name).where(
                    company_table.c.filing_id == filing_id
                )
            )
        }
        for company in companies:
            company["company_name"] = company["company_name"] or known.get(company["cik"])
        company_counts, _ = upsert_rows(
            conn, company_table, companies, key=FilingCompany.natural_key, now=now
        )
        counts.add(company_counts)
    return filing_id, counts


def known_accessions(engine: Engine, statuses: Iterable[str] | None = None) -> set[str]:
    """Accession numbers of the filings recorded so far, optionally only those in ``statuses``."""
    table = table_of(Filing)
    query = select(table.c.accession_no)
    if statuses is not None:
        wanted = tuple(statuses)
        unknown = set(wanted) - set(FILING_STATUSES)
        if unknown:
            raise ValueError(f"unknown filing statuses {sorted(unknown)}; expected some of {FILING_STATUSES}")
        query = query.where(table.c.status.in_(wanted))
    return read(engine, lambda conn: {row[0] for row in conn.execute(query)})


def filings_needing_reparse(engine: Engine, parser_version: str) -> list[str]:
    """Accessions whose loaded rows came from another parser version, or that parsed/failed at parse or load.

    ``unsupported`` filings are included too: a new parser version may support them. Oldest filed first.
    """
    table = table_of(Filing)
    outdated = table.c.status.in_(("loaded", "unsupported")) & table.c.parser_version.is_distinct_from(
        parser_version
    )
    stuck = table.c.status.in_(("parsed",)) | (
        (table.c.status == "failed") & table.c.stage.in_(("parse", "load"))
    )
    query = select(table.c.accession_no).where(outdated | stuck).order_by(table.c.filed, table.c.accession_no)
    return read(engine, lambda conn: [row[0] for row in conn.execute(query)])


# --- loading one parsed filing


def load_filing(
    engine: Engine,
    meta: FilingMeta,
    result: ParseResult,
    parser_version: str,
    *,
    now: datetime | None = None,
) -> LoadOutcome:
    """Write ``result`` (the parse of ``meta``'s statement document) in one transaction; see the module doc.

    Rolls back completely on any failure: nothing of the filing is visible unless all of it is. Races with a
    concurrent loader are retried; what cannot be written raises :class:`~db.errors.LoadError`.
    """
    if not meta.document_name:
        raise LoadError(
            f"filing {meta.accession_no} has no document name",
            hint="pass the statement document's file name in FilingMeta.document_name",
        )
    stamp = now or _now()
    return run_in_transaction(
        engine, meta.accession_no, lambda conn: _load(conn, meta, result, parser_version, stamp)
    )


def _load(
    conn: Connection, meta: FilingMeta, result: ParseResult, parser_version: str, now: datetime
) -> LoadOutcome:
    statement = result.statement
    document = meta.document_name or ""
    tables: dict[str, UpsertCounts] = {}

    filing_id, tables["filing"] = _write_filing(
        conn, meta, "loaded", None, None, now, (result.template, parser_version)
    )
    version_key = distribution_version_key(meta, document)
    facts_key = _facts_version_key(statement.distribution_date, version_key)
    deal_id, tables["deal"] = _upsert_deal(conn, meta, statement, facts_key, now)

    distribution_id, tables["distribution"], touched = _upsert_distribution(
        conn, meta, result, parser_version, deal_id, filing_id, version_key, now
    )
    inserted_now = distribution_id if tables["distribution"].inserted else None
    for other_deal, other_date in touched | {(deal_id, statement.distribution_date)}:
        tables["distribution"].add(_mark_current(conn, other_deal, other_date, now, inserted_now))

    loan_ids, tables["loan"] = _upsert_loans(conn, meta, statement, deal_id, facts_key, now)
    rows = statement_rows(
        result,
        distribution_id=distribution_id,
        accession_no=meta.accession_no,
        document_name=document,
        deal_id=deal_id,
        loan_ids=loan_ids,
    )
    for model in STATEMENT_TABLES:
        table = table_of(model)
        tables[table.name] = _replace_children(
            conn, model, rows[table.name], distribution_id, now, new_distribution=inserted_now is not None
        )

    is_current = conn.execute(
        select(table_of(Distribution).c.is_current).where(table_of(Distribution).c.id == distribution_id)
    ).scalar_one()
    total = UpsertCounts()
    for counts in tables.values():
        total.add(counts)
    outcome = LoadOutcome(
        accession_no=meta.accession_no,
        deal_name=deal_name(statement),
        distribution_date=statement.distribution_date,
        distribution_id=distribution_id,
        is_current=bool(is_current),
        inserted=total.inserted,
        updated=total.updated,
        unchanged=total.unchanged,
        deleted=total.deleted,
        tables=tables,
    )
    log.info(
        "loaded %s (%s %s): %d inserted, %d updated, %d unchanged, %d deleted%s",
        meta.accession_no,
        outcome.deal_name,
        outcome.distribution_date,
        outcome.inserted,
        outcome.updated,
        outcome.unchanged,
        outcome.deleted,
        "" if outcome.changed else " - nothing written",
    )
    return outcome


def _parties(parties: Sequence[Party]) -> str | None:
    if not parties:
        return None
    return "; ".join(f"{p.name} ({p.role})" if p.role else p.name for p in parties)


def _upsert_deal(
    conn: Connection, meta: FilingMeta, statement: Statement, facts_key: str, now: datetime
) -> tuple[int, UpsertCounts]:
    info, cover = statement.deal, statement.cover
    table = table_of(Deal)
    row = {
        "name": deal_name(statement),
        "trust_name": info.trust_name,
        "series": info.series,
        "bond_description": info.bond_description,
        "issuer_cik": meta.ciks[0] if meta.ciks else None,
        "depositor": cover.registrant,
        "trustee": cover.agent,
        "seller": info.seller,
        "certificate_insurers": "; ".join(info.certificate_insurers) or None,
        "servicers": _parties(info.servicers),
        "underwriters": _parties(info.underwriters),
        "indenture_date": cover.indenture_date,
        "cut_off_date": info.cut_off_date,
        "closing_date": info.closing_date,
        "first_payment_date": info.first_payment_date,
        "version_key": facts_key,
        "accession_no": meta.accession_no,
        "document_name": meta.document_name,
    }
    counts, ids = upsert_rows(conn, table, [row], key=Deal.natural_key, now=now, newer_wins="version_key")
    deal_id = ids[(row["name"],)]
    # Serialise every load of this deal from here to commit (PostgreSQL; SQLite already holds the write lock):
    # choosing the current version reads the other versions, which a concurrent load may be writing.
    conn.execute(select(table.c.id).where(table.c.id == deal_id).with_for_update())
    return deal_id, counts


def _upsert_distribution(
    conn: Connection,
    meta: FilingMeta,
    result: ParseResult,
    parser_version: str,
    deal_id: int,
    filing_id: int,
    version_key: str,
    now: datetime,
) -> tuple[int, UpsertCounts, set[tuple[int, date]]]:
    statement, info = result.statement, result.statement.deal
    table = table_of(Distribution)
    if result.discrepancies:
        quality = "discrepancies"
    elif result.checks_run > 0:
        quality = "reconciled"
    else:
        quality = "unchecked"
    row = {
        "deal_id": deal_id,
        "distribution_date": statement.distribution_date,
        "accession_no": meta.accession_no,
        "document_name": meta.document_name,
        "filing_id": filing_id,
        "form": meta.form,
        "filed": meta.filed,
        "is_amendment": meta.is_amendment,
        "version_key": version_key,
        "is_current": False,
        "superseded_by": None,
        "template": result.template,
        "parser_version": parser_version,
        "quality_status": quality,
        "checks_run": result.checks_run,
        "discrepancy_count": len(result.discrepancies),
        "unparsed_count": len(result.unparsed),
        "record_date": info.record_date,
        "seller": info.seller,
        "cut_off_date": info.cut_off_date,
        "closing_date": info.closing_date,
        "first_payment_date": info.first_payment_date,
        "total_pages": info.total_pages,
        "deal_info_line": info.line,
    }
    counts, ids = upsert_rows(
        conn, table, [row], key=Distribution.natural_key, now=now, insert_only=("is_current", "superseded_by")
    )
    distribution_id = ids[tuple(row[c] for c in Distribution.natural_key)]
    # A re-parse that reads a different deal or date from the same document leaves an orphan version behind.
    stale = conn.execute(
        select(table.c.id, table.c.deal_id, table.c.distribution_date).where(
            (table.c.accession_no == meta.accession_no)
            & (table.c.document_name == meta.document_name)
            & (table.c.id != distribution_id)
        )
    ).all()
    touched = {(r.deal_id, r.distribution_date) for r in stale}
    if stale:
        conn.execute(delete(table).where(table.c.id.in_([r.id for r in stale])))
        counts.deleted += len(stale)
    return distribution_id, counts, touched


def _mark_current(
    conn: Connection, deal_id: int, distribution_date: date, now: datetime, inserted_now: int | None
) -> UpsertCounts:
    """Make the highest-keyed version of (deal, date) current; each other names the next higher version."""
    table = table_of(Distribution)
    found = conn.execute(
        select(
            table.c.id, table.c.accession_no, table.c.version_key, table.c.is_current, table.c.superseded_by
        ).where((table.c.deal_id == deal_id) & (table.c.distribution_date == distribution_date))
    ).all()
    # Sorted in Python: byte order of the key whatever the database collation is.
    versions = sorted(found, key=lambda v: v.version_key, reverse=True)
    counts = UpsertCounts()
    above: str | None = None
    for index, version in enumerate(versions):
        want = (index == 0, above)
        if (bool(version.is_current), version.superseded_by) != want:
            conn.execute(
                update(table)
                .where(table.c.id == version.id)
                .values(is_current=want[0], superseded_by=want[1], updated_at=now)
            )
            # Settling the flags of the row this load just inserted is part of that insert, not an update.
            counts.updated += version.id != inserted_now
        above = version.accession_no
    return counts


def _loan_facts(statement: Statement) -> dict[str, dict[str, Any]]:
    """Static facts per loan number from this statement's detail rows (REO, prepaid, liquidated)."""
    facts: dict[str, dict[str, Any]] = {}
    detail_rows: list[Any] = [*statement.reo_loans, *statement.liquidated_loans, *statement.prepaid_loans]
    for loan in detail_rows:
        known = facts.setdefault(loan.loan_number, {})
        candidate = {
            "loan_group": loan.group,
            "original_principal_balance": loan.original_principal_balance,
            "note_rate": loan.note_rate,
            "state": loan.state,
            "ltv_at_origination": loan.ltv_at_origination,
            "original_term": getattr(loan, "original_term", None),
            "origination_date": loan.origination_date,
        }
        for name, value in candidate.items():
            # First printed value wins within one statement (REO and liquidation rows print the full term).
            if known.get(name) is None:
                known[name] = value
    return facts


def _upsert_loans(
    conn: Connection, meta: FilingMeta, statement: Statement, deal_id: int, facts_key: str, now: datetime
) -> tuple[dict[str, int], UpsertCounts]:
    table = table_of(Loan)
    rows = [
        {
            "deal_id": deal_id,
            "loan_number": number,
            **facts,
            "version_key": facts_key,
            "accession_no": meta.accession_no,
            "document_name": meta.document_name,
        }
        for number, facts in sorted(_loan_facts(statement).items())
    ]
    counts, ids = upsert_rows(conn, table, rows, key=Loan.natural_key, now=now, newer_wins="version_key")
    return {number: loan_id for (_, number), loan_id in ids.items()}, counts


def _replace_children(
    conn: Connection,
    model: Any,
    rows: list[dict[str, Any]],
    distribution_id: int,
    now: datetime,
    *,
    new_distribution: bool = False,
) -> UpsertCounts:
    """Upsert one statement table's rows of a distribution and delete the rows the new parse no longer has.

    ``new_distribution``: the distribution row was inserted by this transaction, so it has no rows yet.
    """
    table = table_of(model)
    counts, _ = upsert_rows(
        conn,
        table,
        rows,
        key=model.natural_key,
        now=now,
        want_ids=False,
        replace_within=table.c.distribution_id == distribution_id,
        known_empty=new_distribution,
    )
    return counts


# --- records -> rows


@cache
def _record_layout(
    record_type: type, renames: tuple[tuple[str, str], ...]
) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
    """(getter of every field value as a tuple, column names in that order, columns of tuple fields)."""
    fields = dataclasses.fields(record_type)
    names = [item.name for item in fields]
    columns = dict(renames)
    getter = attrgetter(*names) if len(names) > 1 else (lambda record: (getattr(record, names[0]),))
    # Tuple fields (``lines: tuple[int, ...]``) are stored as comma-joined text; the annotations say which.
    joined = tuple(columns.get(f.name, f.name) for f in fields if str(f.type).startswith("tuple"))
    return getter, tuple(columns.get(name, name) for name in names), joined


def _record_row(record: Any, renames: Mapping[str, str] = FIELD_RENAMES, **extra: Any) -> dict[str, Any]:
    getter, columns, joined = _record_layout(record.__class__, tuple(renames.items()))
    row = dict(zip(columns, getter(record), strict=True))
    for column in joined:
        row[column] = ",".join(str(v) for v in row[column])
    row.update(extra)
    return row


def _storable_discrepancy(found: Discrepancy) -> Discrepancy:
    """Its computed numbers rounded to what both databases hold exactly (see db.types.storable_computed)."""
    return dataclasses.replace(
        found,
        expected=storable_computed(found.expected),
        actual=storable_computed(found.actual),
        difference=storable_computed(found.difference),
        tolerance=storable_computed(found.tolerance),
    )


def statement_rows(
    result: ParseResult,
    *,
    distribution_id: int,
    accession_no: str,
    document_name: str,
    deal_id: int,
    loan_ids: Mapping[str, int],
) -> dict[str, list[dict[str, Any]]]:
    """The rows of every statement table (by table name) for one parse; pure, so it is tested on its own."""
    s = result.statement
    prov = {"distribution_id": distribution_id, "accession_no": accession_no, "document_name": document_name}

    def rows(records: Iterable[Any], renames: Mapping[str, str] = FIELD_RENAMES, **extra: Any) -> list[dict]:
        return [_record_row(r, renames, **prov, **extra) for r in records]

    parties: list[dict[str, Any]] = []
    for kind, members in (("servicer", s.deal.servicers), ("underwriter", s.deal.underwriters)):
        parties += [
            {**prov, "kind": kind, "ordinal": i, "name": p.name, "role": p.role, "line": p.line}
            for i, p in enumerate(members)
        ]
    parties += [
        {**prov, "kind": "certificate_insurer", "ordinal": i, "name": name, "role": None, "line": None}
        for i, name in enumerate(s.deal.certificate_insurers)
    ]

    def events(event: str, loans: Iterable[Any]) -> list[dict[str, Any]]:
        out = []
        for loan in loans:
            row = _record_row(
                loan,
                LOAN_FIELD_RENAMES,
                **prov,
                event=event,
                deal_id=deal_id,
                distribution_date=s.distribution_date,
                loan_id=loan_ids[loan.loan_number],
            )
            out.append(row)
        return out

    loan_events = [
        *events("became_reo", s.reo_loans),
        *events("paid_in_full", s.prepaid_loans),
        *events("liquidated", s.liquidated_loans),
    ]
    # Every event row carries the same columns, so one multi-row upsert statement fits all of them.
    event_columns = {c.name for c in table_of(LoanEvent).columns} - {"id", "created_at", "updated_at"}
    loan_events = [{c: row.get(c) for c in sorted(event_columns)} for row in loan_events]

    return {
        "cover_page": rows([s.cover]),
        "contact": rows([s.deal.contact] if s.deal.contact is not None else []),
        "party": parties,
        "contents_entry": rows(s.contents),
        "bond_class": [
            *rows(s.classes, is_total=False),
            *rows([s.class_total], is_total=True),
        ],
        "group_line": rows(s.group_lines),
        "collateral_group": rows(s.collateral),
        "credit_enhancement": rows([s.credit_enhancement]),
        "miscellaneous": rows([s.miscellaneous]),
        "rate": rows(s.rates),
        "delinquency_cell": rows(s.delinquency),
        "reo_summary": rows([s.reo_summary]),
        "prepayment_detail_summary": rows([s.prepayment_detail_summary]),
        "realized_loss_detail_summary": rows([s.realized_loss_detail_summary]),
        "derivative_payment": rows(s.derivative_payments),
        "loan_group": rows(s.loan_groups),
        "loan_event": loan_events,
        "statement_item": [
            _record_row(item, FIELD_RENAMES, **prov, ordinal=i) for i, item in enumerate(result.items)
        ],
        "unparsed_line": rows(result.unparsed),
        "data_quality_issue": [
            _record_row(_storable_discrepancy(d), FIELD_RENAMES, **prov, ordinal=i)
            for i, d in enumerate(result.discrepancies)
        ],
    }
