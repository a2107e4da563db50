"""List questions answered from the register: which questions ask for a list, at which
progress, and what the register holds that is no recommendation."""

from __future__ import annotations

import pytest

from review_assistant.listing import _ASKS_LIST, _ASKS_PROGRESS, _CONTENTS_LINE, _at, _statuses
from review_assistant.models import RecommendationDetail, ResponseDetail, SourceRef

_SOURCE = SourceRef(document="review.txt", page=1, page_end=1, start=0, end=50)


def _response(agency: str, text: str) -> ResponseDetail:
    return ResponseDetail(agency=agency, text=text, dates=[], citation=_SOURCE)


def _detail(*responses: ResponseDetail) -> RecommendationDetail:
    return RecommendationDetail(
        review_id="child-q", review="Child Q", rec_id="2", heading="Recommendation 2",
        text="Agencies should share information.", parts=[], shared_with=[], citation=_SOURCE,
        responses=list(responses), progress_notes=[],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("which Child Q recommendations are complete?", True),
        ("list the recommendations for the Northshire safeguarding board", True),
        ("Northshire LSCB recommendations?", True),
        ("list the Northshire board's priority actions", True),
        ("what priority actions did the inspectors set for Northshire's care leavers?", True),
        ("what did the Child Q review recommend about neglect?", False),
        ("which actions were taken after the Child Q review?", False),
        ("why were the recommendations of Child P not implemented sooner in the county", False),
    ],
)
def test_list_questions(question, asks):
    assert bool(_ASKS_LIST.search(question)) is asks


def test_the_progress_a_list_asks_for():
    def wanted(question):
        return next((col for col, words in _ASKS_PROGRESS if words.search(question)), None)

    assert wanted("which recommendations are complete?") == "completed"
    assert wanted("which recommendations are not yet complete?") == "open"
    assert wanted("which recommendations are outstanding?") == "open"
    assert wanted("list the board's recommendations") is None


def test_statuses_from_the_responses_own_words():
    done = _response("Northshire Trust", "The pathway audit has been completed.")
    later = _response("Northshire Police", "Training remains to be completed next year.")
    detail = _detail(done, later)
    # one agency's part done leaves the recommendation open: a manager asking which are
    # complete must not be told this one is
    assert not _at(detail, "completed") and _at(detail, "in progress") and _at(detail, "open")
    assert _statuses(detail) == "Northshire Trust: completed; Northshire Police: in progress"
    assert _statuses(_detail()) == "no status recorded"
    assert _at(_detail(later), "open")
    silent = _response("Northshire Council", "The council thanks the reviewer.")
    assert _at(_detail(done, silent), "completed")  # a response stating no status does not count
    assert not _at(_detail(silent), "completed") and _at(_detail(silent), "open")


def test_contents_lines_are_no_recommendations():
    assert _CONTENTS_LINE.match("Inspection findings – the Local Safeguarding Children Board 30")
    assert not _CONTENTS_LINE.match("Ensure that a dataset is in place by 2020.")


class _Register:
    """A register holding one document's text, cut in one passage."""

    def __init__(self, text: str) -> None:
        from types import SimpleNamespace

        self.text = text
        self.chunk = SimpleNamespace(text=text)

    def chunk_ids_matching(self, filters):
        return ["c1"]

    def chunks_by_id(self, ids):
        return {"c1": self.chunk}

    def find_document(self, name):
        from types import SimpleNamespace

        return SimpleNamespace(doc_id="d1")

    def document_text(self, doc_id):
        return self.text


LETTER = """Focused visit to Northshire children's services

Areas of strength

Care leavers are supported to give priority to their health.

Areas for improvement

Plans for care leavers are not reviewed independently.
"""


def _unnamed(text: str, question: str) -> str | None:
    from types import SimpleNamespace

    from review_assistant.listing import ListingReport

    report = ListingReport(SimpleNamespace(stores=SimpleNamespace(register=_Register(text))))
    start = text.index("Plans for care")
    first = _detail().model_copy(
        update={"citation": _SOURCE.model_copy(update={"start": start, "end": len(text)})}
    )
    from review_assistant.ingest.chunking import section_headings

    headings = {first.citation.document: section_headings(text)}
    return report._kind_unnamed(question, "northshire", first, headings)


def test_a_kind_of_recommendation_the_report_never_names_is_said_to_be_unset():
    said = _unnamed(LETTER, "what priority actions did the inspectors set?")
    # "give priority to" is no priority action; the heading the items stand under is named
    assert said == (
        "it sets no priority actions (no line of its documents names any); its "
        "recommendations stand under “Areas for improvement”."
    )
    assert _unnamed(LETTER, "list the recommendations") is None
    named = LETTER.replace("Areas for improvement", "Priority and immediate action")
    assert _unnamed(named, "what priority actions did the inspectors set?") is None


# -- counts, and the part of a report a list is asked of ---------------------------------------

