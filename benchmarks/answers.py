"""Answerers side by side: extractive, and generative when a model endpoint is given.

    python benchmarks/answers.py --data DIR [--llm-url http://127.0.0.1:8080/v1 --llm-model M]

DIR is a library already ingested (e.g. `review-assistant ingest samples` with
REVIEW_ASSISTANT_DATA_DIR=DIR). For each answerer it prints, on benchmarks/questions.jsonl and
unanswerable.jsonl: right passage cited, citations from the expected review, answered,
abstained, /ask p50/p95; and on explanations.jsonl (why/how and learning-point questions) the
share whose answer holds one of the expected phrases, and how many learning points report an
agency's action rather than a lesson.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench import ROOT, bench_answers, load_questions_loose

from assistant.evaluation import load_questions, normalise
from assistant.models import Mode
from assistant.settings import Settings
from ingest.status import progress, status_of


def explanations(client, path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    held = answered = points = actions = 0
    for row in rows:
        body = {"question": row["question"]}
        if row.get("mode"):
            body["mode"] = row["mode"]
        answer = client.post("/ask", json=body).json()
        answered += not answer["abstained"]
        text = normalise(answer["answer"])
        held += any(normalise(p) in text for p in row["expect"])
        if row.get("mode") == Mode.learning_points.value:
            lines = [ln for ln in answer["answer"].splitlines() if ln.startswith("- ")]
            points += len(lines)
            actions += sum(progress(status_of(ln)) != "not stated" for ln in lines)
    return {
        "questions": len(rows),
        "answered": answered / len(rows),
        "expected_content": held / len(rows),
        "learning_points": points,
        "points_reporting_actions": actions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--llm-url")
    parser.add_argument("--llm-model", default="local")
    parser.add_argument("--llm-timeout", type=float, default=30.0)
    parser.add_argument(
        "--agencies", type=Path, default=ROOT / "examples" / "southampton-hampshire-agencies.yaml"
    )
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from assistant.api import create_app

    questions = load_questions(ROOT / "benchmarks" / "questions.jsonl")
    unanswerable = [
        q.question for q in load_questions_loose(ROOT / "benchmarks" / "unanswerable.jsonl")
    ]
    answerers = {"extractive": None}
    if args.llm_url:
        answerers["generative"] = args.llm_url
    for name, url in answerers.items():
        settings = Settings(
            REVIEW_ASSISTANT_DATA_DIR=args.data,
            REVIEW_ASSISTANT_AGENCIES=args.agencies,
            LLM_BASE_URL=url,
            LLM_MODEL=args.llm_model,
            LLM_TIMEOUT=args.llm_timeout,
        )
        with TestClient(create_app(settings)) as client:
            searcher = client.app.state.services.assistant.searcher
            quality = bench_answers(
                client, questions, unanswerable, lambda q, s=searcher: bool(s.plan(q).review_ids)
            )
            explained = explanations(client, ROOT / "benchmarks" / "explanations.jsonl")
        print(
            f"{name:10}: right passage cited {quality['right_passage_cited']:.3f}, "
            f"citations from the expected review {quality['citations_from_right_review']:.3f}, "
            f"answered {quality['answerable_answered']:.3f}, "
            f"abstained {quality['unanswerable_abstained']:.3f}, "
            f"/ask p50 {quality['ask_p50_ms']:.0f} ms, p95 {quality['ask_p95_ms']:.0f} ms"
        )
        print(
            f"{'':10}  why/how and learning points: expected content "
            f"{explained['expected_content']:.3f} of {explained['questions']}, "
            f"answered {explained['answered']:.3f}, "
            f"{explained['points_reporting_actions']} of {explained['learning_points']} learning "
            "points report actions"
        )


if __name__ == "__main__":
    main()
