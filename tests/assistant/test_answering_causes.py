"""Why-questions: the sentence that gives a cause ranks above the one that restates what is
asked, on passages the test writes."""

from __future__ import annotations

from review_assistant.answering import _prefer_causes
from review_assistant.extractive import TermWeights, attach_context, candidates
from review_assistant.ingest.types import SectionKind
from review_assistant.models import Passage


def passage(n: int, text: str, start: int) -> Passage:
    return Passage(
        chunk_id=f"c{n}", text=text, document="visit.txt", title="T", review="Westshire visit",
        review_id="westshire", section=SectionKind.finding, page=1, page_end=1, start=start,
        end=start + len(text), score=1.0, similarity=0.6,
    )  # fmt: skip


def test_a_stated_reason_ranks_above_the_premise_restated():
    passages = [
        passage(1, "Social workers are not seeing children often enough.", 0),
        passage(
            2,
            "Social workers carry very high caseloads, which prevents them from "
            "visiting children often.",
            100,
        ),  # fmt: skip
    ]
    question = "why aren't social workers seeing children often enough?"
    found = candidates(question, passages, TermWeights([p.text for p in passages]))
    attach_context(found)
    before = {c.passage.chunk_id: c.score for c in found}
    _prefer_causes(found)
    premise, reason = (next(c for c in found if c.passage.chunk_id == n) for n in ("c1", "c2"))
    assert reason.causal  # "which prevents" gives a cause, though it names no failing
    # the premise, restated with its failing ("not seeing"), gains nothing for it; the reason
    # gains the most a cause can
    assert premise.score <= before["c1"]
    assert reason.score - before["c2"] >= 0.45
