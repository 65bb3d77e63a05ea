"""Write one month of a deal as the trustee's text statement, and return what it says as typed records.

The document is the real statement's wide lines (``corpus.layout``) with every value cell rewritten, the loan
detail tables rebuilt row by row on the real rows' column grid, then folded at 79 columns. The truth returned
alongside is a :class:`parsers.records.Statement` built from the *printed* cells (``Decimal`` of what was
written, percentages as fractions), with the 1-based line number of each row in the folded document, so a
parser that reads the document correctly returns exactly these values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from corpus.layout import (
    LayoutError,
    Line,
    excel_serial,
    fold,
    general,
    load_template,
    money,
    percent4,
    places,
)
from corpus.model import ADJ, FIX, GROUPS, Deal, GroupMonth, Loan, Month
from parsers import records as r

__all__ = ["CoverFacts", "RenderedStatement", "reading", "render_statement"]

_COLUMN_OF_END = {105: "adjustable", 120: "fixed", 135: "total"}
_COLUMN_OF_START = {90: "adjustable", 105: "fixed", 120: "total"}
_HEADINGS = frozenset({"Loan Count:", "Principal Balance:", "Current", "Cumulative", "PRE-FUNDING ACCOUNT"})
_BUCKETS = ("current", "1_payment", "2_payments", "3_plus_payments", "total")
_STATUSES = ("delinquent", "foreclosure", "bankruptcy", "reo", "total")
_MEASURES = ("balance", "balance_pct", "loan_count", "loan_count_pct")


@dataclass(frozen=True, slots=True)
class CoverFacts:
    """Cover-page facts that depend on the filing rather than the month's numbers."""

    commission_file_number: str = "333-06637"
    form: str = "8-K"  # "8-K/A" on an amendment's cover
    signed: date | None = None  # defaults to the distribution date + 7 days


@dataclass(frozen=True, slots=True)
class RenderedStatement:
    text: str
    truth: r.Statement


def reading(cell: str) -> Decimal | None:
    """The number a printed cell stands for: money with commas/parentheses, percentages as fractions."""
    text = cell.strip()
    if not text or text == "-":
        return None
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()").replace(",", "")
    value = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    return -value if negative else value


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def _replace_keep(line: Line, old: str, new: str, start: int = 0) -> int:
    """Replace text and absorb the length difference in the spaces after it, so later columns stay put."""
    position = line.text.find(old, start)
    if position < 0:
        raise LayoutError(f"template line has no {old!r}: {line.text.strip()[:60]!r}")
    after = line.text[position + len(old) :]
    delta = len(new) - len(old)
    # The first column gap (2+ spaces before more text) absorbs the difference: "IMP022C1 ... 0.00" keeps
    # its amount in column 120 when the contract id grows to IMP0210C1; "2002." and "2002 Distribution" are
    # one phrase with no gap and simply move.
    gap = re.search(r" {2,}(?=\S)", after)
    if gap and delta:
        start, end = gap.span()
        width = end - start - min(delta, end - start - 1) if delta > 0 else end - start - delta
        after = after[:start] + " " * width + after[end:]
    line.text = line.text[:position] + new + after
    return position + len(new)


class _Writer:
    """The template's lines for one statement, with the printed value of every cell written so far."""

    def __init__(self) -> None:
        template = load_template()
        self.template = template
        self.lines = [Line(text, segments) for text, segments in template.lines]
        self.values: dict[int, dict[str, Decimal | None]] = {}  # id(Line) -> column -> value

    def find(self, needle: str, start: int = 0, stop: int | None = None) -> int:
        return self.template.find(needle, start, stop)

    def label_row(self, label: str, start: int, stop: int | None = None) -> int:
        """The first line from ``start`` whose label (column 15) is exactly ``label``."""
        end = len(self.lines) if stop is None else stop
        for index in range(start, end):
            text = self.template.lines[index][0]
            if text.startswith(" " * 15 + label) and not text[15 + len(label) : 76].strip():
                return index
        raise LayoutError(f"template has no row labelled {label!r} in lines {start}..{end}")

    def fill(self, index: int, cells: list[str | None], after: int = 76) -> list[tuple[int, int, str]]:
        """Write ``cells`` into the value slots of template line ``index`` (None blanks the cell)."""
        line = self.lines[index]
        template_line = Line(self.template.lines[index][0])
        slots = template_line.slots(after)
        if len(slots) != len(cells):
            raise LayoutError(
                f"line {index} has {len(slots)} value cells, {len(cells)} given: {line.text.strip()[:50]!r}"
            )
        for (start, end, align), cell in zip(slots, cells, strict=True):
            text = "" if cell is None else cell
            if align == "right":
                line.put_right(end, text)
            else:
                line.put_left(start, text)
        return slots

    def group_row(self, index: int, cells: list[str | None]) -> None:
        """Fill a line of an ADJUSTABLE / FIXED / TOTAL table and remember each column's printed value.

        A line the template prints blank ("12 Months Avg SMM" of the young 2002-2 deal) gets its three
        values right-aligned in the ADJUSTABLE / FIXED / TOTAL columns, as every speed line prints them.
        """
        if not Line(self.template.lines[index][0]).slots(76):
            for end, cell in zip(_COLUMN_OF_END, cells, strict=True):
                self.lines[index].put_right(end, cell or "")
            self.values[id(self.lines[index])] = dict(
                zip(_COLUMN_OF_END.values(), (reading(c) if c else None for c in cells), strict=True)
            )
            return
        slots = self.fill(index, cells)
        found: dict[str, Decimal | None] = {}
        for (start, end, align), cell in zip(slots, cells, strict=True):
            column = _COLUMN_OF_END.get(end) if align == "right" else _COLUMN_OF_START.get(start)
            if column is None:
                raise LayoutError(
                    f"line {index}: cell at {start}-{end} is in no ADJUSTABLE/FIXED/TOTAL column"
                )
            found[column] = None if cell is None else reading(cell)
        self.values[id(self.lines[index])] = found


def _general3(values: tuple[Decimal | int, Decimal | int, Decimal | int]) -> list[str | None]:
    return [general(v) for v in values]


def _money3(values: tuple[int, int, int]) -> list[str | None]:
    return [money(_cents(v)) for v in values]


def _triple(gm: dict[str, GroupMonth], attribute: str) -> tuple[int, int, int]:
    a, f = getattr(gm[ADJ], attribute), getattr(gm[FIX], attribute)
    return a, f, a + f


def _avg_rate(history: list[Decimal], months: int | None) -> Decimal:
    window = history if months is None else history[-months:]
    product = Decimal(1)
    for value in window:
        product *= 1 - value
    return 1 - product ** (Decimal(1) / Decimal(len(window)))


def _annual(monthly: Decimal) -> Decimal:
    return 1 - (1 - monthly) ** 12


def _psa(cpr: Decimal, was: Decimal) -> Decimal:
    # PSA as the 2002 report prints it: 10 x CPR / (0.02 x min(30, WAS)) (0001020242-03-000013 shows CPR
    # 0.186314281, WAS 8.84237846, PSA 10.53530348); kept to the report's own scale, not the textbook one.
    base = Decimal("0.02") * min(Decimal(30), was)
    return Decimal(10) * cpr / base if base else Decimal(0)


def _sda(cdr: Decimal, was: Decimal) -> Decimal:
    capped = min(Decimal(30), was)
    if was < 61:
        base = capped * Decimal("0.02")
    else:
        base = max(Decimal("0.03"), capped * Decimal("0.02") - Decimal("0.0095") * (was - 60))
    return cdr / base if base else Decimal(0)


_WINDOWS = ("current", "3_months", "12_months", "since_cut_off")


def _was_windows(history: dict[str, list[Decimal]], *, cap: bool) -> dict[str, dict[str, Decimal]]:
    """WAS per window and group: PSA averages use min(30, WAS) (page 17), SDA the plain mean (page 21)."""

    def mean(values: list[Decimal]) -> Decimal:
        kept = [min(Decimal(30), v) for v in values] if cap else values
        return sum(kept, Decimal(0)) / len(kept)

    return {
        "current": {g: h[-1] for g, h in history.items()},
        "3_months": {g: mean(h[-3:]) for g, h in history.items()},
        "12_months": {g: mean(h[-12:]) for g, h in history.items()},
        "since_cut_off": {g: mean(h) for g, h in history.items()},
    }


