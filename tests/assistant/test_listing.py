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
    return report._kind_unnamed(question, "northshire", first)


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
