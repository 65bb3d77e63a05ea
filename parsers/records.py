"""Typed records of one parsed remittance statement: the contract between parsers/, db/ and flows/.

Conventions (every record follows them):

* Frozen, slotted dataclasses; sequences are tuples. Records are plain data: no I/O, no parsing.
* Money, balances, counts-with-decimals, rates and factors are :class:`~decimal.Decimal` exactly as printed
  (``Decimal("431396174.4")`` keeps its printed precision). Loan counts are ``int``.
* **Rates are fractions.** Printed fractions (``0.0166``) are kept as printed; printed percentages are divided
  by 100 exactly (``1.3800%`` becomes ``Decimal("0.013800")``, ``60.00%`` becomes ``Decimal("0.6000")``).
  The raw text stays in the :class:`Item` of that cell.
* Dates are :class:`datetime.date` (Excel serials and written dates are converted by the parser).
* ``None`` means the cell was printed blank; it never means "could not parse" (that raises ``ParseError``).
* ``line`` is the 1-based line number in the *original* (folded) document of the first physical line of the
  logical row the value came from. Every typed value is also present as an :class:`Item` with its raw text,
  so any number can be traced to the printed line.
* Group names are ``"adjustable"``, ``"fixed"`` and ``"total"`` (the ADJUSTABLE / FIXED / TOTAL columns and
  the "Adjustable Group" / "Fixed Group" / "Total" delinquency pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = [
    "BUCKETS",
    "GROUPS",
    "MEASURES",
    "STATUSES",
    "BondClass",
    "CollateralGroup",
    "Contact",
    "ContentsEntry",
    "CoverPage",
    "CreditEnhancement",
    "DealInfo",
    "DelinquencyCell",
    "DerivativePayment",
    "Discrepancy",
    "GroupLine",
    "Item",
    "LiquidatedLoan",
    "LoanGroup",
    "Miscellaneous",
    "ParseResult",
    "Party",
    "PrepaidLoan",
    "PrepaymentDetailSummary",
    "RateItem",
    "RealizedLossDetailSummary",
    "ReoLoan",
    "ReoSummary",
    "Statement",
    "UnparsedLine",
]

#: Collateral groups, in the column order of every ADJUSTABLE / FIXED / TOTAL table.
GROUPS: tuple[str, ...] = ("adjustable", "fixed", "total")
#: Delinquency statuses (rows of the Delinquency Report), in printed order.
STATUSES: tuple[str, ...] = ("delinquent", "foreclosure", "bankruptcy", "reo", "total")
#: Delinquency buckets (columns CURRENT, 1 PAYMENT, 2 PAYMTS, 3+ PAYMTS, TOTAL), in printed order.
BUCKETS: tuple[str, ...] = ("current", "1_payment", "2_payments", "3_plus_payments", "total")
#: Delinquency measures (Balance, % Balance, # Loans, % # Loans), in printed order.
MEASURES: tuple[str, ...] = ("balance", "balance_pct", "loan_count", "loan_count_pct")


# --- cover / deal


@dataclass(frozen=True, slots=True)
class CoverPage:
    """Facts of the Form 8-K cover page that precedes the statement in the same document."""

    registrant: str  # "IMH ASSETS CORP"
    series: str  # "2002-2" (from the deal title where the cover prints none)
    indenture_date: date | None  # "Indenture, dated as of April 29, 2002"; None for a PSA-governed deal
    report_date: date  # "Date of Report (Date of earliest event reported): December 26, 2002"
    commission_file_number: str  # "333-06637"
    irs_employer_id: str  # "33-0705301"
    state_of_incorporation: str  # "DELAWARE"
    address: str | None  # "1401 DOVE STREET, NEWPORT BEACH, CALIFORNIA 92660"
    telephone: str | None  # "(949) 475-3600"
    agent: str | None  # signing trustee/agent, "Deutsche Bank National Trust Company"
    signer: str | None  # "Katie Wannenmacher"
    signer_title: str | None  # "Vice President"
    signed_date: date | None  # "Date:  Jan 02, 2003"
    line: int


@dataclass(frozen=True, slots=True)
class Party:
    """A named party with its printed role (servicers, underwriters)."""

    name: str
    role: str | None  # "Master Servicer", "Sub-Servicer", "Co-Lead Underwriter"
    line: int


@dataclass(frozen=True, slots=True)
class Contact:
    """The trustee's contact block on page 1."""

    administrator: str | None
    direct_phone: str | None
    address: str | None
    web_site: str | None
    factor_information_phone: str | None
    main_phone: str | None
    line: int


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """One row of the table of contents: section number, title, first page."""

    number: int
    title: str
    page: int
    line: int


