"""Real replies of a small local model, replayed through the generative answerer.

`tests/fixtures/model_replies/*.jsonl` holds every call one benchmark run made to a real model
(`benchmarks/answers.py --record`, README "A local model"): the prompt, the passages it
numbered, and the model's reply. Each reply is served again by the fake OpenAI-compatible
server and goes through the same streaming, verifying and fallback as a live one.
`labels.jsonl` holds a reader's judgement of the reply sentences that make a claim: whether
the passage the sentence stands on says it. The verifier must never pass on a sentence judged
unfaithful, and must keep at least 90 % of the faithful ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.generative import NOT_FOUND, GenerativeAnswerer
from assistant.models import Answer, Mode, Passage
from assistant.settings import Settings
from assistant.verifier import citation_numbers, reply_sentences, strip_citations
from tests.assistant.test_generative import assistant_for
from tests.support.fake_llm import FakeLLM

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "model_replies"
FALLBACK = "the extractive answer"


def _rows(name: str) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(FIXTURES.glob(name))
        for line in path.read_text().splitlines()
        if line.strip()
    ]


RECORDS = [r for r in _rows("*.jsonl") if "reply" in r]
LABELS = _rows("labels.jsonl")


@pytest.fixture(scope="module")
def replayed(sample_stores):
    """Each recorded call replayed: (record, streamed events, final answer)."""
    with FakeLLM() as server:
        assistant = assistant_for(sample_stores, server, timeout=10.0)
        generator = assistant.generator
        out = []
        for record in RECORDS:
            server.reply = record["reply"]
            passages = [Passage.model_validate(p) for p in record["passages"]]
            fallback = Answer(answer=FALLBACK, mode=Mode(record["mode"]))
            events = list(
                generator.stream(
                    record["question"], Mode(record["mode"]), passages, fallback,
                    assistant.verifier,
                )
            )  # fmt: skip
            out.append((record, passages, events, events[-1].answer))
        yield out


def test_there_are_real_replies_to_replay():
    assert len(RECORDS) >= 30 and {r["model"] for r in RECORDS}
    assert sum(NOT_FOUND not in r["reply"] and not r["failure"] for r in RECORDS) >= 20


def test_the_fixtures_answer_todays_prompts():
    """A reply recorded for another prompt says nothing about this one: after changing a
    prompt, record the replies again (README, "A local model")."""
    generator = GenerativeAnswerer(Settings(LLM_BASE_URL="http://127.0.0.1:9/v1"))
    for record in RECORDS:
        passages = [Passage.model_validate(p) for p in record["passages"]]
        messages, fitted = generator.messages(record["question"], Mode(record["mode"]), passages)
        assert messages == record["messages"], record["question"]
        assert len(fitted) == len(passages)


def test_a_replayed_answer_is_verified_or_says_why_it_fell_back(replayed):
    for record, passages, events, final in replayed:
        if final.answerer != "llm" or final.abstained:
            assert final.answer == FALLBACK and final.note, record["question"]
            continue
        chunk_ids = {p.chunk_id for p in passages}
        assert final.citations and {c.chunk_id for c in final.citations} <= chunk_ids
        streamed = [e.text for e in events if e.kind == "sentence"]
        assert streamed and " ".join(streamed).split() == final.answer.split()
        for sentence in reply_sentences(final.answer):
            if strip_citations(sentence).startswith("**"):
                continue  # a review's name heading learning points
            assert citation_numbers(sentence, len(final.citations)), sentence


def test_labelled_sentences(replayed):
    """Unfaithful sentences never reach an answer; faithful ones mostly do."""
    assert len(LABELS) >= 40 and any(not label["faithful"] for label in LABELS)
    answers = {record["question"]: final.answer for record, _, _, final in replayed}
    kept_faithful = faithful = 0
    for label in LABELS:
        answer = answers[label["question"]]
        claim = strip_citations(label["sentence"])
        shown = claim.rstrip(".") in answer
        if not label["faithful"]:
            assert not shown, f"unfaithful sentence kept: {claim!r} ({label['why']})"
        else:
            faithful += 1
            kept_faithful += shown
    assert kept_faithful / faithful >= 0.9, f"{kept_faithful} of {faithful} faithful kept"
