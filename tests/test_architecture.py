"""The house stays as it was built: short modules and functions, imports at the top.

The layers themselves (who may import whom, no cycles) are import-linter's contracts in
``pyproject.toml``, checked by ``lint-imports`` in CI.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "saleor_ma_plugin"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
#: Imports that must wait inside a function: Django is configured by the function itself.
LOCAL_IMPORTS_ALLOWED = {"demo/__main__.py"}


def _product_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text())


def test_no_module_is_longer_than_the_limit():
    long = [
        f"{path.relative_to(PACKAGE)}: {len(path.read_text().splitlines())}"
        for path, _ in _product_modules()
        if len(path.read_text().splitlines()) > MAX_MODULE_LINES
    ]
    assert long == []


def test_no_function_is_longer_than_the_limit():
    long = [
        f"{path.relative_to(PACKAGE)}:{node.name}: {node.end_lineno - node.lineno + 1}"
        for path, tree in _product_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_imports_stand_at_the_top_of_their_modules():
    hidden = {
        f"{path.relative_to(PACKAGE)}:{inner.lineno}"
        for path, tree in _product_modules()
        if str(path.relative_to(PACKAGE)) not in LOCAL_IMPORTS_ALLOWED
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    }
    assert hidden == set()
