"""The generative answerer against a fake OpenAI-compatible server that the test starts."""

from __future__ import annotations

import re
import time

import pytest

from review_assistant.answering import Assistant
from review_assistant.generative import GenerativeAnswerer
from review_assistant.ingest.types import SectionKind
from review_assistant.models import AskRequest, Passage
from review_assistant.settings import Settings
from review_assistant.verifier import Verifier
from tests.support.fake_llm import FakeLLM
from tests.support.generating import assistant_for, passage_number
from tests.support.samples import SAMPLE_AGENCIES

QUESTION = "anything on babies not registered with a GP?"
CHECK = "six-week developmental check"


@pytest.fixture
def llm():
    with FakeLLM() as server:
        yield server


def numbered(server: FakeLLM) -> str:
    return server.requests[-1]["body"]["messages"][1]["content"]


def concern(body: dict, marks: str = "") -> str:
    """A faithful paraphrase of the GP-registration recommendation, cited to its passage."""
    return (
        "Professionals need to consider a baby not registered with a GP Practice by the six-week "
        f"developmental check as a safeguarding concern [{passage_number(body, CHECK)}]{marks}."
    )


def log_of_births(body: dict) -> str:
    """A faithful paraphrase of the CCG's response, cited to its passage."""
    return (
        "The CCG will maintain a log of births to track baby registrations "
        f"[{passage_number(body, 'log of births')}]."
    )


def faithful(body: dict) -> str:
    return f"{concern(body)} {log_of_births(body)}"


def test_verified_answer_keeps_supported_cited_sentences(sample_stores, llm):
    llm.reply = faithful
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    prompt = numbered(llm)
    assert "[1]" in prompt and "six-week developmental check" in prompt
    assert llm.requests[-1]["body"]["model"] == "fake-model"
    assert llm.requests[-1]["body"]["max_tokens"] == 400  # a reply has a bound
    assert answer.answerer == "llm" and not answer.abstained
    assert answer.note is None
    assert [c.n for c in answer.citations] == [1, 2]
    assert "log of births" in answer.citations[1].quote
    text = sample_stores.register.document_text(
        sample_stores.register.find_document(answer.citations[0].document).doc_id
    )
    for c in answer.citations:
        assert text[c.quote_start : c.quote_end] == c.quote


def test_unknown_citations_and_unsupported_sentences_are_removed(sample_stores, llm):
    llm.reply = lambda body: (
        f"{concern(body, '[17]')} {log_of_births(body)} "
        "Every baby is given a free laptop by the council in their first month [2]. "
        "Babies are registered in Scotland automatically."
    )
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    assert answer.answerer == "llm"
    assert "[17]" not in answer.answer and "laptop" not in answer.answer
    assert "Scotland" not in answer.answer
    assert answer.note.startswith("2 sentence(s) of the model's reply removed")
    assert "cites no passage" in answer.note
    assert len(answer.citations) == 2


def test_a_mostly_unfaithful_reply_is_not_cut_down_to_fragments(sample_stores, llm):
    llm.reply = lambda body: (
        "The need to register your baby with a GP is discussed at defined touch points "
        f"[{passage_number(body, 'defined touch points')}]. "
        "Babies must never be registered with a GP [1]. "
        "Every baby is given a free laptop by the council in their first month [2]."
    )
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    assert answer.answerer == "extractive" and answer.citations
    assert answer.note.startswith("Most of the language model's reply could not be verified")


def test_timeout_falls_back_to_the_extractive_answer_in_time(sample_stores, llm):
    llm.delay = 3.0
    assistant = assistant_for(sample_stores, llm, timeout=0.5)
    started = time.monotonic()
    answer = assistant.ask(AskRequest(question=QUESTION))
    assert time.monotonic() - started < 0.5 + 1.0
    assert answer.answerer == "extractive" and answer.citations
    assert answer.note == (
        "The language model took longer than 0.5 s; this is the extractive answer."
    )


def test_a_slow_generation_is_cancelled_upstream(sample_stores, llm):
    words = 60
    llm.reply = " ".join(["The"] * words) + " [1]."
    llm.token_delay = 0.1
    assistant = assistant_for(sample_stores, llm, timeout=1.0)
    started = time.monotonic()
    answer = assistant.ask(AskRequest(question=QUESTION))
    assert time.monotonic() - started < 1.0 + 1.0
    assert answer.answerer == "extractive" and "took longer" in answer.note
    assert llm.hung_up.wait(5), "the stream was not closed"
    assert llm.words_sent < words


def test_a_looping_reply_is_said_once_and_stopped(sample_stores, llm):
    llm.reply = lambda body: f"{log_of_births(body)} {concern(body)}\n" * 40
    llm.token_delay = 0.01
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    assert answer.answerer == "llm" and answer.note is None
    assert answer.answer.count("log of births") == 1 and len(answer.citations) == 2
    assert llm.hung_up.wait(5), "the stream was not closed"
    assert llm.words_sent < 40 * 20


def test_a_reply_that_has_said_enough_is_stopped(sample_stores, llm):
    touch = "The need to register your baby with a GP is discussed at defined touch points"
    llm.reply = lambda body: (
        f"{faithful(body)} {touch} [{passage_number(body, 'defined touch points')}]. "
        + "Passages go on. " * 100
    )
    llm.token_delay = 0.01
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    assert answer.answerer == "llm" and len(answer.citations) == 3
    assert "touch points" in answer.answer and "go on" not in answer.answer
    assert llm.hung_up.wait(5), "the stream was not closed"
    assert llm.words_sent < 200


