"""Reconciliation: the statement checks itself, and every failed identity is returned as data.

Each check compares a value the report *prints* with the value its own arithmetic implies
(statement-format.md, "The report checks itself", plus the identities the tables imply across sections). The
result is a :class:`Reconciliation`: the :class:`~parsers.records.Discrepancy` records (expected, actual,
difference, tolerance, what was compared, the printed lines) and how many checks ran.

Tolerance respects printed precision, operand by operand. A printed number is the true value rounded to its
last printed digit, so ``431396174.4`` stands for 431396174.4 ± 0.05 and ``0.00`` for 0 ± 0.005; a number
printed without a decimal point comes from an 11-character Excel "General" cell that would have shown its
decimals (``472500000`` ± 0.05, ``0`` ± 5e-10); loan counts are exact. Sums add the half-units of their
operands; products and quotients propagate them to first order (plus the second-order term for products);
``1 - (1 - x)^12`` propagates by its derivative. A check fails only when ``|actual - expected|`` exceeds the
combined half-units of everything on both sides, so the cents lost to rounding in ``8,183.16 + 17,608.06 +
... = 53,596.63`` (which sums to .65) pass, while a value read from the wrong column never does.

A check runs when at least one thing it reads was printed; a blank cell in a printed row or line then counts
as zero, so a value lost in transit (a dropped folded continuation line leaves its label with blanks) is a
discrepancy, not a check quietly switched off. Checks whose operands were not printed at all (the Total row
has no factor row, a 12-month window of a young deal, a TOTAL-only line, a table "SPACE INTENTIONALLY LEFT
BLANK", a zero denominator) are not run and not counted: ``checks_run`` counts comparisons actually made,
and :func:`checks_run_by_name` lets tests prove that every family of checks ran on the real statement.

The identities that are declared as data (sums of labelled lines of the ADJUSTABLE / FIXED / TOTAL tables)
live in ``_LINE_IDENTITIES``; the typed ones (classes, collateral, delinquency, loans, rates) are functions
below.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, cast

from parsers.records import (
    BUCKETS,
    GROUPS,
    BondClass,
    Discrepancy,
    GroupLine,
    Statement,
)

__all__ = ["Reconciliation", "checks_run_by_name", "reconcile"]

_ZERO = Decimal(0)
_HALF = Decimal("0.5")
_ONE = Decimal(1)
_THOUSAND = Decimal(1000)
_DAYS_IN_YEAR_ACT_360 = Decimal(360)
_HALF_CENT = Decimal("0.005")
# Digits an 11-character Excel "General" cell can show next to its decimal point.
_GENERAL_DIGITS = 10
# Printed numbers by printed form (a _Q is never changed once made). Cleared when full, like the engine's
# conversion caches: one statement prints ~1,200 numbers, and a 100,000-entry cap let a long backfill grow
# ~60 KiB per filing up to ~33 MiB (bench/memory.py with tracemalloc).
_PRINTED: dict[str, _Q] = {}
_PRINTED_CACHE_SIZE = 8192
# In front of it, the same numbers by object: the value converters hand out one Decimal per printed form
# (parsers.fixed_width conversion caches), so most look-ups skip formatting the number as a key. An entry
# holds its Decimal, so the id it is keyed by cannot be reused while the entry lives.
_PRINTED_BY_OBJECT: dict[int, tuple[Decimal | int, _Q]] = {}
# Within one group every measure of the delinquency grid adds up over buckets and statuses (the percentages
# share one denominator); across groups only balances and loan counts do.
_DELINQUENCY_MEASURES = ("balance", "balance_pct", "loan_count", "loan_count_pct")
_CROSS_GROUP_MEASURES = ("balance", "loan_count")
_DELINQUENCY_STATUSES = ("delinquent", "foreclosure", "bankruptcy", "reo")


class Reconciliation(NamedTuple):
    """What :func:`reconcile` returns: ``discrepancies, checks_run = reconcile(statement)``."""

    discrepancies: tuple[Discrepancy, ...]
    checks_run: int


# --- numbers with their printed uncertainty


class _Q:
    """A value and the absolute uncertainty it carries from being printed rounded."""

    __slots__ = ("err", "value")

    def __init__(self, value: Decimal, err: Decimal) -> None:
        self.value = value
        self.err = err

    def __add__(self, other: _Q) -> _Q:
        return _Q(self.value + other.value, self.err + other.err)

    def __sub__(self, other: _Q) -> _Q:
        return _Q(self.value - other.value, self.err + other.err)

    def __neg__(self) -> _Q:
        return _Q(-self.value, self.err)

    def __mul__(self, other: _Q) -> _Q:
        err = abs(self.value) * other.err + abs(other.value) * self.err + self.err * other.err
        return _Q(self.value * other.value, err)

    def __truediv__(self, other: _Q) -> _Q:
        # Callers guarantee |other.value| > other.err (see _ratio); first-order bound on the quotient's error.
        quotient = self.value / other.value
        err = (self.err + abs(quotient) * other.err) / (abs(other.value) - other.err)
        return _Q(quotient, err)


def _printed(value: Decimal | int) -> _Q:
    """A printed number with the uncertainty its printing leaves (ints are exact counts).

    With a decimal point, the value is good to half a unit of its last printed digit (``0.00`` is ±0.005,
    ``431396174.4`` ±0.05). Without one, it comes from an Excel "General" cell, which prints as many digits
    as its 11 characters hold and drops trailing zeros (``431396174.4``, ``0.060074995``, ``896.3783891`` in
    0001020242-03-000013): so ``472500000`` had no tenths to show and ``0`` is zero to nine decimals.
    """
    hit = _PRINTED_BY_OBJECT.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    if isinstance(value, int):
        return _Q(Decimal(value), _ZERO)
    # Keyed by the printed form: Decimal("0") == Decimal("0.00") but they carry different precision.
    key = str(value)
    cached = _PRINTED.get(key)
    if cached is None:
        cached = _printed_form(value)
        if len(_PRINTED) >= _PRINTED_CACHE_SIZE:
            _PRINTED.clear()
        _PRINTED[key] = cached
    if len(_PRINTED_BY_OBJECT) >= _PRINTED_CACHE_SIZE:
        _PRINTED_BY_OBJECT.clear()
    _PRINTED_BY_OBJECT[id(value)] = (value, cached)
    return cached


def _printed_form(value: Decimal) -> _Q:
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # NaN/Infinity never come out of the value converters
        raise ValueError(f"not a printed number: {value!r}")
    if exponent >= 0:
        # A minus sign takes one of the 11 characters ("-482217.32").
        exponent = -max(0, _GENERAL_DIGITS - sign - (len(digits) + exponent))
    return _Q(value, _HALF.scaleb(exponent))


def _exact(value: Decimal | int) -> _Q:
    return _Q(Decimal(value), _ZERO)


# A blank cell of a printed row (see _cell); shared because a _Q is never changed once made.
_BLANK = _Q(_ZERO, _ZERO)


def _sum(values: Iterable[_Q]) -> _Q:
    total = err = _ZERO
    for q in values:
        total += q.value
        err += q.err
    return _Q(total, err)


def _annualised(rate: _Q) -> _Q:
    """``1 - (1 - r)^12`` (CPR from SMM, CDR from MDR), error by the derivative ``12 (1 - r)^11``."""
    base = _ONE - rate.value
    return _Q(_ONE - base**12, 12 * abs(base) ** 11 * rate.err)


# --- the collector


@dataclass(slots=True)
class _Checks:
    discrepancies: list[Discrepancy] = field(default_factory=list)
    # The name of every comparison made, in order; counted once at the end (an append is one C call, a
    # Counter increment a look-up and a store).
    made: list[str] = field(default_factory=list)

    @property
    def run(self) -> Counter[str]:
        """How many comparisons each check made."""
        return Counter(self.made)

    def compare(
        self, check: str, context: str | tuple[str, ...], expected: _Q, actual: _Q, lines: Iterable[int]
    ) -> None:
        """Count the check; record a discrepancy when the difference exceeds both sides' uncertainty.

        ``context`` may be given as parts, joined with " / " only when the check fails: most checks pass,
        and formatting ~600 context strings per statement was a measurable share of reconciliation.
        """
        self.made.append(check)
        tolerance = expected.err + actual.err
        difference = actual.value - expected.value
        if abs(difference) > tolerance:
            self.discrepancies.append(
                Discrepancy(
                    check=check,
                    expected=expected.value,
                    actual=actual.value,
                    difference=difference,
                    tolerance=tolerance,
                    context=context if isinstance(context, str) else " / ".join(context),
                    lines=tuple(sorted(set(lines))),
                )
            )


# --- certificate payment report


def _is_residual(row: BondClass) -> bool:
    # The residual certificate is printed with class type "R" (row "Cert" of accession 0001020242-03-000013).
    return (row.class_type or "").strip().upper() == "R"


def _class_lines(row: BondClass) -> tuple[int, ...]:
    return tuple(
        line
        for line in (row.line, row.accrual_line, row.to_date_line, row.interest_detail_line)
        if line is not None
    )


def _cell(value: Decimal | int | None) -> _Q:
    """A cell of a row that was printed: blank counts as zero.

    So a value lost from a row (a folded continuation line dropped in transit, 0001020242-03-000013 style)
    shows up as a discrepancy instead of silently switching its checks off. Rows that were not printed at all
    (the Total row has no factor row) are skipped by the caller, via the row's line fields.
    """
    if value is None:
        return _BLANK
    hit = _PRINTED_BY_OBJECT.get(id(value))  # _printed's first look-up, without its call (~650 cells)
    return hit[1] if hit is not None and hit[0] is value else _printed(value)


def _check_class_rows(checks: _Checks, statement: Statement) -> None:
    for row in (*statement.classes, statement.class_total):
        context = f"class {row.class_name}"
        lines = _class_lines(row)
        p = _printed
        checks.compare(
            "class.total_distribution_equals_interest_plus_principal",
            context,
            p(row.interest) + p(row.principal),
            p(row.total_distribution),
            lines,
        )
        checks.compare(
            "class.current_principal_equals_prior_less_principal_losses_plus_deferred",
            context,
            p(row.prior_principal_balance)
            - p(row.principal)
            - p(row.realized_losses)
            + p(row.deferred_interest),
            p(row.current_principal_balance),
            lines,
        )
        _check_to_date(checks, row, context, lines)
        _check_interest_detail(checks, row, context, lines)
        _check_factors(checks, row, context, lines)


def _check_to_date(checks: _Checks, row: BondClass, context: str, lines: tuple[int, ...]) -> None:
    if row.to_date_line is None:
        return
    c = _cell
    face, interest = c(row.to_date_original_face_value), c(row.to_date_interest)
    unscheduled, scheduled = c(row.to_date_unscheduled_principal), c(row.to_date_scheduled_principal)
    principal, distribution = c(row.to_date_total_principal), c(row.to_date_total_distribution)
    losses, deferred = c(row.to_date_realized_losses), c(row.to_date_deferred_interest)
    balance = c(row.to_date_current_principal_balance)
    compare = checks.compare
    compare(
        "class.to_date_original_face_equals_original_face", context, c(row.original_face_value), face, lines
    )
    compare(
        "class.to_date_total_principal_equals_unscheduled_plus_scheduled",
        context,
        unscheduled + scheduled,
        principal,
        lines,
    )
    compare(
        "class.to_date_total_distribution_equals_interest_plus_principal",
        context,
        interest + principal,
        distribution,
        lines,
    )
    compare(
        "class.to_date_current_principal_equals_face_less_principal_losses_plus_deferred",
        context,
        face - principal - losses + deferred,
        balance,
        lines,
    )
    compare(
        "class.to_date_current_principal_equals_current_period_balance",
        context,
        c(row.current_principal_balance),
        balance,
        lines,
    )


def _check_interest_detail(checks: _Checks, row: BondClass, context: str, lines: tuple[int, ...]) -> None:
    if row.interest_detail_line is None:
        return
    c = _cell
    accrued, shortfall = c(row.accrued_interest), c(row.non_supported_interest_shortfall)
    prior_unpaid, optimal = c(row.prior_unpaid_interest), c(row.optimal_interest)
    paid, unpaid = c(row.paid_or_deferred_interest), c(row.current_unpaid_interest)
    compare = checks.compare
    compare("class.interest_equals_paid_or_deferred_interest", context, c(row.interest), paid, lines)
    compare(
        "class.interest_detail_prior_balance_equals_prior_principal",
        context,
        c(row.prior_principal_balance),
        c(row.interest_prior_principal_balance),
        lines,
    )
    compare("class.current_unpaid_interest_equals_optimal_less_paid", context, optimal - paid, unpaid, lines)
    # (5) = (1) - (2) + (3) holds for the bond classes only. The residual "Cert" row is paid the month's
    # excess cash flow as "optimal"/"paid" interest (1283280.58 = Current Periods Net Monthly Excess Cashflow)
    # while its accrued interest is 0, and the Total row adds that Cert row in, so neither is checked here;
    # the Cert amount is checked against the excess cash flow instead (_check_cross_sections).
    if not _is_residual(row) and row.class_name != "Total":
        compare(
            "class.optimal_interest_equals_accrued_less_shortfall_plus_prior_unpaid",
            context,
            accrued - shortfall + prior_unpaid,
            optimal,
            lines,
        )
    method = (row.accrual_method or "").upper()
    start, end, rate = row.accrual_start, row.accrual_end, row.pass_through_rate
    # Only classes that print a rate and an Act/360 accrual period accrue by formula (not "Cert": "-").
    if "ACT/360" in method and start is not None and end is not None and rate is not None:
        # Days are counted inclusive of both ends: 2002-11-25..2002-12-25 is 31 days, and
        # 431396174.4 x 0.0166 x 31 / 360 = 616656.86 (class A of 0001020242-03-000013). The pass-through rate
        # is LIBOR plus a margin set in whole basis points and printed in full (0.0166 = 1.66%), so it is
        # taken as exact; its last printed digit is a basis point, not a rounding.
        days = (end - start).days + 1
        expected = (
            c(row.interest_prior_principal_balance)
            * _exact(rate)
            * _exact(days)
            / _exact(_DAYS_IN_YEAR_ACT_360)
        )
        # The trustee rounds interest to the cent before printing, so against the formula a printed amount is
        # good to half a cent whatever its digits: Excel General prints 56798.00 as "56798", which is not
        # exact to 1e-5 here (found by the generated corpus of tests/corpus; change by its helper, kept).
        compare(
            "class.accrued_interest_equals_balance_times_rate_times_days_over_360",
            context,
            expected,
            _Q(accrued.value, max(accrued.err, _HALF_CENT)),
            lines,
        )


def _check_factors(checks: _Checks, row: BondClass, context: str, lines: tuple[int, ...]) -> None:
    if row.accrual_line is None:
        return
    c = _cell
    face = c(row.original_face_value)
    checks.compare(
        "class.factor_original_face_equals_original_face", context, face, c(row.factor_original_face), lines
    )
    if face.value <= face.err:  # the residual has no face value, its factors print as 0: nothing to divide by
        return
    pairs = (
        ("prior_principal", row.prior_principal_balance, row.factor_prior_principal),
        ("interest", row.interest, row.factor_interest),
        ("principal", row.principal, row.factor_principal),
        ("total_distribution", row.total_distribution, row.factor_total_distribution),
        ("current_principal", row.current_principal_balance, row.factor_current_principal),
    )
    for name, amount, factor in pairs:
        checks.compare(
            f"class.factor_{name}_equals_amount_per_1000_of_face",
            context,
            c(amount) / face * _exact(_THOUSAND),
            c(factor),
            lines,
        )


# Every dollar column of the Certificate Payment Report adds up over the classes; factors, rates and dates
# do not. Derived from the record so a new dollar column is checked without being listed twice.
_TOTAL_ROW_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(BondClass)
    if str(f.type).startswith("Decimal")
    and not f.name.startswith("factor_")
    and f.name != "pass_through_rate"
)
_TOTAL_ROW_CHECKS = tuple((name, f"class_total.{name}_equals_sum_of_classes") for name in _TOTAL_ROW_FIELDS)


def _check_total_row(checks: _Checks, statement: Statement) -> None:
    total = statement.class_total
    line_numbers = (total.line, *(row.line for row in statement.classes))
    for name, check in _TOTAL_ROW_CHECKS:
        printed_total = getattr(total, name)
        parts = [getattr(row, name) for row in statement.classes]
        if printed_total is None and all(part is None for part in parts):
            continue  # a column nobody printed
        checks.compare(
            check, "Total row", _sum(_cell(part) for part in parts), _cell(printed_total), line_numbers
        )


# --- ADJUSTABLE / FIXED / TOTAL tables, declared as data


@functools.lru_cache(maxsize=4096)
def _norm(text: str | None) -> str:
    # Case matters: "TOTAL SERVICING FEES" and "Total Servicing Fees" are two lines of one table.
    return " ".join((text or "").replace(":", " ").split())


@dataclass(frozen=True, slots=True)
class _Ref:
    """A labelled line of a group table: ``nth`` picks among repeats of the label (0 = first printed)."""

    subsection: str
    label: str
    sign: int = 1
    heading: str | None = None
    nth: int = 0
    # The _Lines index key, normalised once when the (module-level) declaration is made.
    key: tuple[str, str, str | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        heading = None if self.heading is None else _norm(self.heading)
        object.__setattr__(self, "key", (_norm(self.subsection), _norm(self.label), heading))


@dataclass(frozen=True, slots=True)
class _LineIdentity:
    """``target`` equals the signed sum of ``terms``, column by column (ADJUSTABLE, FIXED, TOTAL)."""

    check: str
    target: _Ref
    terms: tuple[_Ref, ...]


def _refs(subsection: str, *labels: str, heading: str | None = None, sign: int = 1) -> tuple[_Ref, ...]:
    return tuple(_Ref(subsection, label, sign=sign, heading=heading) for label in labels)


_PC = "PRINCIPAL - COLLECTIONS"
_IC = "INTEREST - COLLECTIONS"
_SF = "SERVICING FEES / ADVANCES"
_VP = "VOLUNTARY PREPAYMENTS"

_LINE_IDENTITIES: tuple[_LineIdentity, ...] = (
    _LineIdentity(
        "collection.summary_total_principal_equals_its_lines",
        _Ref("SUMMARY", "TOTAL PRINCIPAL"),
        _refs("SUMMARY", "Principal Collections", "Principal Withdrawals", "Principal Other Accounts"),
    ),
    _LineIdentity(
        "collection.summary_total_interest_equals_its_lines",
        _Ref("SUMMARY", "TOTAL INTEREST"),
        _refs(
            "SUMMARY",
            "Interest Collections",
            "Interest Withdrawals",
            "Interest Other Accounts",
            "Interest Fees",
        ),
    ),
    _LineIdentity(
        "collection.available_funds_equals_total_principal_plus_total_interest",
        _Ref("SUMMARY", "TOTAL AVAILABLE FUNDS TO BONDHOLDERS"),
        _refs("SUMMARY", "TOTAL PRINCIPAL", "TOTAL INTEREST"),
    ),
    _LineIdentity(
        "collection.principal_collections_total_equals_its_lines",
        _Ref(_PC, "TOTAL PRINCIPAL"),
        _refs(
            _PC,
            "Scheduled Principal",
            "Curtailments",
            "Prepayments in Full",
            "Repurchases/Substitutions",
            "Liquidations",
            "Insurance Principal",
            "Other Additional Principal",
            "Delinquent Principal",
            "Realized Losses",
            "Substitution Adjustments- Principal",
            "Termination Price Amounts- Principal",
            "Additional Principal Amts",
            "Principal Advanced",
        ),
    ),
    _LineIdentity(
        "collection.interest_collections_total_equals_its_lines",
        _Ref(_IC, "TOTAL INTEREST"),
        _refs(
            _IC,
            "Scheduled Interest",
            "Repurchases/Substitutions",
            "Liquidations",
            "Insurance Interest",
            "Other Additional Interest",
            "Prepayment Interest Shortfalls",
            "Relief Act Interest Shortfalls",
            "Delinquent Interest",
            "Interest Realized Losses",
            "Compensating Interest",
            "Substitution Adjustments- Interest",
            "Termination Price Amounts- Interest",
            "Additional Interest Amts",
            "Interest Prepayment Premiums",
            "Interest Advanced",
            "Cap Contract Payment Amt",
        ),
    ),
    _LineIdentity(
        "collection.interest_withdrawals_total_equals_its_lines",
        _Ref("INTEREST - WITHDRAWALS", "TOTAL INTEREST WITHDRAWALS"),
        _refs(
            "INTEREST - WITHDRAWALS",
            "Prev. Unreimbursed PMI Premiums",
            "Prev. Unreimbursed Spec Haz Premiums",
            "Prev. Unreimbursed Liq. Expenses",
            "Prev. Unreimbursed Master/Sub-Servicing Fees",
            "Amt Rvcd Not Due Bondholder /Deposits in Error",
            "Prev. Unreimb. P&I Advances/Non Recov Advances",
            "Prev. Unreimbursed Servicing Advances",
            "Clear and Terminate Collection Account",
        ),
    ),
    _LineIdentity(
        "collection.interest_fees_total_equals_its_lines",
        _Ref("INTEREST - FEES", "TOTAL INTEREST FEES"),
        _refs(
            "INTEREST - FEES",
            "Owner Trustee Fee",
            "Indenture Trustee Fee",
            "Bond Insurance Premium Amount",
            "Radian PMI Insurance Premiums",
            "Current Servicing Fees",
        ),
    ),
    # The SUMMARY repeats each detail table's total; fees are printed negative there, positive in the detail.
    _LineIdentity(
        "collection.summary_principal_collections_equals_detail_total",
        _Ref("SUMMARY", "Principal Collections"),
        (_Ref(_PC, "TOTAL PRINCIPAL"),),
    ),
    _LineIdentity(
        "collection.summary_interest_collections_equals_detail_total",
        _Ref("SUMMARY", "Interest Collections"),
        (_Ref(_IC, "TOTAL INTEREST"),),
    ),
    _LineIdentity(
        "collection.summary_interest_fees_equals_minus_fee_total",
        _Ref("SUMMARY", "Interest Fees"),
        (_Ref("INTEREST - FEES", "TOTAL INTEREST FEES", sign=-1),),
    ),
    _LineIdentity(
        "collection.summary_total_principal_equals_detail_total",
        _Ref("SUMMARY", "TOTAL PRINCIPAL"),
        (_Ref(_PC, "TOTAL PRINCIPAL"),),
    ),
    # SERVICING FEES / ADVANCES repeats "Delinquent Servicing Fees" (positive, then negative): nth tells them
    # apart.
    _LineIdentity(
        "servicing.total_fees_equals_current_plus_delinquent",
        _Ref(_SF, "TOTAL SERVICING FEES"),
        (_Ref(_SF, "Current Servicing Fees"), _Ref(_SF, "Delinquent Servicing Fees")),
    ),
    _LineIdentity(
        "servicing.collected_fees_equals_total_less_compensating_and_delinquent",
        _Ref(_SF, "COLLECTED SERVICING FEES"),
        (
            _Ref(_SF, "Total Servicing Fees"),
            _Ref(_SF, "Compensating Interest"),
            _Ref(_SF, "Delinquent Servicing Fees", nth=1),
        ),
    ),
    _LineIdentity(
        "servicing.total_advances_equals_principal_plus_interest_advanced",
        _Ref(_SF, "TOTAL ADVANCES FOR CURRENT PERIOD"),
        _refs(
            _SF,
            "Total Advanced Principal For Current Payment Date",
            "Total Advanced Interest For Current Payment Date",
        ),
    ),
    _LineIdentity(
        "servicing.current_fees_equal_interest_fees_line",
        _Ref(_SF, "Current Servicing Fees"),
        (_Ref("INTEREST - FEES", "Current Servicing Fees"),),
    ),
    _LineIdentity(
        "servicing.total_fees_line_repeats_total",
        _Ref(_SF, "Total Servicing Fees"),
        (_Ref(_SF, "TOTAL SERVICING FEES"),),
    ),
    _LineIdentity(
        "servicing.compensating_interest_equals_minus_collection_line",
        _Ref(_SF, "Compensating Interest"),
        (_Ref(_IC, "Compensating Interest", sign=-1),),
    ),
    _LineIdentity(
        "servicing.delinquent_fees_repeated_negative",
        _Ref(_SF, "Delinquent Servicing Fees", nth=1),
        (_Ref(_SF, "Delinquent Servicing Fees", sign=-1),),
    ),
    _LineIdentity(
        "servicing.ppis_equals_minus_prepayment_interest_shortfalls",
        _Ref(_SF, "Current PPIS"),
        (_Ref(_IC, "Prepayment Interest Shortfalls", sign=-1),),
    ),
    _LineIdentity(
        "servicing.net_ppis_equals_ppis_less_compensating_interest",
        _Ref(_SF, "Current Net PPIS"),
        (_Ref(_SF, "Current PPIS"), _Ref(_IC, "Compensating Interest", sign=-1)),
    ),
    _LineIdentity(
        "servicing.advanced_principal_equals_collection_line",
        _Ref(_SF, "Total Advanced Principal For Current Payment Date"),
        (_Ref(_PC, "Principal Advanced"),),
    ),
    _LineIdentity(
        "servicing.advanced_interest_equals_collection_line",
        _Ref(_SF, "Total Advanced Interest For Current Payment Date"),
        (_Ref(_IC, "Interest Advanced"),),
    ),
    # Prepayment Report: current period and cumulative blocks, and the current block against the collections.
    *(
        identity
        for block in ("Current", "Cumulative")
        for identity in (
            _LineIdentity(
                f"prepayment.{block.lower()}_loans_prepaid_in_full_equals_paid_plus_repurchased",
                _Ref(_VP, "Total Number of Loans Prepaid in Full", heading=block),
                _refs(_VP, "Number of Paid in Full Loans", "Number of Repurchased Loans", heading=block),
            ),
            _LineIdentity(
                f"prepayment.{block.lower()}_total_amount_equals_paid_repurchased_curtailments",
                _Ref(_VP, "Total Prepayment Amount", heading=block),
                _refs(
                    _VP,
                    "Paid in Full Balance",
                    "Repurchased Loans Balance",
                    "Curtailments Amount",
                    heading=block,
                ),
            ),
        )
    ),
    _LineIdentity(
        "prepayment.paid_in_full_balance_equals_collection_prepayments_in_full",
        _Ref(_VP, "Paid in Full Balance", heading="Current"),
        (_Ref(_PC, "Prepayments in Full"),),
    ),
    _LineIdentity(
        "prepayment.curtailments_equal_collection_curtailments",
        _Ref(_VP, "Curtailments Amount", heading="Current"),
        (_Ref(_PC, "Curtailments"),),
    ),
    _LineIdentity(
        "prepayment.repurchased_balance_equals_collection_repurchases",
        _Ref(_VP, "Repurchased Loans Balance", heading="Current"),
        (_Ref(_PC, "Repurchases/Substitutions"),),
    ),
)

# Tables whose columns are weighted averages or rates: ADJUSTABLE + FIXED is not TOTAL there.
_NON_ADDITIVE_SUBSECTIONS = frozenset(
    _norm(name)
    for name in ("CHARACTERISTICS", "ARM CHARACTERISTICS", "VOLUNTARY PREPAYMENT RATES", "DEFAULT SPEEDS")
)


class _Lines:
    """Group lines indexed by (subsection, label) and by (subsection, label, heading), repeats kept in
    printed order; keys are whitespace-normalised (_norm) on both sides, as in :attr:`_Ref.key`."""

    def __init__(self, lines: Iterable[GroupLine]) -> None:
        self._by_key: dict[tuple[str, str, str | None], list[GroupLine]] = {}
        for line in lines:
            subsection, label = _norm(line.subsection), _norm(line.label)
            self._by_key.setdefault((subsection, label, None), []).append(line)
            if line.heading is not None:
                self._by_key.setdefault((subsection, label, _norm(line.heading)), []).append(line)

    def get(self, ref: _Ref) -> GroupLine | None:
        found = self._by_key.get(ref.key)
        return found[ref.nth] if found is not None and ref.nth < len(found) else None


def _check_line_identities(checks: _Checks, lines: _Lines) -> None:
    get = lines.get
    for identity in _LINE_IDENTITIES:
        target = get(identity.target)
        if target is None:
            continue
        terms = [(get(ref), ref.sign < 0) for ref in identity.terms]
        found = [(line, negative) for line, negative in terms if line is not None]
        if len(found) != len(terms):
            continue
        line_numbers = (target.line, *(line.line for line, _ in found))
        for group in GROUPS:
            # GroupLine's value fields are named after GROUPS (GroupLine.value); getattr saves a call a cell.
            printed = getattr(target, group)
            total = err = _ZERO
            blank = printed is None
            for line, negative in found:
                value = getattr(line, group)
                if value is None:
                    continue  # a blank cell of a printed line counts as zero (_cell)
                blank = False
                part = _printed(value)
                total = total - part.value if negative else total + part.value
                err += part.err
            if blank:
                continue  # a column this table does not print
            checks.compare(
                identity.check,
                (identity.target.subsection, identity.target.label, group),
                _Q(total, err),
                _cell(printed),
                line_numbers,
            )


def _check_group_columns(checks: _Checks, statement: Statement) -> None:
    for line in statement.group_lines:
        if _norm(line.subsection) in _NON_ADDITIVE_SUBSECTIONS:
            continue
        if line.adjustable is None and line.fixed is None:
            continue  # printed under TOTAL only (INTEREST - OTHER ACCOUNTS, STRUCTURAL FEATURES, ...)
        checks.compare(
            "group_line.adjustable_plus_fixed_equals_total",
            (line.subsection, line.label),
            _cell(line.adjustable) + _cell(line.fixed),
            _cell(line.total),
            (line.line,),
        )


# --- collateral

_PAID_IN_FULL_COUNT = _Ref(_VP, "Number of Paid in Full Loans", heading="Current")
_TOTAL_PREPAYMENT = _Ref(_VP, "Total Prepayment Amount", heading="Current")
_PREPAYMENTS_IN_FULL = _Ref(_PC, "Prepayments in Full")
# The roll-forward prints principal movements negative; the collection account prints them positive.
_COLLATERAL_VS_COLLECTIONS: tuple[tuple[str, str, tuple[_Ref, ...]], ...] = (
    (
        "collateral.scheduled_principal_equals_minus_collection_line",
        "balance_scheduled_principal",
        (_Ref(_PC, "Scheduled Principal"),),
    ),
    (
        "collateral.prepayments_equal_minus_curtailments_and_prepayments_in_full",
        "balance_prepayments",
        (_Ref(_PC, "Curtailments"), _PREPAYMENTS_IN_FULL),
    ),
    (
        "collateral.prepayments_equal_minus_prepayment_report_total",
        "balance_prepayments",
        (_TOTAL_PREPAYMENT,),
    ),
)


def _check_collateral(checks: _Checks, statement: Statement, lines: _Lines) -> None:
    for row in statement.collateral:
        context = f"collateral {row.group}"
        checks.compare(
            "collateral.current_count_equals_prior_plus_signed_movements",
            context,
            _sum(
                _exact(n)
                for n in (
                    row.loan_count_prior,
                    row.loan_count_prefunding,
                    row.loan_count_scheduled_paid_offs,
                    row.loan_count_full_voluntary_prepayments,
                    row.loan_count_repurchases,
                    row.loan_count_liquidations,
                )
            ),
            _exact(row.loan_count_current),
            (row.line,),
        )
        checks.compare(
            "collateral.current_balance_equals_prior_plus_signed_movements",
            context,
            _sum(
                _printed(v)
                for v in (
                    row.balance_prior,
                    row.balance_prefunding,
                    row.balance_scheduled_principal,
                    row.balance_prepayments,
                    row.balance_repurchases,
                    row.balance_liquidations,
                )
            ),
            _printed(row.balance_current),
            (row.line,),
        )
        for check, field_name, refs in _COLLATERAL_VS_COLLECTIONS:
            found = [lines.get(ref) for ref in refs]
            parts = [line.value(row.group) if line is not None else None for line in found]
            if any(part is None for part in parts):
                continue
            checks.compare(
                check,
                context,
                -_sum(_printed(part) for part in parts if part is not None),
                _printed(getattr(row, field_name)),
                (row.line, *(line.line for line in found if line is not None)),
            )
        count_line = lines.get(_PAID_IN_FULL_COUNT)
        paid_in_full = count_line.value(row.group) if count_line is not None else None
        if count_line is not None and paid_in_full is not None:
            checks.compare(
                "collateral.full_prepayment_count_equals_minus_paid_in_full_loans",
                context,
                -_printed(paid_in_full),
                _exact(row.loan_count_full_voluntary_prepayments),
                (row.line, count_line.line),
            )


# --- delinquency


_Cell = tuple[_Q, int]  # a printed delinquency cell and its line
# One (group, measure) table of the Delinquency Report: rows in _STATUS_ORDER, columns in BUCKETS order,
# None where the cell was not printed at all.
_Grid = list[list[_Cell | None]]
_STATUS_ORDER = (*_DELINQUENCY_STATUSES, "total")
_STATUS_INDEX = {status: i for i, status in enumerate(_STATUS_ORDER)}
_BUCKET_INDEX = {bucket: i for i, bucket in enumerate(BUCKETS)}
_RATIO_CHECKS = {
    measure: (pct_measure, f"delinquency.{pct_measure}_equals_{measure}_over_current_collateral")
    for measure, pct_measure in (("balance", "balance_pct"), ("loan_count", "loan_count_pct"))
}


def _delinquency_grids(statement: Statement) -> dict[tuple[str, str], _Grid]:
    """The cells by (group, measure); indexing a grid is much cheaper than a 4-key lookup per cell."""
    grids: dict[tuple[str, str], _Grid] = {}
    for c in statement.delinquency:
        row, column = _STATUS_INDEX.get(c.status), _BUCKET_INDEX.get(c.bucket)
        if row is None or column is None:
            continue  # no identity reads a status or bucket the report does not have
        grid = grids.get((c.group, c.measure))
        if grid is None:
            grid = grids[c.group, c.measure] = [[None] * len(BUCKETS) for _ in _STATUS_ORDER]
        # A blank cell (DELINQUENT / CURRENT: a loan cannot be both) contributes nothing to the sums.
        grid[row][column] = (_BLANK if c.value is None else _printed(c.value), c.line)
    return grids


def _check_delinquency(checks: _Checks, statement: Statement) -> None:
    grids = _delinquency_grids(statement)
    for group in GROUPS:
        for measure in _DELINQUENCY_MEASURES:
            grid = grids.get((group, measure))
            if grid is None:
                continue  # this group / measure printed nothing
            for status, row in zip(_STATUS_ORDER, grid, strict=True):
                _last_is_sum_of_the_others(
                    checks, "delinquency.total_bucket_equals_sum_of_buckets", (group, status, measure), row
                )
            for bucket, cells in zip(BUCKETS, zip(*grid, strict=True), strict=True):  # the grid's columns
                _last_is_sum_of_the_others(
                    checks, "delinquency.total_status_equals_sum_of_statuses", (group, bucket, measure), cells
                )
    _check_delinquency_ratios(checks, statement, grids)
    by_measure = [
        (measure, [grids.get((group, measure)) for group in GROUPS]) for measure in _CROSS_GROUP_MEASURES
    ]
    for s, status in enumerate(_STATUS_ORDER):
        for b, bucket in enumerate(BUCKETS):
            for measure, group_grids in by_measure:
                adjustable, fixed, total = (grid[s][b] if grid is not None else None for grid in group_grids)
                if adjustable is None or fixed is None or total is None:
                    continue
                checks.compare(
                    "delinquency.adjustable_plus_fixed_equals_total",
                    (status, bucket, measure),
                    adjustable[0] + fixed[0],
                    total[0],
                    (adjustable[1], fixed[1], total[1]),
                )


def _last_is_sum_of_the_others(
    checks: _Checks, check: str, context: tuple[str, ...], cells: Sequence[_Cell | None]
) -> None:
    """The TOTAL cell (last) of a delinquency row or column against the sum of the cells before it."""
    if None in cells:
        return  # a cell of this row or column was not printed at all
    found = cast(Sequence[_Cell], cells)
    total = err = _ZERO
    for value, _ in found[:-1]:  # _sum written out: ~120 rows and columns a statement
        total += value.value
        err += value.err
    checks.compare(check, context, _Q(total, err), found[-1][0], (line for _, line in found))


def _check_delinquency_ratios(
    checks: _Checks, statement: Statement, grids: dict[tuple[str, str], _Grid]
) -> None:
    for collateral in statement.collateral:
        denominators = (
            ("balance", _printed(collateral.balance_current)),
            ("loan_count", _exact(collateral.loan_count_current)),
        )
        for measure, denominator in denominators:
            if denominator.value <= denominator.err:
                continue
            pct_measure, check = _RATIO_CHECKS[measure]
            amounts = grids.get((collateral.group, measure))
            ratios = grids.get((collateral.group, pct_measure))
            if amounts is None or ratios is None:
                continue
            # amount / denominator (_Q.__truediv__) with the denominator's parts worked out once per table.
            divisor, divisor_err = denominator.value, denominator.err
            slack = abs(divisor) - divisor_err
            for status, amount_row, ratio_row in zip(_STATUS_ORDER, amounts, ratios, strict=True):
                for bucket, amount, ratio in zip(BUCKETS, amount_row, ratio_row, strict=True):
                    if amount is None or ratio is None:
                        continue
                    numerator = amount[0]
                    quotient = numerator.value / divisor
                    checks.compare(
                        check,
                        (collateral.group, status, bucket),
                        _Q(quotient, (numerator.err + abs(quotient) * divisor_err) / slack),
                        ratio[0],
                        (amount[1], ratio[1], collateral.line),
                    )


# --- loan detail reports


def _check_loan_details(checks: _Checks, statement: Statement, lines: _Lines) -> None:
    reo = statement.reo_summary
    reo_lines = (reo.line, *(loan.line for loan in statement.reo_loans))
    checks.compare(
        "reo.summary_count_equals_rows",
        "REO summary",
        _exact(len(statement.reo_loans)),
        _exact(reo.loan_count),
        reo_lines,
    )
    checks.compare(
        "reo.summary_original_balance_equals_sum_of_rows",
        "REO summary",
        _sum(_printed(loan.original_principal_balance) for loan in statement.reo_loans),
        _printed(reo.total_original_principal_balance),
        reo_lines,
    )
    checks.compare(
        "reo.summary_current_balance_equals_sum_of_stated_balances",
        "REO summary",
        _sum(_printed(loan.stated_principal_balance) for loan in statement.reo_loans),
        _printed(reo.total_current_balance),
        reo_lines,
    )

    summary = statement.prepayment_detail_summary
    loans = statement.prepaid_loans
    detail_lines = (summary.line, *(loan.line for loan in loans))
    checks.compare(
        "prepayment_detail.summary_count_equals_rows",
        "Prepayment Detail summary",
        _exact(len(loans)),
        _exact(summary.loan_count),
        detail_lines,
    )
    checks.compare(
        "prepayment_detail.summary_original_balance_equals_sum_of_rows",
        "Prepayment Detail summary",
        _sum(_printed(loan.original_principal_balance) for loan in loans),
        _printed(summary.total_original_principal_balance),
        detail_lines,
    )
    checks.compare(
        "prepayment_detail.summary_prepayment_amount_equals_sum_of_rows",
        "Prepayment Detail summary",
        _sum(_printed(loan.prepayment_amount) for loan in loans),
        _printed(summary.total_prepayment_amount),
        detail_lines,
    )
    group_of = {legend.number: legend.group for legend in statement.loan_groups}
    paid_count = lines.get(_PAID_IN_FULL_COUNT)
    paid_balance = lines.get(_Ref(_VP, "Paid in Full Balance", heading="Current"))
    in_full = lines.get(_PREPAYMENTS_IN_FULL)
    for group in GROUPS:
        members = [loan for loan in loans if group == "total" or group_of.get(loan.group) == group]
        if group != "total" and not group_of:
            continue  # no loan-group legend printed: rows cannot be assigned to columns
        rows = (loan.line for loan in members)
        if paid_count is not None and paid_count.value(group) is not None:
            checks.compare(
                "prepayment_detail.rows_equal_paid_in_full_loans",
                f"group {group}",
                _exact(len(members)),
                _printed(paid_count.value(group) or _ZERO),
                (paid_count.line, *rows),
            )
        for check, line in (
            ("prepayment_detail.amounts_equal_paid_in_full_balance", paid_balance),
            ("prepayment_detail.amounts_equal_collection_prepayments_in_full", in_full),
        ):
            if line is None or line.value(group) is None:
                continue
            checks.compare(
                check,
                f"group {group}",
                _sum(_printed(loan.prepayment_amount) for loan in members),
                _printed(line.value(group) or _ZERO),
                (line.line, *(loan.line for loan in members)),
            )

    losses = statement.realized_loss_detail_summary
    liquidated = statement.liquidated_loans
    loss_lines = (losses.line, *(loan.line for loan in liquidated))
    for check, rows_total, printed in (
        (
            "realized_loss_detail.summary_count_equals_rows",
            _exact(len(liquidated)),
            _exact(losses.loan_count),
        ),
        (
            "realized_loss_detail.summary_original_balance_equals_sum_of_rows",
            _sum(_printed(loan.original_principal_balance) for loan in liquidated),
            _printed(losses.total_original_principal_balance),
        ),
        (
            "realized_loss_detail.summary_prior_balance_equals_sum_of_rows",
            _sum(_printed(loan.prior_principal_balance) for loan in liquidated),
            _printed(losses.total_prior_principal_balance),
        ),
        (
            "realized_loss_detail.summary_loss_equals_sum_of_rows",
            _sum(_printed(loan.realized_loss) for loan in liquidated),
            _printed(losses.total_realized_loss),
        ),
    ):
        checks.compare(check, "Realized Loss Detail summary", rows_total, printed, loss_lines)
    for check, label, printed_value in (
        (
            "realized_loss_detail.count_equals_loans_liquidated",
            "Number of Loans Liquidated",
            losses.loan_count,
        ),
        (
            "realized_loss_detail.loss_equals_collateral_realized_loss",
            "Collateral Realized Loss/(Gain) Amount",
            losses.total_realized_loss,
        ),
        (
            "realized_loss_detail.proceeds_equal_net_liquidation_proceeds",
            "Net Liquidation Proceeds",
            losses.total_net_liquidation_proceeds,
        ),
    ):
        line = lines.get(_Ref("COLLATERAL REALIZED LOSSES", label, heading="Current"))
        if line is None or line.total is None:
            continue
        checks.compare(
            check,
            "Realized Loss Report, current TOTAL",
            _printed(printed_value),
            _printed(line.total),
            (losses.line, line.line),
        )


# --- prepayment and default speeds


def _check_rates(checks: _Checks, statement: Statement, lines: _Lines) -> None:
    rates = {(r.metric.upper(), r.window, r.group): r for r in statement.rates}
    total_prepayment = lines.get(_TOTAL_PREPAYMENT)
    for collateral in statement.collateral:
        group = collateral.group
        smm = rates.get(("SMM", "current", group))
        if total_prepayment is not None and smm is not None and smm.value is not None:
            amount = total_prepayment.value(group)
            # SMM = (voluntary partial and full prepayments + repurchases) / (beginning balance - scheduled
            # principal): the methodology text of page 17; scheduled principal is printed negative.
            denominator = _printed(collateral.balance_prior) + _printed(
                collateral.balance_scheduled_principal
            )
            if amount is not None and abs(denominator.value) > denominator.err:
                checks.compare(
                    "rates.smm_equals_prepayments_over_prior_less_scheduled",
                    f"group {group}",
                    _printed(amount) / denominator,
                    _printed(smm.value),
                    (smm.line, total_prepayment.line, collateral.line),
                )
        for monthly, annual in (("SMM", "CPR"), ("MDR", "CDR")):
            for window in ("current", "3_months", "12_months", "since_cut_off"):
                month = rates.get((monthly, window, group))
                year = rates.get((annual, window, group))
                if month is None or year is None or (month.value is None and year.value is None):
                    continue  # a window too young to print (12-month averages of a 9-month-old deal)
                checks.compare(
                    f"rates.{annual.lower()}_equals_annualised_{monthly.lower()}",
                    f"group {group} / {window}",
                    _annualised(_cell(month.value)),
                    _cell(year.value),
                    (month.line, year.line),
                )


# --- cross-section identities


_SF_TITLE = "STRUCTURAL FEATURES"


def _check_cross_sections(checks: _Checks, statement: Statement, lines: _Lines) -> None:
    # Each side is a printed line (found by label); a blank value on a printed line counts as zero (_cell).
    total = statement.class_total
    line = lines.get(_Ref("SUMMARY", "TOTAL PRINCIPAL"))
    if line is not None:
        checks.compare(
            "bonds.total_principal_equals_collection_total_principal",
            "Total row vs collection SUMMARY",
            _cell(line.total),
            _cell(total.principal),
            (total.line, line.line),
        )
    excess = lines.get(_Ref(_SF_TITLE, "Current Periods Net Monthly Excess Cashflow"))
    if excess is not None:
        for row in statement.classes:
            if _is_residual(row):
                checks.compare(
                    "bonds.residual_interest_equals_net_monthly_excess_cashflow",
                    f"class {row.class_name}",
                    _cell(excess.total),
                    _cell(row.interest),
                    (row.line, excess.line),
                )
    collateral_total = next((c for c in statement.collateral if c.group == "total"), None)
    overcollateralization = lines.get(_Ref(_SF_TITLE, "Current Periods Overcollateralization Amt"))
    if collateral_total is not None and overcollateralization is not None:
        # Overcollateralization is the collateral the bonds do not claim: current collateral balance less the
        # bonds' current principal (448577758.5 - 444827775.6 = 3749982.9 in 0001020242-03-000013).
        checks.compare(
            "credit_enhancement.overcollateralization_equals_collateral_less_bonds",
            "Credit Enhancement vs Collateral and Total row",
            _printed(collateral_total.balance_current) - _printed(total.current_principal_balance),
            _cell(overcollateralization.total),
            (overcollateralization.line, collateral_total.line, total.line),
        )
    _check_derivatives(checks, statement, lines)


def _check_derivatives(checks: _Checks, statement: Statement, lines: _Lines) -> None:
    payments = statement.derivative_payments
    total_line = next((g for g in statement.group_lines if g.label == "Total Derivative Payments"), None)
    if total_line is None:
        return
    checks.compare(
        "derivatives.total_equals_sum_of_contracts",
        "Other Related Information",
        _sum(_printed(p.amount) for p in payments),
        _cell(total_line.total),
        (total_line.line, *(p.line for p in payments)),
    )
    contract_lines = [
        lines.get(_Ref("INTEREST - OTHER ACCOUNTS", f"{kind} Contract Payment Amounts"))
        for kind in ("Cap", "Floor", "Swap")
    ]
    printed = [line for line in contract_lines if line is not None]
    if not printed:
        return
    checks.compare(
        "derivatives.total_equals_cap_floor_swap_payments",
        "Other Related Information vs INTEREST - OTHER ACCOUNTS",
        _sum(_cell(line.total) for line in printed),
        _cell(total_line.total),
        (total_line.line, *(line.line for line in printed)),
    )


# --- entry points


def _run(statement: Statement) -> _Checks:
    checks = _Checks()
    lines = _Lines(statement.group_lines)
    _check_class_rows(checks, statement)
    _check_total_row(checks, statement)
    _check_line_identities(checks, lines)
    _check_group_columns(checks, statement)
    _check_collateral(checks, statement, lines)
    _check_delinquency(checks, statement)
    _check_loan_details(checks, statement, lines)
    _check_rates(checks, statement, lines)
    _check_cross_sections(checks, statement, lines)
    return checks


def reconcile(statement: Statement) -> Reconciliation:
    """Run every identity of the report on ``statement``; discrepancies are data, never exceptions."""
    checks = _run(statement)
    return Reconciliation(tuple(checks.discrepancies), len(checks.made))


def checks_run_by_name(statement: Statement) -> dict[str, int]:
    """How many comparisons each named check made on ``statement`` (for tests and monitoring)."""
    return dict(_run(statement).run)
