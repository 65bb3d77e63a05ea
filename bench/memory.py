"""Peak memory of a backfill as the number of filings grows (target: bounded, not growing with the count).

    .venv/bin/python bench/memory.py [--preset default] [--sizes 40,160]

Each size is one fresh ingest process (the pipeline's library calls: discovery, then fetch -> parse -> load
per filing, as ``bench/faults.py child`` runs them) against the local test server; its peak resident set
size is the child's own ``VmHWM`` (``/proc/self/status``), which it prints when done. Not ``wait4``'s
``ru_maxrss``: Linux carries the parent's high-water mark across fork + exec into the child's figure, so
until 4e6263d (2026-11-27) this script reported the benchmark process's own ~440 MiB (the 5,000-filing
manifest and test server) for every size. The ratio largest / smallest is printed next to the ratio of the
filing counts.
"""

from __future__ import annotations

import argparse
import json
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

from corpus.mirror import Manifest
from edgar.testserver import EdgarTestServer


def measure(manifest: Manifest, sizes: Sequence[int], work: Path) -> list[dict[str, Any]]:
    """One fresh ingest process per size (the first ``size`` ingestible filings); each child's peak RSS."""
    filings = ingestible(manifest)
    measured: list[dict[str, Any]] = []
    with EdgarTestServer(manifest.root) as server:
        for size in sorted(sizes):
            window = filings[: min(size, len(filings))]
            data = work / f"memory-{size}"
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
            done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - began
            if done.returncode != 0:
                raise RuntimeError(
                    f"ingest child for {size} filings exited {done.returncode}: {done.stderr[-2000:]}"
                )
            outcome = json.loads(done.stdout.strip().splitlines()[-1])
            peak_mib = outcome["peak_rss_kib"] / 1024
            loaded = outcome["statuses"].get("loaded", 0)
            measured.append(
                {
                    "filings": len(window),
                    "discovered": outcome["discovered"],
                    "loaded": loaded,
                    "failed": outcome["statuses"].get("failed", 0),
                    "peak_rss_mib": round(peak_mib, 1),
                    "wall_seconds": round(wall, 1),
                    "filings_per_second": round(loaded / wall, 2),
                }
            )
            print(f"  {len(window):5d} filings: peak RSS {peak_mib:7.1f} MiB, {wall:6.1f} s, {loaded} loaded")
            shutil.rmtree(data, ignore_errors=True)
    return measured


def figures(measured: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each size's peak next to the growth per filing between the two largest runs (bounded: ~0)."""
    small, large = measured[0], measured[-1]
    before = measured[-2] if len(measured) > 1 else small
    slope_kib = (
        (large["peak_rss_mib"] - before["peak_rss_mib"]) * 1024 / max(1, large["filings"] - before["filings"])
    )
    out: list[dict[str, Any]] = [
        {
            "figure": f"peak RSS of a {m['filings']}-filing backfill (MiB)",
            "value": m["peak_rss_mib"],
            "target": "(as measured)",
        }
        for m in measured
    ]
    out += [
        {
            "figure": f"peak RSS ratio {large['filings']} / {small['filings']} filings",
            "value": round(large["peak_rss_mib"] / small["peak_rss_mib"], 3),
            "target": f"bounded: far below the count ratio {large['filings'] / small['filings']:.1f}",
            "ok": large["peak_rss_mib"] / small["peak_rss_mib"] < 1.5,
        },
        {
            "figure": f"peak RSS growth per filing, {before['filings']} -> {large['filings']} (KiB)",
            "value": round(slope_kib, 1),
            "target": "bounded: < 5",
            "ok": slope_kib < 5,
        },
    ]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--preset", default="default")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sizes", default="40,160", help="comma-separated filing counts, smallest first")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "imh-bench")
    parser.add_argument("--name", default="memory", help="results go to bench/results/<name>.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    manifest = mirror(args.work, args.preset, args.seed)
    measured = measure(manifest, sizes, args.work)
    report(
        args.name,
        figures(measured),
        {"runs": measured, "preset": args.preset, "load_average": os.getloadavg()},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
