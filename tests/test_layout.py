"""The architecture holds: the packages resolve inside the repository, dependencies point one
way (``cli`` → ``loaders`` → ``graph`` → ``ontology``), test servers stay with the tests, and
modules stay a readable size (see docs/architecture.md)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from curated import ROOT

PACKAGES = ("ontology", "graph", "loaders")
LAYERS = {"ontology": 0, "graph": 1, "loaders": 2, "cli": 3}
"""A module may import its own layer and the layers below it, never one above."""
MAX_LINES = 600
LONG_MODULE_MARK = "Long module:"
"""A module over MAX_LINES says why in its docstring, in a sentence starting with this."""
TEST_ONLY = ("arcadedb_embedded", "pytest", "bolt_test_server")


def product_modules() -> list[Path]:
    files = [ROOT / "cli.py"]
    for package in PACKAGES:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def layer_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


@pytest.mark.parametrize("name", ["cli", *PACKAGES])
def test_packages_resolve_inside_the_repository(name):
    module = importlib.import_module(name)
    assert Path(module.__file__).resolve().is_relative_to(ROOT)


@pytest.mark.parametrize("path", product_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_dependencies_point_one_way(path):
    layer = LAYERS[layer_of(path)]
    upward = sorted(m for m in imported_modules(path)
                    if m.split(".")[0] in LAYERS and LAYERS[m.split(".")[0]] > layer)
    assert not upward, f"{path.relative_to(ROOT)} imports from a layer above it: {upward}"


@pytest.mark.parametrize("path", product_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_test_infrastructure_in_the_product(path):
    used = sorted(m for m in imported_modules(path) if m.split(".")[0] in TEST_ONLY)
    assert not used, f"{path.relative_to(ROOT)} imports test infrastructure: {used}"


@pytest.mark.parametrize("path", product_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_readable(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if lines > MAX_LINES:
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert LONG_MODULE_MARK in docstring, (
            f"{path.relative_to(ROOT)} has {lines} lines: split it by topic, or say why not "
            f"in its docstring ('{LONG_MODULE_MARK} …')")


def test_the_architecture_document_names_every_subpackage():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in PACKAGES:
        for sub in sorted((ROOT / package).iterdir()):
            if sub.is_dir() and (sub / "__init__.py").exists():
                assert f"{package}/{sub.name}/" in text, f"docs/architecture.md: {sub}"


def test_the_command_line_stays_thin():
    """cli.py declares commands; their building blocks live in graph.commandline, output
    formatting in graph.presentation, the Neo4j commands beside the mirror."""
    lines = len((ROOT / "cli.py").read_text(encoding="utf-8").splitlines())
    assert lines < 400, f"cli.py has {lines} lines"
