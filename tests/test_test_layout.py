"""The tests' own layout: what tests share lives in tests/support, so no module under tests/
imports a test module (tests/assistant, tests/ingest, tests/store, a top-level test_*.py or
a conftest). Every import is read, top level and inside functions, relative ones resolved."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = "tests.support"


def imported(path: Path, root: Path) -> set[str]:
    """Every module a file under root imports, by its full name (`from a import b` also
    names `a.b`, which may be a module)."""
    package = path.relative_to(root).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            parts = package[: len(package) - node.level + 1] if node.level else ()
            base = ".".join([*parts, node.module] if node.module else parts)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def imports_of_tests(path: Path, root: Path = TESTS.parent) -> set[str]:
    """What a file imports from tests/ outside tests/support."""
    return {
        name
        for name in imported(path, root)
        if name.startswith("tests.") and not (name == SHARED or name.startswith(SHARED + "."))
    }


def test_no_test_module_imports_another():
    wrong = {
        str(path.relative_to(TESTS.parent)): sorted(found)
        for path in sorted(TESTS.rglob("*.py"))
        if (found := imports_of_tests(path))
    }
    assert wrong == {}, "what tests share belongs in tests/support"


def test_the_walker_sees_every_way_of_importing_a_test_module(tmp_path: Path):
    folder = tmp_path / "tests" / "assistant"
    folder.mkdir(parents=True)
    module = folder / "test_m.py"
    module.write_text(
        "from tests.support.samples import ROOT\n"
        "import tests.support.fake_llm\n"
        "from tests.support import parsing\n"
        "from ..support.documents import RESPONSE_TEXT\n"
        "def f():\n"
        "    from tests.assistant.test_api import client\n"
        "from tests.store import test_register\n"
        "import tests.ingest.test_recids\n"
        "from .test_slack import slack\n"
        "from . import test_web\n"
        "from tests.conftest import settings\n"
    )
    assert imports_of_tests(module, tmp_path) == {
        "tests.assistant.test_api", "tests.assistant.test_api.client",
        "tests.store", "tests.store.test_register",
        "tests.ingest.test_recids",
        "tests.assistant.test_slack", "tests.assistant.test_slack.slack",
        "tests.assistant", "tests.assistant.test_web",
        "tests.conftest", "tests.conftest.settings",
    }  # fmt: skip
