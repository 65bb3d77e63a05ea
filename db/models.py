"""The schema: SQLModel tables with natural unique keys and provenance on every row.

Shape (see docs/schema.md for every column and example SQL)::

    filing 1--* filing_company
    filing 1--* distribution *--1 deal 1--* loan 1--* loan_event *--1 distribution
    distribution 1--* bond_class, collateral_group, group_line, delinquency_cell, rate, derivative_payment,
                      statement_item, data_quality_issue, unparsed_line, party, contents_entry, loan_group
    distribution 1--1 cover_page, contact, credit_enhancement, miscellaneous, reo_summary,
                      prepayment_detail_summary, realized_loss_detail_summary

* Every filing's statement is its own ``distribution`` *version*, keyed by (deal, distribution date,
  accession, document); exactly one version per (deal, distribution date) is ``is_current`` (rule in db.load).
  The statement tables hang off the version, so history is never overwritten.
* Every statement row carries ``accession_no`` and ``document_name`` (provenance) and ``line``, the 1-based
  line of the printed row in the original document, where the record has one.
* Columns mirror the fields of ``parsers.records`` one to one (same names), except SQL reserved words:
  ``group`` -> ``group_name`` (``loan_group`` for the loan-group *number* of loan detail rows),
  ``window`` -> ``rate_window``, ``check`` -> ``check_name``, ``column`` -> ``column_name``.
* Money, rates and factors are :class:`db.types.Amount` (exact Decimal), dates are DATE, datetimes are UTC.
* ``created_at`` / ``updated_at`` are set by the loader; an upsert that changes nothing leaves both untouched.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import CheckConstraint, MetaData, Table, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.types import Amount, UtcDateTime

__all__ = [
    "FILING_STATUSES",
    "LOAN_EVENTS",
    "PARTY_KINDS",
    "STATEMENT_TABLES",
    "BondClassRow",
    "CollateralGroupRow",
    "ContactRow",
    "ContentsEntryRow",
    "CoverPageRow",
    "CreditEnhancementRow",
    "DataQualityIssueRow",
    "Deal",
    "DelinquencyCellRow",
    "DerivativePaymentRow",
    "Distribution",
    "Filing",
    "FilingCompany",
    "GroupLineRow",
    "Loan",
    "LoanEvent",
    "LoanGroupRow",
    "MiscellaneousRow",
    "PartyRow",
    "PrepaymentDetailSummaryRow",
    "RateRow",
    "RealizedLossDetailSummaryRow",
    "ReoSummaryRow",
    "StatementItemRow",
    "UnparsedLineRow",
    "metadata",
    "table_of",
]

# Named constraints, so migrations can refer to them on both dialects (SQLite batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

#: The lifecycle of a filing: discovered -> fetched -> parsed -> loaded, or failed / unsupported at any stage.
FILING_STATUSES: tuple[str, ...] = ("discovered", "fetched", "parsed", "loaded", "failed", "unsupported")
#: What happened to a loan in a distribution period (one detail report each).
LOAN_EVENTS: tuple[str, ...] = ("paid_in_full", "became_reo", "liquidated")
#: Parties named in ISSUANCE INFORMATION.
PARTY_KINDS: tuple[str, ...] = ("servicer", "underwriter", "certificate_insurer")


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model (SQLModel does not declare ``__table__`` for type checkers)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class _Timestamps(SQLModel):
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


# --- filings


class Filing(_Timestamps, table=True):
    """One EDGAR filing (accession) and where it is in the pipeline."""

    __tablename__ = "filing"
    natural_key: ClassVar[tuple[str, ...]] = ("accession_no",)
    __table_args__ = (
        UniqueConstraint(*natural_key),
        CheckConstraint(_in("status", FILING_STATUSES), name="status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    accession_no: str  # "0001020242-03-000013"
    cik: int  # the first (filer) CIK; all of them are in filing_company
    form: str  # "8-K", "8-K/A"
    filed: date
    period: date | None = Field(default=None)  # "period of report" from the index/header
    url: str | None = Field(default=None)
    document_name: str | None = Field(default=None)  # "im020212.txt": the statement document
    sha256: str | None = Field(default=None)  # of the raw document bytes
    template: str | None = Field(default=None)  # parser template that read it, "trustee-text-2002"
    status: str = Field(index=True)
    stage: str | None = Field(default=None)  # where the last failure happened: discover/fetch/parse/load
    error: str | None = Field(default=None)  # last failure, one line
    attempts: int = Field(default=0)  # failed attempts so far (a load that succeeds does not reset it)
    parser_version: str | None = Field(default=None)  # version of the parser whose rows are loaded
    status_changed_at: datetime = Field(sa_type=UtcDateTime)


class FilingCompany(_Timestamps, table=True):
    """A company (CIK) a filing belongs to; a filing may be filed under several CIKs."""

    __tablename__ = "filing_company"
    natural_key: ClassVar[tuple[str, ...]] = ("filing_id", "cik")
    __table_args__ = (UniqueConstraint(*natural_key),)

    id: int | None = Field(default=None, primary_key=True)
    filing_id: int = Field(foreign_key="filing.id", ondelete="CASCADE")
    accession_no: str
    cik: int = Field(index=True)
    company_name: str | None = Field(default=None)


# --- deals and their monthly distributions


class Deal(_Timestamps, table=True):
    """A securitisation (trust + series); facts from its newest statement (``version_key``)."""

    __tablename__ = "deal"
    natural_key: ClassVar[tuple[str, ...]] = ("name",)
    __table_args__ = (UniqueConstraint(*natural_key),)

    id: int | None = Field(default=None, primary_key=True)
    name: str  # "Impac CMB Trust 2002-2": trust name + series
    trust_name: str
    series: str
    bond_description: str | None = Field(default=None)  # "Collateralized Asset-Backed Bonds"
    issuer_cik: int | None = Field(default=None, index=True)
    depositor: str | None = Field(default=None)  # the registrant, "IMH ASSETS CORP"
    trustee: str | None = Field(default=None)  # the signing agent
    seller: str | None = Field(default=None)
    certificate_insurers: str | None = Field(default=None)  # "; "-joined
    servicers: str | None = Field(default=None)  # "name (role); ..."
    underwriters: str | None = Field(default=None)
    indenture_date: date | None = Field(default=None)
    cut_off_date: date | None = Field(default=None)
    closing_date: date | None = Field(default=None)
    first_payment_date: date | None = Field(default=None)
    version_key: str  # ordering key of the statement these facts come from (db.load.deal_version_key)
    accession_no: str
    document_name: str


class Distribution(_Timestamps, table=True):
    """One filing"s statement for one deal and distribution date (a *version*; see ``is_current``)."""

    __tablename__ = "distribution"
    natural_key: ClassVar[tuple[str, ...]] = ("deal_id", "distribution_date", "accession_no", "document_name")
    __table_args__ = (
        UniqueConstraint(*natural_key),
        CheckConstraint(_in("quality_status", ("reconciled", "discrepancies", "unchecked")), name="quality"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", index=True)
    distribution_date: date = Field(index=True)
    filing_id: int = Field(foreign_key="filing.id", index=True, ondelete="CASCADE")
    accession_no: str = Field(index=True)
    document_name: str
    form: str
    filed: date
    is_amendment: bool
    version_key: str  # amendment flag | filed date | accession: the highest version is current
    is_current: bool = Field(index=True)
    superseded_by: str | None = Field(default=None)  # accession of the next higher version, None if current
    template: str
    parser_version: str
    quality_status: str  # reconciled (checks ran, none failed) / discrepancies / unchecked
    checks_run: int
    discrepancy_count: int
    unparsed_count: int
    # As printed on this statement"s page 1 (the deal row keeps the newest values).
    record_date: date | None = Field(default=None)
    seller: str | None = Field(default=None)
    cut_off_date: date | None = Field(default=None)
    closing_date: date | None = Field(default=None)
    first_payment_date: date | None = Field(default=None)
    total_pages: int | None = Field(default=None)
    deal_info_line: int


class _StatementRow(_Timestamps):
    id: int | None = Field(default=None, primary_key=True)
    distribution_id: int = Field(foreign_key="distribution.id", ondelete="CASCADE")
    accession_no: str
    document_name: str


class Loan(_Timestamps, table=True):
    """A mortgage loan of a deal, with its static facts from the newest detail row that printed them."""

    __tablename__ = "loan"
    natural_key: ClassVar[tuple[str, ...]] = ("deal_id", "loan_number")
    __table_args__ = (UniqueConstraint(*natural_key),)

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id")
    loan_number: str = Field(index=True)
    loan_group: int | None = Field(default=None)
    original_principal_balance: Decimal | None = Field(default=None, sa_type=Amount)
    note_rate: Decimal | None = Field(default=None, sa_type=Amount)
    state: str | None = Field(default=None)
    ltv_at_origination: Decimal | None = Field(default=None, sa_type=Amount)
    original_term: int | None = Field(default=None)  # only REO / liquidation rows print the full term
    origination_date: date | None = Field(default=None)
    version_key: str  # distribution date | statement version key of the row these facts come from
    accession_no: str
    document_name: str


class LoanEvent(_StatementRow, table=True):
    """A loan paid in full, become REO or liquidated in a distribution period, with that month"s figures."""

    __tablename__ = "loan_event"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "event", "line")
    __table_args__ = (
        UniqueConstraint(*natural_key),
        CheckConstraint(_in("event", LOAN_EVENTS), name="event"),
    )

    loan_id: int = Field(foreign_key="loan.id", index=True)
    deal_id: int = Field(foreign_key="deal.id")
    distribution_date: date
    event: str
    loan_number: str
    loan_group: int
    loan_status: str | None = Field(default=None)
    original_principal_balance: Decimal = Field(sa_type=Amount)
    stated_principal_balance: Decimal | None = Field(default=None, sa_type=Amount)  # became_reo
    prior_principal_balance: Decimal | None = Field(default=None, sa_type=Amount)  # liquidated
    prepayment_amount: Decimal | None = Field(default=None, sa_type=Amount)  # paid_in_full
    prepayment_date: date | None = Field(default=None)  # paid_in_full
    paid_to_date: date | None = Field(default=None)  # became_reo
    realized_loss: Decimal | None = Field(default=None, sa_type=Amount)  # liquidated; negative is a gain
    note_rate: Decimal | None = Field(default=None, sa_type=Amount)
    state: str | None = Field(default=None)
    ltv_at_origination: Decimal | None = Field(default=None, sa_type=Amount)
    original_term: int | None = Field(default=None)
    type_and_term: str | None = Field(default=None)  # paid_in_full, raw and truncated ("Paid Off  -  36")
    prepayment_type: str | None = Field(default=None)
    origination_date: date | None = Field(default=None)
    line: int


# --- the statement, one table per record type of parsers.records (columns = record fields)


class CoverPageRow(_StatementRow, table=True):
    """Facts of the Form 8-K cover page that precedes the statement in the same document."""

    __tablename__ = "cover_page"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id",)
    __table_args__ = (UniqueConstraint(*natural_key),)

    registrant: str
    series: str
    indenture_date: date | None = Field(default=None)  # None for PSA-governed deals (Impac Secured Assets)
    report_date: date
    commission_file_number: str
    irs_employer_id: str
    state_of_incorporation: str
    address: str | None = Field(default=None)
    telephone: str | None = Field(default=None)
    agent: str | None = Field(default=None)
    signer: str | None = Field(default=None)
    signer_title: str | None = Field(default=None)
    signed_date: date | None = Field(default=None)
    line: int


class ContactRow(_StatementRow, table=True):
    """The trustee"s contact block on page 1."""

    __tablename__ = "contact"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id",)
    __table_args__ = (UniqueConstraint(*natural_key),)

    administrator: str | None = Field(default=None)
    direct_phone: str | None = Field(default=None)
    address: str | None = Field(default=None)
    web_site: str | None = Field(default=None)
    factor_information_phone: str | None = Field(default=None)
    main_phone: str | None = Field(default=None)
    line: int


class ContentsEntryRow(_StatementRow, table=True):
    """One row of the table of contents: section number, title, first page."""

    __tablename__ = "contents_entry"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "number")
    __table_args__ = (UniqueConstraint(*natural_key),)

    number: int
    title: str
    page: int
    line: int


