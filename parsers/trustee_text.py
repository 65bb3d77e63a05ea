"""The 2002 trustee text template of the Impac CMB Trust remittance statement, declared as data; its parser.

One document holds the Form 8-K cover page and the 24-page statement (accession 0001020242-03-000013). The
statement is a sequence of pages; every page repeats the deal title lines (``Impac CMB Trust   2002-2``,
``Collateralized Asset-Backed Bonds``, ``Series 2002-2``, ``<Report> for <date> Distribution``, an optional
subtitle) and ends with ``Page N of 24`` and ``COPYRIGHT 2002 Deutsche Bank``. Thirteen reports follow in the
order of the table of contents. This module declares what each report looks like (:data:`SECTIONS`, the
:class:`~parsers.fixed_width.TableLayout` declarations, label maps) and reads them with the shared engine of
:mod:`parsers.fixed_width`. The entry point is :func:`parse_trustee_text`.

Guarantees: every printed value becomes an :class:`~parsers.records.Item` (section, label, column, raw text,
line); typed records are built from the same cells; lines the parser cannot place are returned as
:class:`~parsers.records.UnparsedLine`; known non-data lines (page furniture, chart captions, notes,
methodology text) are recognised and skipped. A document without the template's signature raises
:class:`~parsers.errors.UnknownFormatError`; a truncated or damaged one raises
:class:`~parsers.errors.DamagedStatementError` naming the section and line -- never a partial result.
"""

from __future__ import annotations

import bisect
import dataclasses
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from parsers import values
from parsers.errors import DamagedStatementError, ParseError, UnknownFormatError, UnsupportedTemplateError
from parsers.fixed_width import (
    Column,
    ColumnSpec,
    TableLayout,
    TableReader,
    conversion_cache,
    convert_cell,
    convert_cells,
    derive_columns,
    normalise,
    record_builder,
)
from parsers.records import (
    BondClass,
    CollateralGroup,
    Contact,
    ContentsEntry,
    CoverPage,
    CreditEnhancement,
    DealInfo,
    DelinquencyCell,
    DerivativePayment,
    GroupLine,
    Item,
    LiquidatedLoan,
    LoanGroup,
    Miscellaneous,
    ParseResult,
    Party,
    PrepaidLoan,
    PrepaymentDetailSummary,
    RateItem,
    RealizedLossDetailSummary,
    ReoLoan,
    ReoSummary,
    Statement,
    UnparsedLine,
)
from parsers.unfold import FOLD_WIDTH, LogicalLine, unfold

__all__ = ["SECTIONS", "TEMPLATE", "parse_trustee_text"]

#: The name of this template in ParseResult.template and in the database.
TEMPLATE = "trustee-text-2002"

# --- the declared layout

CONTENTS = "Contents"
CERTIFICATES = "Certificate Payment Report"
COLLECTION = "Collection Account Report"
CREDIT_ENHANCEMENT = "Credit Enhancement Report"
COLLATERAL = "Collateral Report"
DELINQUENCY = "Delinquency Report"
REO = "REO Report"
PREPAYMENT = "Prepayment Report"
PREPAYMENT_DETAIL = "Prepayment Detail Report"
REALIZED_LOSS = "Realized Loss Report"
REALIZED_LOSS_DETAIL = "Realized Loss Detail Report"
MISCELLANEOUS = "Triggers, Adj. Rate Cert. and Miscellaneous Report"
OTHER = "Other Related Information"
COVER = "Cover Page"

#: The thirteen reports, in table-of-contents order; each must appear, in this order.
SECTIONS: tuple[str, ...] = (
    CONTENTS,
    CERTIFICATES,
    COLLECTION,
    CREDIT_ENHANCEMENT,
    COLLATERAL,
    DELINQUENCY,
    REO,
    PREPAYMENT,
    PREPAYMENT_DETAIL,
    REALIZED_LOSS,
    REALIZED_LOSS_DETAIL,
    MISCELLANEOUS,
    OTHER,
)
#: Reports printed as ADJUSTABLE / FIXED / TOTAL tables of labelled lines.
GRID_SECTIONS = frozenset(
    {COLLECTION, CREDIT_ENHANCEMENT, COLLATERAL, PREPAYMENT, REALIZED_LOSS, MISCELLANEOUS, OTHER}
)
GRID_COLUMNS = ("ADJUSTABLE", "FIXED", "TOTAL")
#: The tables of each grid report, in printed order (a table cut by a page break may repeat its header).
GRID_TABLES: dict[str, tuple[str, ...]] = {
    COLLECTION: (
        "SUMMARY",
        "PRINCIPAL - COLLECTIONS",
        "PRINCIPAL - WITHDRAWALS",
        "PRINCIPAL - OTHER ACCOUNTS",
        "INTEREST - COLLECTIONS",
        "INTEREST - WITHDRAWALS",
        "INTEREST - OTHER ACCOUNTS",
        "INTEREST - FEES",
    ),
    CREDIT_ENHANCEMENT: ("ACCOUNTS", "INSURANCE", "STRUCTURAL FEATURES"),
    COLLATERAL: (
        "COLLATERAL",
        "PREFUNDING",
        "CHARACTERISTICS",
        "ARM CHARACTERISTICS",
        "SERVICING FEES / ADVANCES",
        "ADDITIONAL COLLATERAL INFORMATION",
    ),
    PREPAYMENT: ("VOLUNTARY PREPAYMENTS", "VOLUNTARY PREPAYMENT RATES"),
    REALIZED_LOSS: ("COLLATERAL REALIZED LOSSES", "DEFAULT SPEEDS"),
    MISCELLANEOUS: ("TRIGGER EVENTS", "ADJUSTABLE RATE CERTIFICATE INFORMATION", "ADDITIONAL INFORMATION"),
    OTHER: ("ADDITIONAL INFORMATION",),
}

_CLASS = ColumnSpec("class_name", "Class", "text")
CERTIFICATE_TABLES: tuple[TableLayout, ...] = (
    TableLayout(
        "Distribution in Dollars - Current Period",
        (
            _CLASS,
            ColumnSpec("class_type", "Class Type", "text"),
            ColumnSpec("original_face_value", "Original Face Value"),
            ColumnSpec("prior_principal_balance", "Prior Principal Balance (1)"),
            ColumnSpec("interest", "Interest (2)"),
            ColumnSpec("principal", "Principal (3)"),
            ColumnSpec("total_distribution", "Total Distribution (4)=(2)+(3)"),
            ColumnSpec("realized_losses", "Realized Losses (5)"),
            ColumnSpec("deferred_interest", "Deferred Interest (6)"),
            ColumnSpec("current_principal_balance", "Current Principal Balance (7)=(1)-(3)-(5)+(6)"),
        ),
        # Amounts, factors and accrual dates are printed for every class, 0 included; only the Total row's
        # type and the residual Cert row's rate, method ("-") and CUSIP are blank.
        may_be_blank=frozenset({"class_type"}),
    ),
    TableLayout(
        "Interest Accrual Detail",
        (
            _CLASS,
            ColumnSpec("accrual_start", "Period Starting", "excel_date"),
            ColumnSpec("accrual_end", "Period Ending", "excel_date"),
            ColumnSpec("accrual_method", "Method", "text"),
            ColumnSpec("cusip", "Cusip", "text"),
            ColumnSpec("factor_original_face", "Orig. Principal (with Notional) Balance"),
            ColumnSpec("factor_prior_principal", "Prior Principal Balance (1)"),
            ColumnSpec("factor_interest", "Interest (2)"),
            ColumnSpec("factor_principal", "Principal (3)"),
            ColumnSpec("factor_total_distribution", "Total Distribution (4)=(2)+(3)"),
            ColumnSpec("factor_current_principal", "Current Principal Balance (5)"),
        ),
        may_be_blank=frozenset({"accrual_method", "cusip"}),
    ),
    TableLayout(
        "Distribution in Dollars - to Date",
        (
            _CLASS,
            ColumnSpec("to_date_original_face_value", "Original Face Value (1)"),
            ColumnSpec("to_date_interest", "Interest (2)"),
            ColumnSpec("to_date_unscheduled_principal", "Unscheduled Principal (3)"),
            ColumnSpec("to_date_scheduled_principal", "Scheduled Principal (4)"),
            ColumnSpec("to_date_total_principal", "Total Principal (5)=(3)+(4)"),
            ColumnSpec("to_date_total_distribution", "Total Distribution (6)=(2)+(5)"),
            ColumnSpec("to_date_realized_losses", "Realized Losses (7)"),
            ColumnSpec("to_date_deferred_interest", "Deferred Interest (8)"),
            ColumnSpec("to_date_current_principal_balance", "Current Principal Balance (9)=(1)-(5)-(7)+(8)"),
        ),
        may_be_blank=frozenset(),
    ),
    TableLayout(
        "Interest Detail",
        (
            _CLASS,
            ColumnSpec("pass_through_rate", "Pass- Through Rate", "rate"),
            ColumnSpec("interest_prior_principal_balance", "Prior Principal (with Notional) Balance"),
            ColumnSpec("accrued_interest", "Accrued Interest (1)"),
            ColumnSpec("non_supported_interest_shortfall", "Non- Supported Interest SF (2)"),
            ColumnSpec("prior_unpaid_interest", "Prior Unpaid Interest (3)"),
            ColumnSpec("unscheduled_interest_adjustments", "Unscheduled Interest Adjustments (4)"),
            ColumnSpec("optimal_interest", "Optimal Interest (5)=(1)-(2)+(3)"),
            ColumnSpec("paid_or_deferred_interest", "Paid or Deferred Interest (6)"),
            ColumnSpec("current_unpaid_interest", "Current Unpaid Interest (7)=(5)-(6)"),
        ),
        may_be_blank=frozenset({"pass_through_rate"}),
    ),
)
_CERTIFICATE_LINE_FIELD = {
    "Distribution in Dollars - Current Period": "line",
    "Interest Accrual Detail": "accrual_line",
    "Distribution in Dollars - to Date": "to_date_line",
    "Interest Detail": "interest_detail_line",
}
# Fields of the current-period table that every class row must print (BondClass types them as Decimal).
_REQUIRED_CLASS_FIELDS = (
    "original_face_value",
    "prior_principal_balance",
    "interest",
    "principal",
    "total_distribution",
    "realized_losses",
    "deferred_interest",
    "current_principal_balance",
)

