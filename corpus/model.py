"""A deal's collateral and bonds, rolled forward month by month: the numbers behind each generated statement.

Loans are simulated one by one in integer cents (fast and exact): each month they pay scheduled principal,
some curtail, some prepay in full, some fall behind, go to foreclosure or bankruptcy, become REO and are
liquidated with a loss. Bonds A and B are paid the month's collected principal pro rata (as the real 2002-2
report shows: both classes have factor 896.3783891) and interest at LIBOR + margin, actual/360 with the day
count inclusive of both accrual dates. Losses are absorbed by overcollateralization; the residual ``Cert``
class receives the excess cash flow. Everything is derived from one ``random.Random`` seeded per deal.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = ["Deal", "DealSpec", "Loan", "Month", "distribution_date", "roll_forward"]

ADJ, FIX = "adjustable", "fixed"
GROUPS = (ADJ, FIX)
_STATES = ("CA", "CA", "CA", "CA", "CA", "FL", "FL", "IL", "NV", "WA", "OK", "VA", "AZ", "TX")
_ONE = Decimal(1)


def _cents(value: Decimal) -> int:
    return int(value.quantize(_ONE, ROUND_HALF_UP))


def _holidays(year: int) -> set[date]:
    return {date(year, 1, 1), date(year, 7, 4), date(year, 12, 25)}


def next_business_day(day: date) -> date:
    """``day`` or the first business day after it (weekends and the fixed-date holidays)."""
    while day.weekday() >= 5 or day in _holidays(day.year):
        day += timedelta(days=1)
    return day


def _business_day_on_or_before(day: date) -> date:
    while day.weekday() >= 5 or day in _holidays(day.year):
        day -= timedelta(days=1)
    return day


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def distribution_date(year: int, month: int) -> date:
    """The 25th, or the next business day (2002-08-26 and 2002-12-26 in the real filings)."""
    return next_business_day(date(year, month, 25))


@dataclass(slots=True)
class Loan:
    number: str
    group: str
    original: int  # whole dollars, as the detail reports print it
    rate_e5: int  # note rate in units of 0.00001 (0.05875 -> 5875)
    state: str
    ltv_bp: int  # LTV in basis points of a percent (93.34% -> 9334)
    term: int  # original term, months
    origination: date
    payment: int  # level monthly payment, cents
    balance: int  # cents
    margin_e5: int = 0
    max_rate_e5: int = 0
    min_rate_e5: int = 0
    cap_e5: int = 0
    behind: int = 0  # months delinquent
    status: str = "performing"  # performing / foreclosure / bankruptcy / reo
    reo_months: int = 0
    paid_to: date | None = None

    @property
    def rate(self) -> Decimal:
        return Decimal(self.rate_e5).scaleb(-5)

    @property
    def ltv(self) -> Decimal:
        return Decimal(self.ltv_bp).scaleb(-4)

    def interest(self) -> int:
        return (self.balance * self.rate_e5 + 600_000) // 1_200_000

    def age(self, on: date) -> int:
        return (on.year - self.origination.year) * 12 + on.month - self.origination.month


@dataclass(frozen=True, slots=True)
class DealSpec:
    """What identifies a deal: series, closing month, and the seed its loans and months are drawn from."""

    series: str  # "2003-4"
    closing: date
    seed: int
    loans: int = 240


@dataclass(slots=True)
class GroupMonth:
    """One collateral group in one distribution period, in cents (counts as ints)."""

    count_original: int = 0
    count_prior: int = 0
    count_prepaid: int = 0
    count_liquidated: int = 0
    count_current: int = 0
    bal_original: int = 0
    bal_prior: int = 0
    scheduled: int = 0
    curtailments: int = 0
    paid_in_full: int = 0
    liquidated: int = 0  # prior balance of liquidated loans
    realized_loss: int = 0
    bal_current: int = 0
    scheduled_interest: int = 0
    delinquent_principal: int = 0
    delinquent_interest: int = 0
    ppis: int = 0
    servicing_fee_total: int = 0
    servicing_fee_delinquent: int = 0
    compensating: int = 0
    owner_trustee_fee: int = 0
    indenture_trustee_fee: int = 0
    insurance_premium: int = 0
    pmi_premium: int = 0
    # characteristics (balance-weighted), Decimal
    wac: dict[str, Decimal] = field(default_factory=dict)
    wam: dict[str, Decimal] = field(default_factory=dict)
    amort: dict[str, Decimal] = field(default_factory=dict)
    seasoning: dict[str, Decimal] = field(default_factory=dict)
    arm: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    smm: Decimal = Decimal(0)
    mdr: Decimal = Decimal(0)
    # delinquency grid: (status, bucket) -> [balance cents, count]
    grid: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    cum_prepaid_count: int = 0
    cum_paid_in_full: int = 0
    cum_curtailments: int = 0
    cum_liquidated_count: int = 0
    cum_loss: int = 0
    cum_proceeds: int = 0
    rolling60: int = 0
    rolling90: int = 0

    @property
    def unscheduled(self) -> int:
        return self.curtailments + self.paid_in_full

    @property
    def principal_collected(self) -> int:
        return self.scheduled + self.curtailments + self.paid_in_full + self.liquidated - self.realized_loss

    @property
    def interest_advanced(self) -> int:
        return self.delinquent_interest - self.servicing_fee_delinquent

    @property
    def interest_collected(self) -> int:
        return (
            self.scheduled_interest
            - self.ppis
            - self.delinquent_interest
            + self.compensating
            + self.interest_advanced
        )

    @property
    def fees(self) -> int:
        return (
            self.owner_trustee_fee
            + self.indenture_trustee_fee
            + self.insurance_premium
            + self.pmi_premium
            + self.servicing_fee_current
        )

    @property
    def servicing_fee_current(self) -> int:
        return self.servicing_fee_total - self.servicing_fee_delinquent


@dataclass(slots=True)
class ClassMonth:
    name: str
    face: int
    rate: Decimal | None
    prior: int
    interest: int
    principal: int
    current: int
    to_date_interest: int
    to_date_principal: int
    to_date_scheduled: Decimal  # a pro-rata share, printed unrounded (3400120.302 in the real report)


@dataclass(slots=True)
class Month:
    """Everything one statement prints, before formatting."""

    number: int  # 1 = first distribution
    distribution: date
    accrual_start: date
    accrual_end: date
    record_date: date
    libor: Decimal
    groups: dict[str, GroupMonth]
    classes: list[ClassMonth]
    excess_cashflow: int
    derivative_payments: list[tuple[str, int]]
    required_oc: int
    oc: int
    prepaid: list[tuple[Loan, int, date]]  # loan, prepayment amount (cents), prepayment date
    new_reo: list[tuple[Loan, int]]  # loan, stated balance (cents)
    liquidated: list[tuple[Loan, int, int]]  # loan, prior balance, loss (cents)
    smm_history: dict[str, list[Decimal]]
    mdr_history: dict[str, list[Decimal]]
    was_history: dict[str, list[Decimal]]

    @property
    def days(self) -> int:
        return (self.accrual_end - self.accrual_start).days + 1

    def total(self, attribute: str) -> int:
        return sum(getattr(self.groups[g], attribute) for g in GROUPS)


@dataclass(slots=True)
class Deal:
    spec: DealSpec
    loans: list[Loan]
    cusips: tuple[str, str]
    class_faces: tuple[int, int]  # whole dollars, A and B
    margins: tuple[Decimal, Decimal]
    cut_off: date
    first_distribution: date
    months: list[Month] = field(default_factory=list)

    @property
    def series_code(self) -> str:
        """The ``YYSS`` digits of the document names (2003-4 -> 0304) and derivative ids."""
        year, number = self.spec.series.split("-")
        return f"{year[2:]}{int(number):02d}"

    @property
    def derivative_prefix(self) -> str:
        """Contract ids of the deal's floors: 2002-2 -> IMP022 (IMP022F1 in 0001020242-03-000013)."""
        year, number = self.spec.series.split("-")
        return f"IMP{year[2:]}{int(number)}"


