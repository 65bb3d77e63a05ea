"""Write a whole EDGAR mirror: many deals' monthly statements, amendments, the real filing, indexes and JSON.

:func:`generate_mirror` is deterministic from its seed: the same arguments write byte-identical trees.
The tree follows the layout in docs/edgar.md (served path for path by ``edgar.testserver``); a
``corpus-manifest.json`` at its root lists every filing with what the pipeline should make of it
(``expect``: ``load``, ``skip`` for forms the pipeline does not ingest, ``failed`` / ``unsupported`` for the
malformed inputs).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path

from corpus import edgar_files as ef
from corpus.layout import real_statement_text
from corpus.model import Deal, DealSpec, Month, new_deal, next_business_day, roll_forward
from corpus.statement import CoverFacts, RenderedStatement, render_statement

__all__ = [
    "MALFORMED_KINDS",
    "PRESETS",
    "FilingEntry",
    "Manifest",
    "Preset",
    "deal_specs",
    "generate_mirror",
    "iter_statements",
]

AGENT = "0001020242"  # the trustee's filing agent on every Impac remittance 8-K (imh-filings.md §4)
DEPOSITOR = ef.Filer(cik=1017447, name="IMH ASSETS CORP", file_number="333-06637", irs_number="330705301")
MALFORMED_KINDS = ("garbage", "foreign", "html", "truncated")
MANIFEST_NAME = "corpus-manifest.json"
# CIKs of the real family (imh-filings.md §3): generated series CIKs must not collide with them.
_REAL_CIKS = frozenset(
    {
        1017447,
        1018905,
        1058662,
        1059385,
        1076336,
        1089669,
        1104508,
        1176322,
        1176349,
        1183419,
        1183939,
        1207799,
        1217024,
        1225504,
        1229545,
        1257837,
        1265232,
        1281900,
        1289086,
        1304841,
        1309994,
        1315967,
        1326557,
        1295854,
        1299066,
        1319991,
        1322538,
        1332057,
        808851,
    }
)
# Other registrants in the same quarterly indexes: discovery must pass them over (the parent IMPAC MORTGAGE
# HOLDINGS and the look-alike IMPERIAL names do not match the family's patterns).
_NEIGHBOURS = (
    (1000298, "IMPAC MORTGAGE HOLDINGS INC", ("8-K", "10-Q", "424B5")),
    (1011466, "IMPERIAL CREDIT INDUSTRIES INC", ("8-K", "10-K")),
    (1086145, "IMH FINANCIAL CORP", ("8-K",)),
    (1103883, "BANC OF AMERICA MORTGAGE SECURITIES INC", ("8-K", "424B5")),
    (1047478, "AMERICAN EXPRESS CREDIT ACCOUNT MASTER TRUST", ("8-K", "10-K")),
    (1105472, "CWABS INC ASSET BACKED CERTIFICATES SERIES 2002-1", ("8-K",)),
    (1117208, "STRUCTURED ASSET SECURITIES CORP", ("8-K", "8-K/A", "424B5")),
)


@dataclass(frozen=True, slots=True)
class Preset:
    deals: int
    months: int
    amendments: int
    page_size: int
    malformed: tuple[str, ...] = ()
    loans: int = 240


PRESETS: dict[str, Preset] = {
    # tests and `imh-edgar demo`: 12 statements + the real one; a page size of 5 makes CIK 1017447 paginate
    "small": Preset(deals=3, months=4, amendments=1, page_size=5, loans=120),
    "faults": Preset(deals=2, months=3, amendments=1, page_size=5, malformed=MALFORMED_KINDS, loans=120),
    "default": Preset(deals=20, months=36, amendments=5, page_size=40),
    # 138 deals x 36 months + 31 amendments + the real filing = 5,000 filings
    "5000": Preset(deals=138, months=36, amendments=31, page_size=100, loans=160),
}


@dataclass(frozen=True, slots=True)
class FilingEntry:
    """One filing of the mirror and what the pipeline should make of it."""

    accession_no: str
    cik: int
    company_name: str
    form: str
    filed: date
    period: date | None
    kind: str  # statement, amendment, real, other-form, or one of MALFORMED_KINDS
    expect: str  # load, skip, failed, unsupported
    series: str | None
    distribution_date: date | None
    filename: str
    path: str  # of the full submission .txt, relative to the mirror root
    sha256: str  # of the primary document's bytes
    deal_index: int | None = None
    month_number: int | None = None


@dataclass(slots=True)
class Manifest:
    root: Path
    seed: int
    deals: int
    months: int
    page_size: int
    filings: list[FilingEntry] = field(default_factory=list)
    series_ciks: dict[str, int] = field(default_factory=dict)  # series -> filer CIK
    explicit_ciks: tuple[int, ...] = (DEPOSITOR.cik,)
    first_filed: date | None = None
    last_filed: date | None = None

    def of_kind(self, *kinds: str) -> list[FilingEntry]:
        return [f for f in self.filings if f.kind in kinds]

    def expected(self, *outcomes: str) -> list[FilingEntry]:
        return [f for f in self.filings if f.expect in outcomes]

    def to_json(self) -> dict:
        data = asdict(self)
        del data["root"]  # where the mirror lives is not part of it: two runs of one seed write equal trees
        return json.loads(json.dumps(data, default=str))

    @classmethod
    def load(cls, root: Path) -> Manifest:
        """Read ``corpus-manifest.json`` of a mirror written by :func:`generate_mirror`."""
        data = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))

        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        filings = [
            FilingEntry(
                **{
                    **f,
                    "filed": day(f["filed"]),
                    "period": day(f["period"]),
                    "distribution_date": day(f["distribution_date"]),
                }
            )
            for f in data["filings"]
        ]
        return cls(
            root=root,
            seed=data["seed"],
            deals=data["deals"],
            months=data["months"],
            page_size=data["page_size"],
            filings=filings,
            series_ciks=data["series_ciks"],
            explicit_ciks=tuple(data["explicit_ciks"]),
            first_filed=day(data["first_filed"]),
            last_filed=day(data["last_filed"]),
        )


def deal_specs(seed: int, deals: int, loans: int = 240) -> list[DealSpec]:
    """The deals of a mirror: series 2002-3 onwards (2002-2 is the real deal), closings in 2002-2004."""
    rng = random.Random(f"deals-{seed}")
    specs = []
    for index in range(deals):
        year = 2002 + index % 3
        number = 3 + index // 3
        closing = next_business_day(date(year, 1 + (index * 5) % 12, rng.randrange(20, 29)))
        specs.append(
            DealSpec(series=f"{year}-{number}", closing=closing, seed=rng.randrange(1, 2**31), loans=loans)
        )
    return specs


def _filer_for(index: int, series: str) -> ef.Filer:
    # 2002-1 and 2002-2 were filed under the depositor itself (imh-filings.md §5.7); later series under their
    # own CIK, whose conformed names follow two real patterns and are listed nowhere in our settings.
    if index % 7 in (0, 1):
        return DEPOSITOR
    cik = 1_176_000 + index * 311
    while cik in _REAL_CIKS:
        cik += 1
    name = (
        f"IMPAC CMB TRUST SERIES {series}"
        if index % 2
        else f"IMH ASSETS CORP IMPAC CMB TRUST SERIES {series}"
    )
    return ef.Filer(cik=cik, name=name, file_number=f"333-83600-{index:02d}")


def iter_statements(
    seed: int = 0, deals: int = 3, months: int = 4, loans: int = 240
) -> Iterator[tuple[int, Deal, Month, RenderedStatement]]:
    """Every generated monthly statement of a mirror with these arguments, with its truth (for tests)."""
    for index, spec in enumerate(deal_specs(seed, deals, loans)):
        deal = new_deal(spec)
        for month in roll_forward(deal, months):
            filer = _filer_for(index, spec.series)
            yield (
                index,
                deal,
                month,
                render_statement(deal, month, CoverFacts(commission_file_number=filer.file_number)),
            )


def _restated(month: Month) -> Month:
    """The month as an 8-K/A restates it: floor payments revised, the residual's excess cash with them."""
    shift = min(max(month.excess_cashflow // 10, 0), 500_000)
    name, amount = month.derivative_payments[0]
    payments = [(name, amount + shift), *month.derivative_payments[1:]]
    classes = [
        replace(c, interest=c.interest - shift, to_date_interest=c.to_date_interest - shift)
        if c.name == "Cert"
        else c
        for c in month.classes
    ]
    return replace(
        month, derivative_payments=payments, excess_cashflow=month.excess_cashflow - shift, classes=classes
    )


@dataclass(slots=True)
class _Pending:
    """A filing before its accession number is known (numbers follow filing order across the mirror)."""

    filer: ef.Filer
    form: str
    filed: date
    accepted: datetime
    period: date | None
    filename: str
    description: str
    body: str
    kind: str
    expect: str
    series: str | None = None
    index: int | None = None
    month: int | None = None
    accession_no: str | None = None


def _filed_after(day: date, rng: random.Random, low: int, high: int) -> tuple[date, datetime]:
    filed = next_business_day(day + timedelta(days=rng.randrange(low, high)))
    accepted = datetime.combine(filed, time(rng.randrange(8, 18), rng.randrange(60), rng.randrange(60)))
    return filed, accepted


def _foreign_8k(series: str, day: date) -> str:
    return (
        "                       SECURITIES AND EXCHANGE COMMISSION\n"
        "                             Washington, D.C. 20549\n"
        "                                    FORM 8-K\n"
        "                                 CURRENT REPORT\n"
        f"       Date of Report (Date of earliest event reported): {day:%B} {day.day}, {day.year}\n"
        "                                IMH ASSETS CORP.\n"
        "Item 5.  Other Events.\n"
        f"     On {day:%B} {day.day}, {day.year}, the Registrant caused the issuance and sale of its\n"
        f"Collateralized Asset-Backed Bonds, Series {series}. Filed herewith are the Underwriting Agreement\n"
        "and the Indenture relating to the Bonds.\n"
        "Item 7.  Financial Statements and Exhibits.\n"
        "     1.1  Underwriting Agreement\n"
        "     4.1  Indenture\n"
    )


def _html_2004(day: date) -> str:
    # The 2004+ trustee opening ("<date> Distribution / External Parties / Table of Contents", im040810.htm
    # onwards): a layout the parsers name but do not read yet.
    return (
        "<html><body><table>\n"
        "<tr><td>Impac CMB Trust Series 2004-8</td></tr>\n"
        f"<tr><td>{day:%B} {day.day}, {day.year} Distribution</td></tr>\n"
        "<tr><td>External Parties</td></tr><tr><td>Table of Contents</td></tr>\n"
        "<tr><td>Certificate Payment Report</td><td>2</td></tr>\n"
        "<tr><td>Collection Account Report</td><td>5</td></tr>\n"
        "</table></body></html>\n"
    )


def _garbage(rng: random.Random) -> str:
    alphabet = [chr(c) for c in range(32, 127)] + [chr(c) for c in range(160, 256)]
    lines = ("".join(rng.choice(alphabet) for _ in range(rng.randrange(20, 79))) for _ in range(60))
    return "\n".join(lines) + "\n"


def generate_mirror(
    root: Path,
    *,
    seed: int = 0,
    deals: int = 20,
    months: int = 36,
    include_real: bool = True,
    amendments: int = 5,
    page_size: int = 40,
    malformed: Sequence[str] = (),
    loans: int = 240,
) -> Manifest:
    """Write a mirror under ``root`` (created; existing files are overwritten) and return its manifest."""
    unknown = set(malformed) - set(MALFORMED_KINDS)
    if unknown:
        raise ValueError(f"unknown malformed kinds {sorted(unknown)}; choose from {MALFORMED_KINDS}")
    root = Path(root)
    rng = random.Random(f"mirror-{seed}")
    pending: list[_Pending] = []
    series_ciks: dict[str, int] = {}
    candidates: list[tuple[int, Deal, Month, ef.Filer]] = []
    for index, deal, month, rendered in iter_statements(seed, deals, months, loans):
        filer = _filer_for(index, deal.spec.series)
        series_ciks[deal.spec.series] = filer.cik
        filed, accepted = _filed_after(month.distribution, rng, 5, 12)
        stem = f"im{deal.spec.series[2:4]}{int(deal.spec.series.split('-')[1]):02d}{month.distribution:%m}"
        pending.append(
            _Pending(
                filer=filer,
                form="8-K",
                filed=filed,
                accepted=accepted,
                period=month.distribution,
                filename=f"{stem}.txt",
                description=filer.name,
                body=rendered.text,
                kind="statement",
                expect="load",
                series=deal.spec.series,
                index=index,
                month=month.number,
            )
        )
        if month.number >= 2:
            candidates.append((index, deal, month, filer))
        if month.number == 1:
            # the issuance prospectus supplement: in the indexes and submissions, never ingested (form filter)
            issued, issued_at = _filed_after(deal.spec.closing, rng, -3, 0)
            pending.append(
                _Pending(
                    filer=filer,
                    form="424B5",
                    filed=issued,
                    accepted=issued_at,
                    period=None,
                    filename=f"d{rng.randrange(10**5, 10**6)}.txt",
                    description="PROSPECTUS SUPPLEMENT",
                    body=f"PROSPECTUS SUPPLEMENT\nImpac CMB Trust Series {deal.spec.series}\n",
                    kind="other-form",
                    expect="skip",
                    series=deal.spec.series,
                    index=index,
                )
            )
    for index, deal, month, filer in rng.sample(candidates, min(amendments, len(candidates))):
        original = next(
            p for p in pending if p.index == index and p.month == month.number and p.kind == "statement"
        )
        filed, accepted = _filed_after(original.filed, rng, 30, 90)
        restated = render_statement(
            deal,
            _restated(month),
            CoverFacts(commission_file_number=filer.file_number, form="8-K/A", signed=filed),
        )
        pending.append(
            _Pending(
                filer=filer,
                form="8-K/A",
                filed=filed,
                accepted=accepted,
                period=month.distribution,
                filename=original.filename,
                description=f"8KA {month.distribution:%B}".upper(),
                body=restated.text,
                kind="amendment",
                expect="load",
                series=deal.spec.series,
                index=index,
                month=month.number,
            )
        )
    anchor = min((p.filed for p in pending), default=date(2003, 1, 2))
    for offset, kind in enumerate(malformed):
        filed, accepted = _filed_after(anchor, rng, 20 + offset * 9, 25 + offset * 9)
        body, filename, expect = {
            "garbage": (_garbage(rng), f"im0299{offset:02d}.txt", "failed"),
            "foreign": (_foreign_8k("2003-9", filed), f"im0399{offset:02d}.txt", "failed"),
            "html": (_html_2004(filed), f"im0498{offset:02d}.htm", "unsupported"),
            "truncated": (_truncated(seed), f"im0397{offset:02d}.txt", "failed"),
        }[kind]
        pending.append(
            _Pending(
                filer=DEPOSITOR,
                form="8-K",
                filed=filed,
                accepted=accepted,
                period=filed,
                filename=filename,
                description="IMH ASSETS CORP",
                body=body,
                kind=kind,
                expect=expect,
            )
        )
    _number(pending, rng)
    if include_real:
        provenance = resources.files("corpus").joinpath("data/im020212.json")
        facts = json.loads(provenance.read_text(encoding="utf-8"))
        pending.append(
            _Pending(
                filer=DEPOSITOR,
                form=facts["form"],
                filed=date.fromisoformat(facts["filed"]),
                accepted=datetime.strptime(facts["accepted"], "%Y%m%d%H%M%S"),
                period=date.fromisoformat(facts["period"]),
                filename=facts["filename"],
                description=facts["description"],
                body=real_statement_text(),
                kind="real",
                expect="load",
                series=facts["series"],
                accession_no=facts["accession_no"],
            )
        )
        series_ciks[facts["series"]] = DEPOSITOR.cik
    manifest = Manifest(
        root=root, seed=seed, deals=deals, months=months, page_size=page_size, series_ciks=series_ciks
    )
    _write(root, pending, page_size, rng, manifest)
    return manifest


def _truncated(seed: int) -> str:
    """A statement cut off in its Collateral Report: the cover and first pages are there, the rest is not."""
    _, _, _, rendered = next(iter_statements(seed + 1, deals=1, months=1, loans=60))
    lines = rendered.text.split("\n")
    return "\n".join(lines[: len(lines) * 2 // 5]) + "\n"


def _number(pending: list[_Pending], rng: random.Random) -> None:
    # Accession = agent - YY - sequence in filing order within the year; 0001020242-03-000013 (the real
    # filing) is never handed out.
    sequence: dict[int, int] = defaultdict(lambda: 20)
    for item in sorted(pending, key=lambda p: (p.accepted, p.filename, p.kind)):
        year = item.filed.year
        sequence[year] += rng.randrange(1, 9)
        item.accession_no = f"{AGENT}-{year % 100:02d}-{sequence[year]:06d}"


def _write(
    root: Path, pending: list[_Pending], page_size: int, rng: random.Random, manifest: Manifest
) -> None:
    by_quarter: dict[tuple[int, int], list[ef.IndexRow]] = defaultdict(list)
    by_cik: dict[int, list[ef.SubmissionRow]] = defaultdict(list)
    filers: dict[int, ef.Filer] = {}
    for item in sorted(pending, key=lambda p: (p.accepted, p.accession_no or "")):
        accession = item.accession_no or ""
        folder = root / "Archives" / "edgar" / "data" / str(item.filer.cik) / accession.replace("-", "")
        folder.mkdir(parents=True, exist_ok=True)
        film = f"{item.filed.year % 100:02d}{rng.randrange(10**5, 10**6):06d}"
        facts = ef.FilingFacts(
            accession_no=accession,
            form=item.form,
            filer=item.filer,
            period=item.period,
            filed=item.filed,
            accepted=item.accepted,
            film_number=film,
            filename=item.filename,
            description=item.description,
        )
        document = item.body.encode("latin-1")
        full = ef.submission_txt(facts, item.body).encode("latin-1")
        (folder / f"{accession}.txt").write_bytes(full)
        (folder / item.filename).write_bytes(document)
        listing = ef.index_json(
            item.filer.cik,
            accession,
            [(f"{accession}.txt", len(full)), (item.filename, len(document))],
            item.accepted,
        )
        (folder / "index.json").write_text(json.dumps(listing, indent=1), encoding="utf-8")
        by_quarter[(item.filed.year, (item.filed.month - 1) // 3 + 1)].append(
            ef.IndexRow(item.filer.name, item.form, item.filer.cik, item.filed, accession)
        )
        by_cik[item.filer.cik].append(
            ef.SubmissionRow(
                accession_no=accession,
                filed=item.filed,
                period=item.period,
                accepted=item.accepted,
                form=item.form,
                file_number=item.filer.file_number,
                film_number=film,
                size=len(full),
                primary_document=item.filename,
                description=item.description,
            )
        )
        filers[item.filer.cik] = item.filer
        manifest.filings.append(
            FilingEntry(
                accession_no=accession,
                cik=item.filer.cik,
                company_name=item.filer.name,
                form=item.form,
                filed=item.filed,
                period=item.period,
                kind=item.kind,
                expect=item.expect,
                series=item.series,
                distribution_date=item.period if item.kind in ("statement", "amendment", "real") else None,
                filename=item.filename,
                path=str((folder / f"{accession}.txt").relative_to(root)),
                sha256=hashlib.sha256(document).hexdigest(),
                deal_index=item.index,
                month_number=item.month,
            )
        )
    quarters = sorted(by_quarter)
    year, quarter = quarters[0]
    while (year, quarter) <= quarters[-1]:
        rows = list(by_quarter.get((year, quarter), []))
        qrng = random.Random(f"noise-{manifest.seed}-{year}-{quarter}")
        for cik, name, forms in _NEIGHBOURS:
            for _ in range(qrng.randrange(1, 4)):
                day = date(year, 3 * quarter - 2, 1) + timedelta(days=qrng.randrange(0, 88))
                rows.append(
                    ef.IndexRow(
                        name,
                        qrng.choice(forms),
                        cik,
                        day,
                        f"{qrng.randrange(10**9, 10**10):010d}-{year % 100:02d}-{qrng.randrange(10**6):06d}",
                    )
                )
        last_day = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
        directory = root / "Archives" / "edgar" / "full-index" / str(year) / f"QTR{quarter}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "company.idx").write_text(ef.company_idx(rows, last_day), encoding="latin-1")
        (directory / "form.idx").write_text(ef.form_idx(rows, last_day), encoding="latin-1")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    submissions = root / "submissions"
    submissions.mkdir(parents=True, exist_ok=True)
    for cik, rows in by_cik.items():
        for name, page in ef.submissions_pages(filers[cik], rows, page_size).items():
            (submissions / name).write_text(json.dumps(page), encoding="utf-8")
    manifest.filings.sort(key=lambda f: (f.filed, f.accession_no))
    manifest.first_filed = manifest.filings[0].filed if manifest.filings else None
    manifest.last_filed = manifest.filings[-1].filed if manifest.filings else None
    (root / MANIFEST_NAME).write_text(json.dumps(manifest.to_json(), indent=1), encoding="utf-8")
