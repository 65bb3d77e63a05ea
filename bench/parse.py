"""Benchmark: how fast the full parse of a real statement is, against a plain tokenising pass over it.

Measured in one run, on the same text, so the ratio does not depend on the machine:

* ``tokenise``: ``re.findall(r"\\S+", text)``, the cheapest pass that looks at every character;
* ``parse_document``: detection + the trustee template + reconciliation (what the flows call);
* its parts: ``detect_template``, ``parse_trustee_text``, ``reconcile``;
* ``parse_document`` on the HTML rendition (tests/fixtures/html/im020212.htm), against tokenising that file.

Each figure is the median of ``--repeat`` rounds after one warm-up; in each round every measurement runs
once, back to back, and the ratios are medians of per-round ratios, so load from other processes hits both
sides. The issue's target is a full parse costing at most 8x the tokenising pass. Results go to
bench/results/parse.json and are printed; :func:`measure` returns the same dict (for bench/run_all.py).

    .venv/bin/python bench/parse.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parsers import PARSER_VERSION
from parsers.api import parse_document
from parsers.detect import detect_template
from parsers.reconcile import reconcile
from parsers.trustee_text import parse_trustee_text

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT / "tests" / "fixtures" / "real" / "1017447" / "000102024203000013" / "im020212.txt"
HTML = ROOT / "tests" / "fixtures" / "html" / "im020212.htm"
OUT = ROOT / "bench" / "results" / "parse.json"
TARGET_RATIO = 8.0
_TOKEN = re.compile(r"\S+")


def _interleaved(works: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Time each work once per round, round after round, so load from other processes hits all alike."""
    for work in works.values():
        work()
    times: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(repeat):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    return times


def _ratio(times: dict[str, list[float]], numerator: str, denominator: str) -> float:
    """Median over rounds of the per-round ratio (both measured back to back)."""
    return statistics.median(n / d for n, d in zip(times[numerator], times[denominator], strict=True))


def measure(repeat: int = 30) -> dict[str, Any]:
    """Time the parse against the tokenising pass (``repeat`` interleaved rounds); the dict main() writes."""
    text = TEXT.read_text(encoding="ascii")
    markup = HTML.read_text(encoding="utf-8")
    parsed = parse_trustee_text(text)
    times = _interleaved(
        {
            "tokenise_text": lambda: _TOKEN.findall(text),
            "parse_document_text": lambda: parse_document(text, TEXT.name),
            "detect_template_text": lambda: detect_template(text, TEXT.name),
            "parse_trustee_text": lambda: parse_trustee_text(text),
            "reconcile": lambda: reconcile(parsed.statement),
        },
        repeat,
    )
    html_times = _interleaved(
        {
            "tokenise_html": lambda: _TOKEN.findall(markup),
            "parse_document_html": lambda: parse_document(markup, HTML.name),
        },
        max(3, repeat // 5),
    )
    times.update(html_times)
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio_text = _ratio(times, "parse_document_text", "tokenise_text")
    return {
        "parser_version": PARSER_VERSION,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "repeat": repeat,
        # Other processes share the machine: the 1-minute load average when the run ended.
        "load_average_1min": round(os.getloadavg()[0], 2),
        "text_bytes": len(text),
        "html_bytes": len(markup),
        "median_milliseconds": {name: round(value * 1000, 3) for name, value in median.items()},
        "min_milliseconds": {name: round(min(values) * 1000, 3) for name, values in times.items()},
        "statements_per_second_text": round(1 / median["parse_document_text"], 1),
        "statements_per_second_html": round(1 / median["parse_document_html"], 1),
        "ratio_parse_document_to_tokenise_text": round(ratio_text, 1),
        "ratio_parse_trustee_text_to_tokenise_text": round(
            _ratio(times, "parse_trustee_text", "tokenise_text"), 1
        ),
        # What parse_document adds to the template parse, each part against the same tokenising pass.
        "ratio_reconcile_to_tokenise_text": round(_ratio(times, "reconcile", "tokenise_text"), 2),
        "ratio_detect_template_to_tokenise_text": round(
            _ratio(times, "detect_template_text", "tokenise_text"), 2
        ),
        "ratio_parse_document_to_tokenise_html": round(
            _ratio(times, "parse_document_html", "tokenise_html"), 1
        ),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio_text <= TARGET_RATIO,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per figure (median is reported)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the JSON results")
    args = parser.parse_args(argv)

    result = measure(args.repeat)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for name, value in result["median_milliseconds"].items():
        print(f"{name:>24}: {value:9.3f} ms median, {result['min_milliseconds'][name]:9.3f} ms min")
    print(f"statements/second (text): {result['statements_per_second_text']}")
    print(f"statements/second (html): {result['statements_per_second_html']}")
    print(
        f"parse_document / tokenise (text): {result['ratio_parse_document_to_tokenise_text']}x"
        f"  (target <= {TARGET_RATIO}x: {'met' if result['meets_target'] else 'NOT met'})"
    )
    print(f"parse_trustee_text / tokenise (text): {result['ratio_parse_trustee_text_to_tokenise_text']}x")
    print(
        f"reconcile / tokenise (text): {result['ratio_reconcile_to_tokenise_text']}x, "
        f"detect_template / tokenise (text): {result['ratio_detect_template_to_tokenise_text']}x"
    )
    print(f"parse_document / tokenise (html): {result['ratio_parse_document_to_tokenise_html']}x")
    print(f"load average (1 min): {result['load_average_1min']}")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
