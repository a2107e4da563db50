"""The kind of answer a question asks for (a time, a number), and a sentence of that kind
ranking above the best sentence on the subject alone."""

from __future__ import annotations

import pytest

from review_assistant import Settings, open_library
from review_assistant.answer_types import fits

VISIT = """Westshire children's services focused visit

Findings

Care leavers benefit from a stable and committed group of personal advisers, who know them well.
Personal advisers help care leavers with housing, benefits and managing money.
Care leavers speak highly of the personal advisers who support them.
Care leavers are only allocated personal advisers as they approach their 18th birthday, so
planning for independence starts too late.
"""


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("when do care leavers get a personal adviser?", "allocated at 17", False),
        ("when do care leavers get a personal adviser?", "near their 18th birthday", True),
        ("how late can the check be postponed?", "no later than 12 weeks", True),
        ("westshire referrals - how fast are they dealt with?", "within 24 hours", True),
        ("by when will the audit be done?", "The audit will report in March 2027.", True),
        ("how many recommendations were not met?", "Two of the actions were not met.", True),
        ("how many recommendations were not met?", "Some actions were not met.", False),
        ("what is a PPN1?", "A notification made by the police.", None),
    ],
)
def test_the_kind_of_answer_asked_for(question, sentence, expected):
    assert fits(question, sentence) is expected


def test_a_sentence_saying_when_answers_a_when_question(tmp_path):
    (tmp_path / "westshire.txt").write_text(VISIT, encoding="utf-8")
    library = open_library(Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data"))
    try:
        assert not library.ingest([tmp_path / "westshire.txt"]).skipped
        answer = library.ask("when do care leavers in Westshire get a personal adviser?")
    finally:
        library.close()
    assert "as they approach their 18th birthday" in answer.answer


def test_a_who_question_prefers_the_sentence_naming_who():
    from review_assistant.answer_types import asked

    gives = asked("who does viability assessments now?")
    assert gives is not None
    assert gives("The assessments are now undertaken by the fostering service.")
    assert not gives("The policy for viability assessments has been reviewed.")