INSPECTION = """Inspection of Northshire children's services

What does the local authority need to improve?

Priority and immediate action

1. Ensure that referrals are screened within one working day.

Quality of practice

2. Ensure that plans for children are specific and reviewed.

Areas for improvement

3. Improve the recording of children's views in assessments.

What does the LSCB need to improve?

Priority and immediate action

40. The LSCB should establish a multi-agency audit programme.

Areas for improvement

41. The LSCB should evaluate the impact of its training.
"""


def _at_paragraph(rec_id: str, text: str = INSPECTION) -> RecommendationDetail:
    start = text.index(f"\n{rec_id}. ") + 1
    end = text.index("\n", start)
    citation = SourceRef(document="inspection.pdf", page=1, page_end=1, start=start, end=end)
    return _detail().model_copy(
        update={"rec_id": rec_id, "text": text[start:end].split(" ", 1)[1], "citation": citation}
    )


def _inspection_report():
    from types import SimpleNamespace

    from review_assistant.ingest.agencies import default_gazetteer
    from review_assistant.listing import ListingReport

    searcher = SimpleNamespace(
        stores=SimpleNamespace(register=_Register(INSPECTION)),
        gazetteer=default_gazetteer(),
        topic=lambda question: question.replace("Northshire", ""),
    )
    return ListingReport(searcher)


def _headings():
    from review_assistant.ingest.chunking import section_headings

    return {"inspection.pdf": section_headings(INSPECTION)}


@pytest.mark.parametrize(
    "question",
    [
        "how many recommendations did the Child Q review make?",
        "what are the Northshire LSCB's areas for improvement?",
        "Northshire board - what are its priority and immediate actions?",
        "list the areas for priority action from the Northshire visit",
    ],
)
def test_counts_and_parts_are_list_questions(question):
    assert _ASKS_LIST.search(question)


def test_a_recommendation_stands_in_the_part_its_nearest_part_heading_opens():
    from review_assistant.listing import _part_heading

    headings = _headings()["inspection.pdf"]
    # a themed heading within a part ("Quality of practice") does not end it
    assert "Priority and immediate action" in _part_heading(
        headings, _at_paragraph("2").citation.start
    )
    assert "Areas for improvement" in _part_heading(headings, _at_paragraph("3").citation.start)
    assert _part_heading(headings, 0) is None


def test_a_list_of_the_part_the_question_names():
    from review_assistant.listing import _in_part, _is_heading, _part_named

    details = [_at_paragraph(i) for i in ("1", "2", "3", "40", "41")]

    def listed(question):
        chosen, named = _in_part(question, details, _headings())
        return [d.rec_id for d in chosen], named

    assert listed("what are the priority and immediate actions?") == (["1", "2", "40"], True)
    # "priority actions" is what a report calls "Priority and immediate action"
    assert listed("list the priority actions")[0] == ["1", "2", "40"]
    assert listed("what are its areas for improvement?") == (["3", "41"], True)
    # no part named, or one no recommendation stands under: all of them
    assert listed("list the recommendations") == ([d.rec_id for d in details], False)
    assert listed("what are the areas for development?") == ([d.rec_id for d in details], False)
    # the part is named by its own heading, not the heading of the body's section above it
    asked = "what are its areas for improvement?"
    assert _part_named(asked, details[4], _headings()) == "Areas for improvement"
    assert _part_named(asked, details[0], _headings()) is None
    # a heading the register took for a recommendation is none
    heading = details[0].model_copy(update={"text": "Areas for improvement"})
    assert _is_heading(heading, _headings()) and not _is_heading(details[0], _headings())


def test_the_runs_a_list_is_for_are_those_whose_heading_names_the_body_asked_of():
    report = _inspection_report()
    details = [_at_paragraph(i) for i in ("1", "2", "3", "40", "41")]

    def addressed(question):
        chosen = report._addressed(details, report._asked_of(question), _headings())
        return [d.rec_id for d in chosen]

    assert addressed("list the Northshire LSCB's recommendations") == ["40", "41"]
    # the council is the local authority; a body the question leaves out is not asked of
    assert addressed("how many recommendations for the council, not counting the board's?") == [
        "1",
        "2",
        "3",
    ]
    assert addressed("list the recommendations") == [d.rec_id for d in details]
    # the document and its making are no body's
    assert addressed("how many recommendations did the inspection make?") == [
        d.rec_id for d in details
    ]


def test_a_count_of_what_the_question_qualifies_is_not_the_register_s_count():
    report = _inspection_report()

    def qualified(question):
        return report._qualified(report._asked_of(question))

    assert not qualified("how many recommendations did the Northshire inspection make?")
    assert not qualified("how many recommendations did Ofsted make for the safeguarding board?")
    assert not qualified("how many priority actions did Ofsted give Northshire council?")
    assert not qualified("how many recommendations did Ofsted make to the council in 2016?")
    assert qualified("how many priority actions from the March visit were not addressed?")
    assert qualified("how many recommendations are about neglect?")


def test_ids_of_a_count_are_given_as_numbered_runs():
    from review_assistant.listing import _ids

    ids = ["1", "2", "3", "4", "40", "41", "1a"]
    details = [_detail().model_copy(update={"rec_id": i}) for i in ids]
    assert _ids(details) == "1–4, 40, 41, 1a"
