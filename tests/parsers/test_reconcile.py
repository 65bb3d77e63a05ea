"""Reconciliation on the real statement: every identity holds, every family of checks ran, and each check
fails when one printed value it reads is changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

import pytest

from parsers.reconcile import _LINE_IDENTITIES, _TOTAL_ROW_FIELDS, _printed, checks_run_by_name, reconcile
from parsers.records import BondClass, ParseResult, Statement

ONE = Decimal(1)

Mutation = Callable[[Statement], Statement]


@pytest.fixture(scope="module")
def statement(real_result: ParseResult) -> Statement:
    return real_result.statement


# --- mutations: change exactly one printed value (or drop one detail row)


def bump(value: Decimal | int) -> Decimal | int:
    return value + 1


def class_field(class_name: str, name: str) -> Mutation:
    def mutate(s: Statement) -> Statement:
        def change(row: BondClass) -> BondClass:
            if row.class_name != class_name:
                return row
            return dataclasses.replace(row, **{name: bump(getattr(row, name))})

        return dataclasses.replace(
            s, classes=tuple(change(r) for r in s.classes), class_total=change(s.class_total)
        )

    return mutate


def group_line(
    subsection: str, label: str, group: str = "adjustable", *, nth: int = 0, heading: str | None = None
) -> Mutation:
    def mutate(s: Statement) -> Statement:
        matches = [
            i
            for i, g in enumerate(s.group_lines)
            if g.subsection == subsection
            and " ".join(g.label.split()) == label
            and (heading is None or g.heading == heading)
        ]
        index = matches[nth]
        line = s.group_lines[index]
        changed = dataclasses.replace(line, **{group: bump(getattr(line, group))})
        return dataclasses.replace(
            s, group_lines=(*s.group_lines[:index], changed, *s.group_lines[index + 1 :])
        )

    return mutate


def collateral(group: str, name: str) -> Mutation:
    def mutate(s: Statement) -> Statement:
        rows = tuple(
            dataclasses.replace(c, **{name: bump(getattr(c, name))}) if c.group == group else c
            for c in s.collateral
        )
        return dataclasses.replace(s, collateral=rows)

    return mutate


def delinquency(group: str, status: str, bucket: str, measure: str) -> Mutation:
    def mutate(s: Statement) -> Statement:
        cells = tuple(
            dataclasses.replace(c, value=bump(c.value or Decimal(0)))
            if (c.group, c.status, c.bucket, c.measure) == (group, status, bucket, measure)
            else c
            for c in s.delinquency
        )
        return dataclasses.replace(s, delinquency=cells)

    return mutate


def record(attribute: str, name: str) -> Mutation:
    def mutate(s: Statement) -> Statement:
        target = getattr(s, attribute)
        return dataclasses.replace(
            s, **{attribute: dataclasses.replace(target, **{name: bump(getattr(target, name))})}
        )

    return mutate


def first_row(attribute: str, name: str) -> Mutation:
    def mutate(s: Statement) -> Statement:
        rows = getattr(s, attribute)
        changed = dataclasses.replace(rows[0], **{name: bump(getattr(rows[0], name))})
        return dataclasses.replace(s, **{attribute: (changed, *rows[1:])})

    return mutate


def rate(metric: str, window: str = "current", group: str = "adjustable") -> Mutation:
    def mutate(s: Statement) -> Statement:
        rates = tuple(
            dataclasses.replace(r, value=(r.value or Decimal(0)) + Decimal("0.01"))
            if (r.metric, r.window, r.group) == (metric, window, group)
            else r
            for r in s.rates
        )
        return dataclasses.replace(s, rates=rates)

    return mutate


def drop_first_prepaid_loan(s: Statement) -> Statement:
    return dataclasses.replace(s, prepaid_loans=s.prepaid_loans[1:])


MUTATIONS: dict[str, Mutation] = {
    "class.total_distribution_equals_interest_plus_principal": class_field("A", "total_distribution"),
    "class.current_principal_equals_prior_less_principal_losses_plus_deferred": class_field(
        "B", "current_principal_balance"
    ),
    "class.current_unpaid_interest_equals_optimal_less_paid": class_field("A", "current_unpaid_interest"),
    "class.factor_current_principal_equals_amount_per_1000_of_face": class_field(
        "A", "factor_current_principal"
    ),
    "class.factor_interest_equals_amount_per_1000_of_face": class_field("B", "factor_interest"),
    "class.factor_original_face_equals_original_face": class_field("A", "factor_original_face"),
    "class.factor_principal_equals_amount_per_1000_of_face": class_field("A", "factor_principal"),
    "class.factor_prior_principal_equals_amount_per_1000_of_face": class_field("A", "factor_prior_principal"),
    "class.factor_total_distribution_equals_amount_per_1000_of_face": class_field(
        "A", "factor_total_distribution"
    ),
    "class.interest_detail_prior_balance_equals_prior_principal": class_field(
        "A", "interest_prior_principal_balance"
    ),
    "class.interest_equals_paid_or_deferred_interest": class_field("A", "paid_or_deferred_interest"),
    "class.optimal_interest_equals_accrued_less_shortfall_plus_prior_unpaid": class_field(
        "B", "optimal_interest"
    ),
    "class.accrued_interest_equals_balance_times_rate_times_days_over_360": class_field(
        "A", "accrued_interest"
    ),
    "class.to_date_current_principal_equals_current_period_balance": class_field(
        "A", "to_date_current_principal_balance"
    ),
    "class.to_date_current_principal_equals_face_less_principal_losses_plus_deferred": class_field(
        "A", "to_date_current_principal_balance"
    ),
    "class.to_date_original_face_equals_original_face": class_field("A", "to_date_original_face_value"),
    "class.to_date_total_distribution_equals_interest_plus_principal": class_field(
        "A", "to_date_total_distribution"
    ),
    "class.to_date_total_principal_equals_unscheduled_plus_scheduled": class_field(
        "A", "to_date_total_principal"
    ),
    "collateral.current_balance_equals_prior_plus_signed_movements": collateral("fixed", "balance_current"),
    "collateral.current_count_equals_prior_plus_signed_movements": collateral(
        "adjustable", "loan_count_current"
    ),
    "collateral.full_prepayment_count_equals_minus_paid_in_full_loans": collateral(
        "adjustable", "loan_count_full_voluntary_prepayments"
    ),
    "collateral.prepayments_equal_minus_curtailments_and_prepayments_in_full": collateral(
        "adjustable", "balance_prepayments"
    ),
    "collateral.prepayments_equal_minus_prepayment_report_total": collateral("total", "balance_prepayments"),
    "collateral.scheduled_principal_equals_minus_collection_line": collateral(
        "adjustable", "balance_scheduled_principal"
    ),
    "credit_enhancement.overcollateralization_equals_collateral_less_bonds": group_line(
        "STRUCTURAL FEATURES", "Current Periods Overcollateralization Amt", "total"
    ),
    "bonds.residual_interest_equals_net_monthly_excess_cashflow": group_line(
        "STRUCTURAL FEATURES", "Current Periods Net Monthly Excess Cashflow", "total"
    ),
    "bonds.total_principal_equals_collection_total_principal": group_line(
        "SUMMARY", "TOTAL PRINCIPAL", "total"
    ),
    "delinquency.adjustable_plus_fixed_equals_total": delinquency(
        "fixed", "foreclosure", "current", "balance"
    ),
    "delinquency.balance_pct_equals_balance_over_current_collateral": delinquency(
        "adjustable", "reo", "3_plus_payments", "balance_pct"
    ),
    "delinquency.loan_count_pct_equals_loan_count_over_current_collateral": delinquency(
        "total", "bankruptcy", "current", "loan_count_pct"
    ),
    "delinquency.total_bucket_equals_sum_of_buckets": delinquency(
        "adjustable", "delinquent", "total", "balance"
    ),
    "delinquency.total_status_equals_sum_of_statuses": delinquency(
        "total", "total", "1_payment", "loan_count"
    ),
    "derivatives.total_equals_cap_floor_swap_payments": group_line(
        "INTEREST - OTHER ACCOUNTS", "Floor Contract Payment Amounts", "total"
    ),
    "derivatives.total_equals_sum_of_contracts": first_row("derivative_payments", "amount"),
    "group_line.adjustable_plus_fixed_equals_total": group_line(
        "INTEREST - FEES", "Owner Trustee Fee", "fixed"
    ),
    "prepayment_detail.amounts_equal_collection_prepayments_in_full": first_row(
        "prepaid_loans", "prepayment_amount"
    ),
    "prepayment_detail.amounts_equal_paid_in_full_balance": first_row("prepaid_loans", "prepayment_amount"),
    "prepayment_detail.rows_equal_paid_in_full_loans": drop_first_prepaid_loan,
    "prepayment_detail.summary_count_equals_rows": record("prepayment_detail_summary", "loan_count"),
    "prepayment_detail.summary_original_balance_equals_sum_of_rows": record(
        "prepayment_detail_summary", "total_original_principal_balance"
    ),
    "prepayment_detail.summary_prepayment_amount_equals_sum_of_rows": record(
        "prepayment_detail_summary", "total_prepayment_amount"
    ),
    "rates.cdr_equals_annualised_mdr": rate("CDR", "since_cut_off", "fixed"),
    "rates.cpr_equals_annualised_smm": rate("CPR", "3_months"),
    "rates.smm_equals_prepayments_over_prior_less_scheduled": rate("SMM", "current", "total"),
    "realized_loss_detail.count_equals_loans_liquidated": record(
        "realized_loss_detail_summary", "loan_count"
    ),
    "realized_loss_detail.summary_count_equals_rows": record("realized_loss_detail_summary", "loan_count"),
    "realized_loss_detail.loss_equals_collateral_realized_loss": record(
        "realized_loss_detail_summary", "total_realized_loss"
    ),
    "realized_loss_detail.summary_loss_equals_sum_of_rows": record(
        "realized_loss_detail_summary", "total_realized_loss"
    ),
    "realized_loss_detail.proceeds_equal_net_liquidation_proceeds": record(
        "realized_loss_detail_summary", "total_net_liquidation_proceeds"
    ),
    "realized_loss_detail.summary_original_balance_equals_sum_of_rows": record(
        "realized_loss_detail_summary", "total_original_principal_balance"
    ),
    "realized_loss_detail.summary_prior_balance_equals_sum_of_rows": record(
        "realized_loss_detail_summary", "total_prior_principal_balance"
    ),
    "reo.summary_count_equals_rows": record("reo_summary", "loan_count"),
    "reo.summary_current_balance_equals_sum_of_stated_balances": record(
        "reo_summary", "total_current_balance"
    ),
    "reo.summary_original_balance_equals_sum_of_rows": record(
        "reo_summary", "total_original_principal_balance"
    ),
}
# The Total row checks: one per summed column, each broken by changing that column of the Total row.
for _field in _TOTAL_ROW_FIELDS:
    MUTATIONS[f"class_total.{_field}_equals_sum_of_classes"] = class_field("Total", _field)
# The declared line identities: each broken by changing its target line (first column it is printed in).
for _identity in _LINE_IDENTITIES:
    MUTATIONS[_identity.check] = group_line(
        _identity.target.subsection,
        _identity.target.label,
        "total",
        nth=_identity.target.nth,
        heading=_identity.target.heading,
    )


# --- the real statement


def test_real_statement_reconciles_with_zero_discrepancies(statement: Statement) -> None:
    discrepancies, checks_run = reconcile(statement)
    assert discrepancies == ()
    assert checks_run == sum(checks_run_by_name(statement).values())
    assert checks_run > 600


def test_every_check_ran_on_the_real_statement(statement: Statement) -> None:
    assert set(checks_run_by_name(statement)) == set(MUTATIONS)


def test_total_row_is_checked_on_every_dollar_column_and_no_factor_or_rate() -> None:
    assert len(_TOTAL_ROW_FIELDS) == 8 + 9 + 8  # current period, to date, interest detail
    assert not any(name.startswith("factor_") or name == "pass_through_rate" for name in _TOTAL_ROW_FIELDS)


def test_delinquency_grid_is_checked_for_all_three_groups(statement: Statement) -> None:
    # 5 statuses x 4 measures per group for the TOTAL bucket
    assert checks_run_by_name(statement)["delinquency.total_bucket_equals_sum_of_buckets"] == 3 * 5 * 4


@pytest.mark.parametrize("check", sorted(MUTATIONS))
def test_each_check_fails_when_a_printed_value_is_changed(statement: Statement, check: str) -> None:
    discrepancies, _ = reconcile(MUTATIONS[check](statement))
    found = [d for d in discrepancies if d.check == check]
    assert found, f"{check} did not notice the change"
    for d in found:
        assert d.difference == d.actual - d.expected
        assert abs(d.difference) > d.tolerance
        assert d.lines


def test_class_a_interest_is_prior_balance_times_rate_times_inclusive_days(statement: Statement) -> None:
    row = statement.bond_class("A")
    assert row.accrual_start is not None and row.accrual_end is not None
    assert (row.accrual_end - row.accrual_start).days + 1 == 31
    changed = dataclasses.replace(row, accrued_interest=Decimal("616656.87"))  # one cent off
    s = dataclasses.replace(statement, classes=(changed, *statement.classes[1:]))
    [d] = [d for d in reconcile(s)[0] if d.check.startswith("class.accrued_interest")]
    assert d.expected.quantize(Decimal("0.01")) == Decimal("616656.86")
    assert d.tolerance < Decimal("0.01")


def test_interest_printed_as_whole_dollars_is_allowed_its_cent_rounding(statement: Statement) -> None:
    # A month whose class A interest rounds to exactly 616657.00 prints "616657" (Excel General drops ".00");
    # the formula may still give 616656.996.
    row = statement.bond_class("A")
    assert row.accrual_start is not None and row.accrual_end is not None
    days = (row.accrual_end - row.accrual_start).days + 1
    prior = (Decimal("616656.996") * 360 / (Decimal("0.0166") * days)).quantize(Decimal("0.1"))
    changed = dataclasses.replace(
        row, interest_prior_principal_balance=prior, accrued_interest=Decimal("616657")
    )
    s = dataclasses.replace(statement, classes=(changed, *statement.classes[1:]))
    names = {d.check for d in reconcile(s)[0]}
    assert "class.accrued_interest_equals_balance_times_rate_times_days_over_360" not in names
    off = dataclasses.replace(changed, accrued_interest=Decimal("616658"))
    names = {
        d.check for d in reconcile(dataclasses.replace(statement, classes=(off, *statement.classes[1:])))[0]
    }
    assert "class.accrued_interest_equals_balance_times_rate_times_days_over_360" in names


def test_residual_cert_row_is_exempt_from_the_optimal_interest_identity(statement: Statement) -> None:
    cert = statement.bond_class("Cert")
    assert cert.accrued_interest == 0 and cert.optimal_interest == Decimal("1283280.58")
    names = {d.check for d in reconcile(statement)[0]}
    assert "class.optimal_interest_equals_accrued_less_shortfall_plus_prior_unpaid" not in names
    assert (
        checks_run_by_name(statement)[
            "class.optimal_interest_equals_accrued_less_shortfall_plus_prior_unpaid"
        ]
        == 2
    )


def test_cents_lost_to_printed_rounding_pass_but_one_more_cent_fails(statement: Statement) -> None:
    # The contract payments printed to the cent add up to 53,596.65; the total is printed 53,596.63.
    contracts = sum((p.amount for p in statement.derivative_payments), Decimal(0))
    assert contracts == Decimal("53596.65")
    assert reconcile(statement)[0] == ()
    first = statement.derivative_payments[0]
    nudged = dataclasses.replace(first, amount=first.amount + Decimal("0.10"))
    s = dataclasses.replace(statement, derivative_payments=(nudged, *statement.derivative_payments[1:]))
    [d] = [d for d in reconcile(s)[0] if d.check == "derivatives.total_equals_sum_of_contracts"]
    # 17 contracts and the total, each printed to the cent: 18 x 0.005 of rounding allowed.
    assert len(statement.derivative_payments) == 17
    assert d.difference == Decimal("-0.12") and d.tolerance == Decimal("0.090")


def _with_adjustable_balance(statement: Statement, delta: str) -> set[str]:
    adjustable = statement.collateral_group("adjustable")
    off = dataclasses.replace(adjustable, balance_current=adjustable.balance_current + Decimal(delta))
    rows = tuple(off if c.group == "adjustable" else c for c in statement.collateral)
    return {d.check for d in reconcile(dataclasses.replace(statement, collateral=rows))[0]}


def test_tolerance_follows_the_printed_digits_of_each_operand(statement: Statement) -> None:
    # Adjustable roll-forward: 456598109.9 + 0 - 482217.32 - 7769930.69 + 0 + 0 = 448345961.89, printed
    # 448345961.9. Allowed: 0.05 + 0.005 + 0.005 + 0.05 (integer zeros of Excel General are exact to 1e-9).
    check = "collateral.current_balance_equals_prior_plus_signed_movements"
    assert check not in _with_adjustable_balance(statement, "0.05")
    assert check in _with_adjustable_balance(statement, "0.2")


def test_integer_printed_excel_values_are_not_given_a_whole_unit_of_slack(statement: Statement) -> None:
    # "0" realized losses in an 11-character Excel General cell would have printed 0.1 as "0.1".
    total = statement.class_total
    changed = dataclasses.replace(total, realized_losses=Decimal("0.1"))
    names = {d.check for d in reconcile(dataclasses.replace(statement, class_total=changed))[0]}
    assert "class_total.realized_losses_equals_sum_of_classes" in names


@pytest.mark.parametrize(
    ("printed", "half_unit"),
    [
        ("0.00", "0.005"),  # fixed two-decimal money
        ("431396174.4", "0.05"),  # Excel General, 11 characters used
        ("472500000", "0.05"),  # General with room for one decimal it did not need
        ("0", "0.0000000005"),  # General zero: nine decimals would have shown
        ("-12345678", "0.05"),  # the minus sign takes a character
        ("1234567890", "0.5"),  # no room for decimals at all
    ],
)
def test_printed_precision_of_a_value(printed: str, half_unit: str) -> None:
    assert _printed(Decimal(printed)).err == Decimal(half_unit)


def test_printed_number_cache_stays_bounded_over_a_long_backfill() -> None:
    # A long-running backfill sees ever new printed numbers; the cache must not grow with the filing count.
    from decimal import Decimal

    from parsers import reconcile as module

    for i in range(3 * module._PRINTED_CACHE_SIZE):
        module._printed(Decimal(i).scaleb(-2))
    assert 0 < len(module._PRINTED) <= module._PRINTED_CACHE_SIZE
    assert module._printed(Decimal("431396174.4")).err == Decimal("0.05")