@dataclass(frozen=True, slots=True)
class DealInfo:
    """Deal title lines and ISSUANCE INFORMATION (page 1)."""

    trust_name: str  # "Impac CMB Trust"
    series: str  # "2002-2"
    bond_description: str  # "Collateralized Asset-Backed Bonds"
    distribution_date: date  # "December 26, 2002 Distribution"
    seller: str | None
    certificate_insurers: tuple[str, ...]
    servicers: tuple[Party, ...]
    underwriters: tuple[Party, ...]
    cut_off_date: date | None
    closing_date: date | None
    first_payment_date: date | None
    record_date: date | None
    contact: Contact | None
    total_pages: int | None  # "Total Number of Pages 24"
    line: int


@dataclass(frozen=True, slots=True)
class LoanGroup:
    """The loan-group legend of the detail reports: ``Loan Group 1 = Fixed Group``."""

    number: int
    name: str  # "Fixed Group", "Adjustable Group"
    group: str  # "fixed" / "adjustable" (one of GROUPS)
    line: int


# --- certificate payments


@dataclass(frozen=True, slots=True)
class BondClass:
    """One row of the Certificate Payment Report (pages 2-3), joined across its four tables by class name.

    The ``Total`` row uses the same record (``class_name == "Total"``); it has no accrual-detail row, so its
    accrual and factor fields are None. Line fields point to the row in each table.
    """

    class_name: str  # "A", "B", "Cert", "Total"
    class_type: str | None  # raw, truncated to the column: "FLT, STEP,", "SUB, FLT, S", "R"
    # Distribution in Dollars - Current Period
    original_face_value: Decimal
    prior_principal_balance: Decimal  # (1)
    interest: Decimal  # (2)
    principal: Decimal  # (3)
    total_distribution: Decimal  # (4)=(2)+(3)
    realized_losses: Decimal  # (5)
    deferred_interest: Decimal  # (6)
    current_principal_balance: Decimal  # (7)=(1)-(3)-(5)+(6)
    # Interest Accrual Detail + Current Period Factor Information per $1,000 of Original Face
    accrual_start: date | None
    accrual_end: date | None
    accrual_method: str | None  # "A-Act/360"; None where printed "-"
    cusip: str | None
    # "Orig. Principal (with Notional) Balance": dollars, not per $1,000
    factor_original_face: Decimal | None
    factor_prior_principal: Decimal | None  # (1)
    factor_interest: Decimal | None  # (2)
    factor_principal: Decimal | None  # (3)
    factor_total_distribution: Decimal | None  # (4)=(2)+(3)
    factor_current_principal: Decimal | None  # (5)
    # Distribution in Dollars - to Date
    to_date_original_face_value: Decimal | None  # (1)
    to_date_interest: Decimal | None  # (2)
    to_date_unscheduled_principal: Decimal | None  # (3)
    to_date_scheduled_principal: Decimal | None  # (4)
    to_date_total_principal: Decimal | None  # (5)=(3)+(4)
    to_date_total_distribution: Decimal | None  # (6)=(2)+(5)
    to_date_realized_losses: Decimal | None  # (7)
    to_date_deferred_interest: Decimal | None  # (8)
    to_date_current_principal_balance: Decimal | None  # (9)=(1)-(5)-(7)+(8)
    # Interest Detail
    pass_through_rate: Decimal | None  # fraction, blank for Cert and Total
    interest_prior_principal_balance: Decimal | None  # "Prior Principal (with Notional) Balance"
    accrued_interest: Decimal | None  # (1)
    non_supported_interest_shortfall: Decimal | None  # (2)
    prior_unpaid_interest: Decimal | None  # (3)
    unscheduled_interest_adjustments: Decimal | None  # (4)
    optimal_interest: Decimal | None  # (5)=(1)-(2)+(3)
    paid_or_deferred_interest: Decimal | None  # (6)
    current_unpaid_interest: Decimal | None  # (7)=(5)-(6)
    line: int  # row in "Distribution in Dollars - Current Period"
    accrual_line: int | None
    to_date_line: int | None
    interest_detail_line: int | None


# --- ADJUSTABLE / FIXED / TOTAL grids