# Columns the three loan detail tables share, declared once.
_LOAN = ColumnSpec("loan", "Loan Number & Loan Group", "loan_and_group")
_STATUS = ColumnSpec("loan_status", "Loan Status", "text")
_ORIGINAL_BALANCE = ColumnSpec("original_principal_balance", "Original Principal Balance")
_NOTE_RATE = ColumnSpec("note_rate", "Current Note Rate", "rate")
_STATE_LTV = ColumnSpec("state_ltv", "State & LTV at Origination", "state_ltv")
_TERM = ColumnSpec("original_term", "Original Term", "int")
_ORIGINATION = ColumnSpec("origination_date", "Origination Date", "excel_date")
REO_TABLE = TableLayout(
    "REO detail",
    (
        _LOAN,
        _ORIGINAL_BALANCE,
        ColumnSpec("stated_principal_balance", "Stated Principal Balance"),
        ColumnSpec("paid_to_date", "Paid to Date", "excel_date"),
        _NOTE_RATE,
        _STATE_LTV,
        _TERM,
        _ORIGINATION,
    ),
    may_be_blank=frozenset(),  # every column is printed for every loan
)
PREPAYMENT_DETAIL_TABLE = TableLayout(
    "Prepayment detail",
    (
        _LOAN,
        _STATUS,
        _ORIGINAL_BALANCE,
        ColumnSpec("prepayment_amount", "Prepayment Amount"),
        ColumnSpec("prepayment_date", "Prepayment Date", "excel_date"),
        _NOTE_RATE,
        _STATE_LTV,
        # Printed "Paid Off  -  36" for a 360-month loan: the column cuts the text, so it stays raw text.
        ColumnSpec("type_and_term", "Type Prepayment & Original Term", "text"),
        _ORIGINATION,
    ),
    # Every column but the loan status is printed for every loan.
    may_be_blank=frozenset({"loan_status"}),
)
REALIZED_LOSS_DETAIL_TABLE = TableLayout(
    "Realized loss detail",
    (
        _LOAN,
        _STATUS,
        _ORIGINAL_BALANCE,
        ColumnSpec("prior_principal_balance", "Prior Principal Balance"),
        ColumnSpec("realized_loss", "Realized Loss/(Gain)"),
        _NOTE_RATE,
        _STATE_LTV,
        _TERM,
        _ORIGINATION,
    ),
    # Every column but the loan status is printed for every loan.
    may_be_blank=frozenset({"loan_status"}),
)
DETAIL_TABLES = {
    REO: REO_TABLE,
    PREPAYMENT_DETAIL: PREPAYMENT_DETAIL_TABLE,
    REALIZED_LOSS_DETAIL: REALIZED_LOSS_DETAIL_TABLE,
}
#: SUMMARY keys of the detail reports ("Total Loan Count =   28") -> (field, converter kind).
SUMMARY_KEYS = {
    "Total Loan Count": ("loan_count", "int"),
    "Total Original Principal Balance": ("total_original_principal_balance", "decimal"),
    "Total Current Balance": ("total_current_balance", "decimal"),
    "Total Prepayment Amount": ("total_prepayment_amount", "decimal"),
    "Total Prior Principal Balance": ("total_prior_principal_balance", "decimal"),
    "Total Realized Loss Amount": ("total_realized_loss", "decimal"),
    "Total Net Liquidation Proceeds": ("total_net_liquidation_proceeds", "decimal"),
    "REO Book Value": ("reo_book_value_text", "text"),
}

DELINQUENCY_GROUPS = {"Total": "total", "Fixed Group": "fixed", "Adjustable Group": "adjustable"}
DELINQUENCY_STATUSES = {
    "DELINQUENT": "delinquent",
    "FORECLOSURE": "foreclosure",
    "BANKRUPTCY": "bankruptcy",
    "REO": "reo",
    "TOTAL": "total",
}
DELINQUENCY_BUCKETS = {
    "CURRENT": "current",
    "1 PAYMENT": "1_payment",
    "2 PAYMTS": "2_payments",
    "3+ PAYMTS": "3_plus_payments",
    "TOTAL": "total",
}
DELINQUENCY_MEASURES = {
    "Balance": "balance",
    "% Balance": "balance_pct",
    "# Loans": "loan_count",
    "% # Loans": "loan_count_pct",
}
_DELINQUENCY_STATUS_END, _DELINQUENCY_MEASURE_END = 30, 60
# A detail row starts with "LOAN-NUMBER  GROUP" in the first 30 columns ("1100344047  2").
_LOAN_CELL = re.compile(r"\S+ +\d+")
_SUMMARY_HEADINGS = re.compile(r"SUMMARY(?: LOAN GROUP)?|LOAN GROUP")
_LOAN_END = 30

#: Value-less lines of the grid tables that head the lines below them (others are kept as empty lines).
GRID_HEADINGS = frozenset({"Current", "Cumulative", "PRE-FUNDING ACCOUNT"})
DERIVATIVE_TOTAL = "Total Derivative Payments"

# (subsection, heading, label) -> CollateralGroup field
COLLATERAL_FIELDS: dict[tuple[str, str | None, str], str] = {
    **{
        ("COLLATERAL", "Loan Count:", label): f"loan_count_{name}"
        for label, name in (
            ("Original", "original"),
            ("Prior", "prior"),
            ("Prefunding", "prefunding"),
            ("Scheduled Paid Offs", "scheduled_paid_offs"),
            ("Full Voluntary Prepayments", "full_voluntary_prepayments"),
            ("Repurchases", "repurchases"),
            ("Liquidations", "liquidations"),
            ("Current", "current"),
        )
    },
    **{
        ("COLLATERAL", "Principal Balance:", label): f"balance_{name}"
        for label, name in (
            ("Original", "original"),
            ("Prior", "prior"),
            ("Prefunding", "prefunding"),
            ("Scheduled Principal", "scheduled_principal"),
            ("Partial and Full Voluntary Prepayments", "prepayments"),
            ("Repurchases", "repurchases"),
            ("Liquidations", "liquidations"),
            ("Current", "current"),
        )
    },
    **{
        (subsection, None, f"{label} {period}"): f"{name}_{period.lower()}"
        for subsection, label, name in (
            ("CHARACTERISTICS", "Weighted Average Coupon", "wac"),
            ("CHARACTERISTICS", "Weighted Average Months to Maturity", "wam"),
            ("CHARACTERISTICS", "Weighted Avg Remaining Amortization Term", "remaining_amortization_term"),
            ("CHARACTERISTICS", "Weighted Average Seasoning", "seasoning"),
            ("ARM CHARACTERISTICS", "Weighted Average Margin", "margin"),
            ("ARM CHARACTERISTICS", "Weighted Average Max Rate", "max_rate"),
            ("ARM CHARACTERISTICS", "Weighted Average Min Rate", "min_rate"),
            ("ARM CHARACTERISTICS", "Weighted Average Cap Up", "cap_up"),
            ("ARM CHARACTERISTICS", "Weighted Average Cap Down", "cap_down"),
        )
        for period in ("Original", "Prior", "Current")
    },
}
_COLLATERAL_REQUIRED = tuple(
    f for f in COLLATERAL_FIELDS.values() if f.startswith(("loan_count_", "balance_"))
)

CREDIT_ENHANCEMENT_FIELDS = {
    "Current Periods Required Overcollateralization Amt": "required_overcollateralization_amount",
    "Current Periods Overcollateralization Amt": "overcollateralization_amount",
    "Current Periods Extra Principal Distribution": "extra_principal_distribution",
    "Current Periods Net Monthly Excess Cashflow": "net_monthly_excess_cashflow",
    "Current Periods Overcollateralization Release": "overcollateralization_release",
    "60 Day Rolling Delinquency Amount": "rolling_60_day_delinquency_amount",
    "90 Day Rolling Delinquency Amount": "rolling_90_day_delinquency_amount",
    "Available Funds Rate": "available_funds_rate",
}
MISCELLANEOUS_FIELDS = {
    "Current Periods Basis Risk Shortfall Carry Forward Amt": "current_basis_risk_carry_forward",
    "Cumulative Basis Risk Shortfall Carry Forward Amt": "cumulative_basis_risk_carry_forward",
    "Current Periods LIBOR Rate": "libor_rate",
    "Current Net Mortgage Rate": "net_mortgage_rate",
    "Cumulative Loss Percentage For Related Payment Date": "cumulative_loss_percentage",
}
RATE_SUBSECTIONS = frozenset({"VOLUNTARY PREPAYMENT RATES", "DEFAULT SPEEDS"})
# "SMM", "3 Months Avg SMM", "Avg SMM Since Cut-off", "3 Months Avg PSA Approximation",
# "Avg PSA Since Cut-off Approximation", "Loss Severity Approximation for Current Period", ...
_RATE_LABEL = re.compile(
    r"(?:(?P<months>\d+) Months Avg |(?P<avg>Avg ))?(?P<metric>SMM|CPR|PSA|MDR|CDR|SDA|Loss Severity)"
    r"(?: Approximation)?(?P<since> Since Cut-off)?(?: Approximation)?(?: for Current Period)?"
)

