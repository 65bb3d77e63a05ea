"""Test helpers for db/: statements and filing metadata built from the real fixture, and table snapshots.

``real_parse()`` is the parser's output on the real statement (Impac CMB Trust 2002-2, December 26, 2002,
accession 0001020242-03-000013). ``variant()`` derives another filing's version of a statement from it (an
8-K/A with a corrected figure, the next month's statement), so amendment and history tests use real shapes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import traceback
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from db.load import FilingMeta
from db.models import metadata
from parsers.records import BondClass, ParseResult

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/real/1017447/000102024203000013/im020212.txt"
REAL_ACCESSION = "0001020242-03-000013"
REAL_DOCUMENT = "im020212.txt"
PARSER_VERSION = "test-1"


@cache
def real_parse() -> ParseResult:
    """The real statement, parsed and reconciled by the project's parser."""
    from parsers.reconcile import reconcile
    from parsers.trustee_text import parse_trustee_text

    result = parse_trustee_text(FIXTURE.read_text(encoding="ascii"))
    discrepancies, checks_run = reconcile(result.statement)
    return dataclasses.replace(result, discrepancies=discrepancies, checks_run=checks_run)


def real_meta(**changes: object) -> FilingMeta:
    """The real filing's metadata (values from tests/fixtures/PROVENANCE.md)."""
    meta = FilingMeta(
        accession_no=REAL_ACCESSION,
        form="8-K",
        filed=date(2003, 1, 2),
        period=date(2002, 12, 26),
        ciks=(1017447,),
        company_names=("IMH ASSETS CORP",),
        url="https://www.sec.gov/Archives/edgar/data/1017447/000102024203000013/im020212.txt",
        sha256=hashlib.sha256(FIXTURE.read_bytes()).hexdigest(),
        document_name=REAL_DOCUMENT,
        template="trustee-text-2002",
    )
    return dataclasses.replace(meta, **changes)  # type: ignore[arg-type]


def variant(
    result: ParseResult, *, class_a_interest: Decimal | None = None, distribution_date: date | None = None
) -> ParseResult:
    """Another version of ``result``: class A interest corrected and/or the statement on another date."""
    statement = result.statement
    if class_a_interest is not None:
        classes = tuple(
            dataclasses.replace(c, interest=class_a_interest) if c.class_name == "A" else c
            for c in statement.classes
        )
        statement = dataclasses.replace(statement, classes=classes)
    if distribution_date is not None:
        statement = dataclasses.replace(
            statement, deal=dataclasses.replace(statement.deal, distribution_date=distribution_date)
        )
    return dataclasses.replace(result, statement=statement)


def class_a(result: ParseResult) -> BondClass:
    return result.statement.bond_class("A")


