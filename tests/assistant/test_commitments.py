"""Commitments from the register: which questions it answers, and one part of a
recommendation read apart from the others."""

from __future__ import annotations

import re

import pytest

from review_assistant.commitments import COMMITMENT_WORDS, _about_part, _part_label, _parts
from review_assistant.ingest.sentences import sentence_spans
from review_assistant.models import RecommendationDetail, SourceRef

_SOURCE = SourceRef(document="review.txt", page=1, page_end=1, start=100, end=900)


def _detail(text: str) -> RecommendationDetail:
    return RecommendationDetail(
        review_id="child-q", review="Child Q", rec_id="4", heading="Recommendation 4",
        text=text, parts=[], shared_with=[], citation=_SOURCE, responses=[], progress_notes=[],
    )  # fmt: skip


_PARTED = (
    "Agencies should act on the following:\n"
    "- (a) Schools should record attendance concerns in the pupil's file.\n"
    "- (b) Health visitors should offer a home visit when a clinic appointment is missed.\n"
    "- (c) Police should complete a risk assessment for every teenage victim of domestic abuse."
)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Child Q 4b - where's it at?", True),
        ("recommendation 2 - is it done?", True),
        ("recommendation 5 - accepted?", True),
        ("rec 3c - what is it and who's doing it?", True),
        ("recommendation 6 - what's happening about the campaign?", True),
        ("Child Q 7 - who's responsible for the service?", True),
        ("what is the accepted view on neglect?", False),
        ("why was the referral missed?", False),
    ],
)
def test_status_and_progress_questions_are_commitment_questions(question, asks):
    assert bool(COMMITMENT_WORDS.search(question)) is asks


def test_the_part_asked_about():
    assert _part_label("4c", "4") == "c"
    assert _part_label("4", "4") is None and _part_label("4c", "4c") is None
    parts = _parts(_detail(_PARTED))
    assert [label for label, _, _ in parts] == ["a", "b", "c"]
    label, offset, text = parts[2]
    assert _PARTED[offset:].startswith("- (c) Police") and text.endswith("domestic abuse.")
    assert _parts(_detail("Agencies should share information.")) == []


def test_a_response_read_for_one_part():
    parts = _parts(_detail(_PARTED))
    response = (
        "Schools have been reminded to record attendance in the pupil's file. "
        "Every teenage victim of domestic abuse now has a police risk assessment. "
        "This is checked monthly by the domestic abuse champions. "
        "Health visitors now offer a home visit after a missed clinic appointment."
    )
    spans = sentence_spans(response)
    kept = [response[s:e] for s, e in _about_part(response, spans, parts, "c")]
    # the sentence on part (c) and the one that follows it ("This…"), not parts (a) or (b)
    assert kept == [
        "Every teenage victim of domestic abuse now has a police risk assessment.",
        "This is checked monthly by the domestic abuse champions.",
    ]
    kept = [response[s:e] for s, e in _about_part(response, spans, parts, "b")]
    assert kept == ["Health visitors now offer a home visit after a missed clinic appointment."]


# -- on the samples -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def assistant(sample_stores):
    from review_assistant.answering import Assistant
    from review_assistant.ingest.agencies import load_gazetteer
    from tests.support.samples import SAMPLE_AGENCIES

    return Assistant(sample_stores, gazetteer=load_gazetteer(SAMPLE_AGENCIES))


def _ask(assistant, question: str):
    from review_assistant.models import AskRequest

    return assistant.ask(AskRequest(question=question))


@pytest.mark.golden
def test_one_part_of_a_recommendation_and_one_agency(assistant):
    answer = _ask(assistant, "NAI recommendation 2(c) - what did the police say?")
    assert not answer.abstained
    assert answer.answer.startswith("**Recommendation 2(c) (Thematic Review")
    assert "16 and above" in answer.answer
    # parts (a) and (b), and the police's words on them, are left out
    assert "life history of fathers" not in answer.answer
    assert "University of Bristol" not in answer.answer
    assert {c.agency for c in answer.citations if c.section == "response"} == {
        "Hampshire Constabulary"
    }


