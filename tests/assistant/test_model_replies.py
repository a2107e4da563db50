"""Real replies of a small local model, replayed through the generative answerer.

`tests/fixtures/model_replies/*.jsonl` holds every call one benchmark run made to a real model
(`benchmarks/answers.py --record`, README "A local model"): the prompt, the passages it
numbered, and the model's reply. Each reply is served again by the fake OpenAI-compatible
server and goes through the same streaming, verifying and fallback as a live one.
`labels.jsonl` holds a reader's judgement of the reply sentences that make a claim: whether
the passages the model was given say it, and which of them do. Sentences copied word for word
from a passage were labelled faithful with that passage as their source
(`benchmarks/label_replies.py`); every other sentence was read against its passages and judged
by hand. The verifier must never pass on a sentence
judged unfaithful, must keep at least 90 % of the faithful ones, and must cite a kept one to a
passage that says it, whatever number the model gave (another passage that says it in other
words may be cited beside it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review_assistant.answering import Assistant
from review_assistant.generative import NOT_FOUND, GenerativeAnswerer
from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.models import Answer, Mode, Passage
from review_assistant.settings import Settings
from review_assistant.verifier import citation_numbers, reply_sentences, strip_citations
from tests.support.fake_llm import FakeLLM
from tests.support.generating import assistant_for
from tests.support.samples import SAMPLE_AGENCIES

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
def verifier(sample_stores):
    return Assistant(sample_stores, gazetteer=load_gazetteer(SAMPLE_AGENCIES)).verifier


@pytest.fixture(scope="module")
def replayed(sample_stores):
    """Each recorded call replayed: (record, its passages, streamed events, final answer)."""
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
    generator = GenerativeAnswerer(Settings(LLM_BASE_URL="http://127.0.0.1:9/v1").llm)
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


def test_no_unfaithful_sentence_reaches_an_answer(replayed):
    assert len(LABELS) >= 60 and sum(label["faithful"] is False for label in LABELS) >= 8
    unjudged = [label["sentence"] for label in LABELS if label["faithful"] is None]
    assert not unjudged, f"judge these by hand (benchmarks/label_replies.py): {unjudged}"
    finals = {record["question"]: final for record, _, _, final in replayed}
    for label in LABELS:
        final = finals[label["question"]]
        claim = " ".join(strip_citations(label["sentence"]).split()).rstrip(".")
        if label["faithful"] or final.answerer != "llm":
            continue
        assert claim not in " ".join(final.answer.split()), f"kept: {claim!r} ({label['why']})"


def test_each_labelled_sentence_on_its_own(replayed, verifier):
    """Each sentence as the model wrote it (with the citation it gave, or none), checked the way
    the stream checks it: every unfaithful one dropped; faithful ones kept, each under a passage
    that says it."""
    passages_of = {record["question"]: passages for record, passages, _, _ in replayed}
    for label in LABELS:
        if not label["faithful"]:
            text, _, _ = verifier.verify(label["as_written"], passages_of[label["question"]])
            assert not text, f"kept: {label['sentence']!r} ({label['why']})"
    faithful = [label for label in LABELS if label["faithful"]]
    kept = 0
    for label in faithful:
        passages = passages_of[label["question"]]
        text, citations, _ = verifier.verify(label["as_written"], passages)
        if not text:
            continue
        kept += 1
        sources = {passages[n - 1].chunk_id for n in label["source"]}
        assert {c.chunk_id for c in citations.items} & sources, (
            f"{label['sentence']!r} is not cited to a passage that says it"
        )
    assert kept / len(faithful) >= 0.9, f"{kept} of {len(faithful)} faithful kept"
