"""Answerers side by side: extractive, and generative when a model endpoint is given.

    python benchmarks/answers.py --data DIR [--llm-url http://127.0.0.1:8080/v1 --llm-model M
                                             --record tests/fixtures/model_replies/M.jsonl]

DIR is a library already ingested (e.g. `review-assistant ingest samples` with
REVIEW_ASSISTANT_DATA_DIR=DIR). For each answerer it prints, on benchmarks/questions.jsonl and
unanswerable.jsonl: right passage cited, citations from the expected review, answered,
abstained, /ask p50/p95; and on explanations.jsonl (why/how and learning-point questions) the
share whose answer holds one of the expected phrases, and how many learning points report an
agency's action rather than a lesson. With a model, it also prints how its calls ended (verified
answer, sentences removed, fallback by kind) and the seconds per call; `--record` writes every
call (prompt, passages, reply, seconds) as JSON lines, the fixtures the tests replay.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter
from pathlib import Path

from bench import ROOT, bench_answers, load_questions_loose, percentile

from review_assistant.evaluation import load_questions, normalise
from review_assistant.generative import NOT_FOUND
from review_assistant.ingest.status import progress, status_of
from review_assistant.models import Mode
from review_assistant.settings import Settings


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


class Recorder:
    """Every model call of a run: for the figures, and as fixtures when a path is given."""

    def __init__(self, model: str, path: Path | None) -> None:
        self.model = model
        self.path = path
        self.replies: list = []
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")

    def __call__(self, reply) -> None:
        self.replies.append(reply)
        if self.path is None:
            return
        row = {
            "model": self.model,
            "question": reply.question,
            "mode": reply.mode.value,
            "messages": reply.messages,
            "passages": [p.model_dump(mode="json") for p in reply.passages],
            "reply": reply.text,
            "seconds": round(reply.seconds, 2),
            "failure": reply.failure,
        }
        with self.path.open("a") as f:
            f.write(json.dumps(row) + "\n")

    def summary(self) -> str:
        if not self.replies:
            return "no model calls"
        ends = Counter()
        for r in self.replies:
            if r.failure:
                ends["failed: " + r.failure.split(" (")[0]] += 1
            elif NOT_FOUND in r.text:
                ends["said not in the documents"] += 1
            elif r.kept:
                ends["some sentences verified"] += 1
            else:
                ends["nothing verified"] += 1
        seconds = [r.seconds for r in self.replies]
        p95 = percentile(seconds, 0.95)
        parts = ", ".join(f"{n} {end}" for end, n in ends.most_common())
        return (
            f"{len(self.replies)} model calls: {parts}; "
            f"seconds per call p50 {statistics.median(seconds):.1f}, p95 {p95:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--llm-url")
    parser.add_argument("--llm-model", default="local")
    parser.add_argument("--llm-timeout", type=float, default=30.0)
    parser.add_argument("--llm-max-tokens", type=int, default=400)
    parser.add_argument("--record", type=Path, help="write the model's replies here (JSON lines)")
    parser.add_argument(
        "--agencies", type=Path, default=ROOT / "examples" / "southampton-hampshire-agencies.yaml"
    )
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from review_assistant.server import create_app

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
            LLM_MAX_TOKENS=args.llm_max_tokens,
        )
        recorder = Recorder(args.llm_model, args.record if url else None)
        with TestClient(create_app(settings), base_url="http://localhost") as client:
            assistant = client.app.state.library.assistant
            if assistant.generator is not None:
                assistant.generator.on_reply = recorder
            searcher = assistant.searcher
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
        if url:
            print(f"{'':10}  {recorder.summary()}")


if __name__ == "__main__":
    main()
