"""The dependency arrows of the house, read from the source with ast.

parsers -> nothing of ours; db -> parsers.records / parsers.errors; edgar -> parsers.errors;
corpus -> parsers; flows -> everything. Only edgar talks HTTP; parsers and db never import Prefect.
A wrong import fails here with the file, line and the arrow it breaks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("parsers", "edgar", "db", "flows", "corpus")

# For each package: the modules of ours it may import (a prefix match on dotted names).
ALLOWED_OURS: dict[str, tuple[str, ...]] = {
    "parsers": ("parsers",),
    "db": ("db", "parsers.records", "parsers.errors"),
    "edgar": ("edgar", "parsers.errors"),
    "corpus": ("corpus", "parsers"),
    "flows": OURS,
}
# Third-party modules a package must not import, whatever else it does.
FORBIDDEN_THIRD_PARTY: dict[str, tuple[str, ...]] = {
    "parsers": (
        "requests", "httpx", "urllib3", "sqlmodel", "sqlalchemy", "alembic", "prefect", "typer", "fsspec",
    ),
    "db": ("requests", "httpx", "urllib3", "prefect", "typer"),
    "edgar": ("sqlmodel", "sqlalchemy", "alembic"),
    "corpus": ("requests", "httpx", "sqlmodel", "sqlalchemy", "prefect"),
    "flows": ("requests", "httpx", "urllib3"),  # the network belongs to edgar/
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_names(path: Path) -> list[tuple[int, str]]:
    """Every absolute dotted name the file imports (relative imports resolved), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join(base)
                target = ".".join(part for part in (prefix, node.module) if part)
            else:
                target = node.module or ""
            # `from parsers import records` imports parsers.records, so check each imported name too.
            names.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
    return names


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _matches(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _violations(package: str) -> list[str]:
    found = []
    for path in _sources(package):
        for line, name in _imported_names(path):
            top = name.split(".")[0]
            where = f"{path.relative_to(ROOT)}:{line}"
            if top in OURS and not _matches(name, ALLOWED_OURS[package]):
                # `from parsers import errors` is recorded as parsers.errors: allowed for edgar.
                found.append(f"{where} imports {name} ({package} may import only {ALLOWED_OURS[package]})")
            if top in FORBIDDEN_THIRD_PARTY[package]:
                found.append(f"{where} imports {name} ({package} must not import {top})")
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED_OURS))
def test_imports_point_only_the_allowed_way(package: str) -> None:
    assert _violations(package) == []


def test_the_checker_sees_a_wrong_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A checker that reads nothing would pass everything; prove it catches both kinds of wrong import.
    (tmp_path / "parsers" / "templates").mkdir(parents=True)
    (tmp_path / "parsers" / "templates" / "bad.py").write_text(
        "from db import load\nimport prefect\nfrom .. import records\nfrom . import trustee\n"
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    problems = _violations("parsers")
    assert len(problems) == 2
    assert "imports db.load" in problems[0]
    assert "must not import prefect" in problems[1]


def test_relative_imports_resolve_to_their_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "db").mkdir()
    source = "from ..parsers.records import Deal\nfrom .tables import Filing\n"
    (tmp_path / "db" / "load.py").write_text(source)
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    names = [name for _, name in _imported_names(tmp_path / "db" / "load.py")]
    assert names == ["parsers.records.Deal", "db.tables.Filing"]