def _speed_rows(
    names: tuple[str, str, str],
    history: dict[str, list[Decimal]],
    was: dict[str, dict[str, Decimal]],
    speed: Callable[[Decimal, Decimal], Decimal],
) -> list[tuple[str, str, str, dict[str, Decimal] | None]]:
    """The 12 lines of a speed table: monthly rate (SMM/MDR), annual (CPR/CDR), speed (PSA/SDA) x 4 windows.

    The 12-month lines stay blank until the deal has made 12 distributions (0001020242-03-000013, the 8th
    distribution of 2002-2, prints its 3-month averages and leaves the 12-month ones blank).
    """
    monthly, annual, speed_name = names
    rate = {
        "current": {g: h[-1] for g, h in history.items()},
        "3_months": {g: _avg_rate(h, 3) for g, h in history.items()},
        "12_months": {g: _avg_rate(h, 12) for g, h in history.items()},
        "since_cut_off": {g: _avg_rate(h, None) for g, h in history.items()},
    }
    rows: list[tuple[str, str, str, dict[str, Decimal] | None]] = []
    for metric in names:
        suffix = " Approximation" if metric == speed_name else ""
        labels = {
            "current": metric,
            "3_months": f"3 Months Avg {' ' if suffix else ''}{metric}{suffix}",
            "12_months": f"12 Months Avg {metric}{suffix}",
            "since_cut_off": f"Avg {metric} Since Cut-off{suffix}",
        }
        for window in _WINDOWS:
            values: dict[str, Decimal] | None
            if window == "12_months" and len(next(iter(history.values()))) < 12:
                values = None
            elif metric == monthly:
                values = rate[window]
            elif metric == annual:
                values = {g: _annual(v) for g, v in rate[window].items()}
            else:
                values = {g: speed(_annual(v), was[window][g]) for g, v in rate[window].items()}
            rows.append((labels[window], metric, window, values))
    return rows


def _group_number(loan: Loan) -> int:
    # the legend of the detail pages: Loan Group 1 = Fixed Group, Loan Group 2 = Adjustable Group
    return 2 if loan.group == ADJ else 1


def _state_and_ltv(loan: Loan) -> str:
    # glued to the note rate as printed: "0.0549CA  -  60.00%" (0001020242-03-000013, page 18)
    return f"{loan.state}  -  {loan.ltv * 100:.2f}%"


def _detail_row(loan: Loan, cells: list[tuple[int, str]]) -> Line:
    """A loan row of the REO / prepayment / realized-loss detail: loan number and group, then cells.

    A positive column is where a right-aligned value ends, a negative one where a left-aligned value starts.
    """
    line = Line("")
    line.put_left(0, loan.number)
    line.put_left(12, str(_group_number(loan)))
    for column, text in cells:
        if column > 0:
            line.put_right(column, text)
        else:
            line.put_left(-column, text)
    return line


