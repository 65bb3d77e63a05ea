"""``python -m corpus``: write a generated EDGAR mirror (``main(argv) -> int`` so it is testable)."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from corpus.mirror import MALFORMED_KINDS, PRESETS, generate_mirror

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write a mirror directory in SEC's URL layout")
    gen.add_argument("root", type=Path, help="directory to write (created if missing)")
    gen.add_argument("--preset", choices=sorted(PRESETS), default="small")
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--deals", type=int, help="override the preset's number of deals")
    gen.add_argument("--months", type=int, help="override the preset's months per deal")
    gen.add_argument("--amendments", type=int, help="override the preset's number of 8-K/A restatements")
    gen.add_argument("--page-size", type=int, help="filings per submissions JSON page (SEC: ~1000)")
    gen.add_argument(
        "--malformed",
        default=None,
        help=f"comma-separated malformed inputs to add: {','.join(MALFORMED_KINDS)} or 'all'",
    )
    gen.add_argument("--no-real", action="store_true", help="leave the real 0001020242-03-000013 filing out")
    args = parser.parse_args(argv)
    preset = PRESETS[args.preset]
    malformed: tuple[str, ...] = preset.malformed
    if args.malformed is not None:
        malformed = (
            MALFORMED_KINDS if args.malformed == "all" else tuple(k for k in args.malformed.split(",") if k)
        )
        unknown = sorted(set(malformed) - set(MALFORMED_KINDS))
        if unknown:
            print(
                f"error: unknown malformed kind(s) {unknown}; choose from {','.join(MALFORMED_KINDS)}",
                file=sys.stderr,
            )
            return 2
    started = time.perf_counter()
    manifest = generate_mirror(
        args.root,
        seed=args.seed,
        deals=args.deals or preset.deals,
        months=args.months or preset.months,
        include_real=not args.no_real,
        amendments=preset.amendments if args.amendments is None else args.amendments,
        page_size=args.page_size or preset.page_size,
        malformed=malformed,
        loans=preset.loans,
    )
    kinds = Counter(f.kind for f in manifest.filings)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    print(
        f"wrote {len(manifest.filings)} filings ({summary}) to {args.root}"
        f" in {time.perf_counter() - started:.1f} s"
    )
    print(
        f"filed {manifest.first_filed} .. {manifest.last_filed};"
        f" CIKs {sorted(set(manifest.series_ciks.values()))}"
    )
    return 0
