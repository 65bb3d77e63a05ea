"""JSON form of parse results: Decimals as strings exactly as parsed, dates in ISO form, records as objects.

Decimals are written as strings because a JSON number would be read back as a float by most consumers; the
string keeps every printed digit (``"431396174.4"``, ``"0.013800"``). Field order follows the record
declarations, so the output is stable and diffable (the golden test relies on it).

``python -m parsers.serialize PATH`` prints the JSON of a bare template parse (no reconciliation) of the
statement at PATH; this is how ``tests/fixtures/golden/im020212.json`` is regenerated (see docs/parser.md).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parsers.errors import ImhEdgarError
from parsers.records import ParseResult

__all__ = ["main", "to_json", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    """``value`` (a ParseResult, any record, plain data) as JSON-ready dicts, lists, strings and numbers."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(element) for element in value]
    if isinstance(value, dict):
        return {str(key): to_jsonable(element) for key, element in value.items()}
    raise TypeError(f"cannot serialise {type(value).__name__} to JSON")


def to_json(result: ParseResult | Any, *, indent: int | None = 1) -> str:
    """The JSON text of ``result`` (see :func:`to_jsonable`), newline-terminated."""
    return json.dumps(to_jsonable(result), indent=indent, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the JSON of the template parse of the statement at ``argv[0]``; exit 2 with one line on error."""
    from parsers.trustee_text import parse_trustee_text  # local: keep serialisation importable on its own

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m parsers.serialize PATH  (prints the parse of PATH as JSON)", file=sys.stderr)
        return 2
    try:
        text = Path(args[0]).read_text(encoding="latin-1")
        sys.stdout.write(to_json(parse_trustee_text(text)))
    except (OSError, ImhEdgarError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
