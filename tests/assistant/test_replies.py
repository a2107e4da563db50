"""What a responder replied: a recommendation asked about by its subject is answered with its
reply, a recommendation quoted as an answer brings what was done about it, a body that
answered nothing is said to have answered nothing, and a numbered recommendation asked of an
agency comes from the review where that agency answered it."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant import Settings, open_library

REPORT = """The Harbourside Flooding Inquiry

Report of the Inquiry

Chapter 1: What happened

The river overtopped its banks on the night of 3 March. Residents were not warned in time
because the flood sirens had not been tested for two years, and nobody checked that the flood
sirens worked. Families with young children were moved to a leisure centre that had no heating.

Recommendations

1. We recommend that the Government build a tidal flood barrier at the mouth of the river.

2. We recommend that the Government require every council to test its flood sirens each year.

3. We recommend that the Government publish a national register of rest centres with heating.

4. We recommend that the Government fund buses to evacuate residents without cars.
"""

RESPONSE = """Government response to the Harbourside Flooding Inquiry

Recommendation 1: We recommend that the Government build a tidal flood barrier at the mouth of
the river.

Government response: The Government accepts this recommendation in principle. The Environment
Agency has begun an appraisal of barrier options, which will report in spring 2027.

Recommendation 2: We recommend that the Government require every council to test its flood
sirens each year.

Government response: The Government does not accept this recommendation. Councils already test
warning systems under existing guidance, and a new duty would add little.

Recommendation 3: We recommend that the Government publish a national register of rest centres
with heating.

Government response: The Government accepts this recommendation. The register will be
published by December 2026.

Recommendation 4: We recommend that the Government fund buses to evacuate residents without
cars.

Department for Transport: The Department will consult councils on evacuation transport.
"""

CHILD_T = """Eastvale Safeguarding Children Partnership

Response to the Child Safeguarding Practice Review of Child T

Recommendation 1
Agencies should record every adult living in the household at each visit.

Children's Services: social workers now record every adult in the household at each visit.

Recommendation 2
Health visitors should check that every baby is registered with a GP.

Eastvale NHS Trust: health visitors now check GP registration at the new birth visit.
"""

CHILD_U = """Eastvale Safeguarding Children Partnership

Response to the Child Safeguarding Practice Review of Child U

Recommendation 1
Agencies should share information about missing episodes within 24 hours.

Eastvale Constabulary: the police now send every missing episode to the MASH within 24 hours.

Recommendation 2
Schools should follow up every unexplained absence on the first day.

Education: each attendance officer now telephones the family by ten in the morning.
"""


VISIT = """Westshire children's services focused visit

Findings

Missing episodes are shared within 24 hours in Westshire, and every missing episode is
followed by a return home interview. Missing episodes are reviewed weekly by managers.
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("replies")
    documents = {
        "harbourside-report.txt": REPORT,
        "harbourside-response.txt": RESPONSE,
        "child-t.txt": CHILD_T,
        "child-u.txt": CHILD_U,
        "westshire-visit.txt": VISIT,
    }
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    library = open_library(Settings(REVIEW_ASSISTANT_DATA_DIR=folder / "data"))
    report = library.ingest(sorted(folder.glob("*.txt")))
    assert not report.skipped
    yield library
    library.close()


def _cited(answer) -> set[str]:
    return {Path(c.document).name for c in answer.citations}


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("has the government decided on testing flood sirens?", "does not accept"),
        ("did the government agree to build a flood barrier?", "accepts this recommendation"),
        ("what did the government say about rest centres?", "published by December 2026"),
    ],
)
def test_a_recommendation_asked_about_by_its_subject_is_answered_with_its_reply(
    library, question, reply
):
    answer = library.ask(question)
    assert not answer.abstained
    assert reply in answer.answer
    # the reply is quoted from the response, where the report's account says more about sirens
    assert "harbourside-response.txt" in _cited(answer)
    assert "nobody checked" not in answer.answer


def test_a_subject_no_recommendation_holds_is_no_recommendation_report(library):
    answer = library.ask("did the government agree to ban fireworks?")
    assert "Recommendation" not in answer.answer
    assert "fireworks" in answer.answer  # what was looked for


def test_a_body_that_answered_nothing_is_said_to_have_answered_nothing(library):
    answer = library.ask("did probation respond to any of the Child T recommendations?")
    assert answer.abstained
    assert "No response by Probation Service is recorded for the Child T review" in answer.answer
    # not the list of Child T's recommendations
    assert "recommendations in the register" not in answer.answer


def test_a_numbered_recommendation_asked_of_an_agency_comes_from_where_it_answered(library):
    answer = library.ask("what did the police commit to on recommendation 1?")
    assert "only Child U records a response by Eastvale Constabulary" in answer.answer
    assert "every missing episode to the MASH" in answer.answer
    assert _cited(answer) == {"child-u.txt"}


def test_a_recommendation_quoted_as_an_answer_brings_what_was_done_about_it(library):
    answer = library.ask("anything on following up unexplained absences from school?")
    assert "Schools should follow up every unexplained absence" in answer.answer
    assert "Responses recorded to recommendation 2 (Child U)" in answer.answer
    assert "telephones the family by ten in the morning" in answer.answer
    quotes = [c.quote for c in answer.citations]
    assert any("telephones the family" in q for q in quotes)  # the reply is cited too


def test_a_departments_reply_is_the_governments(library):
    answer = library.ask("what did the government commit to on Harbourside recommendation 4?")
    assert "The Department will consult councils on evacuation transport" in answer.answer
    assert "No response by" not in answer.answer


def test_a_part_of_a_recommendation_without_parts_does_not_exist(library):
    answer = library.ask("what did the partnership commit to for Child T recommendation 2c?")
    assert answer.abstained
    assert "There is no recommendation 2c" in answer.answer
    assert "GP registration" not in answer.answer  # not recommendation 2's reply


def test_whether_a_body_answered_a_recommendation_it_never_answered(library):
    answer = library.ask("did the Westvale Probation Service respond to Child U recommendation 1?")
    assert answer.abstained
    assert "No response by Westvale Probation Service is recorded" in answer.answer
    # what the recommendation is, and who did answer, still shown
    assert "Eastvale Constabulary" in answer.answer


def test_a_body_named_by_its_own_name_keeps_the_answer_to_the_reviews_it_answered(library):
    answer = library.ask(
        "eastvale constabulary - is every missing episode followed by a return home interview?"
    )
    assert "every missing episode to the MASH" in answer.answer
    assert _cited(answer) == {"child-u.txt"}  # not Westshire's visit on the same subject


def test_a_recommendation_holding_part_of_the_subject_is_not_the_one_asked_about(library):
    # recommendation 4 funds buses for residents; nothing is said of flood insurance
    answer = library.ask("did the government agree to fund buses for residents' flood insurance?")
    assert "Recommendation 4 (" not in answer.answer
