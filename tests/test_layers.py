"""The layers' rule: ingest/ (documents) <- store/ (indexes) <- the application layer (use
cases, in assistant/) <- front ends (HTTP API, pages, Slack, CLI), composed by server/.

Every import of every module is read (top level and inside functions); none may run upward,
no front end imports another front end or the store, and the application layer imports no
web, chat or command-line framework.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRONT_ENDS = {"http", "pages", "slack", "cli"}
# what each layer may import from the project
ALLOWED = {
    "ingest": {"ingest"},
    "store": {"ingest", "store"},
    "prompts": {"prompts"},
    "app": {"ingest", "store", "prompts", "app"},
    **{front: {"app", "ingest", front} for front in FRONT_ENDS},
    "server": {"app", "server", "http", "pages", "slack"},
}
ALLOWED["cli"] |= {"server"}  # `serve` and `slack` start what server composes
FRAMEWORKS = {"fastapi", "starlette", "slack_bolt", "slack_sdk", "typer", "uvicorn", "jinja2"}
FOLDERS = {"ingest": "ingest", "store": "store", "prompts": "prompts"}


def layer_of_module(module: str) -> str | None:
    """The layer of a module of the one import name; None for anything else."""
    parts = module.split(".")
    if parts[0] != "review_assistant":
        return None
    second = parts[1] if len(parts) > 1 else ""
    if second in FOLDERS:
        return second
    if second in FRONT_ENDS or second == "server":
        return second
    return "app"


def layer_of_file(path: Path) -> str:
    relative = path.relative_to(ROOT).parts
    if relative[0] != "assistant":
        return relative[0]
    return layer_of_module("review_assistant." + ".".join(relative[1:]).removesuffix(".py"))


def imports(path: Path) -> set[str]:
    """Every module a file imports, by its full name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def project_imports(path: Path) -> set[str]:
    """The project layers a module imports."""
    return {layer for name in imports(path) if (layer := layer_of_module(name))} - {None}


def modules() -> list[Path]:
    return sorted(p for folder in ("assistant", *FOLDERS) for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_no_import_runs_upward_or_across(layer):
    mine = [path for path in modules() if layer_of_file(path) == layer]
    assert mine, f"no modules in the {layer} layer"
    wrong = {
        str(path.relative_to(ROOT)): sorted(project_imports(path) - ALLOWED[layer]) for path in mine
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_application_layer_imports_no_framework():
    wrong = {
        str(path.relative_to(ROOT)): sorted({n.split(".")[0] for n in imports(path)} & FRAMEWORKS)
        for path in modules()
        if layer_of_file(path) in {"app", "ingest", "store"}
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_walker_sees_imports_inside_functions_and_packages(tmp_path: Path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from review_assistant.models import Answer\n"
        "    import review_assistant.store.x\n    from review_assistant import pages\n"
    )
    assert project_imports(module) == {"app", "store", "pages"}


def test_the_walker_names_each_layer():
    assert layer_of_file(ROOT / "assistant" / "cli.py") == "cli"
    assert layer_of_file(ROOT / "assistant" / "http" / "documents.py") == "http"
    assert layer_of_file(ROOT / "assistant" / "library.py") == "app"
    assert layer_of_file(ROOT / "store" / "register.py") == "store"
