"""Golden test: the full JSON of the real statement's parse is checked in and must not drift.

Regenerate after a deliberate change (then review the diff like code):
    .venv/bin/python -m parsers.serialize tests/fixtures/real/1017447/000102024203000013/im020212.txt \\
        > tests/fixtures/golden/im020212.json
or run this test with IMH_REGENERATE_GOLDEN=1 (see docs/parser.md).
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.records import ParseResult
from parsers.serialize import main, to_json, to_jsonable

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL_STATEMENT = FIXTURES / "real" / "1017447" / "000102024203000013" / "im020212.txt"
GOLDEN = FIXTURES / "golden" / "im020212.json"


def test_parse_matches_the_golden_json(real_result: ParseResult) -> None:
    produced = to_json(real_result)
    if os.environ.get("IMH_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_text(produced, encoding="utf-8")
    golden = GOLDEN.read_text(encoding="utf-8")
    if produced != golden:
        # Compare the parsed structures first: the assertion diff then names the record that drifted.
        assert json.loads(produced) == json.loads(golden)
        pytest.fail("same data, different formatting: regenerate the golden file (docs/parser.md)")


def test_decimals_are_strings_with_every_printed_digit(real_result: ParseResult) -> None:
    data = to_jsonable(real_result)
    class_a = data["statement"]["classes"][0]
    assert class_a["prior_principal_balance"] == "431396174.4"
    assert class_a["accrual_start"] == "2002-11-25"
    assert data["statement"]["miscellaneous"]["libor_rate"] == "0.013800"
    assert data["statement"]["group_lines"][0]["fixed"] == "185.43"


def test_golden_numbers_read_back_as_exact_decimals() -> None:
    data = json.loads(GOLDEN.read_text(encoding="utf-8"), parse_float=Decimal)
    total = data["statement"]["class_total"]
    assert Decimal(total["interest"]) + Decimal(total["principal"]) == Decimal(total["total_distribution"])


def test_serialize_module_prints_the_parse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(REAL_STATEMENT)]) == 0
    assert capsys.readouterr().out == GOLDEN.read_text(encoding="utf-8")


def test_serialize_module_fails_in_one_line_on_a_foreign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "foreign.txt"
    path.write_text("not a statement\n")
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