@pytest.mark.golden
def test_a_part_the_recommendation_does_not_have(assistant):
    answer = _ask(assistant, "what's recommendation 2d of the NAI thematic review?")
    assert answer.abstained and answer.citations == []
    assert "no recommendation 2d" in answer.answer and "(a), (b) and (c)" in answer.answer


@pytest.mark.golden
def test_every_sentence_of_a_response_with_its_status_and_no_deadline(assistant):
    answer = _ask(assistant, "what did the police commit to for recommendation 3b of Clare?")
    line = next(
        line for line in answer.answer.splitlines() if line.startswith("- **Hampshire Constab")
    )
    # "a business case to be submitted": planned, not completed; nothing dated ahead
    assert line.startswith("- **Hampshire Constabulary** (planned; no deadline is recorded):")
    assert "Sandstories" in line and "Learning Matters bulletin" in line


@pytest.mark.golden
def test_which_recommendations_are_complete_is_read_from_the_register(assistant):
    answer = _ask(assistant, "which Clare recommendations are complete?")
    assert not answer.abstained
    listed = re.findall(r"^- \*\*(\w+)\*\*", answer.answer, re.M)
    assert "2b" in listed and "4" in listed and "1a" not in listed
    # one agency reporting its part done (children's services) leaves 3b open for the others
    assert "3b" not in listed
    assert re.search(r"^Not reported completed: 1a \(", answer.answer, re.M)
    assert all(c.review == "Clare" for c in answer.citations)


@pytest.mark.golden
def test_a_question_naming_two_agencies_is_answered_for_both(assistant):
    answer = _ask(assistant, "what did the police and the CCG commit to for Clare 3b?")
    agencies = re.findall(r"^- \*\*(.+?)\*\* \(", answer.answer, re.M)
    assert agencies == ["Clinical Commissioning Group (CCG)", "Hampshire Constabulary"]


# -- a report no document replies to ---------------------------------------------------------


class _Register:
    def __init__(self, detail: RecommendationDetail) -> None:
        self.detail = detail

    def recommendation_detail(self, review_id, rec_id):
        return self.detail if (review_id, rec_id) == (self.detail.review_id, "4") else None

    def chunk_covering(self, document, offset):
        return None  # quoted uncited: what is said is under test, not where


class _Searcher:
    def __init__(self, doc_types: list[str], detail: RecommendationDetail) -> None:
        from types import SimpleNamespace

        from review_assistant.models import Review

        self.stores = SimpleNamespace(register=_Register(detail))
        self._reviews = [
            Review(id="child-q", name="Child Q", title="", doc_types=doc_types,
                   recommendation_count=1)
        ]  # fmt: skip

    def reviews(self):
        return self._reviews

    def rec_keys(self):
        return {("child-q", "4"): "4"}


def _plan(agencies: tuple[str, ...]):
    from review_assistant.query import QueryIntent
    from review_assistant.search import SearchPlan

    intent = QueryIntent(review_ids=("child-q",), rec_id="4", agencies=agencies)
    return SearchPlan(
        query="what did Northshire Council reply to Child Q recommendation 4?", intent=intent,
        review_ids=("child-q",), rec_id="4", rec_keys=("4",),
    )  # fmt: skip


def test_a_report_alone_holds_no_reply_from_the_body_it_addresses():
    from review_assistant.commitments import CommitmentsReport
    from review_assistant.models import ResponseDetail

    # the report's own words about the council, which the register filed as its response
    said = ResponseDetail(
        agency="Northshire Council", text="Northshire Council should audit its plans.",
        dates=[], citation=_SOURCE,
    )  # fmt: skip
    detail = _detail("Councils should audit plans.").model_copy(update={"responses": [said]})
    report = CommitmentsReport(_Searcher(["review report"], detail))
    answer = report.answer(_plan(("Northshire Council",)))
    assert answer is not None and answer.abstained
    assert answer.answer.startswith("No response by Northshire Council is recorded for")
    assert "no reply to it" in answer.answer
    # where the review has a document that replies, its responses are the answer
    report = CommitmentsReport(_Searcher(["review report", "partnership response"], detail))
    answer = report.answer(_plan(("Northshire Council",)))
    assert not answer.abstained and "- **Northshire Council**" in answer.answer