class BondClassRow(_StatementRow, table=True):
    """One row of the Certificate Payment Report (pages 2-3), joined across its four tables by class name."""

    __tablename__ = "bond_class"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "class_name")
    __table_args__ = (UniqueConstraint(*natural_key),)

    class_name: str
    is_total: bool  # the report's Total row (Statement.class_total), not a class of bonds
    class_type: str | None = Field(default=None)
    original_face_value: Decimal = Field(sa_type=Amount)
    prior_principal_balance: Decimal = Field(sa_type=Amount)
    interest: Decimal = Field(sa_type=Amount)
    principal: Decimal = Field(sa_type=Amount)
    total_distribution: Decimal = Field(sa_type=Amount)
    realized_losses: Decimal = Field(sa_type=Amount)
    deferred_interest: Decimal = Field(sa_type=Amount)
    current_principal_balance: Decimal = Field(sa_type=Amount)
    accrual_start: date | None = Field(default=None)
    accrual_end: date | None = Field(default=None)
    accrual_method: str | None = Field(default=None)
    cusip: str | None = Field(default=None)
    factor_original_face: Decimal | None = Field(default=None, sa_type=Amount)
    factor_prior_principal: Decimal | None = Field(default=None, sa_type=Amount)
    factor_interest: Decimal | None = Field(default=None, sa_type=Amount)
    factor_principal: Decimal | None = Field(default=None, sa_type=Amount)
    factor_total_distribution: Decimal | None = Field(default=None, sa_type=Amount)
    factor_current_principal: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_original_face_value: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_interest: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_unscheduled_principal: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_scheduled_principal: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_total_principal: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_total_distribution: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_realized_losses: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_deferred_interest: Decimal | None = Field(default=None, sa_type=Amount)
    to_date_current_principal_balance: Decimal | None = Field(default=None, sa_type=Amount)
    pass_through_rate: Decimal | None = Field(default=None, sa_type=Amount)
    interest_prior_principal_balance: Decimal | None = Field(default=None, sa_type=Amount)
    accrued_interest: Decimal | None = Field(default=None, sa_type=Amount)
    non_supported_interest_shortfall: Decimal | None = Field(default=None, sa_type=Amount)
    prior_unpaid_interest: Decimal | None = Field(default=None, sa_type=Amount)
    unscheduled_interest_adjustments: Decimal | None = Field(default=None, sa_type=Amount)
    optimal_interest: Decimal | None = Field(default=None, sa_type=Amount)
    paid_or_deferred_interest: Decimal | None = Field(default=None, sa_type=Amount)
    current_unpaid_interest: Decimal | None = Field(default=None, sa_type=Amount)
    line: int
    accrual_line: int | None = Field(default=None)
    to_date_line: int | None = Field(default=None)
    interest_detail_line: int | None = Field(default=None)


