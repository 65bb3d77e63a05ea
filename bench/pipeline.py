"""Pipeline benchmarks against the local EDGAR test server, every ratio measured in this one run.

    .venv/bin/python bench/pipeline.py [--preset default] [--limit 8] [--limited-filings 250]

1. SEC-like backfill: the server throttles above 10 req/s (like SEC); the client is configured at ``--limit``
   req/s. Figures: achieved req/s / configured limit (target >= 0.9), throttle responses (target 0).
2. No rate limit: the ``backfill`` flow over the whole mirror, and the same library calls (discover_filings,
   then ingest_refs: downloads ahead of one parse/load thread) without Prefect, each into a fresh data
   directory, alternating; figures: filings/s, requests per ingested filing (target 1.0 + discovery),
   flow wall / plain wall (target <= 1.25).
3. A second flow run over the same range: wall / first wall (target <= 0.05), fetches (0), writes (0).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import (
    env_values,
    environment,
    ingestible,
    mirror,
    prefect_server,
    report,
    table_checksums,
    table_rows,
)

from edgar.testserver import EdgarTestServer


def _filing_requests(server: EdgarTestServer) -> int:
    return sum(n for path, n in server.stats.paths.items() if path.startswith("/Archives/edgar/data/"))


def _flow_backfill(start: Any, end: Any) -> tuple[dict[str, Any], float]:
    from flows.ingest import backfill

    began = time.perf_counter()
    summary = backfill(start=start, end=end)
    return summary, time.perf_counter() - began


def _fetch_only(start: Any, end: Any) -> tuple[int, float]:
    """Discovery and download only (edgar/ alone, no parse or load): what the politeness layer achieves."""
    from edgar.client import EdgarClient
    from edgar.discovery import discover_filings
    from edgar.fetch import fetch_submission
    from edgar.raw_store import RawStore
    from edgar.settings import load_settings

    settings = load_settings()
    began = time.perf_counter()
    with EdgarClient(settings) as client:
        found = discover_filings(client, start=start, end=end)
        store = RawStore(settings.raw_store_location)
        for ref in found.refs:
            fetch_submission(client, store, ref)
        return len(found.refs), time.perf_counter() - began


def _plain_loop(start: Any, end: Any) -> tuple[dict[str, Any], float]:
    """What the flow does, as plain library calls: discovery of the window, then fetch -> parse -> load."""
    from db.migrate import upgrade
    from edgar.discovery import discover_filings
    from edgar.settings import load_settings
    from flows.monitoring import Tally
    from flows.pipeline import Pipeline, ingest_refs

    began = time.perf_counter()
    settings = load_settings()
    pipeline = Pipeline(settings)
    try:
        upgrade(pipeline.engine)
        found = discover_filings(pipeline.client, start=start, end=end)
        tally = Tally.of(ingest_refs(pipeline, found.refs))
        requests, _ = pipeline.stats()
    finally:
        pipeline.close()
    return {"new": tally.total, "loaded": tally.loaded, "requests": requests}, time.perf_counter() - began


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--preset", default="default")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--limit", type=float, default=8.0, help="configured client rate for the SEC-like run"
    )
    parser.add_argument(
        "--limited-filings", type=int, default=250, help="filings in the SEC-like run's window"
    )
    parser.add_argument("--filings", type=int, default=60, help="filings in the no-limit runs' window")
    parser.add_argument("--rounds", type=int, default=1, help="alternating plain/flow rounds (min is kept)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "imh-bench")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    manifest = mirror(args.work, args.preset, args.seed)
    everything = ingestible(manifest)
    # A window of whole filing days: the first --filings filings (and any filed the same day as the last).
    end = everything[min(args.filings, len(everything)) - 1].filed
    filings = [f for f in everything if f.filed <= end]
    start = filings[0].filed
    expected_loaded = sum(f.expect == "load" for f in filings)
    figures: list[dict[str, Any]] = []
    runs: dict[str, Any] = {
        "preset": args.preset,
        "seed": args.seed,
        "filings": len(filings),
        "load_average_before": os.getloadavg(),
    }

    with prefect_server(args.work / "prefect-home"):
        # --- 1. SEC-like: the server throttles above 10 req/s, the client runs at --limit
        window = everything[: args.limited_filings]
        with EdgarTestServer(manifest.root, throttle_rps=10, block_seconds=600) as server:
            data = args.work / "data-limited"
            shutil.rmtree(data, ignore_errors=True)
            values = env_values(server.url, data, manifest, IMH_MAX_REQUESTS_PER_SECOND=str(args.limit))
            with environment(values):
                summary, wall = _flow_backfill(window[0].filed, window[-1].filed)
            achieved = server.stats.achieved_rate()
            runs["limited"] = {
                "summary": summary,
                "wall_seconds": wall,
                "requests": server.stats.total,
                "max_in_any_second": server.stats.max_in_window(1.0),
            }
            figures += [
                {
                    "figure": "SEC-like backfill: achieved req/s",
                    "value": round(achieved, 2),
                    "target": f"close to the configured {args.limit:g}",
                },
                {
                    "figure": "SEC-like backfill: achieved / configured limit",
                    "value": round(achieved / args.limit, 3),
                    "target": ">= 0.9",
                    "ok": achieved / args.limit >= 0.9,
                },
                {
                    "figure": "SEC-like backfill: throttle responses",
                    "value": server.stats.throttle_responses,
                    "target": "0",
                    "ok": server.stats.throttle_responses == 0,
                },
                {
                    "figure": "SEC-like backfill: most requests in any 1 s",
                    "value": server.stats.max_in_window(1.0),
                    "target": "<= 10 (SEC's limit)",
                    "ok": server.stats.max_in_window(1.0) <= 10,
                },
            ]
            server.reset_stats()
            data = args.work / "data-fetch-only"
            shutil.rmtree(data, ignore_errors=True)
            values = env_values(server.url, data, manifest, IMH_MAX_REQUESTS_PER_SECOND=str(args.limit))
            with environment(values):
                fetched, fetch_wall = _fetch_only(window[0].filed, window[-1].filed)
            fetch_rate = server.stats.achieved_rate()
            runs["fetch_only"] = {
                "filings": fetched,
                "wall_seconds": fetch_wall,
                "requests": server.stats.total,
            }
            figures += [
                {
                    "figure": "SEC-like, download stage alone: achieved / limit",
                    "value": round(fetch_rate / args.limit, 3),
                    "target": ">= 0.9",
                    "ok": fetch_rate / args.limit >= 0.9,
                },
                {
                    "figure": "SEC-like, download stage alone: throttle responses",
                    "value": server.stats.throttle_responses,
                    "target": "0",
                    "ok": server.stats.throttle_responses == 0,
                },
            ]
            print(
                f"  SEC-like backfill of {summary['new']} filings:"
                f" {server.stats.total} requests in {wall:.1f} s"
            )

        # --- 2. no rate limit: flow vs plain loop, alternating, fresh data directory each time
        with EdgarTestServer(manifest.root) as server:
            walls: dict[str, list[float]] = {"flow": [], "plain": []}
            first_flow: dict[str, Any] = {}
            for round_number in range(args.rounds):
                for kind in ("plain", "flow"):
                    data = args.work / f"data-{kind}-{round_number}"
                    shutil.rmtree(data, ignore_errors=True)
                    server.reset_stats()
                    values = env_values(server.url, data, manifest, IMH_MAX_REQUESTS_PER_SECOND="10000")
                    with environment(values):
                        call = _flow_backfill if kind == "flow" else _plain_loop
                        summary, wall = call(start, end)
                    walls[kind].append(wall)
                    print(
                        f"  {kind:>5} run {round_number + 1}: {summary['new']} filings,"
                        f" {summary['loaded']} loaded,"
                        f" {wall:.1f} s, {server.stats.total} requests"
                    )
                    if kind == "flow" and not first_flow:
                        first_flow = {
                            "summary": summary,
                            "wall": wall,
                            "data": data,
                            "requests": server.stats.total,
                            "filing_requests": _filing_requests(server),
                        }
            flow_wall, plain_wall = min(walls["flow"]), min(walls["plain"])
            loaded = first_flow["summary"]["loaded"]
            per_filing = first_flow["filing_requests"] / first_flow["summary"]["new"]
            runs["unlimited"] = {
                "walls": walls,
                "first_flow": {k: v for k, v in first_flow.items() if k != "data"},
            }
            figures += [
                {
                    "figure": "no limit: filings loaded / expected",
                    "value": f"{loaded}/{expected_loaded}",
                    "target": "all",
                    "ok": loaded == expected_loaded,
                },
                {
                    "figure": "no limit: ingest throughput (flow), filings/s",
                    "value": round(first_flow["summary"]["new"] / flow_wall, 1),
                    "target": "(as measured)",
                },
                {
                    "figure": "no limit: ingest throughput (plain loop), filings/s",
                    "value": round(first_flow["summary"]["new"] / plain_wall, 1),
                    "target": "(as measured)",
                },
                {
                    "figure": "filing requests per ingested filing",
                    "value": round(per_filing, 3),
                    "target": "1.0",
                    "ok": per_filing == 1.0,
                },
                {
                    "figure": "all requests per ingested filing (with discovery)",
                    "value": round(first_flow["requests"] / first_flow["summary"]["new"], 3),
                    "target": "1.0 + discovery",
                },
                {
                    "figure": "Prefect overhead: flow wall / plain loop wall",
                    "value": round(flow_wall / plain_wall, 3),
                    "target": "<= 1.25",
                    "ok": flow_wall / plain_wall <= 1.25,
                },
            ]

            # --- 3. second run over the same range, into the first flow run's database
            data = first_flow["data"]
            values = env_values(server.url, data, manifest, IMH_MAX_REQUESTS_PER_SECOND="10000")
            database = f"sqlite:///{data / 'imh_edgar.db'}"
            before = table_checksums(table_rows(database))
            server.reset_stats()
            with environment(values):
                summary, wall = _flow_backfill(start, end)
            after = table_checksums(table_rows(database))
            fetches = _filing_requests(server)
            changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
            runs["second"] = {
                "summary": summary,
                "wall": wall,
                "requests": server.stats.total,
                "changed_tables": changed,
            }
            figures += [
                {
                    "figure": "second run: wall / first run wall",
                    "value": round(wall / first_flow["wall"], 4),
                    "target": "<= 0.05",
                    "ok": wall / first_flow["wall"] <= 0.05,
                },
                {"figure": "second run: filing fetches", "value": fetches, "target": "0", "ok": fetches == 0},
                {
                    "figure": "second run: tables changed",
                    "value": len(changed),
                    "target": "0",
                    "ok": not changed,
                },
            ]
    runs["load_average_after"] = os.getloadavg()
    report(f"pipeline-{args.filings}", figures, {"runs": runs})
    return 0 if all(f.get("ok", True) for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
