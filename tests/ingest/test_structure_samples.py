"""The parser on the real sample documents: every recommendation, its text and its agencies."""

from __future__ import annotations

import pytest

from review_assistant.ingest.types import DocType
from tests.support.samples import (
    BEHAVIOUR,
    CHILD_M,
    CLARE,
    EXPECTED_AGENCIES,
    FREDDIE,
    HSCB,
    MINUTES,
    NAI,
    POLICE,
    SOLENT,
    SPACE,
    SSCP,
)

pytestmark = pytest.mark.golden

# (start of the recommendation's own text, end of it) for a spread of recommendations
EXPECTED_TEXT = {
    (CLARE, "1a"): ("When referrals are received into the MASH", "the risk of harm to a child."),
    (CLARE, "3b"): ("Intimidating and aggressive behaviour", "the situation is addressed"),
    (CLARE, "6"): ("It is recommended that Southampton Children’s", "/practicaltools/"),
    (CHILD_M, "1e"): (
        "Hampshire Safeguarding Children Board should ask the housing",
        "fit for purpose.",
    ),
    (CHILD_M, "4a"): (
        "Hampshire Safeguarding Children Board should work with partner",
        "on practice",
    ),
    (FREDDIE, "7"): ("To ensure the commissioning arrangements", "reports commissioned."),
    (NAI, "1"): ("- (a) All agencies to ensure", "their parenting ability."),
    (NAI, "5"): ("Assurance needs to be provided", "is taken into account."),
    (NAI, "10"): ("The Safeguarding Partnership to ensure", "at the point of initial grading."),
    (BEHAVIOUR, "8.12"): ("We recommend that the Cabinet Office", "structure (paragraph\n\n4.41)."),
    (BEHAVIOUR, "8.33"): ("We recommend that the Government (a)", "not achieved by this time."),
    (SPACE, "1"): ("We acknowledge that the current fiscal", "a floor, not a ceiling."),
    (SPACE, "40"): (
        "Ensuring access to finite radio spectrum",
        "spectrum allocation for ISAM technologies.",
    ),
}


def ids(doc) -> list[str]:
    return [r.rec_id for r in doc.recommendations]


def test_recommendation_ids_match_each_document(parsed_samples):
    assert ids(parsed_samples[CLARE]) == ["1a", "1b", "2a", "2b", "3a", "3b", "4", "5", "6"]
    assert ids(parsed_samples[CHILD_M]) == [
        "1a", "1b", "1c", "1d", "1e", "1f", "2a", "2b",
        "3", "3a", "3b", "3c", "3d", "3e", "4a", "4b", "5",
    ]  # fmt: skip
    assert ids(parsed_samples[FREDDIE]) == [str(n) for n in range(1, 13)]
    assert ids(parsed_samples[NAI]) == [str(n) for n in range(1, 11)]
    assert ids(parsed_samples[BEHAVIOUR]) == [f"8.{n}" for n in range(1, 34)]
    assert ids(parsed_samples[SPACE]) == [str(n) for n in range(1, 41)]
    assert ids(parsed_samples[MINUTES]) == []


@pytest.mark.parametrize("file_name", list(EXPECTED_AGENCIES))
def test_each_recommendation_has_its_responding_agencies(parsed_samples, file_name):
    found = {r.rec_id: set(r.agencies) for r in parsed_samples[file_name].recommendations}
    assert found == EXPECTED_AGENCIES[file_name]


@pytest.mark.parametrize(("file_name", "rec_id"), list(EXPECTED_TEXT))
def test_recommendation_text_is_kept_apart_from_the_response(parsed_samples, file_name, rec_id):
    doc = parsed_samples[file_name]
    rec = next(r for r in doc.recommendations if r.rec_id == rec_id)
    start, end = EXPECTED_TEXT[(file_name, rec_id)]
    assert rec.text.startswith(start)
    assert rec.text.endswith(end)
    assert doc.text[rec.start : rec.end].strip() == rec.text
    assert rec.responses, "every sample recommendation has a response"
    assert rec.response_start is not None and rec.response_start >= rec.end


def test_every_recommendation_has_text_and_a_response(parsed_samples):
    for name, doc in parsed_samples.items():
        for rec in doc.recommendations:
            assert len(rec.text) > 40, (name, rec.rec_id)
            assert not rec.text.lower().startswith("recommendation"), (name, rec.rec_id)
            assert rec.responses, (name, rec.rec_id)
            for response in rec.responses:
                assert doc.text[response.start : response.end].strip() == response.text


