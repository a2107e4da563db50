"""Why-questions are answered with the causes a review gives, in its own order, not with its
title line or with what agencies did afterwards."""

from __future__ import annotations

from pathlib import Path

from review_assistant.answering import Assistant
from review_assistant.ingestion import Ingestor
from review_assistant.models import AskRequest
from review_assistant.store.stores import Stores

REVIEW = """Northshire Safeguarding Children Partnership

Child Safeguarding Practice Review: Baby R

Baby R

Introduction

Baby R was born in 2022 and lived with her mother and her mother's partner.

Findings

Finding 1
The health visitor did not complete the new birth visit at home because the family moved
twice in the first month and the records did not follow them. As a result, no professional saw
Baby R at home before she was six weeks old.

Finding 2
Practitioners were unaware that the mother's partner lived in the household. The partner was
not asked about, despite earlier concerns recorded by the police.

Recommendation 1
Health visiting services should follow families who move before the new birth visit.

The community trust now makes sure a health visitor sees every baby at home by six weeks.
A tracking list for families who move area is also in place.

Recommendation 2
All agencies should ask about every adult living in the household.

The police have updated their guidance on recording adults present at incidents.
"""


def test_a_why_question_gets_the_causes_in_the_reviews_order(settings, tmp_path: Path):
    path = tmp_path / "baby-r.txt"
    path.write_text(REVIEW, encoding="utf-8")
    stores = Stores(settings.store)
    try:
        Ingestor(stores).ingest([path], progress=False)
        answer = Assistant(stores).ask(
            AskRequest(question="Why was Baby R not seen by a health visitor at home?")
        )
    finally:
        stores.close()
    assert not answer.abstained
    assert "did not complete the new birth visit at home because" in answer.answer
    assert "no professional saw" in answer.answer.replace("\n", " ")
    first = answer.answer.index("did not complete")
    assert first < answer.answer.index("no professional saw")  # the review's order
    assert "now makes sure" not in answer.answer  # an action taken since, not a cause
    assert not answer.answer.startswith("Baby R [")  # the title line is no answer
    for citation in answer.citations:
        assert citation.quote in REVIEW.replace("\n", " ") or citation.quote in REVIEW


def _review(name: str, finding: str, recommendation: str, action: str) -> str:
    return f"""Westshire Safeguarding Children Partnership

Child Safeguarding Practice Review: {name}

Findings

Finding 1
{finding}

Recommendation 1
{recommendation}

Westshire Council: {action}
"""


def test_learning_points_are_lessons_from_findings_not_agency_actions(settings, tmp_path: Path):
    reviews = {
        "child-s.txt": _review(
            "Child S",
            "Practitioners accepted the parents' apparent cooperation at face value; this "
            "disguised compliance meant that the neglect of Child S was not challenged.",
            "Agencies should train staff to recognise disguised compliance and to test what "
            "parents say against what they see.",
            "Westshire Council has developed a business case for a disguised compliance "
            "training post and has recruited an officer to deliver disguised compliance sessions.",
        ),
        "child-t.txt": _review(
            "Child T",
            "Disguised compliance by the mother went unrecognised because each agency saw only "
            "part of the picture.",
            "The partnership should share learning about disguised compliance with schools.",
            "Westshire Council has produced a disguised compliance leaflet for all schools and "
            "circulated disguised compliance guidance.",
        ),
    }
    paths = []
    for name, text in reviews.items():
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-8")
    stores = Stores(settings.store)
    try:
        Ingestor(stores).ingest(paths, progress=False)
        answer = Assistant(stores).ask(
            AskRequest(question="learning points on disguised compliance")
        )
    finally:
        stores.close()
    assert not answer.abstained
    assert "face value" in answer.answer and "went unrecognised" in answer.answer
    assert "business case" not in answer.answer and "leaflet" not in answer.answer
    assert "**Child S**" in answer.answer and "**Child T**" in answer.answer


INSPECTION = """Inspection of Eastshire children's services

Focused visit to Eastshire County Council children's services

The Local Safeguarding Children Board

The Local Safeguarding Children Board (LSCB) is inadequate.

An LSCB that is inadequate does not demonstrate that it has effective arrangements in place.

Summary of findings

The LSCB is inadequate because:

- The Board has no strategic plan for tackling neglect across the partnership.

- Learning from serious case reviews is not shared with front-line staff.

Care leavers

High caseloads in the care leaving team limit the time workers can give to young people.
Services are therefore crisis led rather than planned. Managers are now recruiting staff.
"""


def test_a_why_question_gets_the_reviews_reasons_not_its_banner_or_a_grade_definition(
    settings, tmp_path: Path
):
    path = tmp_path / "eastshire.txt"
    path.write_text(INSPECTION, encoding="utf-8")
    stores = Stores(settings.store)
    try:
        Ingestor(stores).ingest([path], progress=False)
        assistant = Assistant(stores)
        board = assistant.ask(AskRequest(question="Eastshire - why is the LSCB inadequate?"))
        crisis = assistant.ask(AskRequest(question="why are care leaving services crisis led?"))
    finally:
        stores.close()
    text = board.answer.replace("\n", " ")
    # the review's own list of reasons, after a topic ("Eastshire - why…")
    assert "no strategic plan for tackling neglect" in text
    assert "not shared with front-line staff" in text
    assert "(LSCB) is inadequate." not in text  # the banner restates what is asked
    assert "An LSCB that is inadequate" not in text  # a grade's definition is no reason
    assert "Focused visit to" not in text  # a title never answers
    # an effect that points back brings its cause, both quoted and cited
    said = crisis.answer.replace("\n", " ")
    assert "High caseloads in the care leaving team limit the time" in said
    assert said.index("High caseloads") < said.index("therefore crisis led")
    for answer in (board, crisis):
        for citation in answer.citations:
            assert " ".join(citation.quote.split()) in " ".join(INSPECTION.split())
