"""Fault injection: the pipeline under transport faults, throttling, SIGKILL, a lost database, bad input.

    .venv/bin/python bench/faults.py all            # every scenario below, in turn
    .venv/bin/python bench/faults.py transport      # 5xx, connection resets, truncated bodies, stalls
    .venv/bin/python bench/faults.py throttle       # 429 above N req/s: every worker pauses, none retries
    .venv/bin/python bench/faults.py kill [--kills 20]   # SIGKILL at random moments, restart, compare
    .venv/bin/python bench/faults.py postgres       # a throwaway PostgreSQL cluster stopped mid-run
    .venv/bin/python bench/faults.py malformed      # garbage / foreign 8-K / 2004 HTML / truncated statement

The ingest runs are the pipeline's library calls (discover_filings, then ingest_refs: what each
flow task body calls) in a child process or in this one; the test server runs here, on 127.0.0.1. Results go
to bench/results/faults-<scenario>.json. Only processes this script started are ever signalled, by pid.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from common import ROOT, env_values, environment, ingestible, mirror, report, table_checksums, table_rows

from corpus.mirror import Manifest
from edgar.testserver import EdgarTestServer, FaultConfig

log = logging.getLogger("bench.faults")


def ingest_window(start: date, end: date) -> dict[str, Any]:
    """One plain ingest run of [start, end] with the settings of the environment; outcomes by status."""
    from db.migrate import upgrade
    from edgar.discovery import discover_filings
    from edgar.settings import load_settings
    from flows.monitoring import Tally
    from flows.pipeline import Pipeline, ingest_refs

    settings = load_settings()
    pipeline = Pipeline(settings)
    try:
        upgrade(pipeline.engine)
        known: set[str] = set()
        found = discover_filings(pipeline.client, start=start, end=end, known=known)
        tally = Tally.of(ingest_refs(pipeline, found.refs, logger=log))
        requests, pauses = pipeline.stats()
        throttled_at = list(pipeline.client.throttled_at)
    finally:
        pipeline.close()
    statuses = {"loaded": tally.loaded, "unchanged": tally.unchanged, "failed": len(tally.failures)}
    statuses.update({"unsupported": sum(tally.unsupported.values())} if tally.unsupported else {})
    return {
        "discovered": len(found.refs),
        "statuses": {status: n for status, n in statuses.items() if n},
        "requests": requests,
        "throttle_pauses": pauses,
        "throttled_at": throttled_at,
        "failed": [(o.accession_no, o.stage, o.error) for o in tally.failures],
    }


def peak_rss_kib() -> int:
    """This process's own peak resident set size (``VmHWM``), in KiB.

    Not ``getrusage``/``wait4``'s ``ru_maxrss``: Linux carries the parent's high-water mark across fork + exec
    into the child's figure, so a child started by a 400 MiB benchmark process reports at least 400 MiB.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("/proc/self/status has no VmHWM line: peak memory is measured on Linux only")


def _statuses(database_url: str) -> dict[str, tuple[str, str | None, str | None]]:
    from sqlalchemy import text

    from db.engine import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT accession_no, status, stage, error FROM filing")).all()
        return {a: (s, st, e) for a, s, st, e in rows}
    finally:
        engine.dispose()


def _raw_store_check(data: Path, manifest: Manifest) -> dict[str, Any]:
    """Every stored file is byte-identical to the mirror's; no half-written file under a final name."""
    from edgar.raw_store import RawStore

    store_root = data / "raw"
    store = RawStore(str(store_root))
    mismatched, checked = [], 0
    by_accession = {f.accession_no: f for f in manifest.filings}
    for path in store_root.rglob("*.txt"):
        accession = path.name[: -len(".txt")]
        filing = by_accession.get(accession)
        if filing is None:
            continue
        checked += 1
        if path.read_bytes() != (manifest.root / filing.path).read_bytes():
            mismatched.append(str(path))
    return {"checked": checked, "mismatched": mismatched, "partial_files": store.partial_files()}


