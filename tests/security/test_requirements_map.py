"""docs/SECURITY.md maps every SEC and REL line of the requirements to the tests that prove it. This test
keeps the map true: every line is there, every test it names exists, every line names a test unless it is
a known gap, and a gap that gained a test is no longer listed as one."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "SECURITY.md"
LINES = [f"SEC-{n}" for n in range(1, 17)] + [f"REL-{n}" for n in range(1, 8)]
NONE_YET = "none yet"

# Lines (or parts of a line) with no test yet, each with the test expected to prove it where one is being
# written. Take a line off when its test lands, and name the test in the table.
GAPS: dict[str, str | None] = {
    "REL-7": None,  # a 200-tab load run as a test (bench/load.py measures, it does not fail)
}

ROW = re.compile(r"^\|\s*((?:SEC|REL)-\d+(?: \([^)]*\))?)\s*\|([^|]*)\|([^|]*)\|\s*$")
REFERENCE = re.compile(r"`(tests/[^`]*)`")


def parse(text: str) -> dict[str, list[str]]:
    """The table's rows: each line (or part) and the tests it names; `NONE_YET` for a line without."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = ROW.match(line.strip())
        if match is None:
            continue
        name, _what, tests = match.groups()
        assert name not in rows, f"{name} is in the table twice"
        rows[name] = [NONE_YET] if tests.strip() == NONE_YET else REFERENCE.findall(tests)
    return rows


@cache
def collected(path: Path) -> frozenset[str]:
    """The tests pytest collects from a file, as `test_x` or `TestClass::test_x`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names |= {f"{node.name}::{item.name}" for item in node.body
                      if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test")}
    return frozenset(names)


def missing(reference: str, root: Path = ROOT) -> str | None:
    """Why a named test does not exist, or None when it does (a parametrised case names its function)."""
    path, _, name = reference.partition("::")
    file = root / path
    if not (path.startswith("tests/") and path.endswith(".py") and file.is_file()):
        return f"no test file {path}"
    if not name:
        return None if collected(file) else f"{path} holds no test"
    return None if re.sub(r"\[.*\]$", "", name) in collected(file) else f"no test {name} in {path}"


def base(name: str) -> str:
    return name.split(" ", 1)[0]


def problems(rows: dict[str, list[str]], gaps: dict[str, str | None], root: Path = ROOT) -> list[str]:
    found = []
    found += [f"{line} is not in the table" for line in LINES if line not in {base(n) for n in rows}]
    found += [f"{name} is no line of the requirements" for name in rows if base(name) not in LINES]
    for name, tests in rows.items():
        if name in gaps:
            if tests != [NONE_YET]:
                found.append(f"{name} is listed as a gap but names tests: take it off GAPS")
            elif gaps[name] and missing(gaps[name], root) is None:
                found.append(f"{name}'s test {gaps[name]} exists: name it in the table and take it off GAPS")
        elif not tests or tests == [NONE_YET]:
            found.append(f"{name} names no test")
        else:
            found += [f"{name}: {why}" for why in map(lambda t: missing(t, root), tests) if why]
    found += [f"{name} is in GAPS but not in the table" for name in gaps if name not in rows]
    return found


def test_every_line_is_mapped_to_tests_that_exist():
    assert problems(parse(MAP.read_text(encoding="utf-8")), GAPS) == []


# --- the check itself can fail -----------------------------------------------------------------

GOOD = "tests/security/test_requirements_map.py::test_every_line_is_mapped_to_tests_that_exist"


def table(**overrides: str) -> dict[str, list[str]]:
    text = "\n".join(f"| {line} | x | {overrides.get(line, f'`{GOOD}`')} |" for line in LINES if line not in GAPS)
    text += "\n" + "\n".join(f"| {gap} | x | {overrides.get(gap, NONE_YET)} |" for gap in GAPS)
    return parse(text)


def test_a_complete_table_passes():
    assert problems(table(), GAPS) == []


@pytest.mark.parametrize("cell, expected", [
    ("none yet", "SEC-1 names no test"),
    ("", "SEC-1 names no test"),
    ("`tests/security/test_nothing_here.py::test_x`", "SEC-1: no test file tests/security/test_nothing_here.py"),
    ("`tests/security/test_requirements_map.py::test_not_there`", "SEC-1: no test test_not_there in"),
    ("`tests/security/test_requirements_map.py::test_a_complete_table_passes[x]`", None),
    ("`tests/security/test_requirements_map.py`", None),
])
def test_a_line_without_a_real_test_fails(cell, expected):
    found = problems(table(**{"SEC-1": cell}), GAPS)
    assert (found == []) if expected is None else (len(found) == 1 and found[0].startswith(expected))


def test_a_missing_line_fails():
    rows = table()
    del rows["REL-2"]
    assert problems(rows, GAPS) == ["REL-2 is not in the table"]


def test_a_gap_that_names_a_test_fails():
    assert problems(table(**{"REL-7": f"`{GOOD}`"}), GAPS) == [
        "REL-7 is listed as a gap but names tests: take it off GAPS"]


def test_a_gap_whose_expected_test_exists_fails(tmp_path):
    gaps = {**GAPS, "REL-7": "tests/security/test_load.py"}
    (tmp_path / "tests" / "security").mkdir(parents=True)
    (tmp_path / GOOD.split("::")[0]).write_text(f"def {GOOD.split('::')[1]}():\n    pass\n")
    assert problems(table(), gaps, root=tmp_path) == []
    (tmp_path / "tests" / "security" / "test_load.py").write_text("def test_every_event_answered():\n    pass\n")
    assert problems(table(), gaps, root=tmp_path) == [
        "REL-7's test tests/security/test_load.py exists: name it in the table and take it off GAPS"]


def test_a_class_method_is_a_test_too(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_c.py").write_text("class TestC:\n    async def test_m(self):\n        pass\n")
    assert missing("tests/test_c.py::TestC::test_m", tmp_path) is None
    assert missing("tests/test_c.py::test_m", tmp_path) is not None
