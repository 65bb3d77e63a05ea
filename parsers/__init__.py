"""Pure parsing of IMH remittance statements: text in, typed and reconciled records out (no I/O).

The public surface is re-exported here. The parse entry points are imported on first use (PEP 562), so that
``import parsers.records`` (all db/ needs) does not load the HTML stack or the templates.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from parsers.detect import Template, detect_template
from parsers.errors import (
    DamagedStatementError,
    ImhEdgarError,
    ParseError,
    UnknownFormatError,
    UnsupportedTemplateError,
)

if TYPE_CHECKING:
    from parsers.api import PARSER_VERSION, parse_document
    from parsers.reconcile import Reconciliation, reconcile

__all__ = [
    "PARSER_VERSION",
    "DamagedStatementError",
    "ImhEdgarError",
    "ParseError",
    "Reconciliation",
    "Template",
    "UnknownFormatError",
    "UnsupportedTemplateError",
    "detect_template",
    "parse_document",
    "reconcile",
]

_LAZY = {
    "PARSER_VERSION": "parsers.api",
    "parse_document": "parsers.api",
    "Reconciliation": "parsers.reconcile",
    "reconcile": "parsers.reconcile",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'parsers' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
