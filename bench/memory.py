"""Peak memory of a backfill as the number of filings grows (target: bounded, not growing with the count).

    .venv/bin/python bench/memory.py [--preset default] [--sizes 40,160]

Each size is one fresh ingest process (the pipeline's library calls: discovery, then fetch -> parse -> load
per filing, as ``bench/faults.py child`` runs them) against the local test server; its peak resident set
size comes from ``wait4`` (the kernel's ru_maxrss of that child alone). The ratio largest / smallest is
printed next to the ratio of the filing counts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import ROOT, env_values, ingestible, mirror, report

from edgar.testserver import EdgarTestServer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--preset", default="default")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sizes", default="40,160", help="comma-separated filing counts, smallest first")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "imh-bench")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    args.work.mkdir(parents=True, exist_ok=True)
    manifest = mirror(args.work, args.preset, args.seed)
    filings = ingestible(manifest)
    measured: list[dict[str, Any]] = []
    with EdgarTestServer(manifest.root) as server:
        for size in sizes:
            window = filings[: min(size, len(filings))]
            data = args.work / f"memory-{size}"
            shutil.rmtree(data, ignore_errors=True)
            env = dict(os.environ)
            env.update(env_values(server.url, data, manifest, IMH_MAX_REQUESTS_PER_SECOND="1000"))
            command = [
                sys.executable,
                str(ROOT / "bench" / "faults.py"),
                "child",
                "--start",
                window[0].filed.isoformat(),
                "--end",
                window[-1].filed.isoformat(),
            ]
            began = time.perf_counter()
            child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - began
            peak_mib = usage.ru_maxrss / 1024  # Linux reports KiB
            measured.append(
                {
                    "filings": len(window),
                    "peak_rss_mib": round(peak_mib, 1),
                    "wall_seconds": round(wall, 1),
                    "exit": os.waitstatus_to_exitcode(status),
                }
            )
            print(f"  {len(window):5d} filings: peak RSS {peak_mib:7.1f} MiB, {wall:6.1f} s")
    small, large = measured[0], measured[-1]
    growth = large["peak_rss_mib"] / small["peak_rss_mib"]
    # Bounded means the last filings cost no more memory: the slope between the two largest runs, per filing.
    before = measured[-2] if len(measured) > 1 else small
    slope_kib = (
        (large["peak_rss_mib"] - before["peak_rss_mib"]) * 1024 / max(1, large["filings"] - before["filings"])
    )
    figures = [
        {
            "figure": f"peak RSS, {m['filings']} filings (MiB)",
            "value": m["peak_rss_mib"],
            "target": "(as measured)",
        }
        for m in measured
    ]
    figures += [
        {
            "figure": f"peak RSS ratio {large['filings']} / {small['filings']} filings",
            "value": round(growth, 3),
            "target": "(as measured)",
        },
        {
            "figure": f"peak RSS growth per filing, {before['filings']} -> {large['filings']} (KiB)",
            "value": round(slope_kib, 1),
            "target": "~0 (bounded): < 5",
            "ok": slope_kib < 5,
        },
    ]
    report("memory", figures, {"runs": measured, "preset": args.preset, "load_average": os.getloadavg()})
    return 0 if all(m["exit"] == 0 for m in measured) else 1


if __name__ == "__main__":
    sys.exit(main())
