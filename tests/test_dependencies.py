"""The package declares what it imports, and imports what it declares."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# declared for what FastAPI loads on its own (templates, form bodies), never imported by name
LOADED_BY_ANOTHER = {"jinja2", "python-multipart"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported_distributions() -> set[str]:
    modules = set()
    for folder in ("assistant", "ingest", "store", "prompts"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    modules -= set(sys.stdlib_module_names) | {"review_assistant"}
    owners = metadata.packages_distributions()
    unknown = sorted(m for m in modules if m not in owners)
    assert not unknown, f"imported but not installed: {unknown}"
    return {_name(d) for module in modules for d in owners[module]}


def test_every_import_is_declared_and_every_dependency_is_used():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    optional = {_name(r) for group in project["optional-dependencies"].values() for r in group}
    imported = _imported_distributions()
    # a namespace package (llama_index) maps to every installed distribution sharing it
    namespaced = {d for d in imported if d.startswith("llama-index-")}
    assert (imported - namespaced) - declared - optional == set()
    assert declared - imported - LOADED_BY_ANOTHER == set()
    assert namespaced & declared, "llama-index is imported but not declared"
