"""Premises a why-question takes for granted beyond a grade: an act (rejecting, praising) the
document never states of the subject (on synthetic passages)."""

from __future__ import annotations

import pytest

from review_assistant.ingest.types import Chunk, SectionKind
from review_assistant.premises import asserted_act, check_act

RESPONSE = """Government response to the Harbourside Inquiry

The government accepts all of the Inquiry's findings. This is why 12 of the recommendations
are accepted in full. For the remaining 3 recommendations, the government accepts them in
principle.

Recommendation 4: The harbour authority should inspect the pontoons.

The government accepts this recommendation.
Planning applications for the quay were rejected last year.
"""

VISIT = """Focused visit to Westshire children's services

Audits of children's plans are variable in quality and are not effective.
They are compliance-focused, and the learning from audits is not used.
Supervision is regular and reflective.
"""


def chunk(text: str, review_id: str = "harbourside") -> Chunk:
    return Chunk(
        chunk_id=f"{review_id}-1", doc_id="d1", document=f"{review_id}.txt", title="T",
        review=review_id, review_id=review_id, doc_type="government response",
        section=SectionKind.background, page_start=1, page_end=1, start=40,
        end=40 + len(text), text=text,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("question", "act"),
    [
        ("why did the government reject the recommendations?", ("reject", "recommendations")),
        ("why did Ofsted praise the audits?", ("praise", "audits")),
        ("what did the government reject?", None),  # no why: nothing taken for granted
        ("why are audits weak?", None),
    ],
)
def test_the_act_a_why_question_takes_for_granted(question, act):
    assert asserted_act(question) == act


def test_a_rejection_the_response_never_states_is_corrected_with_what_it_says():
    answer = check_act(
        "why did the government reject the recommendations?", [chunk(RESPONSE)], "the response"
    )
    assert answer is not None and not answer.abstained
    assert answer.answer.startswith(
        "Nothing in the response says that recommendations were rejected."
    )
    # its own words on the recommendations, acceptance first; the quay's rejected planning
    # applications are about something else and do not count as a rejection
    assert "12 of the recommendations" in answer.answer and "in principle" in answer.answer
    assert "quay" not in answer.answer
    # each quote is its own span of the passage, cited where it stands
    assert all(RESPONSE[c.quote_start - 40 : c.quote_end - 40] == c.quote for c in answer.citations)


def test_a_rejection_the_response_states_is_left_to_the_answer():
    stated = RESPONSE + "\nThe government does not accept the recommendations on the quay.\n"
    assert (
        check_act("why did the government reject the recommendations?", [chunk(stated)], "x")
        is None
    )


def test_praise_the_visit_never_gives_is_corrected_negations_included():
    answer = check_act(
        "why did Ofsted praise the audits?", [chunk(VISIT, "westshire")], "the visit"
    )
    assert answer is not None
    # "not effective" is no praise; what the visit says of audits is quoted, supervision is not
    assert "compliance-focused" in answer.answer and "Supervision" not in answer.answer
    praised = VISIT.replace("are not effective", "are effective")
    assert (
        check_act("why did Ofsted praise the audits?", [chunk(praised, "westshire")], "x") is None
    )


def test_a_subject_the_review_never_mentions_is_not_corrected_here():
    # the scope check says the subject is absent; an act on nothing cannot be corrected
    assert check_act("why did Ofsted praise the fostering panel?", [chunk(VISIT)], "x") is None


LADO = """Inspection of Westshire children's services

The LADO provides well considered management of allegations against professionals.
However, the timeliness with which this work is carried out is poor in most cases.
Staff are given a minimum of 5 days of training per year.
"""


def test_praise_said_in_other_words_is_corrected_with_the_sentence_a_however_goes_on_from():
    question = "why did Ofsted hold up the LADO service as a model of quick work?"
    assert asserted_act(question) == ("praise", "LADO service")
    answer = check_act(question, [chunk(LADO, "westshire")], "the inspection")
    assert answer is not None and "poor in most cases" in answer.answer
    assert "well considered" in answer.answer and "LADO service was praised" in answer.answer


def test_a_quoted_recommendation_brings_its_verdict():
    text = "Recommendation 4: The harbour authority should inspect the pontoons yearly.\n\n"
    rec = chunk(text).model_copy(update={"recommendation": "4"})
    verdict = chunk("The government accepts this recommendation in principle.")
    verdict = verdict.model_copy(update={"chunk_id": "v", "recommendation": "4", "start": 200})
    question = "why did the government reject inspecting the pontoons?"
    answer = check_act(question, [rec, verdict], "x")
    assert answer is not None and "accepts this recommendation in principle" in answer.answer


def test_a_quantity_the_review_gives_otherwise_is_corrected():
    from review_assistant.premises import asserted_quantity, check_quantity

    question = "why do staff only get 2 days of training a year?"
    assert asserted_quantity(question).value == 2
    answer = check_quantity(question, [chunk(LADO)], "the inspection", [("train",)])
    assert answer is not None and "5 days" in answer.answer
    said = "why do staff only get 5 days of training a year?"
    assert check_quantity(said, [chunk(LADO)], "the inspection", [("train",)]) is None
