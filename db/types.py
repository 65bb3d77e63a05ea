"""Column types that keep printed values exact on both SQLite and PostgreSQL.

* :class:`Amount`: money, rates, factors and counts as printed, always :class:`~decimal.Decimal` in Python.
  PostgreSQL stores an unconstrained ``NUMERIC``: exact, and it keeps the printed scale (``7484177.40`` reads
  back as ``Decimal('7484177.40')``); a fixed ``NUMERIC(p, s)`` would round rates printed with more decimals
  than ``s`` and pad every other value with zeros.
  SQLite has no decimal type. The value is bound as its decimal text into a ``NUMERIC``-affinity column, which
  SQLite stores as INTEGER or REAL keeping 15 significant digits, and it is read back through ``repr`` (the
  shortest text of that double), so every value of up to 15 significant digits comes back exactly. The report
  prints at most 11 (Excel general format in 15-character columns); a longer value is refused with an error
  rather than rounded (PostgreSQL takes it). SQLAlchemy's own ``Numeric`` is not used on SQLite because it
  reads REALs back at a fixed scale (``423538788.9`` would come back as ``423538788.8999999762``).
  Either way SQL sees numbers: sums, comparisons and ``ORDER BY`` work on both databases.
* :class:`UtcDateTime`: timezone-aware datetimes; SQLite keeps naive ISO text, so values are normalised to UTC
  on the way in and get ``timezone.utc`` back on the way out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

__all__ = ["SQLITE_EXACT_DIGITS", "Amount", "UtcDateTime", "storable_computed"]

#: Significant digits SQLite's NUMERIC affinity keeps exactly (it converts to a double with 15 digits).
SQLITE_EXACT_DIGITS = 15


def storable_computed(value: Decimal) -> Decimal:
    """A *computed* number (never a printed one) rounded half-even to SQLITE_EXACT_DIGITS significant digits.

    Reconciliation arithmetic such as balance x rate x days / 360 yields 28-digit Decimals (seen on generated
    filing 0001020242-03-000084), which SQLite cannot hold exactly and :class:`Amount` refuses. Those digits
    are arithmetic noise, not data, so they are rounded before storing, identically on both databases. A value
    that already fits is returned unchanged, scale included (``Decimal('0.50')`` stays ``0.50``).
    """
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or len(digits) <= SQLITE_EXACT_DIGITS:
        return value  # NaN and infinities are left for Amount to refuse
    return value.quantize(
        Decimal(1).scaleb(exponent + len(digits) - SQLITE_EXACT_DIGITS), rounding=ROUND_HALF_EVEN
    )


class _SqliteNumeric(UserDefinedType[Any]):
    """``NUMERIC`` DDL for SQLite without SQLAlchemy's float conversion (affinity does the storing)."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "NUMERIC"


class Amount(TypeDecorator[Decimal]):
    """An exact number as printed; see the module docstring for how each dialect stores it."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SqliteNumeric())
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            if isinstance(value, float):
                raise TypeError(f"refusing float {value!r} for an exact column; pass a Decimal or a string")
            value = Decimal(value)
        if dialect.name == "sqlite":
            # Plain notation: SQLite's affinity does not read '5.49E-5' style exponents exactly.
            text = format(value, "f")
            # Fast path: at most 15 digit characters cannot hold more than 15 significant digits.
            if len(text) - (text[0] == "-") - ("." in text) <= SQLITE_EXACT_DIGITS:
                return text
            digits = len(value.normalize().as_tuple().digits)
            if digits > SQLITE_EXACT_DIGITS:
                raise ValueError(
                    f"{value} has {digits} significant digits; SQLite stores {SQLITE_EXACT_DIGITS} exactly, "
                    "so use PostgreSQL for this data"
                )
            return text
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        if isinstance(value, float):
            return Decimal(repr(value))
        return Decimal(str(value))


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Any:
        process = super().bind_processor(dialect)
        if process is None:
            return None
        # Every row of one load carries the same ``now`` object in created_at and updated_at: convert it once,
        # not twice per row (it was a sixth of a first load on SQLite). Datetimes are immutable, and the
        # remembered pair holds a reference to the value, so an identical object means an identical result.
        last: list[tuple[Any, Any]] = [(None, None)]

        def convert_once(value: Any) -> Any:
            seen, converted = last[0]
            if value is seen and value is not None:
                return converted
            converted = process(value)
            last[0] = (value, converted)
            return converted

        return convert_once

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