def _expected(filings: Sequence[Any]) -> dict[str, str]:
    meaning = {"load": "loaded", "failed": "failed", "unsupported": "unsupported"}
    return {f.accession_no: meaning[f.expect] for f in filings}


def _status_check(
    database_url: str, filings: Sequence[Any]
) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    """Final status per filing, the filings not in their expected state, and the figure that says so."""
    statuses = {a: s for a, (s, _, _) in _statuses(database_url).items()}
    expected = _expected(filings)
    wrong = {a: (statuses.get(a), e) for a, e in expected.items() if statuses.get(a) != e}
    figure = {
        "figure": "filings with the expected final status",
        "value": f"{len(expected) - len(wrong)}/{len(expected)}",
        "target": "all",
        "ok": not wrong,
    }
    return statuses, wrong, figure


def _window(filings: Sequence[Any]) -> tuple[date, date]:
    return filings[0].filed, filings[-1].filed


def _db(data: Path) -> str:
    return f"sqlite:///{data / 'imh_edgar.db'}"


# ------------------------------------------------------------------------------------------------ scenarios


def transport(work: Path, filings_wanted: int) -> bool:
    manifest = mirror(work, "default")
    filings = ingestible(manifest)[:filings_wanted]
    start, end = _window(filings)
    faults = FaultConfig(
        error_rate=0.15,
        reset_rate=0.1,
        truncate_rate=0.15,
        stall_rate=0.05,
        stall_seconds=2.5,
        seed=7,
        path_prefix="/Archives/edgar/data/",
    )
    data = work / "faults-transport"
    shutil.rmtree(data, ignore_errors=True)
    with EdgarTestServer(manifest.root, faults=faults) as server:
        values = env_values(
            server.url,
            data,
            manifest,
            IMH_MAX_REQUESTS_PER_SECOND="1000",
            IMH_READ_TIMEOUT_SECONDS="1",
            IMH_MAX_RETRIES="8",
        )
        with environment(values):
            first = ingest_window(start, end)
            second = ingest_window(start, end)  # what a straggler retry / the next run completes
        injected = dict(server.stats.faults)
    statuses, wrong, status_figure = _status_check(_db(data), filings)
    store = _raw_store_check(data, manifest)
    figures = [
        {
            "figure": "faults injected (5xx/reset/truncate/stall)",
            "value": sum(injected.values()),
            "target": "> 0",
            "ok": sum(injected.values()) > 0,
        },
        status_figure,
        {
            "figure": "filing rows (each loaded once)",
            "value": len(statuses),
            "target": str(len(filings)),
            "ok": len(statuses) == len(filings),
        },
        {
            "figure": "stored files differing from the mirror",
            "value": len(store["mismatched"]),
            "target": "0",
            "ok": not store["mismatched"],
        },
        {
            "figure": "partial files in the raw store",
            "value": len(store["partial_files"]),
            "target": "0",
            "ok": not store["partial_files"],
        },
    ]
    report(
        "faults-transport",
        figures,
        {"injected": injected, "first_run": first, "second_run": second, "wrong": wrong, "store": store},
    )
    return all(f.get("ok", True) for f in figures)