def _cusip_check(base: str) -> str:
    total = 0
    for index, char in enumerate(base):
        value = int(char) if char.isdigit() else ord(char) - ord("A") + 10
        if index % 2:
            value *= 2
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


def _level_payment(balance_cents: int, rate_e5: int, term: int) -> int:
    with localcontext() as ctx:
        ctx.prec = 40
        r = Decimal(rate_e5) / Decimal(1_200_000)
        payment = Decimal(balance_cents) * r / (1 - (1 + r) ** -term)
    return _cents(payment)


def new_deal(spec: DealSpec) -> Deal:
    """Draw a deal's loan pool and bond structure from ``spec.seed``."""
    rng = random.Random(spec.seed)
    cut_off = date(spec.closing.year, spec.closing.month, 1)
    loans: list[Loan] = []
    fixed_count = max(3, spec.loans // 60)
    prefix = rng.choice(("11003", "11004", "25000", "11090"))
    serial = rng.randrange(10_000, 50_000)
    for index in range(spec.loans):
        group = FIX if index < fixed_count else ADJ
        serial += rng.randrange(1, 40)
        number = f"{prefix}{serial:05d}"
        original = rng.choice((50, 100, 250, 500, 1000)) * rng.randrange(80, 900)
        original = max(40_000, min(original, 900_000))
        if group == ADJ:
            rate_e5 = rng.randrange(36, 80) * 125  # 4.500% .. 9.875% in 1/8 steps
            term = 360
        else:
            rate_e5 = rng.randrange(64, 92) * 125
            term = 180
        age = rng.randrange(1, 7)
        year, month = _add_months(cut_off.year, cut_off.month, -age)
        origination = date(year, month, rng.randrange(1, 29))
        payment = _level_payment(original * 100, rate_e5, term)
        balance = original * 100
        for _ in range(age - 1):
            balance -= payment - (balance * rate_e5 + 600_000) // 1_200_000
        loan = Loan(
            number=number,
            group=group,
            original=original,
            rate_e5=rate_e5,
            state=rng.choice(_STATES),
            ltv_bp=rng.randrange(4500, 9700),
            term=term,
            origination=origination,
            payment=payment,
            balance=balance,
            paid_to=cut_off,
        )
        # Pools are sold with a few loans already behind (seasoned Alt-A collateral), so the delinquency, REO
        # and liquidation pages carry rows from the first months on.
        draw = rng.random()
        if draw < 0.02:
            loan.status, loan.behind = "foreclosure", rng.randrange(4, 7)
        elif draw < 0.05:
            loan.behind = rng.randrange(1, 4)
        if group == ADJ:
            loan.margin_e5 = rng.randrange(250, 325) * 10
            loan.max_rate_e5 = rate_e5 + rng.choice((5000, 6000, 7000))
            loan.min_rate_e5 = loan.margin_e5 + rng.choice((0, 0, 250))
            loan.cap_e5 = 1000 if rng.random() < 0.97 else 2000
        loans.append(loan)
    collateral = sum(loan.balance for loan in loans) // 100
    bonds = (collateral * 9800 // 10000) // 1000 * 1000
    face_a = bonds * 952 // 1000 // 1000 * 1000
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    base = f"45254N{rng.choice(letters)}"
    cusips = (base + "K" + _cusip_check(base + "K"), base + "L" + _cusip_check(base + "L"))
    year, month = _add_months(spec.closing.year, spec.closing.month, 1)
    return Deal(
        spec=spec,
        loans=loans,
        cusips=cusips,
        class_faces=(face_a, bonds - face_a),
        margins=(Decimal("0.0028"), Decimal("0.0210")),
        cut_off=cut_off,
        first_distribution=distribution_date(year, month),
    )


def _weighted(pairs: list[tuple[int, Decimal]]) -> Decimal:
    total = sum(weight for weight, _ in pairs)
    if not total:
        return Decimal(0)
    return sum((Decimal(weight) * value for weight, value in pairs), Decimal(0)) / Decimal(total)


def _characteristics(loans: list[Loan], on: date, use_prior: bool) -> dict[str, Decimal | dict[str, Decimal]]:
    pairs_weight = [(loan.balance, loan) for loan in loans if loan.balance > 0]
    wac = _weighted([(w, loan.rate) for w, loan in pairs_weight])
    ages = [(w, Decimal(loan.age(on) - (1 if use_prior else 0))) for w, loan in pairs_weight]
    seasoning = _weighted(ages)
    wam = _weighted(
        [(w, Decimal(loan.term - loan.age(on) + (1 if use_prior else 0))) for w, loan in pairs_weight]
    )
    # remaining amortisation term: what the level payment still needs at the current balance (months)
    amort = wam - Decimal("0.8") + Decimal(len(pairs_weight) % 7) / 10
    arm = {
        "margin": _weighted([(w, Decimal(loan.margin_e5).scaleb(-5)) for w, loan in pairs_weight]),
        "max_rate": _weighted([(w, Decimal(loan.max_rate_e5).scaleb(-5)) for w, loan in pairs_weight]),
        "min_rate": _weighted([(w, Decimal(loan.min_rate_e5).scaleb(-5)) for w, loan in pairs_weight]),
        "cap": _weighted([(w, Decimal(loan.cap_e5).scaleb(-5)) for w, loan in pairs_weight]),
    }
    return {"wac": wac, "wam": wam, "amort": amort, "seasoning": seasoning, "arm": arm}


def _bucket(behind: int) -> str:
    return ("current", "1_payment", "2_payments")[behind] if behind < 3 else "3_plus_payments"


def _step_status(loan: Loan, rng: random.Random) -> bool:
    """Advance one loan's delinquency; True when it became REO this period."""
    draw = rng.random()
    if loan.status == "performing":
        if loan.behind == 0:
            if draw < 0.012:
                loan.behind = 1
        elif loan.behind < 3:
            if draw < 0.35:
                loan.behind = 0
            elif draw < 0.80:
                loan.behind += 1
        elif draw < 0.30:
            loan.status = "foreclosure"
            loan.behind += 1
        elif draw < 0.36:
            loan.status = "bankruptcy"
        elif draw < 0.46:
            loan.behind = 0
        else:
            loan.behind += 1
    elif loan.status == "foreclosure":
        loan.behind += 1
        if draw < 0.22:
            loan.status = "reo"
            loan.reo_months = 0
            return True
    elif loan.status == "bankruptcy":
        if draw < 0.12:
            loan.status, loan.behind = "performing", 0
        else:
            loan.behind += 1
    elif loan.status == "reo":
        loan.behind += 1
        loan.reo_months += 1
    return False


def roll_forward(deal: Deal, months: int) -> list[Month]:
    """Simulate ``months`` distributions of ``deal`` (appends to ``deal.months`` and returns them)."""
    rng = random.Random(deal.spec.seed * 7919 + 1)
    libor = Decimal(rng.randrange(120, 260)) / Decimal(10000)
    original = {g: [loan for loan in deal.loans if loan.group == g] for g in GROUPS}
    count_original = {g: len(original[g]) for g in GROUPS}
    bal_original = {g: sum(loan.balance for loan in original[g]) for g in GROUPS}
    char_original = {g: _characteristics(original[g], deal.cut_off, use_prior=False) for g in GROUPS}
    char_original["total"] = _characteristics(deal.loans, deal.cut_off, use_prior=False)
    active = list(deal.loans)
    faces = deal.class_faces
    balances = [faces[0] * 100, faces[1] * 100]
    to_date_interest = [0, 0, 0]
    to_date_principal = [0, 0]
    to_date_scheduled = [Decimal(0), Decimal(0)]
    required_oc = sum(bal_original.values()) - (faces[0] + faces[1]) * 100
    cumulative = {g: {"prepaid": 0, "pif": 0, "curt": 0, "liq": 0, "loss": 0, "proceeds": 0} for g in GROUPS}
    smm_history: dict[str, list[Decimal]] = {g: [] for g in (*GROUPS, "total")}
    mdr_history: dict[str, list[Decimal]] = {g: [] for g in (*GROUPS, "total")}
    was_history: dict[str, list[Decimal]] = {g: [] for g in (*GROUPS, "total")}
    rolling: dict[str, list[tuple[int, int]]] = {g: [] for g in GROUPS}
    previous = deal.spec.closing
    year, month = deal.first_distribution.year, deal.first_distribution.month
    for number in range(1, months + 1):
        dist = distribution_date(year, month)
        period_year, period_month = _add_months(year, month, -1)
        last_day = calendar.monthrange(period_year, period_month)[1]
        record = _business_day_on_or_before(date(period_year, period_month, last_day))
        libor = max(Decimal("0.0100"), libor + Decimal(rng.randrange(-25, 26)) / Decimal(100000) * 10)
        groups = {g: GroupMonth() for g in GROUPS}
        prepaid: list[tuple[Loan, int, date]] = []
        new_reo: list[tuple[Loan, int]] = []
        liquidated: list[tuple[Loan, int, int]] = []
        survivors: list[Loan] = []
        prior_loans = {g: [loan for loan in active if loan.group == g] for g in GROUPS}
        prior_chars = {g: _characteristics(prior_loans[g], dist, use_prior=True) for g in GROUPS}
        remaining = {g: len(prior_loans[g]) for g in GROUPS}
        for g in GROUPS:
            gm = groups[g]
            gm.count_original, gm.bal_original = count_original[g], bal_original[g]
            gm.count_prior = len(prior_loans[g])
            gm.bal_prior = sum(loan.balance for loan in prior_loans[g])
        for loan in active:
            gm = groups[loan.group]
            prior = loan.balance
            fee_total = (prior * 375 + 600_000) // 1_200_000  # 0.375% servicing
            # REO loans are sold off after a few months: the whole prior balance leaves the pool, the loss is
            # what the sale did not recover.
            if loan.status == "reo" and loan.reo_months >= 2 and rng.random() < 0.35:
                loss = prior * rng.randrange(8, 35) // 100
                gm.liquidated += prior
                gm.realized_loss += loss
                gm.count_liquidated += 1
                liquidated.append((loan, prior, loss))
                loan.balance = 0
                remaining[loan.group] -= 1
                continue
            interest = loan.interest()
            scheduled = min(prior, max(0, loan.payment - interest))
            gm.scheduled_interest += interest
            gm.scheduled += scheduled
            gm.servicing_fee_total += fee_total
            loan.balance = prior - scheduled
            if loan.behind > 0:
                gm.delinquent_principal += scheduled
                gm.delinquent_interest += interest
                gm.servicing_fee_delinquent += fee_total
            became_reo = _step_status(loan, rng)
            if became_reo:
                new_reo.append((loan, loan.balance))
            can_prepay = loan.status == "performing" and loan.behind == 0 and remaining[loan.group] > 3
            pif_rate = 0.022 if loan.group == ADJ else 0.006
            if can_prepay and rng.random() < pif_rate:
                day = date(period_year, period_month, rng.randrange(1, last_day + 1))
                amount = loan.balance
                gm.paid_in_full += amount
                gm.count_prepaid += 1
                gm.ppis += interest * (last_day - day.day) // last_day
                prepaid.append((loan, amount, day))
                loan.balance = 0
                remaining[loan.group] -= 1
                continue
            if can_prepay and rng.random() < 0.06 and loan.balance > 100_000:
                curtail = loan.balance * rng.randrange(1, 40) // 1000
                gm.curtailments += curtail
                loan.balance -= curtail
            if loan.behind == 0:
                loan.paid_to = date(year, month, 1)
            survivors.append(loan)
        active = survivors
        for g in GROUPS:
            gm = groups[g]
            members = [loan for loan in active if loan.group == g]
            gm.count_current = len(members)
            gm.bal_current = sum(loan.balance for loan in members)
            assert gm.bal_current == gm.bal_prior - gm.scheduled - gm.unscheduled - gm.liquidated
            gm.compensating = min(gm.ppis, gm.servicing_fee_total - gm.servicing_fee_delinquent)
            gm.owner_trustee_fee = (gm.bal_prior * 17 + 6_000_000) // 12_000_000
            gm.indenture_trustee_fee = (gm.bal_prior * 40 + 6_000_000) // 12_000_000
            if g == ADJ:
                gm.insurance_premium = (gm.bal_prior * 1670 + 6_000_000) // 12_000_000
                gm.pmi_premium = (gm.bal_prior * 1290 + 6_000_000) // 12_000_000
            for status in ("delinquent", "foreclosure", "bankruptcy", "reo"):
                for bucket in ("current", "1_payment", "2_payments", "3_plus_payments"):
                    gm.grid[(status, bucket)] = [0, 0]
            for loan in members:
                if loan.status == "performing" and loan.behind == 0:
                    continue
                status = "delinquent" if loan.status == "performing" else loan.status
                cell = gm.grid[(status, _bucket(loan.behind))]
                cell[0] += loan.balance
                cell[1] += 1
            sixty = sum(loan.balance for loan in members if loan.behind >= 2)
            ninety = sum(loan.balance for loan in members if loan.behind >= 3)
            rolling[g].append((sixty, ninety))
            window = rolling[g][-3:]
            gm.rolling60 = sum(s for s, _ in window) // len(window)
            gm.rolling90 = sum(n for _, n in window) // len(window)
            base = gm.bal_prior - gm.scheduled
            gm.smm = Decimal(gm.unscheduled) / Decimal(base) if base else Decimal(0)
            gm.mdr = Decimal(gm.liquidated) / Decimal(gm.bal_prior) if gm.bal_prior else Decimal(0)
            cum = cumulative[g]
            cum["prepaid"] += gm.count_prepaid
            cum["pif"] += gm.paid_in_full
            cum["curt"] += gm.curtailments
            cum["liq"] += gm.count_liquidated
            cum["loss"] += gm.realized_loss
            cum["proceeds"] += gm.liquidated - gm.realized_loss
            gm.cum_prepaid_count, gm.cum_paid_in_full, gm.cum_curtailments = (
                cum["prepaid"],
                cum["pif"],
                cum["curt"],
            )
            gm.cum_liquidated_count, gm.cum_loss, gm.cum_proceeds = cum["liq"], cum["loss"], cum["proceeds"]
            current_chars = _characteristics(members, dist, use_prior=False)
            for key in ("wac", "wam", "amort", "seasoning"):
                getattr(gm, key).update(
                    original=char_original[g][key], prior=prior_chars[g][key], current=current_chars[key]
                )
            gm.arm = {
                "original": char_original[g]["arm"],
                "prior": prior_chars[g]["arm"],
                "current": current_chars["arm"],
            }
            smm_history[g].append(gm.smm)
            mdr_history[g].append(gm.mdr)
            was_history[g].append(gm.seasoning["current"])
        total_base = sum(groups[g].bal_prior - groups[g].scheduled for g in GROUPS)
        smm_history["total"].append(
            Decimal(sum(groups[g].unscheduled for g in GROUPS)) / Decimal(total_base)
            if total_base
            else Decimal(0)
        )
        total_prior = sum(groups[g].bal_prior for g in GROUPS)
        mdr_history["total"].append(Decimal(sum(groups[g].liquidated for g in GROUPS)) / Decimal(total_prior))
        was_history["total"].append(_characteristics(active, dist, use_prior=False)["seasoning"])
        # --- bonds
        accrual_start, accrual_end = previous, dist - timedelta(days=1)
        days = (accrual_end - accrual_start).days + 1
        principal = sum(groups[g].principal_collected for g in GROUPS)
        share_a = principal * faces[0] // (faces[0] + faces[1])
        paid = [min(share_a, balances[0]), 0]
        paid[1] = min(principal - paid[0], balances[1])
        scheduled_total = sum(groups[g].scheduled for g in GROUPS)
        rates = [libor + deal.margins[0], libor + deal.margins[1]]
        classes: list[ClassMonth] = []
        interest_paid = []
        for index, name in enumerate(("A", "B")):
            prior = balances[index]
            interest = _cents(Decimal(prior) * rates[index] * days / 360)
            interest_paid.append(interest)
            balances[index] = prior - paid[index]
            to_date_interest[index] += interest
            to_date_principal[index] += paid[index]
            to_date_scheduled[index] += Decimal(scheduled_total) * faces[index] / (faces[0] + faces[1])
            classes.append(
                ClassMonth(
                    name=name,
                    face=faces[index] * 100,
                    rate=rates[index],
                    prior=prior,
                    interest=interest,
                    principal=paid[index],
                    current=balances[index],
                    to_date_interest=to_date_interest[index],
                    to_date_principal=to_date_principal[index],
                    to_date_scheduled=to_date_scheduled[index],
                )
            )
        floors = []
        notional = (faces[0] + faces[1]) * 100 // 5
        for k in range(1, 6):
            strike = Decimal("0.0190") + Decimal(k) / Decimal(2000)
            amount = _cents(Decimal(notional) * max(Decimal(0), strike - libor) / 12) if libor < strike else 0
            floors.append((f"{deal.derivative_prefix}F{k}", amount))
        derivative_total = sum(amount for _, amount in floors)
        interest_total = sum(groups[g].interest_collected - groups[g].fees for g in GROUPS)
        excess = interest_total - sum(interest_paid) - derivative_total
        to_date_interest[2] += excess
        classes.append(
            ClassMonth(
                name="Cert",
                face=0,
                rate=None,
                prior=0,
                interest=excess,
                principal=0,
                current=0,
                to_date_interest=to_date_interest[2],
                to_date_principal=0,
                to_date_scheduled=Decimal(0),
            )
        )
        collateral = sum(groups[g].bal_current for g in GROUPS)
        deal.months.append(
            Month(
                number=number,
                distribution=dist,
                accrual_start=accrual_start,
                accrual_end=accrual_end,
                record_date=record,
                libor=libor,
                groups=groups,
                classes=classes,
                excess_cashflow=excess,
                derivative_payments=floors,
                required_oc=required_oc,
                oc=collateral - balances[0] - balances[1],
                prepaid=prepaid,
                new_reo=new_reo,
                liquidated=liquidated,
                smm_history={k: list(v) for k, v in smm_history.items()},
                mdr_history={k: list(v) for k, v in mdr_history.items()},
                was_history={k: list(v) for k, v in was_history.items()},
            )
        )
        previous = dist
        year, month = _add_months(year, month, 1)
    return deal.months