def test_document_facts_come_from_the_text(parsed_samples):
    facts = {
        name: (doc.review, doc.review_id, doc.doc_type, doc.partnership)
        for name, doc in parsed_samples.items()
    }
    assert facts[CLARE] == ("Clare", "clare", DocType.partnership_response, SSCP)
    assert facts[CHILD_M] == ("Child M", "child-m", DocType.partnership_response, HSCB)
    assert facts[FREDDIE] == ("Freddie", "freddie", DocType.learning_report, SSCP)
    assert facts[NAI][:3] == (
        "Thematic Review – Non-Accidental Injury",
        "thematic-review-non-accidental-injury",
        DocType.partnership_response,
    )
    assert facts[MINUTES][:3] == ("Clare", "clare", DocType.minutes)
    assert facts[BEHAVIOUR][:3] == (
        "Behaviour Change",
        "behaviour-change",
        DocType.government_response,
    )
    assert facts[SPACE][0] == "The Space Economy: Act Now or Lose Out"
    assert facts[SPACE][3] == "Department for Science, Innovation and Technology"
    assert parsed_samples[MINUTES].date == "2020-12-03"
    assert parsed_samples[SPACE].date == "2026-01"


def test_minutes_become_progress_notes_on_the_clare_review(parsed_samples):
    minutes = parsed_samples[MINUTES]
    assert minutes.review_id == parsed_samples[CLARE].review_id
    notes = {n.rec_id: n for n in minutes.progress_notes}
    assert list(notes) == ["1", "3", "4"]
    assert notes["4"].text.startswith("Recommendation 4 – Solent NHS trust had completed")
    assert SOLENT in notes["4"].agencies
    assert notes["1"].date == "2020-12-03"


def test_child_m_recommendations_sit_under_their_findings(parsed_samples):
    doc = parsed_samples[CHILD_M]
    assert [f.finding_id for f in doc.findings] == ["1", "2", "3", "4", "5"]
    assert doc.findings[0].text.startswith("Child protection assessments conferences and plans")
    by_id = {r.rec_id: r.finding_id for r in doc.recommendations}
    assert by_id["1f"] == "1" and by_id["3"] == "3" and by_id["3e"] == "3" and by_id["5"] == "5"


def test_sub_parts_are_kept_with_their_recommendation(parsed_samples):
    recs = {r.rec_id: r for r in parsed_samples[NAI].recommendations}
    assert [p.label for p in recs["2"].parts] == ["a", "b", "c"]
    assert recs["2"].parts[2].text.startswith("Police to continue to recognise")
    assert [p.label for p in recs["5"].parts] == ["a", "b", "c"]


def test_grouped_recommendations_share_one_response(parsed_samples):
    recs = {r.rec_id: r for r in parsed_samples[BEHAVIOUR].recommendations}
    assert recs["8.3"].shared_with == ["8.4"] and recs["8.4"].shared_with == ["8.3"]
    assert recs["8.3"].responses == recs["8.4"].responses
    assert recs["8.17"].shared_with == ["8.18", "8.19"]
    assert recs["8.5"].shared_with == []
    assert recs["8.14"].group_key == "8.14, 8.15, 8.16"


def test_duplicate_number_in_source_is_repaired_and_flagged(parsed_samples):
    recs = {r.rec_id: r for r in parsed_samples[BEHAVIOUR].recommendations}
    assert recs["8.33"].numbered_as is not None and "8.32" in recs["8.33"].numbered_as
    assert recs["8.32"].numbered_as is None


def test_pdf_recommendations_keep_their_pages(parsed_samples):
    space = {r.rec_id: r.page for r in parsed_samples[SPACE].recommendations}
    assert space["1"] == 8 and space["19"] == 18 and space["40"] == 33
    behaviour = {r.rec_id: r.page for r in parsed_samples[BEHAVIOUR].recommendations}
    assert behaviour["8.1"] == 3 and behaviour["8.33"] == 19


def test_boxed_pdf_recommendations_read_in_page_order(parsed_samples):
    """The space response draws each recommendation box after the text that follows it."""
    recs = {r.rec_id: r for r in parsed_samples[SPACE].recommendations}
    assert recs["2"].text.startswith("Like AI, space technology is a utility")
    assert recs["2"].responses[0].text.startswith("Departments make use of space")
    assert recs["5"].responses[0].text.startswith("We are committed to ensuring delivery")


def test_status_words_read_hard_wrapped_text(parsed_samples):
    recs = {r.rec_id: r for r in parsed_samples[CLARE].recommendations}
    assert {r.status for r in recs["2b"].responses} == {"completed"}
    assert {r.status for r in recs["4"].responses if r.agency == SOLENT} == {"completed"}
    nai = {r.rec_id: r for r in parsed_samples[NAI].recommendations}
    police = next(r for r in nai["3"].responses if r.agency == POLICE)
    assert police.deadline == "2021"  # "aimed for completion by the end of 2021"