#: Lines that carry no data: page furniture, chart captions and legends, notes. Matched on normalised text.
NON_DATA_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"COPYRIGHT \d{4} .+",
        r"SPACE INTENTIONALLY LEFT BLANK",
        r"(?:Fixed|Adjustable)(?: \d+ Months Moving Average)?",  # chart legends
        r"\d+ Months Moving Average",
        r".+ by Groups\b.*",  # chart titles: "WAC by Groups Total WAC"
        r"1 or 2 Payments Delinquent 3 or More Payments Delinquent",
        r"Total Foreclosure Total Bankruptcy and REO",
        r"Note: .+",
        r"Dates correspond to distribution dates\.",
        r"REO Book Value reported corresponds to .+",
    )
)
_METHODOLOGY = re.compile(r"[A-Z][A-Z ]+ METHODOLOGY")
# How each line of prose under "... CALCULATION METHODOLOGY" starts (formulas, not data); a line that does not
# start this way is reported instead of being swallowed as prose.
_METHODOLOGY_TEXT = re.compile(
    r"(?:Single Monthly Mortality|Conditional (?:Prepayment|Default) Rate|PSA Standard|SDA Standard"
    r"|Monthly Default Rate|Average (?:SMM|CPR|PSA|MDR|CDR|SDA|WAS|Loss Severity)|Weighted Average Seasoning"
    r"|AvgCDRn|Loss Severity Approximation for current period)"
)
_FOOTER = re.compile(r"Page (?P<page>\d+) of (?P<pages>\d+)(?: COPYRIGHT \d{4} .+)?")
# "Impac CMB Trust   2002-2"; Impac Secured Assets titles read "IMPAC Secured Assets Corp. 2002-S2".
_DEAL_TITLE = re.compile(r"(?P<trust>\S.*?)\s+(?P<series>\d{4}-[A-Z]*\d+)")
_DISTRIBUTION = re.compile(r"(?P<date>[A-Z][a-z]+ \d{1,2}, ?\d{4}) Distribution")
_PAGE_TITLE = re.compile(r"(?P<title>.+?) for (?P<date>[A-Z][a-z]+ \d{1,2}, ?\d{4}) Distribution")
_SERIES = re.compile(r"Series \S+")
_GRID_HEADER = re.compile(r"(?P<title>[A-Z][^a-z]*?)\s{2,}(?P<columns>ADJUSTABLE\s+FIXED\s+TOTAL)$")
_TOC_ROW = re.compile(r"(?P<number>\d+)\. (?P<title>.+) (?P<page>\d+)")
_SUMMARY_ROW = re.compile(r"(?P<key>[A-Z][A-Za-z ]*?) = (?P<value>.*?)(?: (?P<legend>Loan Group \d+ = .+))?")
_LEGEND = re.compile(r"Loan Group (?P<number>\d+) = (?P<name>[^;]+?)(?:; (?P<extra>.+))?")


# --- plumbing


# ~2,000 records a statement: built without the frozen dataclass __init__ (see fixed_width.record_builder).
_item = record_builder(Item)
_cell = record_builder(DelinquencyCell)
_group_line = record_builder(GroupLine)
_rate_item = record_builder(RateItem)
_BY_LINE = operator.attrgetter("line")  # a C key function: ~1,200 items are sorted per statement
_NON_DATA = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in NON_DATA_PATTERNS))


# A word every NON_DATA_PATTERNS line contains: most lines are data, and a substring test rules them out
# before the normalise-and-match (keep in step with the patterns; the zero-unparsed test shows a miss).
_NON_DATA_HINT = re.compile(
    "COPYRIGHT|INTENTIONALLY|Fixed|Adjustable|Moving Average|by Groups|Delinquent|Foreclosure|Note:"
    "|Dates correspond|REO Book Value reported"
)


def _is_non_data(text: str) -> bool:
    # Patterns are written for single spaces; matching normalised text also keeps ".+ by Groups" linear.
    if _NON_DATA_HINT.search(text) is None:
        return False
    words = text.split()
    # Captions and notes end in words; one ending in a number swallowed a value segment whose own label
    # line was deleted ("Note: ... prior periods. 0.0000%").
    last = words[-1]
    ends_in_number = last[0] in "-($.0123456789" and values.is_number(last)
    return not ends_in_number and _NON_DATA.fullmatch(" ".join(words)) is not None


@dataclass
class _Page:
    number: int
    title_line: int
    section: str
    subtitle: str | None
    subtitle_line: int | None
    body: list[LogicalLine]


@dataclass
class _Sink:
    """What every handler appends to: the long-form items and the lines nobody could place."""

    items: list[Item] = field(default_factory=list)
    unparsed: list[UnparsedLine] = field(default_factory=list)
    table_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (section, subsection) -> header

    def unplaced(self, line: LogicalLine, section: str | None) -> None:
        self.unparsed.append(UnparsedLine(line.line, line.text, section))

    def text_item(self, section: str, subsection: str | None, label: str, raw: str, line: int) -> None:
        self.items.append(_item(section, subsection, label, "value", None, raw, line))


def _damaged(
    message: str, section: str | None, line: int | None, hint: str | None = None
) -> DamagedStatementError:
    return DamagedStatementError(
        message,
        section=section,
        line=line,
        hint=hint or "the statement looks truncated or damaged; re-fetch it",
    )


# --- detection and pages


def _find_deal_block(lines: Sequence[LogicalLine]) -> int | None:
    """Index of the page-1 title block: deal title, bond description, '<date> Distribution', 'Contents'."""
    for index in range(len(lines) - 3):
        if (
            lines[index + 3].text.strip() == CONTENTS
            and _DISTRIBUTION.fullmatch(normalise(lines[index + 2].text))
            and _DEAL_TITLE.fullmatch(lines[index].text.strip())
        ):
            return index
    return None


def _section_at(first_page: Sequence[LogicalLine], number: int) -> str:
    """The report page ``number`` belongs to, by the table of contents on page 1 (for locating damage)."""
    section = CONTENTS
    for line in first_page:
        match = _TOC_ROW.fullmatch(normalise(line.text))
        if match and int(match["page"]) <= number:
            section = match["title"]
    return section


def _split_pages(lines: Sequence[LogicalLine]) -> tuple[list[list[LogicalLine]], list[LogicalLine], int]:
    """Pages (each ending with its footer), the lines after the last footer, and the printed page count."""
    pages: list[list[LogicalLine]] = []
    current: list[LogicalLine] = []
    total = 0
    for line in lines:
        current.append(line)
        match = _FOOTER.fullmatch(normalise(line.text)) if "Page" in line.text else None
        if match is None:
            continue
        number, total = int(match["page"]), int(match["pages"])
        if number != len(pages) + 1:
            raise _damaged(
                f"page footer says page {number} where page {len(pages) + 1} was expected",
                _section_at(pages[0] if pages else current, len(pages) + 1),
                line.line,
            )
        pages.append(current)
        current = []
    return pages, current, total


def _read_page_header(
    raw_page: list[LogicalLine],
    number: int,
    title_lines: tuple[str, str],
    distribution: str,
    first_page: Sequence[LogicalLine],
) -> _Page:
    """Strip the repeated title lines of a page (2..N) and return its section, subtitle and body."""
    body = raw_page[:-1]  # the footer is the last line
    index = 0

    def next_text() -> tuple[str, LogicalLine | None]:
        nonlocal index
        while index < len(body):
            text = normalise(body[index].text)  # "" exactly when the line is blank
            if text and not _is_non_data(text):
                return text, body[index]
            index += 1
        return "", None

    first_line = raw_page[0].line
    for deal_line in title_lines:
        text, line = next_text()
        if text != deal_line:
            raise _damaged(
                f"page {number} should start with the deal title line {deal_line!r}, found {text!r}",
                _section_at(first_page, number),
                line.line if line else first_line,
            )
        index += 1
    text, line = next_text()
    if _SERIES.fullmatch(text):
        index += 1
        text, line = next_text()
    match = _PAGE_TITLE.fullmatch(text)
    if match is None or line is None:
        raise _damaged(
            f"page {number} has no '<Report> for <date> Distribution' title",
            _section_at(first_page, number),
            first_line,
        )
    title, title_line = match["title"], line.line
    if normalise(match["date"].replace(",", ", ")) != normalise(distribution.replace(",", ", ")):
        raise _damaged(
            f"page {number} is dated {match['date']}, the statement {distribution}", title, line.line
        )
    index += 1
    subtitle = subtitle_line = None
    text, line = next_text()
    if line is not None and text.startswith(title) and not text.startswith(f"{title} for"):
        subtitle, subtitle_line = text, line.line
        index += 1
    return _Page(number, title_line, title, subtitle, subtitle_line, body[index:])


# --- page 1: contents, contacts, issuance information

