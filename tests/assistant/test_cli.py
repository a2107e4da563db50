"""The command line, end to end on a temporary data directory."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from review_assistant.cli import app
from tests.support.documents import RESPONSE_TEXT
from tests.support.samples import SAFEGUARDING, SAMPLE_AGENCIES

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("REVIEW_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REVIEW_ASSISTANT_AGENCIES", str(SAMPLE_AGENCIES))  # the samples' names
    return tmp_path / "data"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.golden  # ingests a sample document
def test_ingest_search_list_and_remove(data_dir, tmp_path):
    result = run("ingest", "--quiet", str(SAFEGUARDING / "003_28908da9fb9512fb.txt"))
    assert result.exit_code == 0, result.output
    assert "Ingested 1 document(s)" in result.output and "10 recommendation(s)" in result.output

    result = run("search", "babies not registered with a GP", "--json", "-k", "3")
    results = json.loads(result.output)["results"]
    assert len(results) == 3
    assert results[0]["review"] == "Thematic Review – Non-Accidental Injury"
    assert results[0]["recommendation"] == "7" and results[0]["page"] == 1

    result = run("search", "babies not registered with a GP", "--agency", "CCG")
    assert result.exit_code == 0 and "Recommendation 7" in result.output
    assert "log of births" in result.output

    reviews = json.loads(run("reviews", "--json").output)["reviews"]
    assert [(r["id"], r["recommendation_count"]) for r in reviews] == [
        ("thematic-review-non-accidental-injury", 10)
    ]

    result = run(
        "recommendations", "--review", "NAI thematic", "--agency", "the CCG", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["recommendation"] for r in rows] == ["7", "10"]
    assert rows[0]["agency"] == "Clinical Commissioning Group (CCG)"

    listed = json.loads(run("recommendations", "--format", "json").output)["recommendations"]
    assert len(listed) == 10 and listed[6]["agencies"]

    assert run("remove", "003_28908da9fb9512fb.txt").exit_code == 0
    assert run("remove", "003_28908da9fb9512fb.txt").exit_code == 1
    assert "No passages found" in run("search", "babies").output


def test_ingest_exit_status_says_whether_anything_failed(data_dir, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(RESPONSE_TEXT)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    result = run("ingest", "--quiet", str(good), str(bad))
    assert result.exit_code == 1
    assert "Ingested 1 document(s)" in result.output
    assert "bad.pdf" in result.output and "corrupt" in result.output
    assert run("ingest", "--quiet", str(good)).exit_code == 0


@pytest.mark.golden  # ingests a sample document
def test_eval_prints_the_metrics(data_dir, tmp_path):
    run("ingest", "--quiet", str(SAFEGUARDING / "003_28908da9fb9512fb.txt"))
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        json.dumps({"question": "babies not registered with a GP", "expect": "with a GP"})
        + "\n"
        + json.dumps(
            {"question": "supported housing for young parents", "expect": "no such phrase"}
        )
        + "\n"
    )
    result = run("eval", str(questions), "--json")
    metrics = json.loads(result.output)
    assert metrics["questions"] == 2
    assert metrics["hit@5"] == 0.5 and metrics["hit@1"] == 0.5 and metrics["mrr"] == 0.5
    assert metrics["misses"][0]["rank"] is None


def test_question_files_in_other_shapes(tmp_path):
    from review_assistant.evaluation import load_questions

    listed = tmp_path / "questions.json"
    listed.write_text(json.dumps([{"query": "babies and GPs", "expected": ["with a GP", "GP"]}]))
    [question] = load_questions(listed)
    assert question.question == "babies and GPs" and question.expect == ["with a GP", "GP"]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"question": "no phrase here"}\n')
    with pytest.raises(ValueError, match="expected phrase"):
        load_questions(broken)


@pytest.mark.golden  # ingests a sample document
def test_ask_streams_a_models_verified_sentences(data_dir, monkeypatch):
    from tests.support.fake_llm import FakeLLM

    assert run("ingest", "--quiet", str(SAFEGUARDING / "003_28908da9fb9512fb.txt")).exit_code == 0
    with FakeLLM() as llm:
        llm.reply = lambda body: (
            "The CCG will maintain a log of births to track baby registrations "
            f"[{_number_of(body, 'log of births')}]. Every baby gets a laptop [1]."
        )
        monkeypatch.setenv("LLM_BASE_URL", llm.url)
        result = run("ask", "--stream", "--mode", "question", "is a log of births kept?")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("The CCG will maintain a log of births") and lines[0].endswith("[1]")
    assert "laptop" not in result.output and "---" not in result.output
    assert "(answered by: llm)" in result.output
    assert any(line.startswith("[1] ") for line in lines)


def _number_of(body: dict, phrase: str) -> int:
    from tests.support.generating import passage_number

    return passage_number(body, phrase)
