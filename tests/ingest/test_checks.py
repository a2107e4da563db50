"""The structure check flags registers that may be incomplete."""

from __future__ import annotations

from review_assistant.ingest.checks import check_structure, gaps
from review_assistant.ingest.types import AgencyResponse, DocType, ParsedDocument, Recommendation


def rec(rec_id: str, text: str = "Agencies should share records promptly.", responses=1):
    answers = [
        AgencyResponse(agency="Police", text="Done.", start=0, end=5, page_start=1, page_end=1)
    ] * responses
    return Recommendation(
        rec_id=rec_id, heading=f"Recommendation {rec_id}", text=text, start=0, end=1, page=1,
        responses=answers,
    )  # fmt: skip


def doc(recs, doc_type=DocType.partnership_response, text="") -> ParsedDocument:
    return ParsedDocument(
        doc_id="d", file_name="d.txt", sha256="0", source_format="text", title="T", review="R",
        review_id="r", doc_type=doc_type, text=text, pages=[], recommendations=recs,
    )  # fmt: skip


def test_gaps_in_each_series():
    assert gaps(["1", "2", "4"]) == ["3"]
    assert gaps(["1a", "1b", "2", "3c"]) == []
    assert gaps(["8.3", "8.4", "8.6"]) == ["8.5"]
    assert gaps(["2", "3"]) == ["1"]  # a plain list starts at 1
    assert gaps(["4a.i", "4a.ii"]) == []
    # paragraph numbers of a report: a jump is the next section, a number or two is a gap
    assert gaps(["14", "15", "16", "109", "110"]) == []
    assert gaps(["14", "15", "17", "109"]) == ["16"]


def test_an_inspections_two_runs_of_paragraph_numbers_leave_no_gap():
    runs = [str(n) for n in [*range(1, 11), *range(88, 94)]]
    assert not check_structure(doc([rec(i) for i in runs], DocType.inspection)).doubtful
    assert gaps(runs, paragraphs=True) == []
    assert gaps([*runs, "95"], paragraphs=True) == ["94"]  # a number missing in a run still is
    # a response numbers its recommendations, not its paragraphs: a run missing is a miss
    assert check_structure(doc([rec(i) for i in runs])).doubtful


def test_a_whole_register_is_not_doubtful():
    assert check_structure(doc([rec("1"), rec("2"), rec("3")])).doubtful is False


def test_traces_of_a_misread_register():
    found = check_structure(
        doc([rec("1"), rec("1 (2)"), rec("3", text="Contents"), rec("4", responses=0)])
    )
    assert found.doubtful
    text = " | ".join(found.problems)
    assert (
        "skips 2" in text and "printed twice (1 (2))" in text and "no text of their own: 3" in text
    )
    unanswered = check_structure(doc([rec("1", responses=0), rec("2", responses=0), rec("3")]))
    assert "2 of 3 have no response" in unanswered.problems[0]


def test_a_report_that_talks_of_recommendations_but_yielded_none():
    text = "We recommend that… " * 6
    assert check_structure(doc([], DocType.other, text)).doubtful
    assert not check_structure(doc([], DocType.minutes, text)).doubtful
    assert not check_structure(doc([], DocType.other, "A plain document.")).doubtful