_CONTACT_LABELS = {
    "Administrator": "administrator",
    "Direct Phone Number": "direct_phone",
    "Address": "address",
    "Web Site": "web_site",
    "Factor Information": "factor_information_phone",
    "Main Phone Number": "main_phone",
}
_ISSUANCE_DATES = {
    "Cut-Off Date": "cut_off_date",
    "Closing Date": "closing_date",
    "First Payment Date": "first_payment_date",
    "Distribution Date": "distribution_date",
    "Record Date": "record_date",
}
# Page 1 prints two columns side by side: parties on the left (label at 15, value at 45), dates from 120 on.
_ISSUANCE_LABEL_END, _ISSUANCE_RIGHT = 45, 120


def _parse_first_page(body: Sequence[LogicalLine], sink: _Sink) -> dict[str, Any]:
    found: dict[str, Any] = {
        "contents": [],
        "total_pages": None,
        "contact": {},
        "contact_line": None,
        "seller": None,
        "insurers": [],
        "servicers": [],
        "underwriters": [],
        "issuance_line": None,
    }
    mode = None
    last_contact: str | None = None
    left_label: str | None = None
    for line in body:
        text = normalise(line.text)
        if not text or _is_non_data(text) or text in ("TABLE OF CONTENTS", "Page"):
            continue
        if text in ("CONTACTS", "ISSUANCE INFORMATION"):
            mode = text
            if text == "ISSUANCE INFORMATION":
                found["issuance_line"] = line.line
            continue
        if mode is None:
            toc = _TOC_ROW.fullmatch(text)
            total = re.fullmatch(r"Total Number of Pages (\d+)", text)
            if toc:
                entry = ContentsEntry(int(toc["number"]), toc["title"], int(toc["page"]), line.line)
                found["contents"].append(entry)
                sink.items.append(
                    Item(
                        CONTENTS,
                        "TABLE OF CONTENTS",
                        entry.title,
                        "Page",
                        Decimal(entry.page),
                        toc["page"],
                        line.line,
                    )
                )
            elif total:
                found["total_pages"] = int(total[1])
                sink.items.append(
                    Item(
                        CONTENTS,
                        "TABLE OF CONTENTS",
                        "Total Number of Pages",
                        "Page",
                        Decimal(total[1]),
                        total[1],
                        line.line,
                    )
                )
            else:
                sink.unplaced(line, CONTENTS)
        elif mode == "CONTACTS":
            label, sep, value = text.partition(": ")
            if (value if sep else text).strip() not in line.text:
                # Contacts print single-spaced; a wide gap inside a value is a continuation segment glued on
                # after the line that carried it was deleted ("Deutsche Bank" + "61 E. St. Andrew Place").
                raise _damaged(f"contact line {text!r} reads across a fold", CONTENTS, line.line)
            if sep and label in _CONTACT_LABELS and _CONTACT_LABELS[label] not in found["contact"]:
                last_contact = _CONTACT_LABELS[label]
                found["contact"][last_contact] = value.strip()
                found["contact_line"] = found["contact_line"] or line.line
                sink.text_item(CONTENTS, "CONTACTS", label, value.strip(), line.line)
            elif last_contact == "address":
                # The address wraps onto one second line with no label (1761 E. St. Andrew Place, ...).
                found["contact"]["address"] = f"{found['contact']['address']}, {text}"
                sink.text_item(CONTENTS, "CONTACTS", "Address", text, line.line)
                last_contact = None
            else:
                sink.unplaced(line, CONTENTS)
        else:
            _parse_issuance_line(line, found, sink, left_label)
            label = normalise(line.text[:_ISSUANCE_LABEL_END])
            if label:
                left_label = label
    if found["contact"] and set(found["contact"]) != set(_CONTACT_LABELS.values()):
        absent = [label for label, name in _CONTACT_LABELS.items() if name not in found["contact"]]
        raise _damaged(f"the CONTACTS block lacks {absent}", CONTENTS, found["contact_line"])
    return found


def _parse_issuance_line(
    line: LogicalLine, found: dict[str, Any], sink: _Sink, previous_label: str | None
) -> None:
    left, right = line.text[:_ISSUANCE_RIGHT], normalise(line.text[_ISSUANCE_RIGHT:])
    placed = False
    if right:
        date_label, sep, when = right.partition(": ")
        if not sep or date_label not in _ISSUANCE_DATES:
            sink.unplaced(line, CONTENTS)
            return
        found[_ISSUANCE_DATES[date_label]] = (_written_date(when, CONTENTS, line.line), line.line)
        sink.text_item(CONTENTS, "ISSUANCE INFORMATION", date_label, when.strip(), line.line)
        placed = True
    label = normalise(left[:_ISSUANCE_LABEL_END]) or previous_label
    value = left[_ISSUANCE_LABEL_END:].strip()
    if value:
        name, role = _split_party(value)
        if label == "Seller:":
            found["seller"] = value
        elif label == "Certificate Insurer(s):":
            found["insurers"].append(value)
        elif label in ("Servicer(s):", "Underwriter(s):"):
            if not role:
                # Every servicer and underwriter prints its role ("Master Servicer", "Co-Lead Underwriter")
                # in a continuation segment: a party without one lost that segment.
                raise _damaged(f"{label.rstrip(':')} {name!r} prints no role", CONTENTS, line.line)
            key = "servicers" if label == "Servicer(s):" else "underwriters"
            found[key].append(Party(name, role, line.line))
        else:
            sink.unplaced(line, CONTENTS)
            return
        sink.text_item(CONTENTS, "ISSUANCE INFORMATION", (label or "").rstrip(":"), value, line.line)
        placed = True
    if not placed:
        sink.unplaced(line, CONTENTS)