def render_statement(deal: Deal, month: Month, cover: CoverFacts | None = None) -> RenderedStatement:
    """The folded statement text of ``month`` and the records it states."""
    cover = cover or CoverFacts()
    w = _Writer()
    gm = month.groups
    series = deal.spec.series
    dist = month.distribution
    signed = cover.signed or dist + timedelta(days=7)
    first_payment = deal.first_distribution
    old_code, new_code = "IMP022", deal.derivative_prefix
    # --- text that names the deal and its dates, wherever the template prints it
    substitutions = (
        ("December 26, 2002", _long_date(dist)),
        ("November 29, 2002", _long_date(month.record_date)),
        ("April 29, 2002", _long_date(deal.spec.closing)),
        ("April 1, 2002", _long_date(deal.cut_off)),
        ("May 28, 2002", _long_date(first_payment)),
        ("Jan 02, 2003", f"{signed:%b %d, %Y}"),
        ("2002-2", series),
        ("COPYRIGHT 2002", f"COPYRIGHT {dist.year}"),
        ("333-06637", cover.commission_file_number),
        (old_code, new_code),
    )
    for line in w.lines:
        for old, new in substitutions:
            # left to right, each occurrence once: the new text may contain the old (IMP022 -> IMP0222)
            position = line.text.find(old) if old != new else -1
            while position >= 0:
                position = line.text.find(old, _replace_keep(line, old, new, position))
    if cover.form != "8-K":
        _replace_keep(w.lines[w.find("FORM 8-K")], "FORM 8-K", f"FORM {cover.form}")
    # the cover splits the indenture date over two lines: "dated as of April 29," / "2002 providing ..."
    cover_line = w.find("Indenture, dated as of April 29,")
    _replace_keep(w.lines[cover_line], "April 29,", f"{deal.spec.closing:%B} {deal.spec.closing.day},")
    _replace_keep(w.lines[cover_line + 1], "2002 providing", f"{deal.spec.closing.year} providing")

    # --- Certificate Payment Report (pages 2-3)
    p2, _ = w.template.page_range(2)
    current_rows = [w.find(f"{name}   ", p2) for name in ("A ", "B ", "Cert", "Total")]
    current_rows = [w.find("\n", 0, 0) if False else i for i in current_rows]
    a_row = w.find("FLT, STEP,", p2)
    rows_current = {"A": a_row, "B": a_row + 1, "Cert": a_row + 2, "Total": a_row + 3}
    classes = {c.name: c for c in month.classes}
    bond_a, bond_b, cert = classes["A"], classes["B"], classes["Cert"]

    def dollars(cents: int) -> Decimal:
        return _cents(cents)

    total_row = {
        "face": bond_a.face + bond_b.face,
        "prior": bond_a.prior + bond_b.prior,
        "interest": bond_a.interest + bond_b.interest + cert.interest,
        "principal": bond_a.principal + bond_b.principal,
        "current": bond_a.current + bond_b.current,
        "to_date_interest": bond_a.to_date_interest + bond_b.to_date_interest + cert.to_date_interest,
        "to_date_principal": bond_a.to_date_principal + bond_b.to_date_principal,
        "to_date_scheduled": bond_a.to_date_scheduled + bond_b.to_date_scheduled,
    }
    printed: dict[str, dict[str, str | None]] = {}
    for name in ("A", "B", "Cert", "Total"):
        if name == "Total":
            face, prior, interest, principal, current = (
                total_row["face"],
                total_row["prior"],
                total_row["interest"],
                total_row["principal"],
                total_row["current"],
            )
            td_interest, td_principal = total_row["to_date_interest"], total_row["to_date_principal"]
            td_scheduled = total_row["to_date_scheduled"]
        else:
            c = classes[name]
            face, prior, interest, principal, current = c.face, c.prior, c.interest, c.principal, c.current
            td_interest, td_principal, td_scheduled = (
                c.to_date_interest,
                c.to_date_principal,
                c.to_date_scheduled,
            )
        cells = {
            "face": general(dollars(face)),
            "prior": general(dollars(prior)),
            "interest": general(dollars(interest)),
            "principal": general(dollars(principal)),
            "total": general(dollars(interest + principal)),
            "losses": "0",
            "deferred": "0",
            "current": general(dollars(current)),
            "td_interest": general(dollars(td_interest)),
            "td_unscheduled": general(dollars(td_principal) - td_scheduled / 100),
            "td_scheduled": general(td_scheduled / 100),
            "td_principal": general(dollars(td_principal)),
            "td_total": general(dollars(td_interest + td_principal)),
        }
        printed[name] = cells
        w.fill(
            rows_current[name],
            [
                cells[k]
                for k in ("face", "prior", "interest", "principal", "total", "losses", "deferred", "current")
            ],
            after=30,
        )
    accrual_a = w.find("A-Act/360", p2)
    start_serial, end_serial = str(excel_serial(month.accrual_start)), str(excel_serial(month.accrual_end))
    factors: dict[str, dict[str, str]] = {}
    for offset, (name, cusip) in enumerate((("A", deal.cusips[0]), ("B", deal.cusips[1]))):
        c = classes[name]
        face = Decimal(c.face)
        f = {
            "prior": general(Decimal(c.prior) / face * 1000),
            "interest": general(Decimal(c.interest) / face * 1000),
            "principal": general(Decimal(c.principal) / face * 1000),
            "total": general(Decimal(c.interest + c.principal) / face * 1000),
            "current": general(Decimal(c.current) / face * 1000),
        }
        factors[name] = f
        w.fill(
            accrual_a + offset,
            [
                start_serial,
                end_serial,
                "A-Act/360",
                cusip,
                general(dollars(c.face)),
                f["prior"],
                f["interest"],
                f["principal"],
                f["total"],
                f["current"],
            ],
            after=20,
        )
    w.fill(accrual_a + 2, [start_serial, end_serial, "-", "0", "0", "0", "0", "0", "0"], after=20)
    p3, _ = w.template.page_range(3)
    to_date_a = w.find("A    ", p3)
    for offset, name in enumerate(("A", "B", "Cert", "Total")):
        cells = printed[name]
        w.fill(
            to_date_a + offset,
            [
                cells["face"],
                cells["td_interest"],
                cells["td_unscheduled"],
                cells["td_scheduled"],
                cells["td_principal"],
                cells["td_total"],
                "0",
                "0",
                cells["current"],
            ],
            after=15,
        )
    detail_a = w.find("A    ", w.find("Interest Detail", p3))
    for offset, name in enumerate(("A", "B")):
        c = classes[name]
        cells = printed[name]
        w.fill(
            detail_a + offset,
            [
                general(c.rate) if c.rate is not None else None,
                cells["prior"],
                cells["interest"],
                "0",
                "0",
                "0",
                cells["interest"],
                cells["interest"],
                "0",
            ],
            after=20,
        )
    cert_cells = printed["Cert"]
    w.fill(
        detail_a + 2, ["0", "0", "0", "0", "0", cert_cells["interest"], cert_cells["interest"], "0"], after=20
    )
    accrued_total = general(dollars(bond_a.interest + bond_b.interest))
    w.fill(
        detail_a + 3,
        [
            printed["Total"]["prior"],
            accrued_total,
            "0",
            "0",
            "0",
            printed["Total"]["interest"],
            printed["Total"]["interest"],
            "0",
        ],
        after=20,
    )

    # --- Collection Account Report (pages 4-6)
    p4, _ = w.template.page_range(4)
    _, p6_end = w.template.page_range(6)
    principal = _triple(gm, "principal_collected")
    interest_collected = _triple(gm, "interest_collected")
    fees = _triple(gm, "fees")
    total_interest = tuple(i - f for i, f in zip(interest_collected, fees, strict=True))
    zeros = (0, 0, 0)
    summary = w.find("SUMMARY", p4)
    rows = [
        ("Principal Collections", principal),
        ("Principal Withdrawals", zeros),
        ("Principal Other Accounts", zeros),
        ("TOTAL PRINCIPAL", principal),
        ("Interest Collections", interest_collected),
        ("Interest Withdrawals", zeros),
        ("Interest Other Accounts", zeros),
        ("Interest Fees", tuple(-f for f in fees)),
        ("TOTAL INTEREST", total_interest),
        (
            "TOTAL AVAILABLE FUNDS TO BONDHOLDERS",
            tuple(p + i for p, i in zip(principal, total_interest, strict=True)),
        ),
    ]
    cursor = summary
    for label, values in rows:
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, _money3(values))  # type: ignore[arg-type]
    delinquent_principal = _triple(gm, "delinquent_principal")
    liquidated = _triple(gm, "liquidated")
    losses = _triple(gm, "realized_loss")
    rows = [
        ("Scheduled Principal", _triple(gm, "scheduled")),
        ("Curtailments", _triple(gm, "curtailments")),
        ("Prepayments in Full", _triple(gm, "paid_in_full")),
        ("Repurchases/Substitutions", zeros),
        ("Liquidations", liquidated),
        ("Insurance Principal", zeros),
        ("Other Additional Principal", zeros),
        ("Delinquent Principal", tuple(-v for v in delinquent_principal)),
        ("Realized Losses", tuple(-v for v in losses)),
        ("Substitution Adjustments- Principal", zeros),
        ("Termination Price Amounts- Principal", zeros),
        ("Additional Principal Amts", zeros),
        ("Principal Advanced", delinquent_principal),
        ("TOTAL PRINCIPAL", principal),
    ]
    cursor = w.find("PRINCIPAL - COLLECTIONS", p4)
    for label, values in rows:
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, _money3(values))  # type: ignore[arg-type]
    ppis = _triple(gm, "ppis")
    compensating = _triple(gm, "compensating")
    delinquent_interest = _triple(gm, "delinquent_interest")
    advanced = _triple(gm, "interest_advanced")
    rows = [
        ("Scheduled Interest", _triple(gm, "scheduled_interest")),
        ("Repurchases/Substitutions", zeros),
        ("Liquidations", zeros),
        ("Insurance Interest", zeros),
        ("Other Additional Interest", zeros),
        ("Prepayment Interest Shortfalls", tuple(-v for v in ppis)),
        ("Relief Act Interest Shortfalls", zeros),
        ("Delinquent Interest", tuple(-v for v in delinquent_interest)),
        ("Interest Realized Losses", zeros),
        ("Compensating Interest", compensating),
        ("Substitution Adjustments- Interest", zeros),
        ("Termination Price Amounts- Interest", zeros),
        ("Additional Interest Amts", zeros),
        ("Interest Prepayment Premiums", zeros),
        ("Interest Advanced", advanced),
        ("Cap Contract Payment Amt", zeros),
        ("TOTAL INTEREST", interest_collected),
    ]
    cursor = w.find("INTEREST - COLLECTIONS", p4)
    for label, values in rows:
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, _money3(values))  # type: ignore[arg-type]
    cursor = w.find("INTEREST - WITHDRAWALS", p4)
    for label in (
        "Prev. Unreimbursed PMI Premiums",
        "Prev. Unreimbursed Spec Haz Premiums",
        "Prev. Unreimbursed Liq. Expenses",
        "Prev. Unreimbursed Master/Sub-Servicing Fees",
        "Amt Rvcd Not Due Bondholder /Deposits in Error",
        "Prev. Unreimb. P&I Advances/Non Recov Advances",
        "Prev. Unreimbursed Servicing Advances",
        "Clear and Terminate Collection Account",
        "TOTAL INTEREST WITHDRAWALS",
    ):
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, _money3(zeros))
    derivative_total = sum(amount for _, amount in month.derivative_payments)
    cursor = w.find("INTEREST - OTHER ACCOUNTS", p4)
    for label, value in (
        ("Cap Contract Payment Amounts", 0),
        ("Floor Contract Payment Amounts", derivative_total),
        ("Swap Contract Payment Amounts", 0),
    ):
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, [money(_cents(value))])
    rows = [
        ("Owner Trustee Fee", _triple(gm, "owner_trustee_fee")),
        ("Indenture Trustee Fee", _triple(gm, "indenture_trustee_fee")),
        ("Bond Insurance Premium Amount", _triple(gm, "insurance_premium")),
        ("Radian PMI Insurance Premiums", _triple(gm, "pmi_premium")),
        ("Current Servicing Fees", _triple(gm, "servicing_fee_current")),
        ("TOTAL INTEREST  FEES", fees),
    ]
    cursor = w.find("INTEREST - FEES", p4, p6_end)
    for label, values in rows:
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, _money3(values))  # type: ignore[arg-type]

    # --- Credit Enhancement Report (page 7)
    p7, _ = w.template.page_range(7)
    rolling60 = gm[ADJ].rolling60 + gm[FIX].rolling60
    rolling90 = gm[ADJ].rolling90 + gm[FIX].rolling90
    bonds_prior = bond_a.prior + bond_b.prior
    available_rate = Decimal(total_interest[2]) * 12 / Decimal(bonds_prior) if bonds_prior else Decimal(0)
    credit_cells = [
        ("Current Periods Required Overcollateralization Amt", money(_cents(month.required_oc))),
        ("Current Periods Overcollateralization Amt", money(_cents(month.oc))),
        ("Current Periods Extra Principal Distribution", money(Decimal(0))),
        ("Current Periods Net Monthly Excess Cashflow", money(_cents(month.excess_cashflow))),
        ("Current Periods Overcollateralization Release", money(Decimal(0))),
        ("60 Day Rolling Delinquency Amount", money(_cents(rolling60))),
        ("90 Day Rolling Delinquency Amount", money(_cents(rolling90))),
        ("Available Funds Rate", percent4(available_rate)),
    ]
    cursor = w.find("STRUCTURAL FEATURES", p7)
    credit_values = []
    for label, cell in credit_cells:
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, [cell])
        credit_values.append((cursor, reading(cell)))

    # --- Collateral Report (pages 8-10)
    p8, _ = w.template.page_range(8)
    collateral_rows: dict[str, dict[str, int | Decimal]] = {g: {} for g in (*GROUPS, "total")}

    def collateral_line(
        label: str,
        start: int,
        values: tuple[int, int, int] | tuple[Decimal, Decimal, Decimal],
        key: str,
        fmt=general,
    ) -> int:
        index = w.label_row(label, start)
        w.group_row(index, [fmt(v) for v in values])
        for group, value in zip((*GROUPS, "total"), values, strict=True):
            collateral_rows[group][key] = value
        return index

    def dollars3(attribute: str, sign: int = 1) -> tuple[Decimal, Decimal, Decimal]:
        a, f, total = _triple(gm, attribute)
        return _cents(sign * a), _cents(sign * f), _cents(sign * total)

    table = w.find("COLLATERAL", p8)
    cursor = w.label_row("Loan Count:", table)
    cursor = collateral_line("Original", cursor, _triple(gm, "count_original"), "count_original")
    cursor = collateral_line("Prior", cursor, _triple(gm, "count_prior"), "count_prior")
    cursor = collateral_line("Prefunding", cursor, zeros, "count_prefunding")
    cursor = collateral_line("Scheduled Paid Offs", cursor, zeros, "count_scheduled")
    counts_prepaid = tuple(-v for v in _triple(gm, "count_prepaid"))
    cursor = collateral_line("Full Voluntary Prepayments", cursor, counts_prepaid, "count_prepaid")  # type: ignore[arg-type]
    cursor = collateral_line("Repurchases", cursor, zeros, "count_repurchases")
    counts_liquidated = tuple(-v for v in _triple(gm, "count_liquidated"))
    cursor = collateral_line("Liquidations", cursor, counts_liquidated, "count_liquidations")  # type: ignore[arg-type]
    cursor = collateral_line("Current", cursor, _triple(gm, "count_current"), "count_current")
    cursor = w.label_row("Principal Balance:", cursor)
    cursor = collateral_line("Original", cursor, dollars3("bal_original"), "bal_original")
    cursor = collateral_line("Prior", cursor, dollars3("bal_prior"), "bal_prior")
    cursor = collateral_line("Prefunding", cursor, (Decimal(0),) * 3, "bal_prefunding")  # type: ignore[arg-type]
    cursor = collateral_line("Scheduled Principal", cursor, dollars3("scheduled", -1), "bal_scheduled")
    cursor = collateral_line(
        "Partial and Full Voluntary Prepayments", cursor, dollars3("unscheduled", -1), "bal_prepay"
    )
    cursor = collateral_line("Repurchases", cursor, (Decimal(0),) * 3, "bal_repurchases")  # type: ignore[arg-type]
    cursor = collateral_line("Liquidations", cursor, dollars3("liquidated", -1), "bal_liquidations")
    cursor = collateral_line("Current", cursor, dollars3("bal_current"), "bal_current")
    cursor = w.find("PRE-FUNDING ACCOUNT", cursor)
    for label in (
        "Original Pre-Funded Amount",
        "Balance of Subsequent Mortgage Loans added this period",
        "Withdrawal remaining amounts",
        "Pre-Funding Account Ending Balance",
    ):
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, [money(Decimal(0))])

    def characteristic(attribute: str, when: str) -> tuple[Decimal, Decimal, Decimal]:
        adj, fix = getattr(gm[ADJ], attribute)[when], getattr(gm[FIX], attribute)[when]
        weights = {
            "original": (gm[ADJ].bal_original, gm[FIX].bal_original),
            "prior": (gm[ADJ].bal_prior, gm[FIX].bal_prior),
            "current": (gm[ADJ].bal_current, gm[FIX].bal_current),
        }[when]
        total = (adj * weights[0] + fix * weights[1]) / (weights[0] + weights[1])
        return adj, fix, total

    p9, _ = w.template.page_range(9)
    cursor = w.find("CHARACTERISTICS", p9)
    char_printed: dict[str, tuple[str, str, str]] = {}
    for name, attribute, styles in (
        ("Weighted Average Coupon", "wac", (general, general, general)),
        (
            "Weighted Average Months to Maturity",
            "wam",
            (lambda v: general(round(v)), lambda v: general(round(v)), general),
        ),
        ("Weighted Avg Remaining Amortization Term", "amort", (general, general, general)),
        (
            "Weighted Average Seasoning",
            "seasoning",
            (lambda v: places(v, 8), lambda v: places(v, 8), general),
        ),
    ):
        for when in ("original", "prior", "current"):
            values = characteristic(attribute, when)
            cells = [style(v) for style, v in zip(styles, values, strict=True)]
            cursor = w.label_row(f"{name} {when.capitalize()}", cursor)
            w.group_row(cursor, cells)
            char_printed[f"{attribute}_{when}"] = tuple(cells)  # type: ignore[assignment]
    p10, _ = w.template.page_range(10)
    cursor = w.find("ARM CHARACTERISTICS", p10)
    arm_printed: dict[str, str] = {}
    for name, key in (
        ("Margin", "margin"),
        ("Max Rate", "max_rate"),
        ("Min Rate", "min_rate"),
        ("Cap Up", "cap"),
        ("Cap Down", "cap"),
    ):
        for when in ("original", "prior", "current"):
            cell = places(gm[ADJ].arm[when][key], 8)
            cursor = w.label_row(f"Weighted Average {name} {when.capitalize()}", cursor)
            w.group_row(cursor, [cell])
            arm_printed[f"{name}_{when}"] = cell
    service_total = _triple(gm, "servicing_fee_total")
    service_delinquent = _triple(gm, "servicing_fee_delinquent")
    rows = [
        ("Current Servicing Fees", _triple(gm, "servicing_fee_current")),
        ("Delinquent Servicing Fees", service_delinquent),
        ("TOTAL SERVICING FEES", service_total),
        ("Total Servicing Fees", service_total),
        ("Compensating Interest", tuple(-v for v in compensating)),
        ("Delinquent Servicing Fees", tuple(-v for v in service_delinquent)),
        (
            "COLLECTED SERVICING FEES",
            tuple(
                t_ - c - d for t_, c, d in zip(service_total, compensating, service_delinquent, strict=True)
            ),
        ),
        ("Current PPIS", ppis),
        ("Current Net PPIS", tuple(p - c for p, c in zip(ppis, compensating, strict=True))),
        ("Total Advanced Principal For Current Payment Date", delinquent_principal),
        ("Total Advanced Interest For Current Payment Date", advanced),
        (
            "TOTAL ADVANCES FOR CURRENT PERIOD",
            tuple(p + i for p, i in zip(delinquent_principal, advanced, strict=True)),
        ),
    ]
    cursor = w.find("SERVICING FEES / ADVANCES", p10)
    for label, values in rows:
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, _money3(values))  # type: ignore[arg-type]

    # --- Delinquency Report (pages 11-13: Total, Fixed Group, Adjustable Group)
    delinquency: list[tuple[str, str, str, str, Decimal | None, int]] = []  # + line object id
    line_of_cell: dict[tuple[str, str, str, str], Line] = {}
    for page, group in ((11, "total"), (12, FIX), (13, ADJ)):
        first, _ = w.template.page_range(page)
        header = w.find("CURRENT        1 PAYMENT", first)
        if group == "total":
            grid = {
                key: [
                    gm[ADJ].grid[key][0] + gm[FIX].grid[key][0],
                    gm[ADJ].grid[key][1] + gm[FIX].grid[key][1],
                ]
                for key in gm[ADJ].grid
            }
            balance = gm[ADJ].bal_current + gm[FIX].bal_current
            count = gm[ADJ].count_current + gm[FIX].count_current
        else:
            grid, balance, count = gm[group].grid, gm[group].bal_current, gm[group].count_current
        for s_index, status in enumerate(_STATUSES):
            for m_index, measure in enumerate(_MEASURES):
                index = header + 1 + s_index * 4 + m_index
                cells: list[str | None] = []
                for bucket in _BUCKETS:
                    if status == "delinquent" and bucket == "current":
                        value = None
                    else:
                        statuses = (
                            ("delinquent", "foreclosure", "bankruptcy", "reo")
                            if status == "total"
                            else (status,)
                        )
                        buckets = (
                            ("current", "1_payment", "2_payments", "3_plus_payments")
                            if bucket == "total"
                            else (bucket,)
                        )
                        bal = sum(grid[(s, b)][0] for s in statuses for b in buckets if (s, b) in grid)
                        num = sum(grid[(s, b)][1] for s in statuses for b in buckets if (s, b) in grid)
                        if measure == "balance":
                            value = general(_cents(bal))
                        elif measure == "balance_pct":
                            value = general(Decimal(bal) / Decimal(balance)) if balance else "0"
                        elif measure == "loan_count":
                            value = str(num)
                        else:
                            value = general(Decimal(num) / Decimal(count)) if count else "0"
                    if value is not None:
                        cells.append(value)
                    delinquency.append(
                        (group, status, bucket, measure, None if value is None else reading(value), index)
                    )
                    line_of_cell[(group, status, bucket, measure)] = w.lines[index]
                w.fill(index, cells, after=40)

    # --- REO Report (page 14)
    p14, _ = w.template.page_range(14)
    reo_summary_line = w.find("Total Loan Count =", p14)
    reo_original = sum(loan.original for loan, _ in month.new_reo)
    reo_current = sum(balance for _, balance in month.new_reo)
    _set_after_equals(w.lines[reo_summary_line], "Total Loan Count =   ", str(len(month.new_reo)))
    _set_after_equals(
        w.lines[reo_summary_line + 1], "Total Original Principal Balance =   ", money(Decimal(reo_original))
    )
    _set_after_equals(w.lines[reo_summary_line + 2], "Total Current Balance =   ", money(_cents(reo_current)))
    reo_rows: list[tuple[Line, r.ReoLoan]] = []
    for loan, stated in month.new_reo:
        paid_to = loan.paid_to or deal.cut_off
        line = _detail_row(
            loan,
            [
                (45, general(loan.original)),
                (60, general(_cents(stated))),
                (75, str(excel_serial(paid_to))),
                (90, general(loan.rate)),
                (-90, _state_and_ltv(loan)),
                (120, str(loan.term)),
                (135, str(excel_serial(loan.origination))),
            ],
        )
        reo_rows.append(
            (
                line,
                r.ReoLoan(
                    loan_number=loan.number,
                    group=_group_number(loan),
                    original_principal_balance=Decimal(loan.original),
                    stated_principal_balance=reading(general(_cents(stated))) or Decimal(0),
                    paid_to_date=paid_to,
                    note_rate=loan.rate,
                    state=loan.state,
                    ltv_at_origination=loan.ltv,
                    original_term=loan.term,
                    origination_date=loan.origination,
                    line=0,
                ),
            )
        )
    reo_first_row = w.find("1109005345", p14)
    _splice(w, reo_first_row, reo_first_row + 1, [line for line, _ in reo_rows])

    # --- Prepayment Report (pages 15-17)
    p15, _ = w.template.page_range(15)
    prepay_rows = [
        (
            "Current",
            [
                ("Number of Paid in Full Loans", _triple(gm, "count_prepaid"), False),
                ("Number of Repurchased Loans", zeros, False),
                ("Total Number of Loans Prepaid in Full", _triple(gm, "count_prepaid"), False),
                ("Paid in Full Balance", _triple(gm, "paid_in_full"), True),
                ("Repurchased Loans Balance", zeros, True),
                ("Curtailments Amount", _triple(gm, "curtailments"), True),
                ("Total Prepayment Amount", _triple(gm, "unscheduled"), True),
            ],
        ),
        (
            "Cumulative",
            [
                ("Number of Paid in Full Loans", _triple(gm, "cum_prepaid_count"), False),
                ("Number of Repurchased Loans", zeros, False),
                ("Total Number of Loans Prepaid in Full", _triple(gm, "cum_prepaid_count"), False),
                ("Paid in Full Balance", _triple(gm, "cum_paid_in_full"), True),
                ("Repurchased Loans Balance", zeros, True),
                ("Curtailments Amount", _triple(gm, "cum_curtailments"), True),
                (
                    "Total Prepayment Amount",
                    tuple(
                        a + b
                        for a, b in zip(
                            _triple(gm, "cum_paid_in_full"), _triple(gm, "cum_curtailments"), strict=True
                        )
                    ),
                    True,
                ),
            ],
        ),
    ]
    cursor = w.find("VOLUNTARY PREPAYMENTS", p15)
    for heading, items in prepay_rows:
        cursor = w.label_row(heading, cursor)
        for label, values, is_money in items:
            cursor = w.label_row(label, cursor)
            w.group_row(cursor, [general(_cents(v)) if is_money else str(v) for v in values])
    for label in (
        "Current Prin Balance of Repurchases Per Sec 3.18",
        "Cumulative Prin Balance of Repurchases Per Sec 3.18",
    ):
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, _money3(zeros))
    rates: list[tuple[str, str, str, Decimal | None, Line]] = []

    def rate_block(metric_rows: list[tuple[str, str, str, dict[str, Decimal] | None]], start: int) -> int:
        cursor = start
        for label, metric, window, values in metric_rows:
            cursor = w.label_row(label, cursor)
            if values is None:
                for group in (*GROUPS, "total"):
                    rates.append((metric, window, group, None, w.lines[cursor]))
                continue
            cells = [general(values[g]) for g in (*GROUPS, "total")]
            w.group_row(cursor, cells)
            for group, cell in zip((*GROUPS, "total"), cells, strict=True):
                rates.append((metric, window, group, reading(cell), w.lines[cursor]))
        return cursor

    groups3 = (*GROUPS, "total")
    rate_block(
        _speed_rows(
            ("SMM", "CPR", "PSA"), month.smm_history, _was_windows(month.was_history, cap=True), _psa
        ),
        w.find("VOLUNTARY PREPAYMENT RATES", w.template.page_range(16)[0]),
    )

    # --- Prepayment Detail Report (page 18)
    p18, _ = w.template.page_range(18)
    detail_summary = w.find("Total Loan Count =", p18)
    prepaid_original = sum(loan.original for loan, _, _ in month.prepaid)
    prepaid_amount = sum(amount for _, amount, _ in month.prepaid)
    _set_after_equals(w.lines[detail_summary], "Total Loan Count =   ", str(len(month.prepaid)))
    _set_after_equals(
        w.lines[detail_summary + 1], "Total Original Principal Balance =   ", money(Decimal(prepaid_original))
    )
    _set_after_equals(
        w.lines[detail_summary + 2], "Total Prepayment Amount =   ", money(_cents(prepaid_amount))
    )
    prepaid_rows: list[tuple[Line, r.PrepaidLoan]] = []
    for loan, amount, day in month.prepaid:
        kind = f"Paid Off  -  {loan.term}"[:15]  # truncated to its column: "Paid Off  -  36" for term 360
        line = _detail_row(
            loan,
            [
                (60, general(loan.original)),
                (75, general(_cents(amount))),
                (90, str(excel_serial(day))),
                (105, general(loan.rate)),
                (-105, _state_and_ltv(loan)),
                (-120, kind),
                (150, str(excel_serial(loan.origination))),
            ],
        )
        prepaid_rows.append(
            (
                line,
                r.PrepaidLoan(
                    loan_number=loan.number,
                    group=_group_number(loan),
                    loan_status=None,
                    original_principal_balance=Decimal(loan.original),
                    prepayment_amount=_cents(amount),
                    prepayment_date=day,
                    note_rate=loan.rate,
                    state=loan.state,
                    ltv_at_origination=loan.ltv,
                    type_and_term=kind,
                    prepayment_type="Paid Off",
                    origination_date=loan.origination,
                    line=0,
                ),
            )
        )
    prepay_first = w.find("1100344047", p18)
    prepay_last = w.find("2500015894", p18)
    _splice(w, prepay_first, prepay_last + 1, [line for line, _ in prepaid_rows])

    # --- Realized Loss Report (pages 19-21)
    p19, _ = w.template.page_range(19)
    loss_rows = [
        (
            "Current",
            [
                ("Number of Loans Liquidated", _triple(gm, "count_liquidated"), False),
                ("Collateral Realized Loss/(Gain) Amount", _triple(gm, "realized_loss"), True),
                (
                    "Net Liquidation Proceeds",
                    tuple(
                        a - b
                        for a, b in zip(_triple(gm, "liquidated"), _triple(gm, "realized_loss"), strict=True)
                    ),
                    True,
                ),
            ],
        ),
        (
            "Cumulative",
            [
                ("Number of Loans Liquidated", _triple(gm, "cum_liquidated_count"), False),
                ("Collateral Realized Loss/(Gain) Amount", _triple(gm, "cum_loss"), True),
                ("Net Liquidation Proceeds", _triple(gm, "cum_proceeds"), True),
            ],
        ),
    ]
    cursor = w.find("COLLATERAL REALIZED LOSSES", p19)
    for heading, items in loss_rows:
        cursor = w.label_row(heading, cursor)
        for label, values, is_money in items:
            cursor = w.label_row(label, cursor)
            w.group_row(cursor, [general(_cents(v)) if is_money else str(v) for v in values])
    original_total = gm[ADJ].bal_original + gm[FIX].bal_original
    cumulative_loss_pct = percent4(Decimal(gm[ADJ].cum_loss + gm[FIX].cum_loss) / Decimal(original_total))
    cursor = w.label_row("Cumulative Loss Percentage For Related Payment Date", cursor)
    w.group_row(cursor, [cumulative_loss_pct])
    cursor = rate_block(
        _speed_rows(
            ("MDR", "CDR", "SDA"), month.mdr_history, _was_windows(month.was_history, cap=False), _sda
        ),
        w.find("DEFAULT SPEEDS", w.template.page_range(20)[0]),
    )
    for label, window in (
        ("Loss Severity Approximation for Current Period", "current"),
        ("3 Months Avg Loss Severity Approximation", "3_months"),
        ("12 Months Avg Loss Severity Approximation", "12_months"),
        ("Avg  Loss Severity Approximation Since Cut-off", "since_cut_off"),
    ):
        cursor = w.label_row(label, cursor)
        for group in groups3:
            rates.append(("LOSS_SEVERITY", window, group, None, w.lines[cursor]))

    # --- Realized Loss Detail Report (page 22)
    p22, _ = w.template.page_range(22)
    loss_summary = w.find("Total Loan Count =", p22)
    liq_original = sum(loan.original for loan, _, _ in month.liquidated)
    liq_prior = sum(prior for _, prior, _ in month.liquidated)
    liq_loss = sum(loss for _, _, loss in month.liquidated)
    for offset, (label, cell) in enumerate(
        (
            ("Total Loan Count =   ", str(len(month.liquidated))),
            ("Total Original Principal Balance =   ", money(Decimal(liq_original))),
            ("Total Prior Principal Balance =   ", money(_cents(liq_prior))),
            ("Total Realized Loss Amount =   ", money(_cents(liq_loss))),
            ("Total Net Liquidation Proceeds =   ", money(_cents(liq_prior - liq_loss))),
        )
    ):
        _set_after_equals(w.lines[loss_summary + offset], label, cell)
    liquidated_rows: list[tuple[Line, r.LiquidatedLoan]] = []
    for loan, prior, loss in month.liquidated:
        line = _detail_row(
            loan,
            [
                (60, general(loan.original)),
                (75, general(_cents(prior))),
                (90, general(_cents(loss))),
                (105, general(loan.rate)),
                (-105, _state_and_ltv(loan)),
                (135, str(loan.term)),
                (150, str(excel_serial(loan.origination))),
            ],
        )
        liquidated_rows.append(
            (
                line,
                r.LiquidatedLoan(
                    loan_number=loan.number,
                    group=_group_number(loan),
                    loan_status=None,
                    original_principal_balance=Decimal(loan.original),
                    prior_principal_balance=_cents(prior),
                    realized_loss=_cents(loss),
                    note_rate=loan.rate,
                    state=loan.state,
                    ltv_at_origination=loan.ltv,
                    original_term=loan.term,
                    origination_date=loan.origination,
                    line=0,
                ),
            )
        )
    blank = w.find("SPACE INTENTIONALLY LEFT BLANK", p22)
    if liquidated_rows:
        _splice(w, blank, blank + 1, [line for line, _ in liquidated_rows])

    # --- Triggers, Adj. Rate Cert. and Miscellaneous (page 23), Other Related Information (page 24)
    p23, _ = w.template.page_range(23)
    wac_current = characteristic("wac", "current")[2]
    net_rate = wac_current - Decimal("0.00375") - Decimal("0.00057")
    misc_cells = {}
    cursor = w.find("ADJUSTABLE RATE CERTIFICATE INFORMATION", p23)
    for label, cell in (
        ("Current Periods Basis Risk Shortfall Carry Forward Amt", money(Decimal(0))),
        ("Cumulative Basis Risk Shortfall Carry Forward Amt", money(Decimal(0))),
        ("Current Periods LIBOR Rate", percent4(month.libor)),
        ("Current Net Mortgage Rate", percent4(net_rate)),
    ):
        cursor = w.label_row(label, cursor)
        w.group_row(cursor, [cell])
        misc_cells[label] = (cursor, reading(cell))
    p24, p24_end = w.template.page_range(24)
    cursor = w.label_row("Total Derivative Payments", p24)
    w.group_row(cursor, [money(_cents(derivative_total))])
    floor_amounts = dict(month.derivative_payments)
    derivatives: list[tuple[str, Decimal, Line]] = []
    for index in range(cursor + 1, p24_end):
        line = w.lines[index]
        contract = line.text[:76].strip()
        amount = floor_amounts.get(contract, 0)
        w.fill(index, [money(_cents(amount))])
        derivatives.append((contract, _cents(amount), line))

    # --- fold, and number the lines the records point at
    physical: dict[int, int] = {}
    out: list[str] = []
    for line in w.lines:
        physical[id(line)] = len(out) + 1
        out.extend(fold(line.text, line.segments))
    text = "\n".join(out)

    def at(line_or_index: Line | int) -> int:
        line = w.lines[line_or_index] if isinstance(line_or_index, int) else line_or_index
        return physical[id(line)]

    truth = _build_truth(
        w=w,
        at=at,
        deal=deal,
        month=month,
        cover=cover,
        signed=signed,
        printed=printed,
        factors=factors,
        rows_current=rows_current,
        accrual_a=accrual_a,
        to_date_a=to_date_a,
        detail_a=detail_a,
        collateral_rows=collateral_rows,
        char_printed=char_printed,
        arm_printed=arm_printed,
        credit_values=credit_values,
        delinquency=delinquency,
        reo_rows=reo_rows,
        reo_summary=(
            reo_summary_line,
            len(month.new_reo),
            Decimal(reo_original),
            reading(money(_cents(reo_current))),
        ),
        prepaid_rows=prepaid_rows,
        prepay_summary=(
            detail_summary,
            len(month.prepaid),
            Decimal(prepaid_original),
            _cents(prepaid_amount),
        ),
        liquidated_rows=liquidated_rows,
        loss_summary=(
            loss_summary,
            len(month.liquidated),
            Decimal(liq_original),
            _cents(liq_prior),
            _cents(liq_loss),
            _cents(liq_prior - liq_loss),
        ),
        rates=rates,
        misc_cells=misc_cells,
        cumulative_loss=reading(cumulative_loss_pct),
        derivatives=derivatives,
    )
    return RenderedStatement(text=text, truth=truth)