@dataclass(frozen=True, slots=True)
class GroupLine:
    """One labelled line of any ADJUSTABLE / FIXED / TOTAL table, values as printed (None where blank).

    ``section`` is the report ("Collection Account Report"), ``subsection`` the upper-case table title
    ("PRINCIPAL - COLLECTIONS"), ``heading`` an un-numbered sub-heading inside the table ("Loan Count:",
    "Principal Balance:", "Current", "Cumulative", "PRE-FUNDING ACCOUNT") or None; for the lines indented
    under "Total Derivative Payments" (one per contract) it is "Total Derivative Payments".
    ``label`` is whitespace-normalised ("TOTAL INTEREST  FEES" -> "TOTAL INTEREST FEES").
    Lines printed with no value at all ("12 Months Avg SMM") are kept with three Nones.
    """

    section: str
    subsection: str
    heading: str | None
    label: str
    adjustable: Decimal | None
    fixed: Decimal | None
    total: Decimal | None
    line: int

    def value(self, group: str) -> Decimal | None:
        """The value of ``group`` (one of GROUPS)."""
        if group == "adjustable":
            return self.adjustable
        if group == "fixed":
            return self.fixed
        if group == "total":
            return self.total
        raise KeyError(f"unknown group {group!r}; expected one of {GROUPS}")


@dataclass(frozen=True, slots=True)
class CollateralGroup:
    """Collateral Report (pages 8-10) for one group: count and balance roll-forward, characteristics, ARMs.

    Roll-forward lines are signed as printed (prepayments are negative), so
    ``current == prior + prefunding + scheduled + prepayments + repurchases + liquidations``.
    """

    group: str  # one of GROUPS
    loan_count_original: int
    loan_count_prior: int
    loan_count_prefunding: int
    loan_count_scheduled_paid_offs: int
    loan_count_full_voluntary_prepayments: int
    loan_count_repurchases: int
    loan_count_liquidations: int
    loan_count_current: int
    balance_original: Decimal
    balance_prior: Decimal
    balance_prefunding: Decimal
    balance_scheduled_principal: Decimal
    balance_prepayments: Decimal  # "Partial and Full Voluntary Prepayments"
    balance_repurchases: Decimal
    balance_liquidations: Decimal
    balance_current: Decimal
    wac_original: Decimal | None
    wac_prior: Decimal | None
    wac_current: Decimal | None
    wam_original: Decimal | None  # months
    wam_prior: Decimal | None
    wam_current: Decimal | None
    remaining_amortization_term_original: Decimal | None  # months
    remaining_amortization_term_prior: Decimal | None
    remaining_amortization_term_current: Decimal | None
    seasoning_original: Decimal | None  # months
    seasoning_prior: Decimal | None
    seasoning_current: Decimal | None
    margin_original: Decimal | None  # ARM CHARACTERISTICS: printed for the adjustable group only
    margin_prior: Decimal | None
    margin_current: Decimal | None
    max_rate_original: Decimal | None
    max_rate_prior: Decimal | None
    max_rate_current: Decimal | None
    min_rate_original: Decimal | None
    min_rate_prior: Decimal | None
    min_rate_current: Decimal | None
    cap_up_original: Decimal | None
    cap_up_prior: Decimal | None
    cap_up_current: Decimal | None
    cap_down_original: Decimal | None
    cap_down_prior: Decimal | None
    cap_down_current: Decimal | None
    line: int  # the COLLATERAL table header ("COLLATERAL   ADJUSTABLE   FIXED   TOTAL")


@dataclass(frozen=True, slots=True)
class CreditEnhancement:
    """Credit Enhancement Report, STRUCTURAL FEATURES (page 7); TOTAL column only. None where not printed."""

    required_overcollateralization_amount: Decimal | None
    overcollateralization_amount: Decimal | None
    extra_principal_distribution: Decimal | None
    net_monthly_excess_cashflow: Decimal | None
    overcollateralization_release: Decimal | None
    rolling_60_day_delinquency_amount: Decimal | None
    rolling_90_day_delinquency_amount: Decimal | None
    available_funds_rate: Decimal | None  # fraction
    line: int  # the STRUCTURAL FEATURES table header


@dataclass(frozen=True, slots=True)
class Miscellaneous:
    """Triggers, Adj. Rate Cert. and Miscellaneous Report (page 23) and loss percentage; TOTAL column only."""

    current_basis_risk_carry_forward: Decimal | None
    cumulative_basis_risk_carry_forward: Decimal | None
    libor_rate: Decimal | None  # fraction: 1.3800% -> 0.013800
    net_mortgage_rate: Decimal | None  # fraction: 5.4691% -> 0.054691
    cumulative_loss_percentage: Decimal | None  # fraction, Realized Loss Report
    line: int  # the ADJUSTABLE RATE CERTIFICATE INFORMATION table header


