"""Selectors only read (design: reads in selectors, writes in services). Every selectors module
is checked for calls that write: a write there — an access entry too — belongs in a service."""

import ast
from pathlib import Path

from django.conf import settings

WRITES = {
    "save",
    "create",
    "bulk_create",
    "update",
    "bulk_update",
    "delete",
    "get_or_create",
    "update_or_create",
    "log_access",
    "log_create",
}


def _selector_modules() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted([*base.glob("*/selectors.py"), *base.glob("*/selectors/*.py")])


def test_there_are_selectors_to_check():
    assert len(_selector_modules()) >= 8


def test_no_selector_calls_a_write():
    writes = []
    for path in _selector_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
                writes.append(f"{path.name}:{node.lineno} .{node.func.attr}()")

    assert writes == []
