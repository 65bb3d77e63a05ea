"""Every benchmark figure of the project in one run, each printed next to its target.

    .venv/bin/python bench/run_all.py              # ~6.5 minutes on 2 cores (docs/benchmarks.md)
    .venv/bin/python bench/run_all.py --full       # + the peak memory of a 5,000-filing backfill
    .venv/bin/python bench/run_all.py --faults     # + every fault-injection script (bench/faults.py all)

Each part runs in its own process, exactly as its script runs alone, and writes its own JSON to
``bench/results``; this runner reads those files back, prints one table (figure, measured value, target,
PASS/FAIL where the figure has a target) and writes ``bench/results/summary.json``. Exit code 0 when every
figure with a target meets it, 1 otherwise.

Parts, in order:

1. ``bench/parse.py``: the full parse of the real statement against a plain tokenising pass (target <= 8x).
2. ``bench/pipeline.py``: against the local test server, on the ``default`` mirror (746 filings):
   a backfill limited like SEC (server throttles above 10 req/s, client configured at 8 req/s) -> achieved /
   configured (>= 0.9), throttle responses (0); with no rate limit, the ``backfill`` flow and the same
   library calls in a plain loop, 3 alternating rounds, the fastest of each -> filings/s, requests per filing
   (1.0 + discovery), flow / plain wall (<= 1.25); a second flow run over the same range -> wall / first
   (<= 0.05), fetches (0), tables changed (0).
3. ``bench/memory.py``: peak RSS of fresh ingest processes at growing sizes of the ``default`` mirror
   (bounded: < 5 KiB per filing); with ``--full`` also on the ``5000`` mirror at 400, 1,500 and 5,000
   filings (~10 min more, ~13 with writing that mirror the first time). Without ``--full`` the table repeats
   the last ``--full`` run's 5,000-filing rows from ``bench/results/memory-5000.json``, marked as such and
   not counted.
4. With ``--faults``: ``bench/faults.py all`` (5xx/resets/truncation/stalls, throttling, 20 SIGKILLs,
   PostgreSQL stopped mid-run, malformed inputs); each scenario's checks become rows of the table.

Nothing here talks to SEC: the mirrors are generated (``corpus/``) and served on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
FAULT_SCENARIOS = ("transport", "throttle", "kill", "postgres", "malformed")


def _run(part: str, command: list[str]) -> tuple[int, float]:
    """Run one benchmark script in its own process, its output going straight to ours."""
    print(
        f"\n=== {part}: {' '.join(Path(c).name if c.endswith('.py') else c for c in command[1:])}", flush=True
    )
    began = time.perf_counter()
    code = subprocess.run(command, cwd=ROOT, check=False).returncode
    wall = time.perf_counter() - began
    print(f"=== {part}: exit {code}, {wall:.0f} s", flush=True)
    return code, wall


class StaleResults(Exception):
    """A part's results file was not written by this run (the script failed before writing it)."""


def _load(name: str, since: float) -> dict[str, Any]:
    """``bench/results/<name>.json``, only if written at or after ``since`` (the part's start, epoch seconds):
    the committed files of earlier runs must never pass for this run's figures."""
    path = RESULTS / f"{name}.json"
    if not path.is_file() or path.stat().st_mtime < since:
        raise StaleResults(f"{path.relative_to(ROOT)} was not written by this run")
    payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return payload


def _figures(name: str, since: float) -> list[dict[str, Any]]:
    return list(_load(name, since)["figures"])


def _parse_figures(since: float) -> list[dict[str, Any]]:
    result = _load("parse", since)
    ratio = result["ratio_parse_document_to_tokenise_text"]
    return [
        {
            "figure": "parse cost: parse_document / tokenising pass (real text statement)",
            "value": ratio,
            "target": f"<= {result['target_ratio']:g}x",
            "ok": ratio <= result["target_ratio"],
        },
        {
            "figure": "parse: statements/s (text), parse_document",
            "value": result["statements_per_second_text"],
            "target": "(as measured)",
        },
        {
            "figure": "parse cost: parse_document / tokenising pass (HTML rendition)",
            "value": result["ratio_parse_document_to_tokenise_html"],
            "target": "(as measured)",
        },
    ]


