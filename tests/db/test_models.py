"""The statement tables mirror parsers.records field for field: a record change alone fails here."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Boolean, Date, Integer, String
from sqlmodel.sql.sqltypes import AutoString

from db.load import FIELD_RENAMES, LOAN_FIELD_RENAMES
from db.models import metadata
from db.types import Amount
from parsers import records

MIRRORS = [
    (records.CoverPage, "cover_page", FIELD_RENAMES),
    (records.Contact, "contact", FIELD_RENAMES),
    (records.Party, "party", FIELD_RENAMES),
    (records.ContentsEntry, "contents_entry", FIELD_RENAMES),
    (records.BondClass, "bond_class", FIELD_RENAMES),
    (records.GroupLine, "group_line", FIELD_RENAMES),
    (records.CollateralGroup, "collateral_group", FIELD_RENAMES),
    (records.CreditEnhancement, "credit_enhancement", FIELD_RENAMES),
    (records.Miscellaneous, "miscellaneous", FIELD_RENAMES),
    (records.RateItem, "rate", FIELD_RENAMES),
    (records.DelinquencyCell, "delinquency_cell", FIELD_RENAMES),
    (records.ReoSummary, "reo_summary", FIELD_RENAMES),
    (records.PrepaymentDetailSummary, "prepayment_detail_summary", FIELD_RENAMES),
    (records.RealizedLossDetailSummary, "realized_loss_detail_summary", FIELD_RENAMES),
    (records.DerivativePayment, "derivative_payment", FIELD_RENAMES),
    (records.LoanGroup, "loan_group", FIELD_RENAMES),
    (records.Item, "statement_item", FIELD_RENAMES),
    (records.UnparsedLine, "unparsed_line", FIELD_RENAMES),
    (records.Discrepancy, "data_quality_issue", FIELD_RENAMES),
    (records.ReoLoan, "loan_event", LOAN_FIELD_RENAMES),
    (records.PrepaidLoan, "loan_event", LOAN_FIELD_RENAMES),
    (records.LiquidatedLoan, "loan_event", LOAN_FIELD_RENAMES),
]
SQL_TYPES: dict[object, type | tuple[type, ...]] = {
    Decimal: Amount,
    int: Integer,
    date: Date,
    str: (String, AutoString),
    bool: Boolean,
}
# loan_event holds three record types: a field one of them lacks is null for the others.
SHARED_TABLES = {"loan_event"}
# Party lines are optional in the table because certificate insurers (plain names) carry no line.
WIDER_ON_PURPOSE = {("party", "line")}


def _base(annotation: object) -> tuple[object, bool]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        [base] = [a for a in args if a is not type(None)]
        return base, True
    return annotation, False


@pytest.mark.parametrize(
    ("record", "table_name", "renames"), MIRRORS, ids=lambda v: getattr(v, "__name__", "")
)
def test_table_has_a_column_of_the_right_type_and_nullability_for_every_field(
    record: type, table_name: str, renames: dict[str, str]
) -> None:
    table = metadata.tables[table_name]
    hints = typing.get_type_hints(record)
    for item in dataclasses.fields(record):
        column = table.c.get(renames.get(item.name, item.name))
        assert column is not None, f"{table_name} has no column for {record.__name__}.{item.name}"
        base, optional = _base(hints[item.name])
        if typing.get_origin(base) is tuple:
            base = str  # tuples are stored as comma-joined text (Discrepancy.lines)
        assert isinstance(column.type, SQL_TYPES[base]), f"{table_name}.{column.name}: {column.type!r}"
        if table_name not in SHARED_TABLES and (table_name, column.name) not in WIDER_ON_PURPOSE:
            assert column.nullable == optional, f"{table_name}.{column.name} nullable={column.nullable}"