def throttle(work: Path, filings_wanted: int) -> bool:
    manifest = mirror(work, "default")
    filings = ingestible(manifest)[:filings_wanted]
    start, end = _window(filings)
    data = work / "faults-throttle"
    shutil.rmtree(data, ignore_errors=True)
    pause = 3.0
    # The server blocks for `pause` seconds above 4 req/s; the client is (mis)configured at 20 req/s, so it
    # trips the block and must wait it out instead of retrying into it.
    with EdgarTestServer(manifest.root, throttle_rps=4, block_seconds=pause, throttle_status=429) as server:
        values = env_values(
            server.url,
            data,
            manifest,
            IMH_MAX_REQUESTS_PER_SECOND="20",
            IMH_THROTTLE_PAUSE_SECONDS=str(pause),
            IMH_MAX_THROTTLE_PAUSES="50",
        )
        began = time.perf_counter()
        with environment(values):
            run = ingest_window(start, end)
            rerun = ingest_window(start, end) if run["failed"] else None
        wall = time.perf_counter() - began
        stats = server.stats
        throttled, during_block = stats.throttle_responses, stats.requests_during_block
    # A request arriving during a block was either on its way when the block began (sent before any 429 of
    # that block reached us: unavoidable with requests in flight) or sent after we knew (the client's fault).
    # Server and client share this process and its monotonic clock, so the two can be told apart: after we
    # knew = some 429 was handled between the start of that block and the arrival.
    handled = sorted(run["throttled_at"] + (rerun["throttled_at"] if rerun else []))
    after_knew = sum(
        1 for arrival, began in stats.block_arrivals if any(began <= t <= arrival for t in handled)
    )
    _, wrong, status_figure = _status_check(_db(data), filings)
    figures = [
        {
            "figure": "throttle responses seen",
            "value": throttled,
            "target": ">= 1 (the block was hit)",
            "ok": throttled >= 1,
        },
        {
            "figure": "client throttle pauses",
            "value": run["throttle_pauses"],
            "target": ">= 1",
            "ok": run["throttle_pauses"] >= 1,
        },
        {
            "figure": "requests sent during a block after its 429 reached the client",
            "value": after_knew,
            "target": "0",
            "ok": after_knew == 0,
        },
        {
            "figure": "requests already in flight when a block began",
            "value": during_block - after_knew,
            "target": "(as measured: sent before the client could know)",
        },
        status_figure,
        {"figure": "wall seconds", "value": round(wall, 1), "target": "(as measured)"},
    ]
    report("faults-throttle", figures, {"run": run, "rerun": rerun, "wrong": wrong})
    return all(f.get("ok", True) for f in figures)


def _child_command(start: date, end: date) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "child",
        "--start",
        start.isoformat(),
        "--end",
        end.isoformat(),
    ]


