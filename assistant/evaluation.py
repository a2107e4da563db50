"""Retrieval evaluation: hit@1, hit@5 and MRR of a question set with expected phrases."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@dataclass
class Question:
    question: str
    expect: str | list[str]  # a phrase the right passage contains; a list: any of them
    review: str | None = None
    kind: str = "practitioner"


@dataclass
class EvalResult:
    questions: int
    hit_at_1: float
    hit_at_5: float
    mrr: float
    misses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "questions": self.questions,
            "hit@1": round(self.hit_at_1, 3),
            "hit@5": round(self.hit_at_5, 3),
            "mrr": round(self.mrr, 3),
        }


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().lower()


_QUESTION_KEYS = ("question", "query", "q")
_EXPECT_KEYS = ("expect", "expected", "phrase", "answer_contains", "contains", "expected_phrase")


def load_questions(path: Path) -> list[Question]:
    """Questions from JSON Lines (one object per line) or a JSON list of objects.

    Each object has the question (`question`, `query` or `q`), the phrase the right passage
    contains (`expect`, `expected`, `phrase`, `answer_contains`…; a list means any of them),
    and optionally `review` and `kind`.
    """
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        items = list(enumerate(json.loads(text), start=1))
    else:
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                try:
                    items.append((number, json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: not JSON ({exc})") from exc
    questions = []
    for number, data in items:
        question = next((data[k] for k in _QUESTION_KEYS if k in data), None)
        expect = next((data[k] for k in _EXPECT_KEYS if k in data), None)
        if not question or not expect:
            raise ValueError(f"{path}:{number}: needs a question and an expected phrase")
        questions.append(
            Question(question, expect, data.get("review"), data.get("kind", "practitioner"))
        )
    return questions


def evaluate(
    questions: list[Question], retrieve: Callable[[str], list[str]], depth: int = 10
) -> EvalResult:
    """`retrieve` returns passage texts, best first; a hit is a passage containing the phrase."""
    hits1 = hits5 = 0
    reciprocal = 0.0
    misses = []
    for question in questions:
        phrases = [question.expect] if isinstance(question.expect, str) else question.expect
        expected = [normalise(phrase) for phrase in phrases]
        texts = [normalise(text) for text in retrieve(question.question)[:depth]]
        rank = next(
            (i for i, text in enumerate(texts, 1) if any(e in text for e in expected)), None
        )
        if rank == 1:
            hits1 += 1
        if rank is not None and rank <= 5:
            hits5 += 1
        if rank is not None:
            reciprocal += 1.0 / rank
        if rank != 1:
            misses.append({"question": question.question, "expect": question.expect, "rank": rank})
    total = max(len(questions), 1)
    return EvalResult(len(questions), hits1 / total, hits5 / total, reciprocal / total, misses)