def test_failures_say_what_failed(sample_stores, llm):
    llm.status = 500
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    assert answer.answerer == "extractive"
    assert answer.note.startswith("The language model returned an error (HTTP 500)")
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=sample_stores.config.data_dir,
        LLM_BASE_URL="http://127.0.0.1:9/v1",  # nothing listens on the discard port
        LLM_TIMEOUT=5.0,
    )
    unreachable = Assistant(sample_stores, generator=GenerativeAnswerer(settings.llm))
    answer = unreachable.ask(AskRequest(question=QUESTION))
    assert answer.note.startswith("The language model could not be reached")


def test_model_saying_not_found_does_not_override_a_relevant_extractive_answer(sample_stores, llm):
    llm.reply = "NOT IN THE DOCUMENTS"
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    assert not answer.abstained and answer.citations and answer.answerer == "extractive"
    assert "found no answer" in answer.note


def test_citations_in_other_styles_are_read(sample_stores, llm):
    llm.reply = lambda body: (
        f"[{passage_number(body, 'log of births')}] The CCG will maintain a log of births to "
        "track baby registrations.\n"
        "Professionals need to consider a baby not registered with a GP Practice by the "
        f"six-week developmental check as a safeguarding concern (passage "
        f"{passage_number(body, CHECK)})."
    )
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    assert answer.answerer == "llm" and answer.note is None
    assert len(answer.citations) == 2


def test_verified_sentences_stream_before_the_answer(sample_stores, llm):
    llm.reply = lambda body: (
        f"{concern(body)} Every baby is given a free laptop [1]. {log_of_births(body)}"
    )
    llm.token_delay = 0.01
    events = list(assistant_for(sample_stores, llm).stream(AskRequest(question=QUESTION)))
    sentences = [e.text for e in events if e.kind == "sentence"]
    assert [e.kind for e in events][-1] == "answer" and len(sentences) == 2
    assert not any("laptop" in s for s in sentences)
    assert events[-1].answer.answer == " ".join(sentences)
    assert llm.requests[-1]["body"]["stream"] is True


def test_unverifiable_answer_falls_back(sample_stores, llm):
    llm.reply = "Babies should be registered with a dentist by the age of two [2]."
    answer = assistant_for(sample_stores, llm).ask(AskRequest(question=QUESTION))
    assert answer.answerer == "extractive" and "could not be verified" in answer.note
    assert re.search(r"sources \(.+\);", answer.note)  # says why


def test_verify_on_its_own():
    passage = Passage(
        chunk_id="c1", text="The CCG will keep a log of births. Practices register babies.",
        document="d.txt", title="t", review="R", review_id="r", section=SectionKind.response,
        page=1, page_end=1, start=100, end=161, score=1.0,
    )  # fmt: skip
    text, citations, checked = Verifier().verify(
        "The CCG will keep a log of births [1]. Cats fly [1].", [passage]
    )
    assert text == "The CCG will keep a log of births. [1]"
    assert [c.reason for c in checked] == [None, "its cited passages do not carry its words"]
    assert citations.items[0].quote == "The CCG will keep a log of births."
    assert (citations.items[0].quote_start, citations.items[0].quote_end) == (100, 134)


def test_ask_streams_server_sent_events_over_http(private_sample_data, llm):
    import json

    from fastapi.testclient import TestClient

    from review_assistant.server import create_app

    llm.reply = faithful
    llm.token_delay = 0.01
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=private_sample_data,  # an app of its own writes to its data
        REVIEW_ASSISTANT_AGENCIES=SAMPLE_AGENCIES,
        LLM_BASE_URL=llm.url,
        LLM_TIMEOUT=10.0,
    )
    with TestClient(create_app(settings)) as client:
        body = {"question": QUESTION, "stream": True}
        with client.stream("POST", "/ask", json=body) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            raw = "".join(response.iter_text())
        plain = client.post("/ask", json={"question": QUESTION}).json()
    events = [
        (block.split("\n")[0].removeprefix("event: "), json.loads(block.split("data: ", 1)[1]))
        for block in raw.strip().split("\n\n")
    ]
    assert [kind for kind, _ in events] == ["sentence", "sentence", "answer"]
    answer = events[-1][1]
    assert answer["answerer"] == "llm" and len(answer["citations"]) == 2
    assert answer["answer"] == " ".join(data["text"] for _, data in events[:-1])
    assert plain["answer"] == answer["answer"]  # the same answer without streaming


def test_prompts_fit_a_small_model_and_repeat_the_citation_rule(sample_stores, llm):
    from review_assistant.ingest.chunking import count_tokens

    llm.reply = "NOT IN THE DOCUMENTS"
    assistant = assistant_for(sample_stores, llm)
    assistant.ask(AskRequest(question=QUESTION))
    messages = llm.requests[-1]["body"]["messages"]
    assert count_tokens(messages[0]["content"] + messages[1]["content"]) <= 800
    assert "[2]" in messages[1]["content"] and "square brackets" in messages[1]["content"]
    assert "[3]" in messages[1]["content"]  # still several passages
    assistant.ask(AskRequest(question="learning points on professional curiosity"))
    messages = llm.requests[-1]["body"]["messages"]
    assert count_tokens(messages[0]["content"] + messages[1]["content"]) <= 1400


def test_learning_points_keep_the_review_headings_the_prompt_asks_for(sample_stores, llm):
    llm.reply = lambda body: (
        "**Thematic Review – Non-Accidental Injury**\n"
        "- Police Officers attending incidents of domestic abuse where children are present "
        "should be reminded of the crucial importance of professional curiosity "
        f"[{passage_number(body, 'crucial importance of professional curiosity')}]."
    )
    answer = assistant_for(sample_stores, llm).ask(
        AskRequest(question="learning points on professional curiosity")
    )
    assert answer.answerer == "llm", answer.note
    assert answer.answer.splitlines()[0] == "**Thematic Review – Non-Accidental Injury**"
    assert "crucial importance" in answer.answer.splitlines()[1]