@dataclass(frozen=True, slots=True)
class RateItem:
    """A prepayment or default speed: metric SMM/CPR/PSA/MDR/CDR/SDA/LOSS_SEVERITY, one window, one group.

    ``window`` is "current", "3_months", "12_months" or "since_cut_off"; ``value`` None where printed blank
    (12-month averages of a young deal).
    """

    metric: str
    window: str
    group: str
    value: Decimal | None
    line: int


# --- delinquency


@dataclass(frozen=True, slots=True)
class DelinquencyCell:
    """One cell of the Delinquency Report: group x status x bucket x measure; None where printed blank."""

    group: str  # one of GROUPS
    status: str  # one of STATUSES
    bucket: str  # one of BUCKETS
    measure: str  # one of MEASURES; *_pct measures are fractions as printed
    value: Decimal | None
    line: int


# --- loan details


@dataclass(frozen=True, slots=True)
class ReoSummary:
    """SUMMARY block of the REO Report."""

    loan_count: int
    total_original_principal_balance: Decimal
    total_current_balance: Decimal
    reo_book_value: Decimal | None
    reo_book_value_text: str  # "Not Available"
    line: int


@dataclass(frozen=True, slots=True)
class ReoLoan:
    """A loan that became REO during the distribution period (REO Report detail row)."""

    loan_number: str
    group: int  # loan group number (see Statement.loan_groups)
    original_principal_balance: Decimal
    stated_principal_balance: Decimal
    paid_to_date: date | None
    note_rate: Decimal | None  # fraction
    state: str | None
    ltv_at_origination: Decimal | None  # fraction: 93.34% -> 0.9334
    original_term: int | None  # months
    origination_date: date | None
    line: int


@dataclass(frozen=True, slots=True)
class PrepaymentDetailSummary:
    """SUMMARY block of the Prepayment Detail Report."""

    loan_count: int
    total_original_principal_balance: Decimal
    total_prepayment_amount: Decimal
    line: int


@dataclass(frozen=True, slots=True)
class PrepaidLoan:
    """A loan prepaid in full during the period (Prepayment Detail Report row)."""

    loan_number: str
    group: int
    loan_status: str | None
    original_principal_balance: Decimal
    prepayment_amount: Decimal
    prepayment_date: date | None
    note_rate: Decimal | None  # fraction
    state: str | None
    ltv_at_origination: Decimal | None  # fraction
    type_and_term: str | None  # raw and truncated to the column: "Paid Off  -  36" (term 360 printed as 36)
    prepayment_type: str | None  # the part before " - ": "Paid Off"
    origination_date: date | None
    line: int


@dataclass(frozen=True, slots=True)
class RealizedLossDetailSummary:
    """SUMMARY block of the Realized Loss Detail Report."""

    loan_count: int
    total_original_principal_balance: Decimal
    total_prior_principal_balance: Decimal
    total_realized_loss: Decimal
    total_net_liquidation_proceeds: Decimal
    line: int


@dataclass(frozen=True, slots=True)
class LiquidatedLoan:
    """A loan liquidated during the period (Realized Loss Detail Report row)."""

    loan_number: str
    group: int
    loan_status: str | None
    original_principal_balance: Decimal
    prior_principal_balance: Decimal
    realized_loss: Decimal  # Realized Loss/(Gain): negative is a gain
    note_rate: Decimal | None
    state: str | None
    ltv_at_origination: Decimal | None
    original_term: int | None
    origination_date: date | None
    line: int


@dataclass(frozen=True, slots=True)
class DerivativePayment:
    """Other Related Information: payment received under one derivative contract (cap/floor/swap)."""

    contract_id: str  # as printed: "IMP022F1", "240430 (3418256)"
    amount: Decimal
    line: int


# --- lossless long form


@dataclass(frozen=True, slots=True)
class Item:
    """One printed value in long form: the lossless record every labelled value of the statement becomes.

    ``column`` is the column header ("TOTAL", "Interest", "3+ PAYMTS", "cusip", ...). ``value`` is the numeric
    reading (percentages as fractions, Excel serial dates as their serial number) or None for text and blanks;
    ``raw`` is the cell exactly as printed.
    """

    section: str
    subsection: str | None
    label: str
    column: str
    value: Decimal | None
    raw: str
    line: int