def kill(work: Path, filings_wanted: int, kills: int, seed: int) -> bool:
    manifest = mirror(work, "default")
    # enough filings that 20 short runs cannot finish the window: every kill lands mid-run
    filings = ingestible(manifest)[: max(filings_wanted, 60)]
    start, end = _window(filings)
    rng = random.Random(seed)
    clean, killed = work / "faults-kill-clean", work / "faults-kill-killed"
    for path in (clean, killed):
        shutil.rmtree(path, ignore_errors=True)
    with EdgarTestServer(manifest.root) as server:
        env = dict(os.environ)
        env.update(env_values(server.url, clean, manifest, IMH_MAX_REQUESTS_PER_SECOND="1000"))
        began = time.perf_counter()
        subprocess.run(_child_command(start, end), env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        clean_wall = time.perf_counter() - began
        print(f"  clean run: {clean_wall:.1f} s")
        env.update(env_values(server.url, killed, manifest, IMH_MAX_REQUESTS_PER_SECOND="1000"))
        moments = []
        for number in range(kills):
            child = subprocess.Popen(
                _child_command(start, end),
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            # during start-up (imports, migrations), discovery, or a few filings into the run
            moment = rng.uniform(0.5, 7.0)
            try:
                child.wait(timeout=moment)
                finished = True
            except subprocess.TimeoutExpired:
                os.kill(child.pid, signal.SIGKILL)
                child.wait()
                finished = False
            moments.append((round(moment, 2), finished))
            print(
                f"  kill {number + 1:2d}/{kills} at {moment:5.1f} s"
                + (" (had already finished)" if finished else "")
            )
        subprocess.run(_child_command(start, end), env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    clean_rows, killed_rows = table_rows(_db(clean)), table_rows(_db(killed))
    clean_sums, killed_sums = table_checksums(clean_rows), table_checksums(killed_rows)
    differing = sorted(
        t for t in set(clean_sums) | set(killed_sums) if clean_sums.get(t) != killed_sums.get(t)
    )
    examples = {
        t: {
            "clean_only": sorted(set(clean_rows.get(t, [])) - set(killed_rows.get(t, [])))[:3],
            "killed_only": sorted(set(killed_rows.get(t, [])) - set(clean_rows.get(t, [])))[:3],
        }
        for t in differing
    }
    store = _raw_store_check(killed, manifest)
    figures = [
        {
            "figure": "SIGKILLs delivered mid-run",
            "value": sum(not f for _, f in moments),
            "target": f"{kills}",
            "ok": sum(not f for _, f in moments) >= kills * 0.8,
        },
        {
            "figure": "tables whose content differs from a clean run",
            "value": len(differing),
            "target": "0",
            "ok": not differing,
        },
        {
            "figure": "stored files differing from the mirror",
            "value": len(store["mismatched"]),
            "target": "0",
            "ok": not store["mismatched"],
        },
        {
            "figure": "orphan .partial temp files in the raw store",
            "value": len(store["partial_files"]),
            "target": "0 (never read as data either way)",
        },
    ]
    report(
        "faults-kill",
        figures,
        {
            "moments": moments,
            "clean": clean_sums,
            "killed": killed_sums,
            "differing": differing,
            "examples": examples,
            "store": store,
            "clean_wall": clean_wall,
        },
    )
    return all(f.get("ok", True) for f in figures)


def _pg(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    # initdb and postgres refuse to run as root: the throwaway cluster runs as the 'postgres' OS user.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=check, capture_output=True, text=True)


def postgres(work: Path, filings_wanted: int, port: int) -> bool:
    """A throwaway cluster on its own port and directory; the shared server on 5432 is never touched."""
    if not shutil.which("initdb") or not shutil.which("pg_ctl"):
        print("  skipped: initdb/pg_ctl not found")
        report(
            "faults-postgres", [{"figure": "scenario", "value": "not run", "target": "initdb/pg_ctl missing"}]
        )
        return True
    manifest = mirror(work, "default")
    filings = ingestible(manifest)[:filings_wanted]
    start, end = _window(filings)
    cluster = Path(tempfile.mkdtemp(prefix="imh-pg-faults-"))
    os.chmod(cluster, 0o777)
    pgdata = cluster / "data"
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    data = work / "faults-postgres"
    shutil.rmtree(data, ignore_errors=True)
    started_pg = False
    try:
        _pg("initdb", "-D", str(pgdata), "-A", "trust", "-U", "postgres")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {cluster}"
        _pg("pg_ctl", "-D", str(pgdata), "-o", options, "-l", str(cluster / "log"), "-w", "start")
        started_pg = True
        with EdgarTestServer(manifest.root) as server:
            env = dict(os.environ)
            env.update(
                env_values(
                    server.url, data, manifest, IMH_MAX_REQUESTS_PER_SECOND="1000", IMH_DATABASE_URL=url
                )
            )
            child = subprocess.Popen(
                _child_command(start, end),
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            time.sleep(6.0)  # imports, migrations, the first filings
            _pg("pg_ctl", "-D", str(pgdata), "-m", "fast", "-w", "stop")
            started_pg = False
            stopped_at = time.perf_counter()
            output, _ = child.communicate(timeout=600)
            print(
                f"  first run ended (exit {child.returncode})"
                f" {time.perf_counter() - stopped_at:.1f} s after the stop"
            )
            _pg("pg_ctl", "-D", str(pgdata), "-o", options, "-l", str(cluster / "log"), "-w", "start")
            started_pg = True
            first_statuses = _statuses(url)
            second = subprocess.run(
                _child_command(start, end), env=env, cwd=ROOT, capture_output=True, text=True
            )
        _, wrong, status_figure = _status_check(url, filings)
        loaded_first = sum(s == "loaded" for s, _, _ in first_statuses.values())
        figures = [
            {
                "figure": "first run: exit status",
                "value": child.returncode,
                "target": "clean (0, failures recorded) or a one-line error, no traceback",
                "ok": "Traceback" not in output,
            },
            {
                "figure": "first run: filings loaded before the stop",
                "value": loaded_first,
                "target": f"< {len(filings)}",
                "ok": loaded_first < len(filings),
            },
            {
                "figure": "second run: exit status",
                "value": second.returncode,
                "target": "0",
                "ok": second.returncode == 0,
            },
            status_figure,
        ]
        report(
            "faults-postgres",
            figures,
            {
                "first_output_tail": output[-3000:],
                "wrong": wrong,
                "second_output_tail": (second.stdout + second.stderr)[-2000:],
            },
        )
        return all(f.get("ok", True) for f in figures)
    finally:
        if started_pg:
            _pg("pg_ctl", "-D", str(pgdata), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(cluster, ignore_errors=True)


def malformed(work: Path) -> bool:
    manifest = mirror(work, "faults")
    filings = ingestible(manifest)
    start, end = _window(filings)
    data = work / "faults-malformed"
    shutil.rmtree(data, ignore_errors=True)
    with EdgarTestServer(manifest.root) as server:
        values = env_values(server.url, data, manifest, IMH_MAX_REQUESTS_PER_SECOND="1000")
        with environment(values):
            run = ingest_window(start, end)
    rows = _statuses(_db(data))
    expected = _expected(filings)
    wrong = {a: (rows.get(a), e) for a, e in expected.items() if (rows.get(a) or ("",))[0] != e}
    bad = [f for f in filings if f.expect != "load"]
    reasons = {f.kind: rows.get(f.accession_no) for f in bad}
    from sqlalchemy import text

    from db.engine import make_engine

    engine = make_engine(_db(data))
    try:
        with engine.connect() as conn:
            loaded_bad = conn.execute(
                text("SELECT count(*) FROM distribution WHERE accession_no IN :a").bindparams(
                    __import__("sqlalchemy").bindparam("a", expanding=True)
                ),
                {"a": [f.accession_no for f in bad]},
            ).scalar_one()
    finally:
        engine.dispose()
    figures = [
        {
            "figure": "malformed filings recorded failed/unsupported",
            "value": f"{len(bad) - sum(a in wrong for a in (f.accession_no for f in bad))}/{len(bad)}",
            "target": "all",
            "ok": not any(f.accession_no in wrong for f in bad),
        },
        {
            "figure": "malformed filings with a one-line reason",
            "value": sum(bool(r and (r[2] or r[0] == "unsupported")) for r in reasons.values()),
            "target": str(len(bad)),
            "ok": all(r and (r[2] or r[0] == "unsupported") for r in reasons.values()),
        },
        {
            "figure": "statement versions loaded from malformed filings",
            "value": loaded_bad,
            "target": "0",
            "ok": loaded_bad == 0,
        },
        {
            "figure": "good filings loaded",
            "value": sum(
                rows.get(f.accession_no, ("",))[0] == "loaded" for f in filings if f.expect == "load"
            ),
            "target": str(sum(f.expect == "load" for f in filings)),
            "ok": not wrong,
        },
    ]
    report("faults-malformed", figures, {"run": run, "reasons": reasons, "wrong": wrong})
    return all(f.get("ok", True) for f in figures)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "scenario", choices=["all", "transport", "throttle", "kill", "postgres", "malformed", "child"]
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "imh-bench")
    parser.add_argument("--filings", type=int, default=24, help="filings per scenario window")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-port", type=int, default=55439)
    parser.add_argument("--start", type=date.fromisoformat)
    parser.add_argument("--end", type=date.fromisoformat)
    args = parser.parse_args(argv)
    if args.scenario == "child":
        outcome = ingest_window(args.start, args.end)
        outcome["peak_rss_kib"] = peak_rss_kib()
        print(json.dumps(outcome, default=str))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    scenarios = (
        ["transport", "throttle", "kill", "postgres", "malformed"]
        if args.scenario == "all"
        else [args.scenario]
    )
    ok = True
    for name in scenarios:
        print(f"\n== {name}")
        began = time.perf_counter()
        if name == "transport":
            ok &= transport(args.work, args.filings)
        elif name == "throttle":
            ok &= throttle(args.work, args.filings)
        elif name == "kill":
            ok &= kill(args.work, args.filings, args.kills, args.seed)
        elif name == "postgres":
            ok &= postgres(args.work, args.filings, args.pg_port)
        else:
            ok &= malformed(args.work)
        print(f"  ({time.perf_counter() - began:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
