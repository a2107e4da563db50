"""Cited answers on the sample corpus: verbatim sentences, exact quotes, modes, abstention."""

from __future__ import annotations

import re

import pytest

from review_assistant.answering import Assistant, infer_mode
from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.models import AskRequest, Mode
from review_assistant.terms import tidy
from tests.support.samples import SAMPLE_AGENCIES

pytestmark = pytest.mark.golden


@pytest.fixture(scope="module")
def assistant(sample_stores):
    return Assistant(sample_stores, gazetteer=load_gazetteer(SAMPLE_AGENCIES))


def document_text(stores, file_name: str) -> str:
    return stores.register.document_text(stores.register.find_document(file_name).doc_id)


def assert_grounded(answer, stores) -> None:
    """Every cited quote is the exact document span; every sentence is verbatim from its quote."""
    assert answer.citations
    numbers = {c.n for c in answer.citations}
    for citation in answer.citations:
        text = document_text(stores, citation.document)
        assert text[citation.quote_start : citation.quote_end] == citation.quote
        assert citation.quote in citation.text  # the quote lies inside its passage
    for line in answer.answer.splitlines():
        for sentence, marks in re.findall(r"(?:^|\]\s)([^\[]+?)\s((?:\[\d+\])+)", line):
            cited = [int(n) for n in re.findall(r"\d+", marks)]
            assert set(cited) <= numbers
            body = re.sub(r"^- ", "", sentence.strip())
            # a label ("**Agency** (status): ", "Recommendation 4 (Clare): ") is not a claim
            body = re.sub(
                r"^(?:\*\*[^*]+\*\*|Recommendation [\w.,]+ \([^)]*\))(?: \([^)]*\))?: ", "", body
            )
            quotes = [tidy(c.quote) for c in answer.citations if c.n in cited]
            assert any(body in quote for quote in quotes), (body, quotes)


def test_question_answer_is_cited_and_verbatim(assistant, sample_stores):
    answer = assistant.ask(AskRequest(question="anything on babies not registered with a GP?"))
    assert not answer.abstained and answer.mode == Mode.question
    assert answer.answerer == "extractive"
    assert "six-week developmental check" in answer.answer
    assert {c.review for c in answer.citations} == {"Thematic Review – Non-Accidental Injury"}
    assert all(c.recommendation == "7" for c in answer.citations)
    assert_grounded(answer, sample_stores)


def test_learning_points_are_grouped_by_review(assistant, sample_stores):
    answer = assistant.ask(AskRequest(question="learning points on disguised compliance"))
    assert answer.mode == Mode.learning_points
    headings = re.findall(r"^\*\*(.+)\*\*$", answer.answer, re.M)
    assert headings and len(headings) == len(set(headings))
    assert "Clare" in headings
    assert all(line.startswith(("**", "- ")) for line in answer.answer.splitlines())
    assert_grounded(answer, sample_stores)


def test_commitments_for_a_recommendation(assistant, sample_stores):
    answer = assistant.ask(
        AskRequest(question="what was committed to recommendation 7 of the NAI thematic review?")
    )
    assert answer.mode == Mode.commitments and not answer.abstained
    lines = answer.answer.splitlines()
    assert lines[0].startswith("**Recommendation 7 (Thematic Review – Non-Accidental Injury)**")
    assert any(
        line.startswith(
            "- **Clinical Commissioning Group (CCG)** (planned; no deadline is recorded)"
        )
        for line in lines
    )
    assert any(line.startswith("- **Solent NHS Trust** (in progress;") for line in lines)
    assert_grounded(answer, sample_stores)


def test_commitments_include_progress_from_minutes(assistant, sample_stores):
    answer = assistant.ask(AskRequest(question="what progress on Clare recommendation 4?"))
    assert "**Progress reported 2020-12-03**" in answer.answer
    assert any(c.document == "004_d7324385235baa7b.txt" for c in answer.citations)
    assert_grounded(answer, sample_stores)


