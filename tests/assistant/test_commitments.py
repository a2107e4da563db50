"""Commitments from the register: which questions it answers, and one part of a
recommendation read apart from the others."""

from __future__ import annotations

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