class GroupLineRow(_StatementRow, table=True):
    """One labelled line of any ADJUSTABLE / FIXED / TOTAL table, values as printed (None where blank)."""

    __tablename__ = "group_line"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "line")
    __table_args__ = (UniqueConstraint(*natural_key),)

    section: str
    subsection: str
    heading: str | None = Field(default=None)
    label: str
    adjustable: Decimal | None = Field(default=None, sa_type=Amount)
    fixed: Decimal | None = Field(default=None, sa_type=Amount)
    total: Decimal | None = Field(default=None, sa_type=Amount)
    line: int


class CollateralGroupRow(_StatementRow, table=True):
    """Collateral Report (pages 8-10) for one group: count and balance roll-forward, characteristics, ARMs."""

    __tablename__ = "collateral_group"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "group_name")
    __table_args__ = (UniqueConstraint(*natural_key),)

    group_name: str
    loan_count_original: int
    loan_count_prior: int
    loan_count_prefunding: int
    loan_count_scheduled_paid_offs: int
    loan_count_full_voluntary_prepayments: int
    loan_count_repurchases: int
    loan_count_liquidations: int
    loan_count_current: int
    balance_original: Decimal = Field(sa_type=Amount)
    balance_prior: Decimal = Field(sa_type=Amount)
    balance_prefunding: Decimal = Field(sa_type=Amount)
    balance_scheduled_principal: Decimal = Field(sa_type=Amount)
    balance_prepayments: Decimal = Field(sa_type=Amount)
    balance_repurchases: Decimal = Field(sa_type=Amount)
    balance_liquidations: Decimal = Field(sa_type=Amount)
    balance_current: Decimal = Field(sa_type=Amount)
    wac_original: Decimal | None = Field(default=None, sa_type=Amount)
    wac_prior: Decimal | None = Field(default=None, sa_type=Amount)
    wac_current: Decimal | None = Field(default=None, sa_type=Amount)
    wam_original: Decimal | None = Field(default=None, sa_type=Amount)
    wam_prior: Decimal | None = Field(default=None, sa_type=Amount)
    wam_current: Decimal | None = Field(default=None, sa_type=Amount)
    remaining_amortization_term_original: Decimal | None = Field(default=None, sa_type=Amount)
    remaining_amortization_term_prior: Decimal | None = Field(default=None, sa_type=Amount)
    remaining_amortization_term_current: Decimal | None = Field(default=None, sa_type=Amount)
    seasoning_original: Decimal | None = Field(default=None, sa_type=Amount)
    seasoning_prior: Decimal | None = Field(default=None, sa_type=Amount)
    seasoning_current: Decimal | None = Field(default=None, sa_type=Amount)
    margin_original: Decimal | None = Field(default=None, sa_type=Amount)
    margin_prior: Decimal | None = Field(default=None, sa_type=Amount)
    margin_current: Decimal | None = Field(default=None, sa_type=Amount)
    max_rate_original: Decimal | None = Field(default=None, sa_type=Amount)
    max_rate_prior: Decimal | None = Field(default=None, sa_type=Amount)
    max_rate_current: Decimal | None = Field(default=None, sa_type=Amount)
    min_rate_original: Decimal | None = Field(default=None, sa_type=Amount)
    min_rate_prior: Decimal | None = Field(default=None, sa_type=Amount)
    min_rate_current: Decimal | None = Field(default=None, sa_type=Amount)
    cap_up_original: Decimal | None = Field(default=None, sa_type=Amount)
    cap_up_prior: Decimal | None = Field(default=None, sa_type=Amount)
    cap_up_current: Decimal | None = Field(default=None, sa_type=Amount)
    cap_down_original: Decimal | None = Field(default=None, sa_type=Amount)
    cap_down_prior: Decimal | None = Field(default=None, sa_type=Amount)
    cap_down_current: Decimal | None = Field(default=None, sa_type=Amount)
    line: int