@dataclass(frozen=True, slots=True)
class UnparsedLine:
    """A line with content the parser could not place (not a recognised data or non-data line)."""

    line: int
    text: str
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """A failed reconciliation identity: expected vs actual beyond the tolerance of the printed precision."""

    check: str  # stable check name, e.g. "class.total_equals_interest_plus_principal"
    expected: Decimal
    actual: Decimal
    difference: Decimal  # actual - expected
    tolerance: Decimal
    context: str  # what was compared, e.g. "class A"
    lines: tuple[int, ...] = ()


# --- aggregates


@dataclass(frozen=True, slots=True)
class Statement:
    """Everything typed that one remittance statement says."""

    cover: CoverPage
    deal: DealInfo
    contents: tuple[ContentsEntry, ...]
    classes: tuple[BondClass, ...]  # A, B, Cert (not Total)
    class_total: BondClass
    group_lines: tuple[GroupLine, ...]  # every line of every ADJUSTABLE/FIXED/TOTAL table, in printed order
    collateral: tuple[CollateralGroup, ...]  # adjustable, fixed, total
    credit_enhancement: CreditEnhancement
    delinquency: tuple[DelinquencyCell, ...]  # 3 groups x 5 statuses x 5 buckets x 4 measures
    reo_summary: ReoSummary
    reo_loans: tuple[ReoLoan, ...]
    rates: tuple[RateItem, ...]  # SMM, CPR, PSA, MDR, CDR, SDA (and loss severity when printed)
    prepayment_detail_summary: PrepaymentDetailSummary
    prepaid_loans: tuple[PrepaidLoan, ...]
    realized_loss_detail_summary: RealizedLossDetailSummary
    liquidated_loans: tuple[LiquidatedLoan, ...]
    miscellaneous: Miscellaneous
    derivative_payments: tuple[DerivativePayment, ...]
    loan_groups: tuple[LoanGroup, ...]

    @property
    def distribution_date(self) -> date:
        return self.deal.distribution_date

    def bond_class(self, class_name: str) -> BondClass:
        """The class row named ``class_name`` ("A", "B", "Cert" or "Total")."""
        if class_name == self.class_total.class_name:
            return self.class_total
        for row in self.classes:
            if row.class_name == class_name:
                return row
        raise KeyError(f"no class {class_name!r}; classes are {[c.class_name for c in self.classes]}")

    def find_lines(
        self,
        *,
        section: str | None = None,
        subsection: str | None = None,
        heading: str | None = None,
        label: str | None = None,
    ) -> tuple[GroupLine, ...]:
        """All group lines matching every given field (labels repeat across tables, so this is a tuple)."""
        return tuple(
            g
            for g in self.group_lines
            if (section is None or g.section == section)
            and (subsection is None or g.subsection == subsection)
            and (heading is None or g.heading == heading)
            and (label is None or g.label == label)
        )

    def group_line(self, subsection: str, label: str, heading: str | None = None) -> GroupLine:
        """The single group line of ``subsection`` named ``label``; KeyError if absent or ambiguous."""
        found = self.find_lines(subsection=subsection, heading=heading, label=label)
        if len(found) != 1:
            raise KeyError(f"{len(found)} lines named {label!r} in {subsection!r} (heading {heading!r})")
        return found[0]

    def collateral_group(self, group: str) -> CollateralGroup:
        for row in self.collateral:
            if row.group == group:
                return row
        raise KeyError(f"no collateral group {group!r}; expected one of {GROUPS}")

    def delinquency_cell(self, group: str, status: str, bucket: str, measure: str) -> DelinquencyCell:
        for cell in self.delinquency:
            if (cell.group, cell.status, cell.bucket, cell.measure) == (group, status, bucket, measure):
                return cell
        raise KeyError(f"no delinquency cell {(group, status, bucket, measure)}")

    def rate(self, metric: str, window: str, group: str) -> RateItem:
        for item in self.rates:
            if (item.metric, item.window, item.group) == (metric, window, group):
                return item
        raise KeyError(f"no rate {metric} / {window} / {group}")


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a parse returns: the typed statement, every printed value in long form, and what was not placed.

    ``discrepancies`` and ``checks_run`` are filled by reconciliation (parsers.reconcile); a bare template
    parse leaves them empty and 0.
    """

    template: str  # e.g. "trustee-text-2002"
    statement: Statement
    items: tuple[Item, ...]  # in printed order (by line, then column)
    unparsed: tuple[UnparsedLine, ...]
    discrepancies: tuple[Discrepancy, ...] = ()
    checks_run: int = 0

    @property
    def reconciled(self) -> bool:
        """True when reconciliation ran at least one check and found no discrepancy."""
        return self.checks_run > 0 and not self.discrepancies