def hand_parse() -> ParseResult:
    """A small ParseResult built by hand with what the real statement lacks: a failed reconciliation check,
    an unparsed line, a liquidated loan (also REO) and a blank 12-month rate, on the real deal's values."""
    from parsers.records import (
        BUCKETS,
        GROUPS,
        MEASURES,
        STATUSES,
        CollateralGroup,
        Contact,
        ContentsEntry,
        CoverPage,
        CreditEnhancement,
        DealInfo,
        DelinquencyCell,
        DerivativePayment,
        Discrepancy,
        GroupLine,
        Item,
        LiquidatedLoan,
        LoanGroup,
        Miscellaneous,
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

    D = Decimal
    cover = CoverPage(
        registrant="IMH ASSETS CORP",
        series="2002-2",
        indenture_date=date(2002, 4, 29),
        report_date=date(2002, 12, 26),
        commission_file_number="333-06637",
        irs_employer_id="33-0705301",
        state_of_incorporation="DELAWARE",
        address="1401 DOVE STREET, NEWPORT BEACH, CALIFORNIA 92660",
        telephone="(949) 475-3600",
        agent="Deutsche Bank National Trust Company",
        signer="Katie Wannenmacher",
        signer_title="Vice President",
        signed_date=date(2003, 1, 2),
        line=1,
    )
    contact = Contact(
        administrator="James F Noriega",
        direct_phone="(714)247-6281",
        address="Deutsche Bank 1761 E. St. Andrew Place, Santa Ana, CA 92705",
        web_site="http://www.corporatetrust.db.com/invr",
        factor_information_phone="(800) 735-7777",
        main_phone="(714) 247-6000",
        line=89,
    )
    deal = DealInfo(
        trust_name="Impac CMB Trust",
        series="2002-2",
        bond_description="Collateralized Asset-Backed Bonds",
        distribution_date=date(2002, 12, 26),
        seller="IMPAC Mortgage Holdings Inc.",
        certificate_insurers=("AMBAC Indemnity Corporation",),
        servicers=(
            Party("Impac Funding Corporation", "Master Servicer", 117),
            Party("Wendover Funding, Inc.", "Sub-Servicer", 119),
            Party("Countrywide Funding Corporation", "Sub-Servicer", 121),
        ),
        underwriters=(
            Party("Countrywide Securities", "Co-Lead Underwriter", 126),
            Party("Greenwich Capital Markets, Inc.", "Co-Lead Underwriter", 129),
        ),
        cut_off_date=date(2002, 4, 1),
        closing_date=date(2002, 4, 29),
        first_payment_date=date(2002, 5, 28),
        record_date=date(2002, 11, 29),
        contact=contact,
        total_pages=24,
        line=57,
    )
    classes = []
    for name, ctype, face, prior, interest, principal, total, current, rate, line in (
        (
            "A",
            "FLT, STEP,",
            "472500000",
            "431396174.4",
            "616656.86",
            "7857385.49",
            "8474042.35",
            "423538788.9",
            "0.0166",
            150,
        ),
        (
            "B",
            "SUB, FLT, S",
            "23750000",
            "21683934.69",
            "64979.52",
            "394947.95",
            "459927.47",
            "21288986.74",
            "0.0348",
            153,
        ),
        ("Cert", "R", "0", "0", "1283280.58", "0", "1283280.58", "0", None, 156),
        (
            "Total",
            None,
            "496250000",
            "453080109.1",
            "1964916.96",
            "8252333.44",
            "10217250.4",
            "444827775.6",
            None,
            159,
        ),
    ):
        is_total = name == "Total"
        classes.append(
            BondClass(
                class_name=name,
                class_type=ctype,
                original_face_value=D(face),
                prior_principal_balance=D(prior),
                interest=D(interest),
                principal=D(principal),
                total_distribution=D(total),
                realized_losses=D(0),
                deferred_interest=D(0),
                current_principal_balance=D(current),
                accrual_start=None if is_total else date(2002, 11, 25),
                accrual_end=None if is_total else date(2002, 12, 25),
                accrual_method="A-Act/360" if name in ("A", "B") else None,
                cusip={"A": "45254NCK1", "B": "45254NCL9"}.get(name),
                factor_original_face=None if is_total else D(face),
                factor_prior_principal=D("913.0077764") if name in ("A", "B") else None,
                factor_interest=D("1.305093884") if name == "A" else None,
                factor_principal=D("16.62938728") if name == "A" else None,
                factor_total_distribution=D("17.93448116") if name == "A" else None,
                factor_current_principal=D("896.3783891") if name in ("A", "B") else None,
                to_date_original_face_value=D(face),
                to_date_interest=D("6266213.95") if name == "A" else None,
                to_date_unscheduled_principal=D("45561090.83") if name == "A" else None,
                to_date_scheduled_principal=D("3400120.302") if name == "A" else None,
                to_date_total_principal=D("48961211.13") if name == "A" else None,
                to_date_total_distribution=D("55227425.08") if name == "A" else None,
                to_date_realized_losses=D(0),
                to_date_deferred_interest=D(0),
                to_date_current_principal_balance=D(current),
                pass_through_rate=D(rate) if rate else None,
                interest_prior_principal_balance=D(prior),
                accrued_interest=D(interest) if name != "Cert" else D(0),
                non_supported_interest_shortfall=D(0),
                prior_unpaid_interest=D(0),
                unscheduled_interest_adjustments=D(0),
                optimal_interest=D(interest),
                paid_or_deferred_interest=D(interest),
                current_unpaid_interest=D(0),
                line=line,
                accrual_line=None if is_total else line + 20,
                to_date_line=line + 40,
                interest_detail_line=line + 60,
            )
        )
    group_lines = (
        GroupLine(
            "Collection Account Report",
            "SUMMARY",
            None,
            "Principal Collections",
            D("8252148.01"),
            D("185.43"),
            D("8252333.44"),
            210,
        ),
        GroupLine(
            "Collection Account Report",
            "SUMMARY",
            None,
            "Interest Fees",
            D("-212730.77"),
            D("-1.10"),
            D("-212731.87"),
            224,
        ),
        GroupLine(
            "Collateral Report",
            "SERVICING FEES / ADVANCES",
            None,
            "Delinquent Servicing Fees",
            D("56311.57"),
            D("150.79"),
            D("56462.36"),
            560,
        ),
        GroupLine(
            "Collateral Report",
            "SERVICING FEES / ADVANCES",
            None,
            "Delinquent Servicing Fees",
            D("-56311.57"),
            D("-150.79"),
            D("-56462.36"),
            568,
        ),
        GroupLine(
            "Prepayment Report",
            "VOLUNTARY PREPAYMENT RATES",
            None,
            "12 Months Avg SMM",
            None,
            None,
            None,
            866,
        ),
    )

    def collateral(
        group: str, counts: tuple[int, ...], balances: tuple[str, ...], wac: str
    ) -> CollateralGroup:
        arm = group == "adjustable"
        return CollateralGroup(
            group,
            *counts,
            *(D(b) for b in balances),
            D("0.066301649"),
            D("0.060928895"),
            D(wac),
            D(359),
            D(353),
            D(352),
            D("358.1400787"),
            D("352.1522287"),
            D("351.1576215"),
            D("1.8599213"),
            D("7.84777135"),
            D("8.84237846"),
            *((D("0.0288271"), D("0.02877727"), D("0.02880714")) if arm else (None, None, None)),
            *((D("0.1306022"), D("0.13052895"), D("0.13050509")) if arm else (None, None, None)),
            *((D("0.03023275"), D("0.03015562"), D("0.03021396")) if arm else (None, None, None)),
            *((D("0.01008218"), D("0.01007715"), D("0.01007873")) if arm else (None, None, None)),
            *((D("0.01008218"), D("0.01007715"), D("0.01007873")) if arm else (None, None, None)),
            line=430,
        )

    collateral_groups = (
        collateral(
            "adjustable",
            (2009, 1844, 0, 0, -28, 0, 0, 1816),
            ("499686850", "456598109.9", "0", "-482217.32", "-7769930.69", "0", "0", "448345961.9"),
            "0.060074995",
        ),
        collateral(
            "fixed",
            (6, 4, 0, 0, 0, 0, 0, 4),
            ("310868.95", "231982.07", "0", "0", "-185.43", "0", "0", "231796.64"),
            "0.096406761",
        ),
        collateral(
            "total",
            (2015, 1848, 0, 0, -28, 0, 0, 1820),
            ("499997719", "456830091.9", "0", "-482217.32", "-7770116.12", "0", "0", "448577758.5"),
            "0.060093445",
        ),
    )
    delinquency = tuple(
        DelinquencyCell(
            group,
            status,
            bucket,
            measure,
            D("10703636.69")
            if (status, bucket, measure) == ("total", "total", "balance")
            else None
            if (status, bucket) == ("delinquent", "current")
            else D(0),
            600 + 40 * GROUPS.index(group) + 8 * STATUSES.index(status) + MEASURES.index(measure),
        )
        for group in ("total", "fixed", "adjustable")
        for status in STATUSES
        for bucket in BUCKETS
        for measure in MEASURES
    )
    rates = tuple(
        RateItem(metric, window, group, None if window == "12_months" else D("0.186232294"), 850 + i)
        for i, (metric, window) in enumerate(
            (m, w)
            for m in ("SMM", "CPR", "PSA", "MDR", "CDR", "SDA")
            for w in ("current", "3_months", "12_months", "since_cut_off")
        )
        for group in GROUPS
    )
    prepaid = (
        PrepaidLoan(
            "1100344047",
            2,
            None,
            D("750000"),
            D("742220.08"),
            date(2002, 11, 13),
            D("0.0549"),
            "CA",
            D("0.6000"),
            "Paid Off  -  36",
            "Paid Off",
            date(2002, 2, 28),
            905,
        ),
        PrepaidLoan(
            "1100344065",
            2,
            None,
            D("448000"),
            D("443940.04"),
            date(2002, 11, 4),
            D("0.07125"),
            "CA",
            D("0.8000"),
            "Paid Off  -  36",
            "Paid Off",
            date(2002, 3, 25),
            907,
        ),
    )
    reo = (
        ReoLoan(
            "1109005345",
            2,
            D("420000"),
            D("416265.15"),
            date(2002, 4, 1),
            D("0.055"),
            "CA",
            D("0.9334"),
            360,
            date(2002, 3, 26),
            820,
        ),
    )
    items = (
        Item("Certificate Payment Report", None, "A", "Interest", D("616656.86"), "616656.86", 150),
        Item("Certificate Payment Report", None, "A", "Cusip", None, "45254NCK1", 170),
        Item(
            "Collection Account Report",
            "SUMMARY",
            "Interest Fees",
            "ADJUSTABLE",
            D("-212730.77"),
            "(212,730.77)",
            224,
        ),
        Item(
            "Credit Enhancement Report",
            "STRUCTURAL FEATURES",
            "Available Funds Rate",
            "TOTAL",
            D("0.050363"),
            "5.0363%",
            420,
        ),
    )
    statement = Statement(
        cover=cover,
        deal=deal,
        contents=(ContentsEntry(1, "Contents", 1, 70), ContentsEntry(2, "Certificate Payment Report", 2, 72)),
        classes=tuple(classes[:3]),
        class_total=classes[3],
        group_lines=group_lines,
        collateral=collateral_groups,
        credit_enhancement=CreditEnhancement(
            D("3749982.89"),
            D("3749982.89"),
            D("0.00"),
            D("1283280.58"),
            D("0.00"),
            D("6724165.84"),
            D("5011973.73"),
            D("0.050363"),
            405,
        ),
        delinquency=delinquency,
        reo_summary=ReoSummary(1, D("420000.00"), D("416265.15"), None, "Not Available", 810),
        reo_loans=reo,
        rates=rates,
        prepayment_detail_summary=PrepaymentDetailSummary(28, D("7537468.00"), D("7484177.40"), 890),
        prepaid_loans=prepaid,
        realized_loss_detail_summary=RealizedLossDetailSummary(
            0, D("0.00"), D("0.00"), D("0.00"), D("0.00"), 1000
        ),
        liquidated_loans=(
            LiquidatedLoan(
                "1109005345",
                2,
                None,
                D("420000"),
                D("416265.15"),
                D("-12.5"),
                D("0.055"),
                "CA",
                D("0.9334"),
                None,
                date(2002, 3, 26),
                1010,
            ),
        ),
        miscellaneous=Miscellaneous(D("0.00"), D("0.00"), D("0.013800"), D("0.054691"), D("0.000000"), 1100),
        derivative_payments=(
            DerivativePayment("IMP022F1", D("8183.16"), 1170),
            DerivativePayment("240430 (3418256)", D("0.00"), 1155),
        ),
        loan_groups=(
            LoanGroup(1, "Fixed Group", "fixed", 893),
            LoanGroup(2, "Adjustable Group", "adjustable", 895),
        ),
    )
    return ParseResult(
        template="trustee-text-2002",
        statement=statement,
        items=items,
        unparsed=(UnparsedLine(77, "an unplaced line", "Contents"),),
        discrepancies=(
            Discrepancy(
                "class.total_equals_interest_plus_principal",
                D("1"),
                D("1.02"),
                D("0.02"),
                D("0.01"),
                "class A",
                (150, 151),
            ),
        ),
        checks_run=42,
    )


#: Columns whose values depend on when or in which order rows were written, not on what was loaded.
VOLATILE = frozenset({"id", "created_at", "updated_at", "status_changed_at"})


def snapshot(engine: Engine, *, content_only: bool = False) -> dict[str, tuple[int, str]]:
    """Per table: row count and a sha256 over every row (sorted), timestamps included unless content_only.

    ``content_only`` leaves out identity, foreign-key ids and timestamps, so two databases that hold the same
    facts written in a different order compare equal.
    """
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            columns = [
                c
                for c in table.c
                if not content_only or (c.name not in VOLATILE and not c.name.endswith("_id"))
            ]
            rows = sorted(repr(tuple(str(v) for v in row)) for row in conn.execute(select(*columns)))
            out[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def clear_tables(engine: Engine) -> None:
    """Delete every row of every table (children first), keeping the schema: a fresh start within a test."""
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def _at_once(work: Callable[..., object], args: tuple[object, ...], barrier: Any, errors: Any) -> None:
    try:
        barrier.wait(timeout=60)
        work(*args)
    except BaseException:  # noqa: BLE001 - any failure must reach the parent test, whatever its type
        errors.put(traceback.format_exc())


def run_at_once(work: Callable[..., object], argument_lists: list[tuple[object, ...]]) -> list[str]:
    """Run ``work(*args)`` for each argument tuple in its own process, all released at the same moment.

    Returns the tracebacks and bad exit codes (empty when every process succeeded). Processes are forked, so
    they inherit what the parent already parsed; open no engine in the parent across this call.
    """
    context = multiprocessing.get_context("fork")
    barrier, errors = context.Barrier(len(argument_lists)), context.Queue()
    workers = [
        context.Process(target=_at_once, args=(work, args, barrier, errors)) for args in argument_lists
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    return problems + [f"exit code {w.exitcode}" for w in workers if w.exitcode != 0]