def _last_full_run() -> list[dict[str, Any]]:
    """Without --full: the 5,000-filing figures as last measured by a --full run, labelled with their date.

    They are not re-measured here (a 5,000-filing backfill takes ~10 minutes on 2 cores, plus ~3 to write its
    mirror) and their PASS/FAIL verdicts are left out of this run's count: only figures measured now count.
    """
    path = RESULTS / "memory-5000.json"
    if not path.is_file():
        return [
            {
                "part": "memory-5000",
                "figure": "peak RSS of a 5000-filing backfill: never measured here, run with --full",
                "value": "-",
                "target": "bounded",
            }
        ]
    payload = json.loads(path.read_text(encoding="utf-8"))
    when = payload["measured_at"][:16].replace("T", " ")
    return [
        {
            "part": "memory-5000",
            "figure": f"{f['figure']} [not re-run: --full of {when} UTC]",
            "value": f["value"],
            "target": f["target"],
        }
        for f in payload["figures"]
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="also the 5,000-filing backfill's peak memory")
    parser.add_argument("--faults", action="store_true", help="also every fault-injection script")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "imh-bench")
    parser.add_argument("--parse-repeat", type=int, default=30)
    parser.add_argument("--filings", type=int, default=250, help="window of the no-limit and second runs")
    parser.add_argument("--limited-filings", type=int, default=250, help="window of the SEC-like run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternating plain-loop / flow rounds of the no-limit run; the fastest of each is compared",
    )
    parser.add_argument("--memory-sizes", default="50,200,746", help="filing counts on the default mirror")
    args = parser.parse_args(argv)
    python = sys.executable
    work = ["--work", str(args.work)]
    started = time.perf_counter()
    load_before = os.getloadavg()
    parts: list[tuple[str, list[str], Any]] = [
        (
            "parse",
            [python, str(BENCH / "parse.py"), "--repeat", str(args.parse_repeat)],
            _parse_figures,
        ),
        (
            "pipeline",
            [
                python,
                str(BENCH / "pipeline.py"),
                "--preset",
                "default",
                "--filings",
                str(args.filings),
                "--limited-filings",
                str(args.limited_filings),
                "--rounds",
                str(args.rounds),
                *work,
            ],
            lambda since: _figures(f"pipeline-{args.filings}", since),
        ),
        (
            "memory",
            [python, str(BENCH / "memory.py"), "--preset", "default", "--sizes", args.memory_sizes, *work],
            lambda since: _figures("memory", since),
        ),
    ]
    if args.full:
        parts.append(
            (
                "memory-5000",
                [
                    python,
                    str(BENCH / "memory.py"),
                    "--preset",
                    "5000",
                    "--sizes",
                    "400,1500,5000",
                    "--name",
                    "memory-5000",
                    *work,
                ],
                lambda since: _figures("memory-5000", since),
            )
        )
    if args.faults:
        parts.append(
            (
                "faults",
                [python, str(BENCH / "faults.py"), "all", *work],
                lambda since: [
                    {**f, "figure": f"{scenario}: {f['figure']}"}
                    for scenario in FAULT_SCENARIOS
                    for f in _figures(f"faults-{scenario}", since)
                ],
            )
        )

    rows: list[dict[str, Any]] = []
    walls: dict[str, float] = {}
    for part, command, read in parts:
        since = time.time()
        code, walls[part] = _run(part, command)
        try:
            figures = read(since)
        except StaleResults as exc:
            figures = [
                {"figure": f"{part}: no results ({exc})", "value": code, "target": "results", "ok": False}
            ]
        if code != 0 and all(f.get("ok", True) for f in figures):
            figures.append({"figure": f"{part} script exit code", "value": code, "target": "0", "ok": False})
        rows += [{"part": part, **f} for f in figures]
    if not args.full:
        rows += _last_full_run()

    total = time.perf_counter() - started
    print(f"\n=== every figure (whole run {total:.0f} s; load average before {load_before[0]:.2f})\n")
    width = max(len(r["figure"]) for r in rows)
    for r in rows:
        verdict = "" if r.get("ok") is None else ("PASS" if r["ok"] else "FAIL")
        print(f"  {r['part']:<11} {r['figure']:<{width}}  {r['value']!s:>10}  {r['target']!s:<28} {verdict}")
    failed = [r for r in rows if r.get("ok") is False]
    print(f"\n  {sum(r.get('ok') is True for r in rows)} figures meet their target, {len(failed)} do not")
    summary = {
        "benchmark": "summary",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["bench/run_all.py", *(argv if argv is not None else sys.argv[1:])]),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "wall_seconds": {**{k: round(v, 1) for k, v in walls.items()}, "total": round(total, 1)},
        "figures": rows,
    }
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"  written to {(RESULTS / 'summary.json').relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
