"""The trustee text template on the real statement (Impac CMB Trust 2002-2, December 26, 2002; accession
0001020242-03-000013). Expected values were read off the printed statement, with its line numbers."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from parsers.errors import DamagedStatementError, ImhEdgarError, ParseError, UnknownFormatError
from parsers.reconcile import reconcile
from parsers.records import BUCKETS, MEASURES, STATUSES, ParseResult
from parsers.serialize import to_jsonable
from parsers.trustee_text import NON_DATA_PATTERNS, TEMPLATE, parse_trustee_text
from parsers.unfold import unfold

D = Decimal


def test_template_is_named(real_result: ParseResult) -> None:
    assert real_result.template == TEMPLATE
    assert real_result.discrepancies == ()
    assert real_result.checks_run == 0


def test_real_statement_has_no_unparsed_lines(real_result: ParseResult) -> None:
    assert real_result.unparsed == ()


def test_cover_page_facts(real_result: ParseResult) -> None:
    cover = real_result.statement.cover
    assert cover.registrant == "IMH ASSETS CORP"
    assert cover.series == "2002-2"
    assert cover.indenture_date == date(
        2002, 4, 29
    )  # "dated as of April 29," / "2002 providing" (lines 9-10)
    assert cover.report_date == date(2002, 12, 26)
    assert (cover.commission_file_number, cover.irs_employer_id) == ("333-06637", "33-0705301")
    assert cover.state_of_incorporation == "DELAWARE"
    assert cover.agent == "Deutsche Bank National Trust Company"
    assert (cover.signer, cover.signer_title) == ("Katie Wannenmacher", "Vice President")
    assert cover.signed_date == date(2003, 1, 2)
    assert cover.telephone == "(949) 475-3600"


def test_deal_information_and_parties(real_result: ParseResult) -> None:
    deal = real_result.statement.deal
    assert (deal.trust_name, deal.series) == ("Impac CMB Trust", "2002-2")
    assert deal.bond_description == "Collateralized Asset-Backed Bonds"
    assert deal.seller == "IMPAC Mortgage Holdings Inc."
    assert deal.certificate_insurers == ("AMBAC Indemnity Corporation",)
    assert [(p.name, p.role) for p in deal.servicers] == [
        ("Impac Funding Corporation", "Master Servicer"),
        ("Wendover Funding, Inc.", "Sub-Servicer"),
        ("Countrywide Funding Corporation", "Sub-Servicer"),
    ]
    assert [(p.name, p.role) for p in deal.underwriters] == [
        ("Countrywide Securities", "Co-Lead Underwriter"),
        ("Greenwich Capital Markets, Inc.", "Co-Lead Underwriter"),
    ]
    assert deal.cut_off_date == date(2002, 4, 1)  # "April 1, 20" / ">02" across a fold
    assert deal.closing_date == date(2002, 4, 29)
    assert deal.first_payment_date == date(2002, 5, 28)
    assert deal.distribution_date == date(2002, 12, 26)
    assert deal.record_date == date(2002, 11, 29)
    assert deal.total_pages == 24
    assert deal.contact is not None and deal.contact.administrator == "James F Noriega"
    assert deal.contact.address == "Deutsche Bank, 1761 E. St. Andrew Place, Santa Ana, CA 92705"


def test_table_of_contents(real_result: ParseResult) -> None:
    contents = real_result.statement.contents
    assert [(c.number, c.page) for c in contents][:3] == [(1, 1), (2, 2), (3, 4)]
    assert contents[-1].title == "Other Related Information" and contents[-1].page == 24


def test_class_rows(real_result: ParseResult) -> None:
    statement = real_result.statement
    assert [c.class_name for c in statement.classes] == ["A", "B", "Cert"]
    a = statement.bond_class("A")
    assert a.class_type == "FLT, STEP,"  # truncated to the column, kept raw
    assert (a.original_face_value, a.prior_principal_balance) == (D("472500000"), D("431396174.4"))
    assert (a.interest, a.principal, a.total_distribution) == (
        D("616656.86"),
        D("7857385.49"),
        D("8474042.35"),
    )
    assert a.current_principal_balance == D("423538788.9")
    assert (a.accrual_start, a.accrual_end, a.accrual_method) == (
        date(2002, 11, 25),
        date(2002, 12, 25),
        "A-Act/360",
    )
    assert a.cusip == "45254NCK1"
    assert a.factor_interest == D("1.305093884")
    assert a.factor_current_principal == D("896.3783891")
    assert a.to_date_scheduled_principal == D("3400120.302")
    assert a.pass_through_rate == D("0.0166")
    assert (a.line, a.accrual_line, a.to_date_line, a.interest_detail_line) == (143, 169, 198, 223)
    b = statement.bond_class("B")
    assert (b.class_type, b.cusip, b.pass_through_rate) == ("SUB, FLT, S", "45254NCL9", D("0.0348"))
    assert b.to_date_unscheduled_principal == D("2290107.742")
    cert = statement.bond_class("Cert")
    assert (cert.class_type, cert.accrual_method, cert.cusip, cert.pass_through_rate) == (
        "R",
        None,
        None,
        None,
    )
    assert cert.interest == cert.optimal_interest == D("1283280.58")
    assert cert.accrued_interest == 0


def test_total_row(real_result: ParseResult) -> None:
    total = real_result.statement.class_total
    assert total.class_name == "Total"
    assert (total.original_face_value, total.prior_principal_balance) == (D("496250000"), D("453080109.1"))
    assert (total.interest, total.principal) == (D("1964916.96"), D("8252333.44"))
    assert (total.total_distribution, total.current_principal_balance) == (D("10217250.4"), D("444827775.6"))
    assert total.to_date_interest == D("18387556.6")
    assert total.accrued_interest == D("681636.38")
    assert total.accrual_line is None and total.cusip is None


def test_collateral_roll_forward(real_result: ParseResult) -> None:
    statement = real_result.statement
    adjustable, fixed, total = (statement.collateral_group(g) for g in ("adjustable", "fixed", "total"))
    assert (adjustable.loan_count_original, adjustable.loan_count_prior, adjustable.loan_count_current) == (
        2009,
        1844,
        1816,
    )
    assert adjustable.loan_count_full_voluntary_prepayments == -28
    assert (fixed.loan_count_original, fixed.loan_count_prior, fixed.loan_count_current) == (6, 4, 4)
    assert (total.loan_count_original, total.loan_count_current) == (2015, 1820)
    assert total.balance_prior == D("456830091.9")
    assert total.balance_scheduled_principal == D("-482217.32")
    assert total.balance_prepayments == D("-7770116.12")
    assert total.balance_current == D("448577758.5")
    assert fixed.balance_prepayments == D("-185.43")
    assert adjustable.wac_current == D("0.060074995")
    assert total.remaining_amortization_term_current == D("351.14588")
    assert adjustable.margin_current == D("0.02880714")
    assert fixed.margin_current is None and total.cap_up_original is None


def test_collection_account_lines(real_result: ParseResult) -> None:
    statement = real_result.statement
    fees = statement.group_line("SUMMARY", "Interest Fees")
    assert (fees.adjustable, fees.fixed, fees.total) == (D("-212730.77"), D("-1.10"), D("-212731.87"))
    assert fees.line == 259
    assert statement.group_line("INTEREST - FEES", "TOTAL INTEREST FEES").total == D("212731.87")
    floor = statement.group_line("INTEREST - OTHER ACCOUNTS", "Floor Contract Payment Amounts")
    assert (floor.adjustable, floor.fixed, floor.total) == (None, None, D("53596.63"))
    assert (
        len(statement.find_lines(subsection="SERVICING FEES / ADVANCES", label="Delinquent Servicing Fees"))
        == 2
    )


def test_credit_enhancement_and_miscellaneous(real_result: ParseResult) -> None:
    statement = real_result.statement
    credit = statement.credit_enhancement
    assert credit.net_monthly_excess_cashflow == D("1283280.58")
    assert credit.required_overcollateralization_amount == D("3749982.89")
    assert credit.available_funds_rate == D("0.050363")  # printed 5.0363%
    misc = statement.miscellaneous
    assert str(misc.libor_rate) == "0.013800"  # printed 1.3800%
    assert misc.net_mortgage_rate == D("0.054691")  # printed 5.4691%
    assert misc.cumulative_loss_percentage == 0


def test_delinquency_cells(real_result: ParseResult) -> None:
    statement = real_result.statement
    assert len(statement.delinquency) == 3 * len(STATUSES) * len(BUCKETS) * len(MEASURES)
    cell = statement.delinquency_cell
    assert cell("total", "delinquent", "current", "balance").value is None  # printed blank
    assert cell("total", "delinquent", "1_payment", "balance").value == D("2738410.28")
    assert cell("total", "foreclosure", "current", "balance").value == D("535620.16")
    assert cell("total", "foreclosure", "3_plus_payments", "loan_count").value == 12
    assert cell("total", "total", "total", "loan_count").value == 43
    assert cell("total", "total", "total", "balance").value == D("10703636.69")
    assert cell("adjustable", "total", "total", "balance_pct").value == D("0.02387361")
    assert cell("adjustable", "reo", "3_plus_payments", "balance").line == 741
    fixed = [c for c in statement.delinquency if c.group == "fixed"]
    assert all(c.value in (None, 0) for c in fixed)


def test_reo_loan(real_result: ParseResult) -> None:
    statement = real_result.statement
    summary = statement.reo_summary
    assert (summary.loan_count, summary.total_original_principal_balance) == (1, D("420000.00"))
    assert summary.total_current_balance == D("416265.15")
    assert (summary.reo_book_value, summary.reo_book_value_text) == (None, "Not Available")
    (loan,) = statement.reo_loans
    assert (loan.loan_number, loan.group) == ("1109005345", 2)
    assert (loan.original_principal_balance, loan.stated_principal_balance) == (D("420000"), D("416265.15"))
    assert loan.paid_to_date == date(2002, 4, 1)  # serial 37347
    assert (loan.note_rate, loan.state, loan.ltv_at_origination) == (D("0.055"), "CA", D("0.9334"))
    assert (loan.original_term, loan.origination_date) == (360, date(2002, 3, 26))
    assert loan.line == 789


def test_the_28_prepaid_loans_match_their_summary(real_result: ParseResult) -> None:
    statement = real_result.statement
    loans = statement.prepaid_loans
    summary = statement.prepayment_detail_summary
    assert len(loans) == summary.loan_count == 28
    assert sum(loan.original_principal_balance for loan in loans) == summary.total_original_principal_balance
    assert sum(loan.prepayment_amount for loan in loans) == summary.total_prepayment_amount == D("7484177.40")
    assert summary.total_original_principal_balance == D("7537468.00")
    first = loans[0]
    assert (first.loan_number, first.group, first.loan_status) == ("1100344047", 2, None)
    assert (first.original_principal_balance, first.prepayment_amount) == (D("750000"), D("742220.08"))
    assert first.prepayment_date == date(2002, 11, 13)  # serial 37573
    # "0.0549CA  -  60.00%": the note rate fills its column and glues onto the State & LTV column.
    assert (first.note_rate, first.state, first.ltv_at_origination) == (D("0.0549"), "CA", D("0.6000"))
    assert first.type_and_term == "Paid Off  -  36"  # the term 360 is cut by the column; not invented
    assert first.prepayment_type == "Paid Off"
    assert first.origination_date == date(2002, 2, 28)  # serial 37315
    assert loans[-1].loan_number == "2500015894" and loans[-1].prepayment_amount == D("99448.13")
    assert {loan.group for loan in loans} == {2}
    assert {loan.state for loan in loans} == {"CA", "FL", "OK", "IL", "NV", "WA", "VA"}
    assert len({loan.loan_number for loan in loans}) == 28


def test_prepaid_loans_agree_with_the_prepayment_report(real_result: ParseResult) -> None:
    statement = real_result.statement
    paid = statement.group_line("VOLUNTARY PREPAYMENTS", "Paid in Full Balance", heading="Current")
    count = statement.group_line("VOLUNTARY PREPAYMENTS", "Number of Paid in Full Loans", heading="Current")
    assert paid.total == statement.prepayment_detail_summary.total_prepayment_amount
    assert count.total == len(statement.prepaid_loans)


def test_no_liquidated_loans_this_period(real_result: ParseResult) -> None:
    statement = real_result.statement
    assert statement.liquidated_loans == ()
    assert statement.realized_loss_detail_summary.loan_count == 0
    assert statement.realized_loss_detail_summary.total_realized_loss == 0


def test_prepayment_and_default_speeds(real_result: ParseResult) -> None:
    statement = real_result.statement
    assert statement.rate("SMM", "current", "adjustable").value == D("0.017034992")
    assert statement.rate("CPR", "current", "total").value == D("0.186232294")
    assert statement.rate("PSA", "since_cut_off", "fixed").value == D("21.26313862")
    assert statement.rate("SMM", "12_months", "total").value is None  # printed without values
    assert statement.rate("CDR", "3_months", "total").value == 0
    assert statement.rate("LOSS_SEVERITY", "current", "total").value is None
    metrics = {(r.metric, r.window) for r in statement.rates}
    assert len(metrics) == 28 and len(statement.rates) == 84


def test_derivative_payments_per_contract(real_result: ParseResult) -> None:
    statement = real_result.statement
    payments = {p.contract_id: p.amount for p in statement.derivative_payments}
    assert len(payments) == 17
    assert payments["240430 (3418256)"] == 0
    assert [payments[f"IMP022F{n}"] for n in range(1, 6)] == [
        D("8183.16"),
        D("17608.06"),
        D("9173.89"),
        D("9375.38"),
        D("9256.16"),
    ]
    total = statement.group_line("ADDITIONAL INFORMATION", "Total Derivative Payments")
    assert total.total == D("53596.63")
    # The printed contract amounts add up to 53596.65: the trustee's sheet rounds each contract separately.
    assert sum(payments.values()) == D("53596.65")


def test_loan_group_legend(real_result: ParseResult) -> None:
    groups = real_result.statement.loan_groups
    assert [(g.number, g.name, g.group) for g in groups] == [
        (1, "Fixed Group", "fixed"),
        (2, "Adjustable Group", "adjustable"),
    ]


def test_every_group_line_value_is_an_item_on_the_same_line(real_result: ParseResult) -> None:
    items = {(i.line, i.column): i for i in real_result.items}
    for line in real_result.statement.group_lines:
        for column, value in (("ADJUSTABLE", line.adjustable), ("FIXED", line.fixed), ("TOTAL", line.total)):
            if value is not None:
                assert items[(line.line, column)].value == value


_NUMBER_TOKEN = re.compile(r"\(?-?[\d,]*\d(?:\.\d+)?\)?%?")
# Lines that print digits but carry no statement data: page titles and footers, formulas of the methodology.
_NO_DATA = (
    re.compile(r".* for [A-Z][a-z]+ \d+, \d{4} Distribution"),
    re.compile(r"[A-Z][a-z]+ \d+, \d{4} Distribution"),
    re.compile(r".*\d{4}-\d+"),
    re.compile(r"Page \d+ of \d+.*"),
    re.compile(r".*(SMM|CPR|PSA|MDR|CDR|SDA|WAS|Severity)\S*\)?: .*|.*\(\w+n,m\).*|AvgCDRn.*"),
)


def test_every_printed_number_is_an_item_of_its_line(real_result: ParseResult, real_text: str) -> None:
    """Nothing lost: each number printed after the cover page is in an item (or group line) of its line.

    A number counts as kept when it is the raw value, the label or the column header of a record on its line;
    column headers ("(1)", "1 PAYMENT") may also sit on header lines above their values.
    """
    kept: dict[int, set[str]] = {}
    headers: set[str] = set()
    for item in real_result.items:
        kept.setdefault(item.line, set()).update(item.raw.split() + item.label.split())
        headers.update(item.column.split())
    for group_line in real_result.statement.group_lines:
        kept.setdefault(group_line.line, set()).update(group_line.label.split())
    missing = []
    for line in unfold(real_text):
        text = " ".join(line.text.split())
        if line.line < real_result.statement.deal.line:
            continue
        if any(p.fullmatch(text) for p in (*NON_DATA_PATTERNS, *_NO_DATA)):
            continue
        for token in text.split():
            if _NUMBER_TOKEN.fullmatch(token) and token not in kept.get(line.line, headers):
                missing.append((line.line, token))
    assert missing == []


def _without_lines(value: Any) -> Any:
    """The JSON form without line-number fields (line numbers change when a document is re-wrapped)."""
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "line" and not k.endswith("_line")}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def test_crlf_variant_parses_to_identical_records(real_text: str, real_result: ParseResult) -> None:
    crlf = parse_trustee_text(real_text.replace("\n", "\r\n"))
    assert to_jsonable(crlf) == to_jsonable(real_result)


def test_unfolded_variant_parses_to_the_same_records(real_text: str, real_result: ParseResult) -> None:
    wide = "\n".join(line.text for line in unfold(real_text)) + "\n"
    assert ">" not in {line[:1] for line in wide.splitlines()}
    assert _without_lines(to_jsonable(parse_trustee_text(wide))) == _without_lines(to_jsonable(real_result))


def test_tabs_and_form_feeds_parse_to_identical_records(real_text: str, real_result: ParseResult) -> None:
    def tabbed(line: str) -> str:
        if line.startswith(">"):
            return line
        return re.sub(r"^(?: {8})+", lambda m: "\t" * (len(m.group()) // 8), line)

    lines = [tabbed(line) for line in real_text.split("\n")]
    lines = ["\f" + line if "Impac CMB Trust" in line else line for line in lines]
    assert to_jsonable(parse_trustee_text("\n".join(lines))) == to_jsonable(real_result)


def test_every_record_is_frozen_and_traceable(real_result: ParseResult) -> None:
    def walk(value: Any) -> None:
        if is_dataclass(value) and not isinstance(value, type):
            params = getattr(type(value), "__dataclass_params__", None)
            assert params is not None and params.frozen, type(value).__name__
            names = {f.name for f in fields(value)}
            if type(value).__name__ not in ("Statement", "ParseResult", "Discrepancy"):
                assert "line" in names, type(value).__name__
            for f in fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, tuple):
            for element in value:
                walk(element)
        else:
            assert not isinstance(value, (list, dict, float)), type(value)

    walk(real_result)


# --- foreign and damaged input


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world\n",
        "<html><body><table><tr><td>Impac CMB Trust</td></tr></table></body></html>",
        "SECURITIES AND EXCHANGE COMMISSION\nFORM 10-K\nAnnual report\n",
    ],
)
def test_foreign_documents_are_unknown_format(text: str) -> None:
    with pytest.raises(UnknownFormatError):
        parse_trustee_text(text)


def test_statement_cut_after_page_9_is_damaged_naming_where(real_text: str) -> None:
    lines = real_text.split("\n")
    cut = next(i for i, line in enumerate(lines) if "Page 10 of 24" in line)
    with pytest.raises(DamagedStatementError, match=r"stops after page 9 of 24") as caught:
        parse_trustee_text("\n".join(lines[:cut]))
    assert caught.value.line is not None
    assert caught.value.section == "Collateral Report"  # page 10 of the contents' pages 8-10


def test_statement_cut_inside_the_cover_page_is_unknown_format(real_text: str) -> None:
    with pytest.raises(UnknownFormatError):
        parse_trustee_text(real_text[:2000])


def test_missing_class_row_value_is_damage_in_the_certificate_report(real_text: str) -> None:
    damaged = real_text.replace(">431396174.4      616656.86", ">431396174.4      6166X6.86")
    with pytest.raises(DamagedStatementError) as caught:
        parse_trustee_text(damaged)
    assert caught.value.section == "Certificate Payment Report"
    assert caught.value.line == 143


def _without_row(text: str, starts_with: str) -> str:
    """``text`` without the first logical row whose first physical line starts with ``starts_with``."""
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(starts_with))
    end = index + 1
    while end < len(lines) and lines[end].startswith(">"):
        end += 1
    return "\n".join(lines[:index] + lines[end:])


@pytest.mark.parametrize(
    ("row", "message", "section"),
    [
        ("1100344065", "SUMMARY says 28 loans, the table lists 27", "Prepayment Detail Report"),
        ("BANKRUPTCY", "delinquency page has 19 rows", "Delinquency Report"),
        (
            "B                       0.0348",
            r"class 'B' is missing from \['Interest Detail'\]",
            "Certificate Payment Report",
        ),
    ],
)
def test_a_deleted_row_is_damage_named_by_its_report(
    real_text: str, row: str, message: str, section: str
) -> None:
    with pytest.raises(DamagedStatementError, match=message) as caught:
        parse_trustee_text(_without_row(real_text, row))
    assert caught.value.section == section


def test_errors_are_one_line_and_parse_errors(real_text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_trustee_text(real_text.replace("Page 5 of 24", "Page 6 of 24"))
    assert "\n" not in str(caught.value)


def test_cover_of_a_pooling_agreement_deal_has_no_indenture_date(real_text: str) -> None:
    # Impac Secured Assets covers (accession 0001020242-03-000019) name a Pooling and Servicing Agreement,
    # print no series, write "reported):December" without a space and an agent "..., N.A.,".
    text = (
        real_text.replace("reported):  December 26, 2002", "reported):December 26, 2002")
        .replace(
            "(as Company under a Series 2002-2 Indenture, dated as of April 29,", "(as company (the Company),"
        )
        .replace("2002 providing for, inter alia, the issuance of Collateralized Asset-", "and a trustee).")
        .replace("Backed Bonds, Series 2002-2).", "")
        .replace("Deutsche Bank National Trust Company,", "Deutsche Bank National Trust Company, N.A.,")
        .replace(
            "pursuant to the Indenture, dated as of",
            "pursuant to the Pooling and Servicing Agreement, dated as of",
        )
    )
    cover = parse_trustee_text(text).statement.cover
    assert cover.indenture_date is None
    assert cover.series == "2002-2"  # from the deal title
    assert cover.report_date == date(2002, 12, 26)
    assert cover.agent == "Deutsche Bank National Trust Company, N.A."


def test_a_report_absent_from_contents_and_pages_is_another_variant(real_text: str) -> None:
    from parsers.errors import UnsupportedTemplateError

    lines = real_text.split("\n")
    start = next(i for i, line in enumerate(lines) if "13.            Other Related Infor" in line)
    del lines[start : start + 2]
    page = next(i for i, line in enumerate(lines) if "Other Related Information for December" in line)
    end = next(i for i, line in enumerate(lines) if "Page 24 of 24" in line)
    lines[page - 4 : end + 2] = []
    text = (
        "\n".join(lines).replace("Page 23 of 24", "Page 23 of 23").replace("Total Number of Pag\n>es   ", "X")
    )
    with pytest.raises(UnsupportedTemplateError, match="absent \\['Other Related Information'\\]"):
        parse_trustee_text(text)


def test_a_garbled_page_title_is_damage_not_a_new_report(real_text: str) -> None:
    garbled = real_text.replace("Collateral Report for December 26", "Collateral Rxport for December 26", 1)
    with pytest.raises(DamagedStatementError, match="unknown title 'Collateral Rxport'") as caught:
        parse_trustee_text(garbled)
    assert caught.value.line == 429


def _break_page_after(
    wide: list[str], row_prefix: str, page: int, header: list[str], titles: int = 5
) -> list[str]:
    """Continue the table whose row starts with ``row_prefix`` on a new page, as the trustee paginates:
    footer, the page's first ``titles`` title lines and ``header`` again; later page numbers and contents
    move by one.
    """
    at = next(i for i, line in enumerate(wide) if line.startswith(row_prefix)) + 1
    footer = next(i for i in range(at, len(wide)) if re.search(r"Page\s+\d+\s+of", wide[i]))
    top = max(i for i in range(at) if re.search(r"Page\s+\d+\s+of", wide[i])) + 1
    moved = [*wide[:at], wide[footer], *wide[top : top + titles], *header, *wide[at:]]
    numbered, count = [], 0
    for line in moved:
        if re.search(r"Page\s+\d+\s+of\s+\d+", line):
            count += 1
            line = re.sub(r"Page\s+\d+\s+of\s+\d+", f"Page {count} of 25", line)
        elif re.fullmatch(r"\s+\d+\.\s+.+?\s+(\d+)", line) and int(line.split()[-1]) > page:
            line = re.sub(r"\d+$", lambda m: str(int(m.group()) + 1), line)
        elif "Total Number of Pages" in line:
            line = line.replace("24", "25")
        numbered.append(line)
    return numbered


def test_a_detail_table_continued_on_the_next_page_is_read_whole(
    real_text: str, real_result: ParseResult
) -> None:
    wide = [line.text for line in unfold(real_text)]
    first_row = next(i for i, line in enumerate(wide) if line.startswith("1100344047"))
    header = wide[first_row - 3 : first_row]  # Loan Number ... / & ... / Loan Group ...
    broken = "\n".join(_break_page_after(wide, "1100346905", page=18, header=header)) + "\n"
    result = parse_trustee_text(broken)
    assert result.unparsed == ()
    assert result.statement.prepaid_loans[10].loan_number == "1100346905"
    assert _without_lines(to_jsonable(result.statement.prepaid_loans)) == _without_lines(
        to_jsonable(real_result.statement.prepaid_loans)
    )
    assert result.statement.deal.total_pages == 25


def test_a_class_table_continued_under_a_repeated_header_is_read_whole(
    real_text: str, real_result: ParseResult
) -> None:
    wide = [line.text for line in unfold(real_text)]
    start = next(
        i for i, line in enumerate(wide) if line.strip() == "Distribution in Dollars - Current Period"
    )
    header = wide[start + 1 : start + 5]  # Prior / Class Original / Class Type Face Value / (1) (2) ...
    assert header[2].startswith("Class          Type")
    broken = "\n".join(_break_page_after(wide, "A              FLT", page=2, header=header, titles=4)) + "\n"
    result = parse_trustee_text(broken)
    assert result.unparsed == ()
    assert _without_lines(to_jsonable(result.statement.classes)) == _without_lines(
        to_jsonable(real_result.statement.classes)
    )


def test_a_secured_assets_deal_title_names_trust_and_series(real_text: str) -> None:
    # The Impac Secured Assets statements (accession 0001020242-03-000019) print "IMPAC Secured Assets
    # Corp. 2002-S2" and "Mortgage Pass-Through Certificates" as their title lines.
    text = real_text.replace("Impac CMB Trust   2002-2", "IMPAC Secured Assets Corp. 2002-S2").replace(
        "               Collateralized Asset-Backed Bonds",
        "               Mortgage Pass-Through Certificates",
    )
    deal = parse_trustee_text(text).statement.deal
    assert (deal.trust_name, deal.series) == ("IMPAC Secured Assets Corp.", "2002-S2")
    assert deal.bond_description == "Mortgage Pass-Through Certificates"


def _edit(text: str, delete: tuple[int, ...] = (), replace: dict[int, str] | None = None) -> str:
    """``text`` with physical lines (1-based, as in the fixture) deleted or replaced."""
    lines = text.split("\n")
    for number, new in (replace or {}).items():
        lines[number - 1] = new
    return "\n".join(line for number, line in enumerate(lines, start=1) if number not in delete)


# Damage the template catches although every remaining cell still reads as a number (line numbers are those
# of the real fixture): a result with such holes would otherwise pass as complete.
DAMAGE = [
    (
        "lost value segment",
        {"delete": (409,)},
        "'Current Periods Required Overcollateralization Amt' prints no value",
    ),
    (
        "value past the grid",
        {"replace": {246: ">           8,252,148.01   185.43         8,252,333.44      77"}},
        "right of the TOTAL column",
    ),
    ("table header lost", {"delete": (265, 266)}, "PRINCIPAL - COLLECTIONS"),
    (
        "loan cell lost",
        {"replace": {924: ">      37573         0.0549CA  -  60.00%  Paid Off  -  36"}},
        r"'Prepayment detail' prints no \['Origination Date'\]",
    ),
    ("class cells lost", {"delete": (177,)}, "'Interest Accrual Detail' prints no"),
    ("speed line lost", {"delete": (852, 853)}, r"speed lines missing \[\('CPR', 'current'\)\]"),
    ("speed values lost", {"delete": (853,)}, r"CPR \(current\) for adjustable is blank"),
    ("delinquency cells lost", {"delete": (614,)}, r"prints no \['1 PAYMENT'"),
    (
        "row shifted left",
        {"replace": {923: "00344047  2                                         750000      742220.08"}},
        "is not right-aligned in column 'Original Principal Balance'",
    ),
    ("signing agent lost", {"delete": (37,)}, "cover page lacks agent"),
    ("contact lost", {"delete": (88, 89)}, r"CONTACTS block lacks \['Direct Phone Number'\]"),
    # One folded line deleted (each of these parsed silently with a value lost before the rule existed).
    ("contact name cut at the fold", {"delete": (87,)}, r"without its '>' continuation line"),
    ("contact glued to the next", {"delete": (92,)}, "reads across a fold"),
    ("issuance date lost", {"delete": (102,)}, r"ISSUANCE INFORMATION lacks \['Cut-Off Date'\]"),
    ("party role lost", {"delete": (114,)}, "'Countrywide Funding Corporation' prints no role"),
    ("label of a heading's first line lost", {"delete": (801,)}, "heading 'Current' prints values"),
    ("3-month average lost", {"delete": (862,)}, r"PSA \(3_months\) for adjustable is blank"),
    ("value glued to a note", {"delete": (1005,)}, "'Note: Collateral realized losses"),
    ("summary value glued", {"delete": (781,)}, "'REO Book Value' reads"),
    ("legend entry lost", {"delete": (913,)}, r"loan-group legend lists \[2\]"),
]


@pytest.mark.parametrize(("case", "edit", "message"), DAMAGE, ids=[case for case, _, _ in DAMAGE])
def test_damage_that_still_reads_as_numbers_is_caught(
    real_text: str, case: str, edit: Any, message: str
) -> None:
    with pytest.raises(DamagedStatementError, match=message) as caught:
        parse_trustee_text(_edit(real_text, **edit))
    assert caught.value.line is not None


def test_an_unknown_table_title_is_another_variant(real_text: str) -> None:
    from parsers.errors import UnsupportedTemplateError

    renamed = real_text.replace("PRINCIPAL - WITHDRAWALS", "PRINCIPAL - DEPOSITS")
    with pytest.raises(UnsupportedTemplateError, match="'PRINCIPAL - DEPOSITS' is not declared"):
        parse_trustee_text(renamed)


def test_a_data_line_inside_the_methodology_prose_is_reported(real_text: str) -> None:
    lines = real_text.split("\n")
    lines[887:887] = [
        "               Total Prepayment Amount",
        ">                7769930.69         185.43     7770116.12",
    ]
    result = parse_trustee_text("\n".join(lines))
    assert [u.text.split()[:3] for u in result.unparsed] == [["Total", "Prepayment", "Amount"]]


def test_items_come_in_printed_order(real_result: ParseResult) -> None:
    lines = [item.line for item in real_result.items]
    assert lines == sorted(lines)
    assert len(real_result.items) == 1196  # every printed value of the statement, counted once


def test_items_keep_the_printed_text_beside_the_reading(real_result: ParseResult) -> None:
    by_line_column = {(i.line, i.column): i for i in real_result.items}
    rate = by_line_column[(422, "TOTAL")]  # Available Funds Rate
    assert (rate.label, rate.raw, rate.value) == ("Available Funds Rate", "5.0363%", D("0.050363"))
    fees = by_line_column[(259, "ADJUSTABLE")]  # Interest Fees
    assert (fees.raw, fees.value) == ("(212,730.77)", D("-212730.77"))
    start = by_line_column[(169, "Period Starting")]  # class A accrual start, an Excel serial
    assert (start.raw, start.value, start.subsection) == ("37585", D("37585"), "Interest Accrual Detail")
    glued = by_line_column[(923, "State & LTV at Origination")]
    assert (glued.label, glued.raw, glued.value) == ("1100344047  2", "CA  -  60.00%", None)


def _data(result: ParseResult) -> tuple[Any, ...]:
    """What a parse says, line numbers aside: the statement's records and every printed value."""
    items = sorted((i.section, i.subsection or "", i.label, i.column, i.raw) for i in result.items)
    return _without_lines(to_jsonable(result.statement)), items


def test_deleting_any_folded_line_never_loses_a_value_silently(
    real_text: str, real_result: ParseResult
) -> None:
    # Issue 2: "never a partial result presented as complete". Delete each physical line of every folded
    # (wide) line in turn: the parse must fail with our error, or report what it could not place, or be
    # caught by reconciliation, or say exactly what the intact statement says.
    lines = real_text.split("\n")
    folded = [
        i
        for i, line in enumerate(lines)
        if line.startswith(">") or (i + 1 < len(lines) and lines[i + 1].startswith(">"))
    ]
    assert len(folded) > 900
    intact = _data(real_result)
    silent = []
    for i in folded:
        try:
            result = parse_trustee_text("\n".join(lines[:i] + lines[i + 1 :]))
        except ImhEdgarError:
            continue
        if result.unparsed or _data(result) == intact or reconcile(result.statement).discrepancies:
            continue
        silent.append((i + 1, lines[i]))
    assert silent == []