class CreditEnhancementRow(_StatementRow, table=True):
    """Credit Enhancement Report, STRUCTURAL FEATURES (page 7); TOTAL column only. None where not printed."""

    __tablename__ = "credit_enhancement"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id",)
    __table_args__ = (UniqueConstraint(*natural_key),)

    required_overcollateralization_amount: Decimal | None = Field(default=None, sa_type=Amount)
    overcollateralization_amount: Decimal | None = Field(default=None, sa_type=Amount)
    extra_principal_distribution: Decimal | None = Field(default=None, sa_type=Amount)
    net_monthly_excess_cashflow: Decimal | None = Field(default=None, sa_type=Amount)
    overcollateralization_release: Decimal | None = Field(default=None, sa_type=Amount)
    rolling_60_day_delinquency_amount: Decimal | None = Field(default=None, sa_type=Amount)
    rolling_90_day_delinquency_amount: Decimal | None = Field(default=None, sa_type=Amount)
    available_funds_rate: Decimal | None = Field(default=None, sa_type=Amount)
    line: int


class MiscellaneousRow(_StatementRow, table=True):
    """Triggers, Adj. Rate Cert. and Miscellaneous Report (page 23) and loss percentage; TOTAL column only."""

    __tablename__ = "miscellaneous"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id",)
    __table_args__ = (UniqueConstraint(*natural_key),)

    current_basis_risk_carry_forward: Decimal | None = Field(default=None, sa_type=Amount)
    cumulative_basis_risk_carry_forward: Decimal | None = Field(default=None, sa_type=Amount)
    libor_rate: Decimal | None = Field(default=None, sa_type=Amount)
    net_mortgage_rate: Decimal | None = Field(default=None, sa_type=Amount)
    cumulative_loss_percentage: Decimal | None = Field(default=None, sa_type=Amount)
    line: int


