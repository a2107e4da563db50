"""The layers' one rule: ingest/ (documents) <- store/ (indexes) <- assistant/ (use cases).

Every import of every module is read (top level and inside functions); none may run upward.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# what each package may import from the project
ALLOWED = {
    "ingest": {"ingest"},
    "store": {"ingest", "store"},
    "prompts": {"prompts"},
    "assistant": {"ingest", "store", "assistant", "prompts"},
}


def project_imports(path: Path) -> set[str]:
    """The top-level project packages a module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {_layer(name) for name in names} - {None}
    return found


def _layer(module: str) -> str | None:
    """The folder a module of the one import name lives in: review_assistant.ingest.x is
    ingest/, review_assistant.x is assistant/."""
    parts = module.split(".")
    if parts[0] != "review_assistant":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else "assistant"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_import_runs_upward(package):
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"no modules under {package}/"
    upward = {
        str(path.relative_to(ROOT)): sorted(project_imports(path) - ALLOWED[package])
        for path in modules
    }
    assert {k: v for k, v in upward.items() if v} == {}


def test_the_walker_sees_imports_inside_functions(tmp_path: Path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from review_assistant.models import Answer\n"
        "    import review_assistant.store.x\n"
    )
    assert project_imports(module) == {"assistant", "store"}
