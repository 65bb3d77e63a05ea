"""The parser on generated months of other deals (corpus/: the real layout with every value rewritten, loan
tables rebuilt, folded again), compared with the values the generator printed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from corpus.model import DealSpec, new_deal, roll_forward
from corpus.statement import render_statement
from parsers.serialize import to_jsonable
from parsers.trustee_text import parse_trustee_text

# Line numbers, the free-text page 1 and the group lines follow the generator's own conventions; every typed
# value is compared.
_NOT_COMPARED = ("deal", "contents", "group_lines")


def _values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _values(v) for k, v in value.items() if k != "line" and not k.endswith("_line")}
    if isinstance(value, list):
        return [_values(v) for v in value]
    if isinstance(value, str) and value[:1].isdigit() and value.replace(".", "", 1).isdigit():
        return Decimal(value).normalize()  # "0.0241" and "0.02410" are the same printed rate
    return value


@pytest.mark.parametrize("seed", [3, 7])
def test_generated_months_parse_to_the_printed_values(seed: int) -> None:
    deal = new_deal(DealSpec(series="2002-4", closing=date(2002, 6, 26), seed=seed, loans=400))
    for month in roll_forward(deal, 4):
        rendered = render_statement(deal, month)
        result = parse_trustee_text(rendered.text)
        assert result.unparsed == ()
        parsed, truth = to_jsonable(result.statement), to_jsonable(rendered.truth)
        for name in parsed:
            if name not in _NOT_COMPARED:
                assert _values(parsed[name]) == _values(truth[name]), name
