"""Tests are laid out like the code: shared helpers live in tests/support, and no test module reaches into
another one's private helpers (a rename there would break a test elsewhere for no reason of its own)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _private_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests.") \
                and not node.module.startswith("tests.support"):
            found += [f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("_")]
    return found


def test_no_test_module_imports_a_private_helper_of_another():
    offenders = {str(path.relative_to(TESTS)): found for path in sorted(TESTS.rglob("*.py"))
                 if (found := _private_imports(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_the_check_finds_one():
    assert _private_imports("from tests.core.test_event_loop import _app_states, watch\n") == [
        "tests.core.test_event_loop._app_states"]
    assert _private_imports("from tests.support.handlers import _helper\n") == []