def _split_party(value: str) -> tuple[str, str]:
    # "Impac Funding Corporation      Master Servicer": name and role are separated by a run of spaces.
    parts = re.split(r"\s{2,}", value.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _written_date(raw: str, section: str, line: int) -> Any:
    try:
        return values.parse_written_date(raw)
    except ParseError as error:
        raise _damaged(error.bare_message, section, line) from error


# --- the cover page

_DATE = r"[A-Z][a-z]+\.? \d{1,2}, ?\d{4}"
_COVER_FACTS = {
    "report_date": re.compile(rf"Date of Report \(Date of earliest event reported\): ?(?P<v>{_DATE})"),
    "series": re.compile(r"Series (?P<v>\d{4}-\S+?) Indenture"),
    # Impac CMB Trust covers name their Indenture; Impac Secured Assets covers a Pooling and Servicing
    # Agreement instead (accession 0001020242-03-000019), and then there is no indenture date.
    "indenture_date": re.compile(rf"Indenture, dated as of (?P<v>{_DATE})"),
    "telephone": re.compile(r"Telephone Number, Including Area Code: (?P<v>\(\d{3}\) ?\d{3}-\d{4})"),
    # "Deutsche Bank National Trust Company, N.A., not in its individual capacity" (0001020242-03-000019)
    "agent": re.compile(r"duly authorized\. (?P<v>[A-Z].+?),? not in its individual capacity"),
}
_COVER_CAPTIONS = {
    "registrant": "(Exact name of Registrant as specified in its Charter)",
    "state_of_incorporation": "(State or Other Jurisdiction of Incorporation)",
    "file_numbers": "(Commission File Number) (I.R.S. Employer Identification No.)",
}
_SIGNATURE = re.compile(rf"Date: (?P<date>{_DATE}) By: /s/ (?P<signer>.+)")


def _parse_cover(lines: Sequence[LogicalLine], sink: _Sink, deal_series: str) -> CoverPage:
    texts = [normalise(line.text) for line in lines]
    facts: dict[str, tuple[str, int]] = {}
    # Facts whose text wraps across lines ("dated as of April 29," / "2002 providing ...") are read from the
    # joined text; each is traced to the first line holding the start of its match.
    joined, offsets = "", []
    for printed in texts:
        offsets.append(len(joined))
        joined += printed + " "
    for name, pattern in _COVER_FACTS.items():
        match = pattern.search(joined)
        if match:
            # The last line starting at or before the match (offsets only grow).
            index = bisect.bisect_right(offsets, match.start("v")) - 1
            facts[name] = (match["v"], lines[index].line)
    for name, caption in _COVER_CAPTIONS.items():
        if caption in texts and texts.index(caption) > 0:
            index = texts.index(caption) - 1
            facts[name] = (re.sub(r"\.$", "", texts[index]), lines[index].line)
    address_parts: list[str] = []
    address_end = next(
        (i for i, t in enumerate(texts) if t.startswith("(Address of principal executive")), None
    )
    if _COVER_CAPTIONS["file_numbers"] in texts and address_end is not None:
        start = texts.index(_COVER_CAPTIONS["file_numbers"]) + 1
        address_parts = [text for text in texts[start:address_end] if text]
    for index, printed in enumerate(texts):
        match = _SIGNATURE.fullmatch(printed)
        if match:
            facts["signed_date"] = (match["date"], lines[index].line)
            facts["signer"] = (match["signer"], lines[index].line)
            if index + 2 < len(texts) and texts[index + 1] == match["signer"]:
                facts["signer_title"] = (texts[index + 2], lines[index + 2].line)
    file_numbers = facts.get("file_numbers", ("", 0))[0].split()
    if len(file_numbers) == 2:
        facts["commission_file_number"] = (file_numbers[0], facts["file_numbers"][1])
        facts["irs_employer_id"] = (file_numbers[1], facts["file_numbers"][1])
    facts.pop("file_numbers", None)
    required = (
        "registrant",
        "report_date",
        "agent",
        "signer",
        "signed_date",
        "commission_file_number",
        "irs_employer_id",
        "state_of_incorporation",
    )
    missing = [name for name in required if name not in facts] + ([] if address_parts else ["address"])
    if missing:
        raise _damaged(
            f"the 8-K cover page lacks {', '.join(missing)}",
            COVER,
            lines[0].line if lines else None,
            "the cover page that precedes the statement is missing or damaged",
        )
    for name, (raw, line_number) in facts.items():
        sink.text_item(COVER, None, name, raw, line_number)
    if address_parts:
        sink.text_item(COVER, None, "address", ", ".join(address_parts), lines[0].line)

    def text(name: str) -> str | None:
        return facts[name][0] if name in facts else None

    def when(name: str) -> Any:
        return _written_date(facts[name][0], COVER, facts[name][1]) if name in facts else None

    return CoverPage(
        registrant=facts["registrant"][0],
        # Impac Secured Assets covers print no series; the statement's deal title always does.
        series=facts["series"][0] if "series" in facts else deal_series,
        indenture_date=when("indenture_date"),
        report_date=when("report_date"),
        commission_file_number=facts["commission_file_number"][0],
        irs_employer_id=facts["irs_employer_id"][0],
        state_of_incorporation=facts["state_of_incorporation"][0],
        address=", ".join(address_parts) or None,
        telephone=text("telephone"),
        agent=text("agent"),
        signer=text("signer"),
        signer_title=text("signer_title"),
        signed_date=when("signed_date"),
        line=lines[0].line,
    )


# --- Certificate Payment Report


def _is_certificate_header(line: LogicalLine) -> bool:
    return normalise(line.text[:15]) in ("", "Class")


def _certificate_title(text: str) -> TableLayout | None:
    for layout in CERTIFICATE_TABLES:
        if text == layout.title or text.startswith(layout.title + " "):
            return layout
    return None


def _parse_certificates(pages: Sequence[_Page], sink: _Sink) -> tuple[tuple[BondClass, ...], BondClass]:
    rows: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    seen_tables: set[str] = set()
    layout: TableLayout | None = None
    header: list[LogicalLine] = []
    reader: TableReader | None = None
    for page in pages:
        for line in page.body:
            text = normalise(line.text)
            if not text or _is_non_data(text):
                continue
            found = _certificate_title(text)
            if found is not None:
                layout, header, reader = found, [], None
                seen_tables.add(found.title)
                continue
            if layout is None:
                sink.unplaced(line, CERTIFICATES)
                continue
            if _is_certificate_header(line):
                if reader is not None:  # the table goes on under a repeated header (a page break)
                    header, reader = [], None
                header.append(line)
                continue
            if reader is None:
                if not header:
                    raise _damaged(f"table {layout.title!r} has no header lines", CERTIFICATES, line.line)
                reader = TableReader(layout, header, section=CERTIFICATES, template=TEMPLATE)
            fields, items = reader.read(line)  # a blank cell the layout does not allow raises
            sink.items.extend(items)
            name = fields.pop("class_name")
            if layout is CERTIFICATE_TABLES[0]:
                if name in rows:
                    raise _damaged(f"class {name!r} is printed twice", CERTIFICATES, line.line)
                rows[name] = {"class_name": name}
                order.append(name)
            elif name not in rows:
                raise _damaged(
                    f"class {name!r} of {layout.title!r} is not in the current-period table",
                    CERTIFICATES,
                    line.line,
                )
            rows[name].update(fields)
            rows[name][_CERTIFICATE_LINE_FIELD[layout.title]] = line.line
    missing = [t.title for t in CERTIFICATE_TABLES if t.title not in seen_tables]
    if missing:
        raise _damaged(
            f"missing table(s) {missing}", CERTIFICATES, pages[0].body[0].line if pages[0].body else None
        )
    if "Total" not in rows or len(order) < 2:
        raise _damaged("the class table has no class rows and Total row", CERTIFICATES, pages[0].title_line)
    optional = [
        f for f in BondClass.__dataclass_fields__ if f not in ("class_name", "line", *_REQUIRED_CLASS_FIELDS)
    ]
    built: dict[str, BondClass] = {}
    for name in order:
        data = rows[name]
        absent = [f for f in _REQUIRED_CLASS_FIELDS if data.get(f) is None]
        if absent:
            raise _damaged(f"class {name!r} has blank {absent}", CERTIFICATES, data["line"])
        if data.get("accrual_method") == "-":  # the residual Cert row prints "-" for "no accrual method"
            data["accrual_method"] = None
        built[name] = BondClass(**{**dict.fromkeys(optional), **data})
    for name, data in rows.items():
        # A class row dropped from a later table would leave its fields None: damage, not a blank.
        wanted = (
            ("to_date_line", "interest_detail_line")
            if name == "Total"
            else tuple(_CERTIFICATE_LINE_FIELD.values())
        )
        absent_tables = [
            title for title, key in _CERTIFICATE_LINE_FIELD.items() if key in wanted and key not in data
        ]
        if absent_tables:
            raise _damaged(f"class {name!r} is missing from {absent_tables}", CERTIFICATES, data["line"])
    total = built.pop("Total")
    return tuple(built.values()), total


# --- ADJUSTABLE / FIXED / TOTAL grids


def _grid_header(line: LogicalLine, section: str) -> tuple[str, tuple[Column, ...]] | None:
    if "ADJUSTABLE" not in line.text:
        return None
    match = _GRID_HEADER.fullmatch(line.text.rstrip())
    if match is None:
        return None
    columns = derive_columns([line.text], first=match.start("columns"))
    if tuple(c.name for c in columns) != GRID_COLUMNS:
        raise UnsupportedTemplateError(
            f"table {match['title']!r} has columns {[c.name for c in columns]}, "
            f"expected {list(GRID_COLUMNS)}",
            template=TEMPLATE,
            section=section,
            line=line.line,
        )
    return normalise(match["title"]), columns


def _parse_grid(section: str, pages: Sequence[_Page], sink: _Sink) -> list[GroupLine]:
    lines: list[GroupLine] = []
    # A table cut by a page break goes on under the next page's title lines: keep the table state.
    subsection: str | None = None
    columns: tuple[Column, ...] = ()
    heading: str | None = None
    breakdown: str | None = None
    tables: list[str] = []
    spans: list[tuple[int, int | None]] = []
    names: list[str] = []
    label_end: int = 0
    last_end: int | None = None
    append_item = sink.items.append
    rates = conversion_cache("rate")
    hint = _NON_DATA_HINT.search  # screens out data lines before the call to _is_non_data
    for page in pages:
        methodology = False
        for line in page.body:
            full = line.text  # never blank: parse_trustee_text drops blank lines
            text = full.strip()
            if "ADJUSTABLE" in full and (header := _grid_header(line, section)) is not None:
                (subsection, columns), heading, breakdown, methodology = header, None, None, False
                spans = [(column.start, column.end) for column in columns]
                names = [column.name for column in columns]
                label_end, last_end = columns[0].start, columns[-1].end
                _check_table_title(section, subsection, line.line)
                if not tables or tables[-1] != subsection:
                    tables.append(subsection)
                sink.table_lines.setdefault((section, subsection), line.line)
                continue
            if (hint(text) is not None and _is_non_data(text)) or (
                methodology and _METHODOLOGY_TEXT.match(normalise(text))
            ):
                continue
            at_margin = full[0] != " "
            if at_margin and _METHODOLOGY.fullmatch(text):
                methodology = True  # formula prose down to the page footer
                continue
            if subsection is None or at_margin:
                sink.unplaced(line, section)
                continue
            label = " ".join(full[:label_end].split())
            (a_start, a_end), (f_start, f_end), (t_start, t_end) = spans  # GRID_COLUMNS: three columns
            adjustable, fixed, total = (
                full[a_start:a_end].strip(),
                full[f_start:f_end].strip(),
                full[t_start:t_end].strip(),
            )
            raws = [adjustable, fixed, total]
            if not label:
                sink.unplaced(line, section)
                continue
            if last_end is not None and len(full) > last_end and (beyond := full[last_end:].strip()):
                raise _damaged(
                    f"{label!r} prints {beyond[:40]!r} right of the TOTAL column", section, line.line
                )
            if not (adjustable or fixed or total):
                if label.endswith(":") or label in GRID_HEADINGS:
                    heading = label
                    continue
                if subsection not in RATE_SUBSECTIONS:
                    # Only averages over months a young deal has not lived yet print blank; any other line
                    # without its values lost them (a deleted fold segment).
                    raise _damaged(f"{label!r} prints no value", section, line.line)
            if label in GRID_HEADINGS and not (heading or "").endswith(":"):
                # "Current" is a value line only under "Loan Count:" / "Principal Balance:"; elsewhere it,
                # "Cumulative" and "PRE-FUNDING ACCOUNT" head the lines below, so values here belong to a
                # line whose label was deleted.
                raise _damaged(f"heading {label!r} prints values", section, line.line)
            indent = len(full) - len(full.lstrip())
            if label == DERIVATIVE_TOTAL:
                breakdown = label
            elif indent <= 15:
                breakdown = None
            number = line.line
            try:  # three look-ups written out: a list comprehension is a function call of its own (3.11)
                amounts = [rates[adjustable], rates[fixed], rates[total]]
            except KeyError:
                amounts = convert_cells(raws, columns, "rate", section=section, line=number)
            # Lines indented past the labels break the line above down (derivative payments per contract).
            owner = breakdown if (breakdown and indent > 15) else heading
            lines.append(_group_line(section, subsection, owner, label, *amounts, number))
            # One Item per printed cell, in column order (written out for the three GRID_COLUMNS).
            if adjustable:
                append_item(_item(section, subsection, label, names[0], amounts[0], adjustable, number))
            if fixed:
                append_item(_item(section, subsection, label, names[1], amounts[1], fixed, number))
            if total:
                append_item(_item(section, subsection, label, names[2], amounts[2], total, number))
    if tuple(tables) != GRID_TABLES[section]:
        missing = [title for title in GRID_TABLES[section] if title not in tables]
        raise _damaged(
            f"tables {missing or tables} missing or out of order (expected {list(GRID_TABLES[section])})",
            section,
            pages[0].title_line if pages else None,
        )
    return lines


def _check_table_title(section: str, title: str, line: int) -> None:
    if title not in GRID_TABLES[section]:
        raise UnsupportedTemplateError(
            f"table {title!r} is not declared for this report",
            template=TEMPLATE,
            section=section,
            line=line,
            hint="declare the table in GRID_TABLES, or re-fetch the filing if the title is garbled",
        )


# --- Delinquency Report


def _parse_delinquency(pages: Sequence[_Page], sink: _Sink) -> list[DelinquencyCell]:
    cells: list[DelinquencyCell] = []
    groups_seen: list[str] = []
    append_cell, append_item = cells.append, sink.items.append
    buckets = tuple(DELINQUENCY_BUCKETS.values())
    hint = _NON_DATA_HINT.search  # screens out data lines before the call to _is_non_data
    decimals = conversion_cache("decimal")
    for page in pages:
        subtitle = page.subtitle or ""
        group_name = subtitle.split(" - ", 1)[1] if " - " in subtitle else ""
        if group_name not in DELINQUENCY_GROUPS:
            raise _damaged(
                f"delinquency page {page.number} names no known group: {subtitle!r}",
                DELINQUENCY,
                page.subtitle_line or page.title_line,
            )
        group = DELINQUENCY_GROUPS[group_name]
        groups_seen.append(group)
        columns: tuple[Column, ...] = ()
        names: list[str] = []
        spans: list[tuple[int, int | None]] = []
        end: int | None = None
        status: str | None = None
        rows = 0
        for line in page.body:
            text = line.text.strip()
            if not text or (hint(text) is not None and _is_non_data(text)):
                continue
            if not columns and text.startswith("CURRENT "):
                columns = derive_columns([line.text], first=_DELINQUENCY_MEASURE_END)
                names = [normalise(c.name) for c in columns]
                spans = [(column.start, column.end) for column in columns]
                end = columns[-1].end if columns else None
                if names != list(DELINQUENCY_BUCKETS):
                    raise UnsupportedTemplateError(
                        f"delinquency buckets {names}, expected {list(DELINQUENCY_BUCKETS)}",
                        template=TEMPLATE,
                        section=DELINQUENCY,
                        line=line.line,
                    )
                continue
            # Printed single-spaced ("% # Loans"); normalise only what is not found as printed.
            status_text = line.text[:_DELINQUENCY_STATUS_END].strip()
            if status_text and status_text not in DELINQUENCY_STATUSES:
                status_text = normalise(status_text)
            measure_text = line.text[_DELINQUENCY_STATUS_END:_DELINQUENCY_MEASURE_END].strip()
            if measure_text not in DELINQUENCY_MEASURES:
                measure_text = normalise(measure_text)
            if status_text:
                status = DELINQUENCY_STATUSES.get(status_text)
            measure = DELINQUENCY_MEASURES.get(measure_text)
            if not columns or status is None or measure is None:
                sink.unplaced(line, DELINQUENCY)
                continue
            rows += 1
            label = f"{group_name} / {status_text or status.upper()} / {measure_text}"
            full, number = line.text, line.line
            if end is not None and (beyond := full[end:].strip()):
                raise _damaged(
                    f"{label!r} prints {beyond[:40]!r} right of the TOTAL column", DELINQUENCY, number
                )
            raws = [full[start:stop].strip() for start, stop in spans]
            try:
                amounts = list(map(decimals.__getitem__, raws))  # in C: no comprehension frame per row
            except KeyError:
                amounts = convert_cells(raws, columns, "decimal", section=DELINQUENCY, line=number)
            if "" in raws:
                # Only the CURRENT column of the DELINQUENT rows prints blank (a current loan is not late).
                blank = [
                    column.name
                    for raw, column in zip(raws, columns, strict=True)
                    if not raw and not (status == "delinquent" and column is columns[0])
                ]
                if blank:
                    raise _damaged(f"{label!r} prints no {blank}", DELINQUENCY, number)
            for raw, value, name, bucket in zip(raws, amounts, names, buckets, strict=True):
                append_cell(_cell(group, status, bucket, measure, value, number))
                if raw:
                    append_item(_item(DELINQUENCY, subtitle, label, name, value, raw, number))
        expected_rows = len(DELINQUENCY_STATUSES) * len(DELINQUENCY_MEASURES)
        if rows != expected_rows:
            raise _damaged(
                f"the {group_name!r} delinquency page has {rows} rows, expected {expected_rows}",
                DELINQUENCY,
                page.subtitle_line,
            )
    if sorted(groups_seen) != sorted(DELINQUENCY_GROUPS.values()):
        raise _damaged(
            f"delinquency pages for groups {groups_seen}, expected one per group",
            DELINQUENCY,
            pages[0].title_line if pages else None,
        )
    return cells


# --- detail reports: REO, prepaid in full, liquidated


@dataclass
class _Detail:
    summary: dict[str, Any] = field(default_factory=dict)
    summary_line: int | None = None
    rows: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    legends: list[LoanGroup] = field(default_factory=list)


def _parse_detail(section: str, pages: Sequence[_Page], sink: _Sink) -> _Detail:
    layout = DETAIL_TABLES[section]
    detail = _Detail()
    reader: TableReader | None = None
    seen_header = False
    for page in pages:
        # A long table continues on the next page under a repeated header; each header block is read anew.
        block: list[LogicalLine] = []
        collecting = False
        for line in page.body:
            if reader is not None and not collecting and _LOAN_CELL.fullmatch(line.text[:_LOAN_END].strip()):
                _read_loan_row(reader, line, section, detail, sink)  # the common case: one loan per line
                continue
            text = normalise(line.text)
            if not text or _is_non_data(text) or _SUMMARY_HEADINGS.fullmatch(text):
                continue
            summary = _SUMMARY_ROW.fullmatch(text)
            legend_only = _LEGEND.fullmatch(text)
            if summary and summary["key"] in SUMMARY_KEYS and not seen_header:
                name, kind = SUMMARY_KEYS[summary["key"]]
                raw = summary["value"]
                if raw not in line.text:
                    # Printed single-spaced ("Not Available"); a wide gap inside it is a continuation
                    # segment glued on after the line that carried it was deleted.
                    raise _damaged(f"{summary['key']!r} reads {raw!r} across a fold", section, line.line)
                detail.summary[name] = convert_cell(
                    raw, kind, section=section, line=line.line, column=summary["key"]
                )
                detail.summary_line = detail.summary_line or line.line
                numeric = kind != "text"
                sink.items.append(
                    Item(
                        section,
                        "SUMMARY",
                        summary["key"],
                        "value",
                        values.parse_decimal(raw) if numeric else None,
                        raw,
                        line.line,
                    )
                )
                if summary["legend"]:
                    _read_legend(section, summary["legend"], line, detail, sink)
                continue
            if legend_only and not seen_header:
                _read_legend(section, text, line, detail, sink)
                continue
            if text.startswith("Loan Number"):
                block, collecting, seen_header = [line], True, True
                continue
            if collecting and not _LOAN_CELL.fullmatch(normalise(line.text[:_LOAN_END])):
                block.append(line)
                continue
            if collecting:
                reader, collecting = _detail_reader(layout, block, section), False
            if reader is None:
                sink.unplaced(line, section)
                continue
            _read_loan_row(reader, line, section, detail, sink)
        if collecting:  # a header with no rows under it ("SPACE INTENTIONALLY LEFT BLANK"): still check it
            reader = _detail_reader(layout, block, section)
    if "loan_count" not in detail.summary:
        raise _damaged(
            "the SUMMARY block with 'Total Loan Count' is missing",
            section,
            pages[0].title_line if pages else None,
        )
    if not seen_header:
        raise _damaged("the loan detail table header is missing", section, detail.summary_line)
    if len(detail.rows) != detail.summary["loan_count"]:
        raise _damaged(
            f"SUMMARY says {detail.summary['loan_count']} loans, the table lists {len(detail.rows)}",
            section,
            detail.summary_line,
        )
    return detail


def _read_loan_row(
    reader: TableReader, line: LogicalLine, section: str, detail: _Detail, sink: _Sink
) -> None:
    fields, items = reader.read(line)  # a blank cell the layout does not allow raises
    sink.items.extend(items)
    detail.rows.append((fields, line.line))


def _detail_reader(layout: TableLayout, header: list[LogicalLine], section: str) -> TableReader:
    return TableReader(layout, header, section=section, template=TEMPLATE, subsection="detail")


def _read_legend(section: str, text: str, line: LogicalLine, detail: _Detail, sink: _Sink) -> None:
    match = _LEGEND.fullmatch(text)
    if match is None:
        raise _damaged(f"unreadable loan-group legend {text!r}", section, line.line)
    name = match["name"].strip()
    group = {"Fixed Group": "fixed", "Adjustable Group": "adjustable"}.get(name, normalise(name).lower())
    detail.legends.append(LoanGroup(int(match["number"]), name, group, line.line))
    sink.text_item(section, "LOAN GROUP", f"Loan Group {match['number']}", name, line.line)
    if match["extra"]:
        sink.text_item(section, "LOAN GROUP", f"Loan Group {match['number']} note", match["extra"], line.line)


def _required(data: dict[str, Any], name: str, section: str, line: int | None) -> Any:
    if data.get(name) is None:
        raise _damaged(f"{name.replace('_', ' ')} is blank", section, line)
    return data[name]


_LoanRecord = TypeVar("_LoanRecord", ReoLoan, PrepaidLoan, LiquidatedLoan)


def _loan_records(cls: type[_LoanRecord], detail: _Detail) -> tuple[_LoanRecord, ...]:
    """The detail rows as records: the declared column fields are the record's fields, except the two shared
    cells, which split into loan number and group, and into state and LTV."""
    records = []
    for row, line in detail.rows:
        data = dict(row)
        data["loan_number"], data["group"] = data.pop("loan")
        data["state"], data["ltv_at_origination"] = data.pop("state_ltv")
        if cls is PrepaidLoan:
            kind_and_term = data["type_and_term"]  # "Paid Off  -  36"
            data["prepayment_type"] = kind_and_term.split(" - ")[0].strip() if kind_and_term else None
        records.append(cls(**data, line=line))
    return tuple(records)


def _summary_record(cls: type, detail: _Detail, section: str) -> Any:
    names = [f.name for f in dataclasses.fields(cls) if f.name != "line"]
    data = {}
    for name in names:
        if name == "reo_book_value":
            continue
        data[name] = _required(detail.summary, name, section, detail.summary_line)
    if "reo_book_value" in names:
        text = data["reo_book_value_text"]
        data["reo_book_value"] = values.parse_decimal(text) if values.is_number(text) else None
    return cls(**data, line=detail.summary_line)


# --- typed views of the grid lines


def _collateral(lines: Sequence[GroupLine], header_line: int) -> tuple[CollateralGroup, ...]:
    by_field: dict[str, GroupLine] = {}
    for line in lines:
        if line.section != COLLATERAL:
            continue
        name = COLLATERAL_FIELDS.get((line.subsection, line.heading, line.label))
        if name is not None:
            if name in by_field:
                raise _damaged(f"collateral line {line.label!r} is printed twice", COLLATERAL, line.line)
            by_field[name] = line
    missing = [name for name in _COLLATERAL_REQUIRED if name not in by_field]
    if missing:
        raise _damaged(f"the COLLATERAL roll-forward lacks {missing}", COLLATERAL, header_line or None)
    groups = []
    for group in ("adjustable", "fixed", "total"):
        data: dict[str, Any] = {}
        for name in (f for f in CollateralGroup.__dataclass_fields__ if f not in ("group", "line")):
            source = by_field.get(name)
            value = source.value(group) if source else None
            if name.startswith("loan_count_"):
                data[name] = _count(value, source, group)
                continue
            if name in _COLLATERAL_REQUIRED and value is None:
                raise _damaged(
                    f"collateral {name} is blank for {group}", COLLATERAL, source.line if source else None
                )
            data[name] = value
        groups.append(CollateralGroup(group=group, line=header_line, **data))
    return tuple(groups)


def _count(value: Decimal | None, source: GroupLine | None, group: str) -> int:
    if value is None or value != value.to_integral_value():
        raise _damaged(
            f"loan count {source.label if source else '?'!r} for {group} is not a whole number: {value}",
            COLLATERAL,
            source.line if source else None,
        )
    return int(value)


def _total_column(
    lines: Sequence[GroupLine], labels: dict[str, str], sections: frozenset[str]
) -> dict[str, Any]:
    """TOTAL-column values of the labelled lines of ``sections`` (None if not printed) and the first line."""
    data: dict[str, Any] = dict.fromkeys(labels.values())
    found = [line for line in lines if line.section in sections and line.label in labels]
    for line in found:
        data[labels[line.label]] = line.total
    return data


def _derivative_payments(lines: Sequence[GroupLine]) -> tuple[DerivativePayment, ...]:
    """One payment per contract line under "Total Derivative Payments" (TOTAL column only)."""
    payments = []
    for line in lines:
        if line.section == OTHER and line.heading == DERIVATIVE_TOTAL:
            if line.total is None:
                raise _damaged(f"contract {line.label!r} prints no TOTAL amount", OTHER, line.line)
            payments.append(DerivativePayment(line.label, line.total, line.line))
    return tuple(payments)


def _rates(lines: Sequence[GroupLine], sink: _Sink, distributions: int | None) -> list[RateItem]:
    rates: list[RateItem] = []
    for line in lines:
        if line.subsection not in RATE_SUBSECTIONS:
            continue
        match = _RATE_LABEL.fullmatch(line.label)
        if match is None or (match["avg"] and not match["since"]):
            sink.unparsed.append(UnparsedLine(line.line, line.label, line.section))
            continue
        metric = "LOSS_SEVERITY" if match["metric"] == "Loss Severity" else match["metric"]
        window = (
            f"{match['months']}_months"
            if match["months"]
            else "since_cut_off"
            if match["since"]
            else "current"
        )
        rates.extend(
            _rate_item(metric, window, group, line.value(group), line.line)
            for group in ("adjustable", "fixed", "total")
        )
    _check_blank_rates(rates, distributions)
    return rates


#: Every speed the two rate tables print: each metric in each window.
RATE_KEYS = frozenset(
    (metric, window)
    for metric in ("SMM", "CPR", "PSA", "MDR", "CDR", "SDA", "LOSS_SEVERITY")
    for window in ("current", "3_months", "12_months", "since_cut_off")
)


def _check_blank_rates(rates: Sequence[RateItem], distributions: int | None) -> None:
    """Every speed is printed once. Only averages over months the deal has not lived yet print blank (and
    loss severity, which needs liquidations): a blank current or since-cut-off speed, a blank n-month average
    of a deal with n or more distributions, or a blank 3-month average beside a printed 12-month one, lost
    its values in a fold. (0001020242-03-000013, the 8th distribution, prints its 3-month averages and
    leaves the 12-month ones blank.)"""
    by_key = {(r.metric, r.window, r.group): r for r in rates}
    keys = [(r.metric, r.window) for r in rates if r.group == "total"]
    if len(keys) != len(set(keys)) or set(keys) != RATE_KEYS:
        extra = sorted({k for k in keys if keys.count(k) > 1})
        missing = sorted(RATE_KEYS - set(keys))
        line = rates[0].line if rates else None
        raise _damaged(f"speed lines missing {missing} or repeated {extra}", PREPAYMENT, line)
    for rate in rates:
        if rate.value is not None or rate.metric == "LOSS_SEVERITY":
            continue
        if rate.window == "12_months":
            if distributions is not None and distributions >= 12:
                raise _damaged(
                    f"{rate.metric} (12_months) for {rate.group} is blank", _rate_section(rate), rate.line
                )
            continue
        later = by_key.get((rate.metric, "12_months", rate.group))
        lived = distributions is not None and rate.window == "3_months" and distributions >= 3
        if (
            rate.window in ("current", "since_cut_off")
            or lived
            or (later is not None and later.value is not None)
        ):
            raise _damaged(
                f"{rate.metric} ({rate.window}) for {rate.group} is blank", _rate_section(rate), rate.line
            )


def _rate_section(rate: RateItem) -> str:
    return PREPAYMENT if rate.metric in ("SMM", "CPR", "PSA") else REALIZED_LOSS


def _distributions(first_payment: Any, distribution: Any) -> int | None:
    """How many distributions the deal has made, this one included (monthly from the first payment date)."""
    if first_payment is None or distribution is None:
        return None
    return (distribution.year - first_payment.year) * 12 + distribution.month - first_payment.month + 1


# --- the entry point


def parse_trustee_text(text: str) -> ParseResult:
    """Parse one trustee text statement (cover page + 24-page report) into a complete, traced ParseResult.

    Raises UnknownFormatError when ``text`` is not this template, UnsupportedTemplateError for a variant whose
    tables differ from the declaration, DamagedStatementError (section and line named) when it is truncated or
    damaged. Reconciliation is not run here (see parsers.reconcile); ``discrepancies`` is empty.
    """
    if not isinstance(text, str):
        raise UnknownFormatError(f"expected the statement as text, got {type(text).__name__}")
    lines = [line for line in unfold(text) if line.text]  # unfold strips trailing whitespace
    start = _find_deal_block(lines)
    if start is None or not any(normalise(line.text) == "TABLE OF CONTENTS" for line in lines[start:]):
        raise UnknownFormatError(
            "not a trustee text remittance statement: no deal title block followed by 'Contents' and a "
            "'TABLE OF CONTENTS'",
            hint="check the document type, or add a template for this layout",
        )
    sink = _Sink()
    trust_line = lines[start]
    deal_title = _DEAL_TITLE.fullmatch(trust_line.text.strip())
    assert deal_title is not None  # _find_deal_block matched it
    cover = _parse_cover(lines[:start], sink, deal_title["series"])
    bond_description = normalise(lines[start + 1].text)
    distribution_text = _DISTRIBUTION.fullmatch(normalise(lines[start + 2].text))
    assert distribution_text is not None
    distribution = _written_date(distribution_text["date"], CONTENTS, lines[start + 2].line)

    raw_pages, trailing, total_pages = _split_pages(lines[start:])
    if not raw_pages:
        raise _damaged("no page footer 'Page 1 of N' found", CONTENTS, lines[start].line)
    if len(raw_pages) != total_pages or any(normalise(line.text) for line in trailing):
        where = trailing[0].line if trailing else raw_pages[-1][-1].line
        raise _damaged(
            f"the statement stops after page {len(raw_pages)} of {total_pages}",
            _section_at(raw_pages[0], len(raw_pages) + 1),
            where,
        )
    _check_folds(raw_pages)
    title_lines = (normalise(trust_line.text), bond_description)
    pages = [
        _read_page_header(raw, number, title_lines, distribution_text["date"], raw_pages[0])
        for number, raw in enumerate(raw_pages[1:], start=2)
    ]
    first_body = raw_pages[0][4:-1]  # title block (4 lines) and footer removed
    first = _parse_first_page(first_body, sink)

    by_section: dict[str, list[_Page]] = {}
    order: list[str] = [CONTENTS]
    listed = {entry.title for entry in first["contents"]}
    for page in pages:
        if page.section not in SECTIONS and page.section not in listed:
            # Neither declared nor in the contents: a garbled title, not a new kind of report.
            raise _damaged(
                f"page {page.number} has the unknown title {page.section!r}",
                _section_at(raw_pages[0], page.number),
                page.title_line,
            )
        if page.section not in by_section:
            if page.section in order:
                raise _damaged(
                    f"report {page.section!r} resumes on page {page.number}", page.section, page.title_line
                )
            order.append(page.section)
            by_section[page.section] = []
        by_section[page.section].append(page)
    _check_variant(first["contents"], order, first_body)
    if tuple(order) != SECTIONS:
        missing = [s for s in SECTIONS if s not in order]
        # Point at the first page that is not the report the contents promise there.
        k = next(
            (i for i, (got, want) in enumerate(zip(order, SECTIONS, strict=False)) if got != want), len(order)
        )
        where = by_section[order[k]][0].title_line if k < len(order) else raw_pages[-1][-1].line
        raise _damaged(f"reports out of order or missing: {missing or order}", SECTIONS[k], where)
    _check_contents(first["contents"], by_section, first["total_pages"], total_pages, first_body)

    classes, class_total = _parse_certificates(by_section[CERTIFICATES], sink)
    group_lines: list[GroupLine] = []
    for section in SECTIONS:
        if section in GRID_SECTIONS:
            group_lines.extend(_parse_grid(section, by_section[section], sink))
    delinquency = _parse_delinquency(by_section[DELINQUENCY], sink)
    details = {name: _parse_detail(name, by_section[name], sink) for name in DETAIL_TABLES}
    legends: dict[int, LoanGroup] = {}
    for detail in details.values():
        for legend in detail.legends:
            legends.setdefault(legend.number, legend)
    for name, detail in details.items():
        # Each detail report prints the whole loan-group legend beside its SUMMARY; a report missing an entry
        # lost that continuation line.
        if {legend.number for legend in detail.legends} != set(legends):
            raise _damaged(
                f"the loan-group legend lists {[g.number for g in detail.legends]}, other reports "
                f"{sorted(legends)}",
                name,
                detail.summary_line,
            )

    credit = _total_column(group_lines, CREDIT_ENHANCEMENT_FIELDS, frozenset({CREDIT_ENHANCEMENT}))
    misc = _total_column(group_lines, MISCELLANEOUS_FIELDS, frozenset({MISCELLANEOUS, REALIZED_LOSS}))
    contact = first["contact"]
    dates = {name: first.get(name, (None, None))[0] for name in _ISSUANCE_DATES.values()}
    if first["issuance_line"] is not None and None in dates.values():
        # ISSUANCE INFORMATION always prints all five dates; one missing went with a deleted fold segment.
        absent = [label for label, name in _ISSUANCE_DATES.items() if dates[name] is None]
        raise _damaged(f"ISSUANCE INFORMATION lacks {absent}", CONTENTS, first["issuance_line"])
    if dates["distribution_date"] is not None and dates["distribution_date"] != distribution:
        raise _damaged(
            f"ISSUANCE INFORMATION gives distribution date {dates['distribution_date']}, "
            f"the title {distribution}",
            CONTENTS,
            first["distribution_date"][1],
        )
    deal = DealInfo(
        trust_name=deal_title["trust"],
        series=deal_title["series"],
        bond_description=bond_description,
        distribution_date=distribution,
        seller=first["seller"],
        certificate_insurers=tuple(first["insurers"]),
        servicers=tuple(first["servicers"]),
        underwriters=tuple(first["underwriters"]),
        cut_off_date=dates["cut_off_date"],
        closing_date=dates["closing_date"],
        first_payment_date=dates["first_payment_date"],
        record_date=dates["record_date"],
        contact=Contact(
            **{name: contact.get(name) for name in _CONTACT_LABELS.values()}, line=first["contact_line"]
        )
        if contact
        else None,
        total_pages=first["total_pages"],
        line=trust_line.line,
    )
    statement = Statement(
        cover=cover,
        deal=deal,
        contents=tuple(first["contents"]),
        classes=classes,
        class_total=class_total,
        group_lines=tuple(group_lines),
        collateral=_collateral(group_lines, sink.table_lines.get((COLLATERAL, "COLLATERAL"), 0)),
        credit_enhancement=CreditEnhancement(
            **credit, line=sink.table_lines.get((CREDIT_ENHANCEMENT, "STRUCTURAL FEATURES"), 0)
        ),
        delinquency=tuple(delinquency),
        reo_summary=_summary_record(ReoSummary, details[REO], REO),
        reo_loans=_loan_records(ReoLoan, details[REO]),
        rates=tuple(_rates(group_lines, sink, _distributions(dates["first_payment_date"], distribution))),
        prepayment_detail_summary=_summary_record(
            PrepaymentDetailSummary, details[PREPAYMENT_DETAIL], PREPAYMENT_DETAIL
        ),
        prepaid_loans=_loan_records(PrepaidLoan, details[PREPAYMENT_DETAIL]),
        realized_loss_detail_summary=_summary_record(
            RealizedLossDetailSummary, details[REALIZED_LOSS_DETAIL], REALIZED_LOSS_DETAIL
        ),
        liquidated_loans=_loan_records(LiquidatedLoan, details[REALIZED_LOSS_DETAIL]),
        miscellaneous=Miscellaneous(
            **misc, line=sink.table_lines.get((MISCELLANEOUS, "ADJUSTABLE RATE CERTIFICATE INFORMATION"), 0)
        ),
        derivative_payments=_derivative_payments(group_lines),
        loan_groups=tuple(legends[number] for number in sorted(legends)),
    )
    return ParseResult(
        template=TEMPLATE,
        statement=statement,
        items=tuple(sorted(sink.items, key=_BY_LINE)),  # printed order (stable within a line)
        unparsed=tuple(sorted(sink.unparsed, key=_BY_LINE)),
    )


def _check_folds(raw_pages: Sequence[Sequence[LogicalLine]]) -> None:
    """A folded statement line whose last segment fills the fold width lost its continuation segment.

    The filer folded every statement line longer than 79 characters, so a segment that reaches column 79
    always has a ``>`` continuation (true of every statement line of 0001020242-03-000013 and of the
    generated corpus). Without it, the rest of the wide line (a contact's name, a party's role, a date) was
    deleted, and what is left would read as a complete value. The 8-K cover is typed prose that may end on
    column 79 ("... dated as of November 24,"), and a never-folded document has no fold width: neither is
    checked.
    """
    for number, page in enumerate(raw_pages, start=1):
        # A cheap screen first: the exact test below holds only for lengths that are multiples of the width.
        for line in [line for line in page if not len(line.text) % FOLD_WIDTH]:
            if len(line.text) == FOLD_WIDTH * (line.end_line - line.line + 1) and any(
                other.end_line > other.line for page in raw_pages for other in page
            ):
                raise _damaged(
                    f"line ends on the fold width ({FOLD_WIDTH}) without its '>' continuation line",
                    _section_at(raw_pages[0], number),
                    line.end_line,
                )


def _check_variant(
    contents: Sequence[ContentsEntry], order: Sequence[str], first_body: Sequence[LogicalLine]
) -> None:
    """Tell a statement of another variant (unsupported) from a damaged one before checking page by page.

    A report missing from both the table of contents and the pages, or a report this template does not
    declare, means a different variant; a report listed in the contents but absent from the pages is damage.
    """
    listed = [entry.title for entry in contents]
    foreign = [title for title in listed if title not in SECTIONS]
    absent = [title for title in SECTIONS if title not in listed and title not in order]
    if foreign or absent:
        raise UnsupportedTemplateError(
            f"the statement's reports differ from the declared ones (undeclared {foreign}, absent {absent})",
            template=TEMPLATE,
            section=CONTENTS,
            line=first_body[0].line if first_body else None,
            hint="declare this variant's reports in parsers/trustee_text.py",
        )


def _check_contents(
    contents: Iterable[ContentsEntry],
    by_section: dict[str, list[_Page]],
    printed_total: int | None,
    total_pages: int,
    first_body: Sequence[LogicalLine],
) -> None:
    entries = list(contents)
    where = first_body[0].line if first_body else None
    if [entry.title for entry in entries] != list(SECTIONS):
        raise _damaged(f"the table of contents lists {[e.title for e in entries]}", CONTENTS, where)
    for entry in entries[1:]:
        page = by_section[entry.title][0].number
        if entry.page != page:
            raise _damaged(
                f"contents say {entry.title!r} starts on page {entry.page}, it starts on page {page}",
                entry.title,
                entry.line,
            )
    if printed_total is not None and printed_total != total_pages:
        raise _damaged(f"contents say {printed_total} pages, the footers {total_pages}", CONTENTS, where)