class RateRow(_StatementRow, table=True):
    """A prepayment or default speed: metric SMM/CPR/PSA/MDR/CDR/SDA/LOSS_SEVERITY, one window, one group."""

    __tablename__ = "rate"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "metric", "rate_window", "group_name")
    __table_args__ = (UniqueConstraint(*natural_key),)

    metric: str
    rate_window: str
    group_name: str
    value: Decimal | None = Field(default=None, sa_type=Amount)
    line: int


class DelinquencyCellRow(_StatementRow, table=True):
    """One cell of the Delinquency Report: group x status x bucket x measure; None where printed blank."""

    __tablename__ = "delinquency_cell"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "group_name", "status", "bucket", "measure")
    __table_args__ = (UniqueConstraint(*natural_key),)

    group_name: str
    status: str
    bucket: str
    measure: str
    value: Decimal | None = Field(default=None, sa_type=Amount)
    line: int


class ReoSummaryRow(_StatementRow, table=True):
    """SUMMARY block of the REO Report."""

    __tablename__ = "reo_summary"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id",)
    __table_args__ = (UniqueConstraint(*natural_key),)

    loan_count: int
    total_original_principal_balance: Decimal = Field(sa_type=Amount)
    total_current_balance: Decimal = Field(sa_type=Amount)
    reo_book_value: Decimal | None = Field(default=None, sa_type=Amount)
    reo_book_value_text: str
    line: int


