"""A wheel install (not the editable one) finds every resource and answers with a model.

The wheel is built from this checkout and installed without its dependencies into a folder of
its own, which a fresh interpreter puts ahead of the editable install; a script run from
another folder then loads every prompt, YAML and model file from the wheel's copy and answers
a question through the test's fake OpenAI-compatible server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.documents import RESPONSE_TEXT
from tests.support.fake_llm import FakeLLM
from tests.support.samples import ROOT, SAFEGUARDING

pytestmark = pytest.mark.slow

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    import review_assistant as assistant
    from review_assistant import ingest, prompts, store
    from review_assistant.query import Thesaurus
    from review_assistant.settings import Settings
    from review_assistant.ingest.agencies import Gazetteer
    from review_assistant.store.embedding import default_model

    target, data = Path(sys.argv[1]), Path(sys.argv[2])
    modules = [assistant, ingest, prompts, store]
    assert all(Path(m.__file__).is_relative_to(target) for m in modules), modules
    loaded = {name: len(prompts.load(name)) for name in prompts.names()}
    Gazetteer(); Thesaurus(); default_model(1)
    settings = Settings()
    with assistant.open_library(settings) as library:
        library.ingest([data / "child-q.txt"])
        answer = library.ask("who keeps a log of births?")
    # the web page's templates and stylesheet come from the wheel too
    from fastapi.testclient import TestClient
    from review_assistant.server import create_app
    with TestClient(create_app(settings)) as client:
        page = client.get("/").text
        css = client.get("/static/style.css")
    assert "Child Q" in page and css.status_code == 200 and ":root" in css.text, page[:300]
    print(json.dumps({"prompts": loaded, "answer": answer.model_dump(mode="json")}))
    """
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project's wheel, installed without dependencies into a folder of its own."""
    build = tmp_path_factory.mktemp("wheel")
    # a copy of the files git would commit: a build/ folder left in the checkout must not
    # supply what the package data lacks
    source = build / "source"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    for name in listed:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(build), str(source)],
        check=True, capture_output=True, cwd=build,
    )  # fmt: skip
    [wheel] = build.glob("review_assistant-*.whl")
    target = build / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, cwd=build,
    )  # fmt: skip
    return target


def test_a_wheel_install_loads_its_resources_and_answers_with_a_model(installed, tmp_path):
    (tmp_path / "child-q.txt").write_text(RESPONSE_TEXT)
    with FakeLLM() as llm:

        def reply(body: dict) -> str:
            prompt = body["messages"][1]["content"]
            number = re.search(r"^\[(\d+)\] .*\n.*log of births", prompt, re.M).group(1)
            return f"The CCG will keep a log of births [{number}]."

        llm.reply = reply
        env = dict(
            os.environ,
            PYTHONPATH=str(installed),
            REVIEW_ASSISTANT_DATA_DIR=str(tmp_path / "data"),
            LLM_BASE_URL=llm.url,
            LLM_MODEL="fake-model",
        )
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(installed), str(tmp_path)],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-3000:]
        result = json.loads(run.stdout.strip().splitlines()[-1])
        system = llm.requests[-1]["body"]["messages"][0]["content"]
    shipped = {p.stem for p in (ROOT / "prompts").glob("*.md") if p.name != "README.md"}
    assert set(result["prompts"]) == shipped and all(result["prompts"].values())
    assert system == (ROOT / "prompts" / "system.md").read_text(encoding="utf-8")
    answer = result["answer"]
    assert answer["answerer"] == "llm" and not answer["abstained"]
    assert "log of births" in answer["answer"] and answer["citations"]


def readme_example() -> str:
    """The README's Python example: the code block after its `python-example` marker."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme.split("<!-- python-example:", 1)[1]
    return after.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.mark.golden  # the example ingests samples/safeguarding
def test_the_readme_python_example_runs_from_the_wheel(installed, tmp_path):
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "safeguarding").symlink_to(SAFEGUARDING)
    env = dict(os.environ, PYTHONPATH=str(installed),
               REVIEW_ASSISTANT_DATA_DIR=str(tmp_path / "data"))  # fmt: skip
    env.pop("LLM_BASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-c", readme_example()],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert lines[0] == "5 documents, 48 recommendations", lines[:3]
    assert any(line.startswith("[1] ") and "GP" in line for line in lines), run.stdout[:2000]
    assert lines[-1].endswith("-register.csv")
