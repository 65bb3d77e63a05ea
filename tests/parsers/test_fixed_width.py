"""The fixed-width engine: columns derived from header lines, declared layouts, cell conversion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parsers.errors import DamagedStatementError, UnsupportedTemplateError
from parsers.fixed_width import ColumnSpec, TableLayout, TableReader, derive_columns
from parsers.unfold import LogicalLine

# The Interest Accrual Detail header of accession 0001020242-03-000013, unfolded: "Orig. Principal" fills its
# 15 columns and runs into "Prior"; "(with Notional)" runs into "Principal".
ACCRUAL_HEADER = [
    " " * 90 + "Orig. PrincipalPrior" + " " * 55 + "Current",
    " " * 15
    + "Period         Period"
    + " " * 54
    + "(with Notional)Principal"
    + " " * 36
    + "Total          Principal",
    "Class          Starting       Ending                        Method         Cusip          Balance"
    + "        Balance",
]


def test_glued_header_words_are_split_at_column_starts() -> None:
    columns = derive_columns(ACCRUAL_HEADER)
    names = {column.start: column.name for column in columns}
    assert names[90] == "Orig. Principal (with Notional) Balance"
    assert names[105] == "Prior Principal Balance"
    assert names[15] == "Period Starting"
    assert names[30] == "Period Ending"


def test_a_column_spans_to_the_next_column_start_and_the_last_one_grid_width() -> None:
    columns = derive_columns(["Class          Type           Face Value" + " " * 35 + "Balance"])
    assert [(c.name, c.start, c.end) for c in columns] == [
        ("Class", 0, 15),
        ("Type", 15, 30),
        ("Face Value", 30, 75),
        ("Balance", 75, 90),
    ]


def test_words_off_the_grid_do_not_start_columns() -> None:
    (column,) = derive_columns(["               Face Value"])
    assert column.name == "Face Value"


LAYOUT = TableLayout(
    "demo",
    (
        ColumnSpec("name", "Class", "text"),
        ColumnSpec("face", "Face Value"),
        ColumnSpec("balance", "Balance"),
    ),
)
HEADER = [LogicalLine("Class          Face Value     Balance", 10, 10)]


def test_reader_converts_right_aligned_cells_and_emits_items() -> None:
    reader = TableReader(LAYOUT, HEADER, section="Demo", template="t")
    row = LogicalLine("A" + "472500000".rjust(29) + "(1,000.50)".rjust(15), 12, 13)
    fields, items = reader.read(row)
    assert fields == {"name": "A", "face": Decimal("472500000"), "balance": Decimal("-1000.50")}
    assert [(i.label, i.column, i.raw, i.line) for i in items] == [
        ("A", "Class", "A", 12),
        ("A", "Face Value", "472500000", 12),
        ("A", "Balance", "(1,000.50)", 12),
    ]


def test_blank_cells_are_none_and_emit_no_item() -> None:
    reader = TableReader(LAYOUT, HEADER, section="Demo", template="t")
    fields, items = reader.read(LogicalLine("B", 20, 20))
    assert fields == {"name": "B", "face": None, "balance": None}
    assert len(items) == 1


def test_garbage_in_a_numeric_cell_is_damage_naming_section_line_and_column() -> None:
    reader = TableReader(LAYOUT, HEADER, section="Demo", template="t")
    with pytest.raises(DamagedStatementError, match=r"section 'Demo', line 7: column 'Face Value'"):
        reader.read(LogicalLine("A" + "47250 0000".rjust(29), 7, 7))


def test_a_missing_declared_column_is_an_unsupported_template() -> None:
    with pytest.raises(UnsupportedTemplateError, match="Balance"):
        TableReader(LAYOUT, [LogicalLine("Class          Face Value", 1, 1)], section="Demo", template="t")


def test_an_undeclared_column_is_refused_rather_than_dropped() -> None:
    header = [LogicalLine("Class          Face Value     Balance        Losses", 1, 1)]
    with pytest.raises(UnsupportedTemplateError, match="Losses"):
        TableReader(LAYOUT, header, section="Demo", template="t")


def test_record_builder_builds_the_same_frozen_record_as_the_constructor() -> None:
    from dataclasses import FrozenInstanceError

    from parsers.fixed_width import record_builder
    from parsers.records import Item

    build = record_builder(Item)
    built = build("S", None, "label", "TOTAL", Decimal("1.10"), "1.10", 7)
    assert type(built) is Item and built == Item("S", None, "label", "TOTAL", Decimal("1.10"), "1.10", 7)
    assert hash(built) == hash(Item("S", None, "label", "TOTAL", Decimal("1.10"), "1.10", 7))
    with pytest.raises(FrozenInstanceError):
        built.label = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        build("too", "few")


def test_a_number_off_the_right_edge_of_its_cell_is_a_shifted_row() -> None:
    reader = TableReader(LAYOUT, HEADER, section="Demo", template="t")
    with pytest.raises(
        DamagedStatementError, match="'472500000' is not right-aligned in column 'Face Value'"
    ):
        reader.read(LogicalLine("A" + "472500000".rjust(27), 9, 9))


def test_text_right_of_the_last_column_is_damage() -> None:
    reader = TableReader(LAYOUT, HEADER, section="Demo", template="t")
    row = "A" + "472500000".rjust(29) + "1.00".rjust(15) + "      99"
    with pytest.raises(DamagedStatementError, match="right of the last column"):
        reader.read(LogicalLine(row, 4, 4))


def test_a_row_ending_before_a_declared_column_is_damage_when_the_layout_requires_it() -> None:
    # "Balance" printed in a continuation segment that was lost: the row ends after "Face Value".
    strict = TableLayout("Demo table", LAYOUT.columns, may_be_blank=frozenset({"face"}))
    reader = TableReader(strict, HEADER, section="Demo", template="t")
    with pytest.raises(DamagedStatementError, match=r"line 12: row of 'Demo table' prints no \['Balance'\]"):
        reader.read(LogicalLine("A" + "472500000".rjust(29), 12, 12))
    fields, _ = reader.read(LogicalLine("A" + "".rjust(29) + "5.00".rjust(15), 13, 13))
    assert fields["face"] is None  # declared as a cell an intact row may leave blank