class PrepaymentDetailSummaryRow(_StatementRow, table=True):
    """SUMMARY block of the Prepayment Detail Report."""

    __tablename__ = "prepayment_detail_summary"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id",)
    __table_args__ = (UniqueConstraint(*natural_key),)

    loan_count: int
    total_original_principal_balance: Decimal = Field(sa_type=Amount)
    total_prepayment_amount: Decimal = Field(sa_type=Amount)
    line: int


class RealizedLossDetailSummaryRow(_StatementRow, table=True):
    """SUMMARY block of the Realized Loss Detail Report."""

    __tablename__ = "realized_loss_detail_summary"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id",)
    __table_args__ = (UniqueConstraint(*natural_key),)

    loan_count: int
    total_original_principal_balance: Decimal = Field(sa_type=Amount)
    total_prior_principal_balance: Decimal = Field(sa_type=Amount)
    total_realized_loss: Decimal = Field(sa_type=Amount)
    total_net_liquidation_proceeds: Decimal = Field(sa_type=Amount)
    line: int


class DerivativePaymentRow(_StatementRow, table=True):
    """Other Related Information: payment received under one derivative contract (cap/floor/swap)."""

    __tablename__ = "derivative_payment"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "contract_id")
    __table_args__ = (UniqueConstraint(*natural_key),)

    contract_id: str
    amount: Decimal = Field(sa_type=Amount)
    line: int


class LoanGroupRow(_StatementRow, table=True):
    """The loan-group legend of the detail reports: ``Loan Group 1 = Fixed Group``."""

    __tablename__ = "loan_group"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "number")
    __table_args__ = (UniqueConstraint(*natural_key),)

    number: int
    name: str
    group_name: str
    line: int


class StatementItemRow(_StatementRow, table=True):
    """One printed value in long form: the lossless record every labelled value of the statement becomes."""

    __tablename__ = "statement_item"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "ordinal")
    __table_args__ = (UniqueConstraint(*natural_key),)

    ordinal: int  # position in ParseResult.items (printed order)
    section: str
    subsection: str | None = Field(default=None)
    label: str
    column_name: str
    value: Decimal | None = Field(default=None, sa_type=Amount)
    raw: str
    line: int


class UnparsedLineRow(_StatementRow, table=True):
    """A line with content the parser could not place (not a recognised data or non-data line)."""

    __tablename__ = "unparsed_line"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "line")
    __table_args__ = (UniqueConstraint(*natural_key),)

    line: int
    text: str
    section: str | None = Field(default=None)


class DataQualityIssueRow(_StatementRow, table=True):
    """A failed reconciliation identity: expected vs actual beyond the tolerance of the printed precision."""

    __tablename__ = "data_quality_issue"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "ordinal")
    __table_args__ = (UniqueConstraint(*natural_key),)

    ordinal: int  # position in ParseResult.discrepancies
    check_name: str
    expected: Decimal = Field(sa_type=Amount)
    actual: Decimal = Field(sa_type=Amount)
    difference: Decimal = Field(sa_type=Amount)
    tolerance: Decimal = Field(sa_type=Amount)
    context: str
    lines: str  # the printed lines compared, comma-separated ("57,61")


class PartyRow(_StatementRow, table=True):
    """A party named on page 1: a servicer, underwriter or certificate insurer, in printed order."""

    __tablename__ = "party"
    natural_key: ClassVar[tuple[str, ...]] = ("distribution_id", "kind", "ordinal")
    __table_args__ = (
        UniqueConstraint(*natural_key),
        CheckConstraint(_in("kind", PARTY_KINDS), name="kind"),
    )

    kind: str  # servicer / underwriter / certificate_insurer
    ordinal: int
    name: str
    role: str | None = Field(default=None)  # "Master Servicer"; None for certificate insurers
    line: int | None = Field(default=None)  # certificate insurers carry no line of their own


#: Tables whose rows belong to one distribution version, in load order (the parents come first).
STATEMENT_TABLES: tuple[type[SQLModel], ...] = (
    CoverPageRow,
    ContactRow,
    PartyRow,
    ContentsEntryRow,
    BondClassRow,
    GroupLineRow,
    CollateralGroupRow,
    CreditEnhancementRow,
    MiscellaneousRow,
    RateRow,
    DelinquencyCellRow,
    ReoSummaryRow,
    PrepaymentDetailSummaryRow,
    RealizedLossDetailSummaryRow,
    DerivativePaymentRow,
    LoanGroupRow,
    LoanEvent,
    StatementItemRow,
    UnparsedLineRow,
    DataQualityIssueRow,
)