def test_commitments_of_one_agency(assistant, sample_stores):
    answer = assistant.ask(
        AskRequest(question="what has Solent NHS Trust committed to?", mode=Mode.commitments)
    )
    assert answer.answer.startswith("**Solent NHS Trust**")
    assert {c.agency for c in answer.citations} == {"Solent NHS Trust"}
    assert_grounded(answer, sample_stores)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is recommendation 14 of the Freddie review?",
         "The Freddie review has recommendations 1–12; there is no recommendation 14."),
        ("What did the Child Z review recommend about neglect?",
         "There is no review called “Child Z” in the library."),
        ("what is recommendation 8.40 about?",
         "No review in the library has a recommendation 8.40."),
        ("What is the capital of France?",
         "The review documents in the library do not answer this question."),
    ],
)  # fmt: skip
def test_abstains_plainly(assistant, question, expected):
    answer = assistant.ask(AskRequest(question=question))
    assert answer.abstained and answer.citations == []
    assert answer.answer.startswith(expected)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"agency": "Northshire Police"},
         "No passage in the library is attributed to Northshire Police."),
        ({"review": "Child Z"}, "There is no review called “Child Z” in the library."),
        ({"review": "Child Z", "recommendation": "3"},
         "There is no review called “Child Z” in the library."),
    ],
)  # fmt: skip
def test_unknown_filters_abstain_naming_what_is_unknown(assistant, filters, expected):
    for mode in (None, Mode.commitments):
        answer = assistant.ask(
            AskRequest(question="what training was given?", mode=mode, filters=filters)
        )
        assert answer.abstained and answer.citations == []
        assert answer.answer.startswith(expected)


def test_mode_inference():
    assert infer_mode("learning points on unseen men in the household") == Mode.learning_points
    assert infer_mode("What did the CCG commit to for rec 7?") == Mode.commitments
    assert infer_mode("what is the status of recommendation 3?") == Mode.commitments
    assert infer_mode("anything on babies not registered with a GP?") == Mode.question


def test_a_named_recommendation_is_reported_alone_even_in_a_shared_response(assistant):
    answer = assistant.ask(AskRequest(question="status of recommendation 8.12"))
    assert answer.mode == Mode.commitments
    assert answer.answer.startswith("**Recommendation 8.12 (Behaviour Change)**")
    assert "Recommendation 8.13" not in answer.answer


def test_which_agencies_responded_is_a_commitments_question(assistant):
    answer = assistant.ask(
        AskRequest(question="Which agencies responded to recommendation 3a in the Clare review?")
    )
    assert answer.mode == Mode.commitments and not answer.abstained
    for agency in ("Hampshire Constabulary", "Education", "Clinical Commissioning Group (CCG)"):
        assert f"**{agency}**" in answer.answer


def test_what_was_recommended_quotes_the_recommendation_first(assistant):
    answer = assistant.ask(
        AskRequest(question="what did the NAI thematic review recommend in recommendation 2?")
    )
    assert answer.citations[0].section == "recommendation"
    assert answer.answer.startswith("(a) Whilst dependent on the information parents")


def test_learning_points_search_the_theme_not_the_request_words(assistant):
    answer = assistant.ask(AskRequest(question="learning points on professional curiosity"))
    points = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert points and all("curio" in line.lower() for line in points)


def test_no_response_by_the_agency_asked_about_says_who_did_respond(assistant, sample_stores):
    answer = assistant.ask(
        AskRequest(question="What did the police commit to after the Child M review?")
    )
    assert answer.abstained
    responders = {
        a for rec in sample_stores.register.recommendations("child-m") for a in rec.agencies
    }
    assert "Hampshire Constabulary" not in responders and len(responders) >= 2
    assert answer.answer.startswith("No response by Hampshire Constabulary is recorded")
    assert all(name in answer.answer for name in responders)


def test_an_agency_missing_from_one_recommendation_is_said_beside_its_text(assistant):
    answer = assistant.ask(
        AskRequest(
            question="What did the Diocese commit to for recommendation 2 of the Freddie review?"
        )
    )
    assert not answer.abstained and answer.citations
    assert (
        "No response by Diocese of Winchester is recorded for this recommendation" in answer.answer
    )