def _set_after_equals(line: Line, label: str, value: str) -> None:
    """Rewrite the value after ``label`` of a SUMMARY line ("Total Loan Count =   28"), later text put."""
    start = line.text.index(label) + len(label)
    end = start
    while end < len(line.text) and line.text[end] != " ":
        end += 1
    _replace_keep(line, line.text[start - len(label) : end], label + value)


def _splice(w: _Writer, start: int, stop: int, new: list[Line]) -> None:
    """Replace template rows [start, stop) with ``new`` rows; no rows print SPACE INTENTIONALLY LEFT BLANK."""
    rows = new or [Line("SPACE INTENTIONALLY LEFT BLANK")]
    w.lines[start:stop] = rows
    # later template indexes shift: keep the template in step so index lookups after this point stay valid
    shift = len(rows) - (stop - start)
    if shift:
        lines = list(w.template.lines)
        lines[start:stop] = [(row.text, row.segments) for row in rows]
        ends = tuple(e + shift if e >= stop else e for e in w.template.page_ends)
        w.template = type(w.template)(lines=tuple(lines), page_ends=ends)


def _build_truth(**k: object) -> r.Statement:
    w: _Writer = k["w"]  # type: ignore[assignment]
    at = k["at"]
    deal: Deal = k["deal"]  # type: ignore[assignment]
    month: Month = k["month"]  # type: ignore[assignment]
    cover: CoverFacts = k["cover"]  # type: ignore[assignment]
    printed: dict[str, dict[str, str]] = k["printed"]  # type: ignore[assignment]
    factors: dict[str, dict[str, str]] = k["factors"]  # type: ignore[assignment]
    series = deal.spec.series
    dist = month.distribution
    d = reading
    cover_record = r.CoverPage(
        registrant="IMH ASSETS CORP",
        series=series,
        indenture_date=deal.spec.closing,
        report_date=dist,
        commission_file_number=cover.commission_file_number,
        irs_employer_id="33-0705301",
        state_of_incorporation="DELAWARE",
        address="1401 DOVE STREET, NEWPORT BEACH, CALIFORNIA 92660",
        telephone="(949) 475-3600",
        agent="Deutsche Bank National Trust Company",
        signer="Katie Wannenmacher",
        signer_title="Vice President",
        signed_date=k["signed"],  # type: ignore[arg-type]
        line=1,
    )
    deal_record = r.DealInfo(
        trust_name="Impac CMB Trust",
        series=series,
        bond_description="Collateralized Asset-Backed Bonds",
        distribution_date=dist,
        seller="IMPAC Mortgage Holdings Inc.",
        certificate_insurers=("AMBAC Indemnity Corporation",),
        servicers=tuple(
            r.Party(name, role, at(w.find(name)))
            for name, role in (
                ("Impac Funding Corporation", "Master Servicer"),
                ("Wendover Funding, Inc.", "Sub-Servicer"),
                ("Countrywide Funding Corporation", "Sub-Servicer"),
            )
        ),
        underwriters=tuple(
            r.Party(name, "Co-Lead Underwriter", at(w.find(name)))
            for name in ("Countrywide Securities", "Greenwich Capital Markets, Inc.")
        ),
        cut_off_date=deal.cut_off,
        closing_date=deal.spec.closing,
        first_payment_date=deal.first_distribution,
        record_date=month.record_date,
        # the trustee's contact block is constant text of the template (page 1 of 0001020242-03-000013)
        contact=r.Contact(
            administrator="James F Noriega",
            direct_phone="(714)247-6281",
            address="Deutsche Bank, 1761 E. St. Andrew Place, Santa Ana, CA 92705",
            web_site="http://www.corporatetrust.db.com/invr",
            factor_information_phone="(800) 735-7777",
            main_phone="(714) 247-6000",
            line=at(w.find("Administrator:")),
        ),
        total_pages=24,
        line=at(w.find("Collateralized Asset-Backed Bonds")) - 1,
    )
    rows_current: dict[str, int] = k["rows_current"]  # type: ignore[assignment]
    accrual_a: int = k["accrual_a"]  # type: ignore[assignment]
    to_date_a: int = k["to_date_a"]  # type: ignore[assignment]
    detail_a: int = k["detail_a"]  # type: ignore[assignment]
    start, end = month.accrual_start, month.accrual_end
    bonds: list[r.BondClass] = []
    for offset, name in enumerate(("A", "B", "Cert", "Total")):
        p = printed[name]
        c = next((c for c in month.classes if c.name == name), None)
        f = factors.get(name)
        is_bond = name in ("A", "B")
        cusip = deal.cusips[offset] if is_bond else None
        bonds.append(
            r.BondClass(
                class_name=name,
                class_type={"A": "FLT, STEP,", "B": "SUB, FLT, S", "Cert": "R", "Total": None}[name],
                original_face_value=d(p["face"]),
                prior_principal_balance=d(p["prior"]),
                interest=d(p["interest"]),  # type: ignore[arg-type]
                principal=d(p["principal"]),
                total_distribution=d(p["total"]),
                realized_losses=Decimal(0),  # type: ignore[arg-type]
                deferred_interest=Decimal(0),
                current_principal_balance=d(p["current"]),  # type: ignore[arg-type]
                accrual_start=start if name != "Total" else None,
                accrual_end=end if name != "Total" else None,
                accrual_method="A-Act/360" if is_bond else None,
                cusip=cusip,
                factor_original_face=d(p["face"]) if name != "Total" else None,
                factor_prior_principal=d(f["prior"]) if f else (Decimal(0) if name == "Cert" else None),
                factor_interest=d(f["interest"]) if f else (Decimal(0) if name == "Cert" else None),
                factor_principal=d(f["principal"]) if f else (Decimal(0) if name == "Cert" else None),
                factor_total_distribution=d(f["total"]) if f else (Decimal(0) if name == "Cert" else None),
                factor_current_principal=d(f["current"]) if f else (Decimal(0) if name == "Cert" else None),
                to_date_original_face_value=d(p["face"]),
                to_date_interest=d(p["td_interest"]),
                to_date_unscheduled_principal=d(p["td_unscheduled"]),
                to_date_scheduled_principal=d(p["td_scheduled"]),
                to_date_total_principal=d(p["td_principal"]),
                to_date_total_distribution=d(p["td_total"]),
                to_date_realized_losses=Decimal(0),
                to_date_deferred_interest=Decimal(0),
                to_date_current_principal_balance=d(p["current"]),
                pass_through_rate=c.rate if (c is not None and is_bond) else None,
                interest_prior_principal_balance=d(p["prior"]),
                accrued_interest=d(p["interest"])
                if is_bond
                else (
                    Decimal(0)
                    if name == "Cert"
                    else d(general(d(printed["A"]["interest"]) + d(printed["B"]["interest"])))
                ),  # type: ignore[operator]
                non_supported_interest_shortfall=Decimal(0),
                prior_unpaid_interest=Decimal(0),
                unscheduled_interest_adjustments=Decimal(0),
                optimal_interest=d(p["interest"]),
                paid_or_deferred_interest=d(p["interest"]),
                current_unpaid_interest=Decimal(0),
                line=at(rows_current[name]),
                accrual_line=at(accrual_a + offset) if name != "Total" else None,
                to_date_line=at(to_date_a + offset),
                interest_detail_line=at(detail_a + offset),
            )
        )
    group_lines = _group_lines(w, at)
    collateral_rows: dict[str, dict[str, object]] = k["collateral_rows"]  # type: ignore[assignment]
    char_printed: dict[str, tuple[str, str, str]] = k["char_printed"]  # type: ignore[assignment]
    arm_printed: dict[str, str] = k["arm_printed"]  # type: ignore[assignment]
    collateral_header = at(w.find("COLLATERAL  "))
    collateral = []
    for position, group in enumerate((*GROUPS, "total")):
        row = collateral_rows[group]

        def char(key: str, position: int = position) -> Decimal | None:
            return d(char_printed[key][position])

        def arm(key: str, group: str = group) -> Decimal | None:
            return d(arm_printed[key]) if group == ADJ else None

        collateral.append(
            r.CollateralGroup(
                group=group,
                loan_count_original=int(row["count_original"]),
                loan_count_prior=int(row["count_prior"]),  # type: ignore[call-overload]
                loan_count_prefunding=0,
                loan_count_scheduled_paid_offs=0,
                loan_count_full_voluntary_prepayments=int(row["count_prepaid"]),  # type: ignore[call-overload]
                loan_count_repurchases=0,
                loan_count_liquidations=int(row["count_liquidations"]),  # type: ignore[call-overload]
                loan_count_current=int(row["count_current"]),  # type: ignore[call-overload]
                balance_original=d(general(row["bal_original"])),
                balance_prior=d(general(row["bal_prior"])),  # type: ignore[arg-type]
                balance_prefunding=Decimal(0),
                balance_scheduled_principal=d(general(row["bal_scheduled"])),  # type: ignore[arg-type]
                balance_prepayments=d(general(row["bal_prepay"])),
                balance_repurchases=Decimal(0),  # type: ignore[arg-type]
                balance_liquidations=d(general(row["bal_liquidations"])),
                balance_current=d(general(row["bal_current"])),  # type: ignore[arg-type]
                wac_original=char("wac_original"),
                wac_prior=char("wac_prior"),
                wac_current=char("wac_current"),
                wam_original=char("wam_original"),
                wam_prior=char("wam_prior"),
                wam_current=char("wam_current"),
                remaining_amortization_term_original=char("amort_original"),
                remaining_amortization_term_prior=char("amort_prior"),
                remaining_amortization_term_current=char("amort_current"),
                seasoning_original=char("seasoning_original"),
                seasoning_prior=char("seasoning_prior"),
                seasoning_current=char("seasoning_current"),
                margin_original=arm("Margin_original"),
                margin_prior=arm("Margin_prior"),
                margin_current=arm("Margin_current"),
                max_rate_original=arm("Max Rate_original"),
                max_rate_prior=arm("Max Rate_prior"),
                max_rate_current=arm("Max Rate_current"),
                min_rate_original=arm("Min Rate_original"),
                min_rate_prior=arm("Min Rate_prior"),
                min_rate_current=arm("Min Rate_current"),
                cap_up_original=arm("Cap Up_original"),
                cap_up_prior=arm("Cap Up_prior"),
                cap_up_current=arm("Cap Up_current"),
                cap_down_original=arm("Cap Down_original"),
                cap_down_prior=arm("Cap Down_prior"),
                cap_down_current=arm("Cap Down_current"),
                line=collateral_header,
            )
        )
    credit_values: list[tuple[int, Decimal | None]] = k["credit_values"]  # type: ignore[assignment]
    credit = r.CreditEnhancement(
        *(value for _, value in credit_values), line=at(w.find("STRUCTURAL FEATURES"))
    )
    delinquency = tuple(
        r.DelinquencyCell(group=g, status=s, bucket=b, measure=m, value=v, line=at(index))
        for g, s, b, m, v, index in k["delinquency"]  # type: ignore[attr-defined]
    )
    reo_line, reo_count, reo_original, reo_current = k["reo_summary"]  # type: ignore[misc]
    reo_summary = r.ReoSummary(
        loan_count=reo_count,
        total_original_principal_balance=reo_original,
        total_current_balance=reo_current,
        reo_book_value=None,
        reo_book_value_text="Not Available",
        line=at(reo_line),
    )
    from dataclasses import replace

    reo_loans = tuple(replace(record, line=at(line)) for line, record in k["reo_rows"])  # type: ignore[attr-defined]
    prepaid = tuple(replace(record, line=at(line)) for line, record in k["prepaid_rows"])  # type: ignore[attr-defined]
    liquidated = tuple(replace(record, line=at(line)) for line, record in k["liquidated_rows"])  # type: ignore[attr-defined]
    p_line, p_count, p_original, p_amount = k["prepay_summary"]  # type: ignore[misc]
    l_line, l_count, l_original, l_prior, l_loss, l_net = k["loss_summary"]  # type: ignore[misc]
    rates = tuple(
        r.RateItem(metric=metric, window=window, group=group, value=value, line=at(line))
        for metric, window, group, value, line in k["rates"]  # type: ignore[attr-defined]
    )
    misc_cells: dict[str, tuple[int, Decimal | None]] = k["misc_cells"]  # type: ignore[assignment]
    misc = r.Miscellaneous(
        current_basis_risk_carry_forward=misc_cells["Current Periods Basis Risk Shortfall Carry Forward Amt"][
            1
        ],
        cumulative_basis_risk_carry_forward=misc_cells["Cumulative Basis Risk Shortfall Carry Forward Amt"][
            1
        ],
        libor_rate=misc_cells["Current Periods LIBOR Rate"][1],
        net_mortgage_rate=misc_cells["Current Net Mortgage Rate"][1],
        cumulative_loss_percentage=k["cumulative_loss"],  # type: ignore[arg-type]
        line=at(misc_cells["Current Periods Basis Risk Shortfall Carry Forward Amt"][0]),
    )
    derivatives = tuple(
        r.DerivativePayment(contract_id=contract, amount=amount, line=at(line))
        for contract, amount, line in k["derivatives"]  # type: ignore[attr-defined]
    )
    legend = w.find("Loan Group 1")
    return r.Statement(
        cover=cover_record,
        deal=deal_record,
        contents=(),
        classes=tuple(bonds[:3]),
        class_total=bonds[3],
        group_lines=group_lines,
        collateral=tuple(collateral),
        credit_enhancement=credit,
        delinquency=delinquency,
        reo_summary=reo_summary,
        reo_loans=reo_loans,
        rates=rates,
        prepayment_detail_summary=r.PrepaymentDetailSummary(
            loan_count=p_count,
            total_original_principal_balance=p_original,
            total_prepayment_amount=p_amount,
            line=at(p_line),
        ),
        prepaid_loans=prepaid,
        realized_loss_detail_summary=r.RealizedLossDetailSummary(
            loan_count=l_count,
            total_original_principal_balance=l_original,
            total_prior_principal_balance=l_prior,
            total_realized_loss=l_loss,
            total_net_liquidation_proceeds=l_net,
            line=at(l_line),
        ),
        liquidated_loans=liquidated,
        miscellaneous=misc,
        derivative_payments=derivatives,
        loan_groups=(
            r.LoanGroup(1, "Fixed Group", FIX, at(legend)),
            r.LoanGroup(2, "Adjustable Group", ADJ, at(legend) + 1),
        ),
    )


_TITLE = re.compile(r"^ {15}(.+?) for .+ Distribution$")


def _group_lines(w: _Writer, at) -> tuple[r.GroupLine, ...]:
    """Every valued line of every ADJUSTABLE / FIXED / TOTAL table, with its report, table and heading."""
    found: list[r.GroupLine] = []
    section = subsection = None
    heading: str | None = None
    for line in w.lines:
        text = line.text
        title = _TITLE.match(text)
        if title:
            section = title.group(1)
            continue
        if text[:1].strip() and "ADJUSTABLE     FIXED          TOTAL" in text:
            subsection, heading = text[:76].strip(), None
            continue
        label = text[15:76].strip() if text.startswith(" " * 15) and text[15:16].strip() else None
        values = w.values.get(id(line))
        if label in _HEADINGS and values is None:
            heading = label
            continue
        if values is None or label is None or subsection is None:
            continue
        found.append(
            r.GroupLine(
                section=section or "",
                subsection=subsection,
                heading=heading,
                label=label,
                adjustable=values.get("adjustable"),
                fixed=values.get("fixed"),
                total=values.get("total"),
                line=at(line),
            )
        )
    return tuple(found)
