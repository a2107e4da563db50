"""The register of every full report and inspection in samples/: each printed recommendation
found once, with its own words and page, and nothing invented (golden, on real documents)."""

from __future__ import annotations

import pytest

from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.ingest.readers import read_document
from review_assistant.ingest.structure import StructureParser
from review_assistant.ingest.types import DocType
from tests.support.samples import SAMPLE_AGENCIES, SAMPLES

pytestmark = pytest.mark.golden


def ids(start: int, stop: int, prefix: str = "") -> list[str]:
    return [f"{prefix}{n}" for n in range(start, stop + 1)]


# file: (document type, review name, ids, {id: (page, first words of its own text)})
EXPECTED = {
    "inquiry-reports/behaviour-change-committee-report.pdf": (
        DocType.review_report, "Behaviour Change", ids(1, 33, "8."),
        {"8.1": (67, "The idea of the Government intervening"),
         "8.6": (68, "We recommend that, at the earliest opportunity"),
         "8.33": (72, "We recommend that the Government (a)")},
    ),
    "inspections/birmingham-children-services-and-lscb-review-2014.pdf": (
        # 120-125: the board's priority actions, counted by the hand labels
        DocType.inspection, None, ids(24, 39) + ids(120, 131),
        {"24": (7, "Strengthen operational and senior management"),
         "131": (33, "Ensure that learning from serious case")},
    ),
    "inspections/kingston-upon-hull-children-services-and-lscb-review-2015.pdf": (
        # 14-20 under a plain subheading of the improvement list; 21-27: the board's
        # unnumbered list, numbered after them (the hand labels)
        DocType.inspection, None, ids(1, 27),
        {"1": (4, "Ensure that joint visits and S47"),
         "14": (5, "Working through, and reporting to the local"),
         "21": (39, "Ensure that sufficient comprehensive, accurate and timely")},
    ),
    "inspections/norfolk-children-services-inspection-2023.pdf": (
        DocType.inspection, None, ids(1, 3),
        {"1": (2, "The practice response to children aged 16")},
    ),
    "inspections/oxfordshire-children-services-and-lscb-review-2014.pdf": (
        DocType.inspection, None, ids(14, 23) + ids(109, 113),
        {"14": (5, "Undertake a review of all children"),
         "109": (26, "Increase the influence of the Board")},
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def parser() -> StructureParser:
    return StructureParser(load_gazetteer(SAMPLE_AGENCIES))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_register_of_a_real_report(parser, name):
    doc_type, review, expected_ids, texts = EXPECTED[name]
    doc = parser.parse(read_document(SAMPLES / name))
    assert doc.doc_type == doc_type
    if review:
        assert doc.review == review
    assert [r.rec_id for r in doc.recommendations] == expected_ids
    by_id = {r.rec_id: r for r in doc.recommendations}
    for rec_id, (page, words) in texts.items():
        assert by_id[rec_id].page == page
        assert " ".join(by_id[rec_id].text.split()).startswith(words)
    assert all(len(r.text.split()) >= 4 for r in doc.recommendations)
    assert not doc.check.doubtful, doc.check.problems


def test_a_summary_whose_recommendations_are_marked_by_type_style(parser):
    """The summary numbers conclusions and recommendations together (1-79) and sets the 40
    recommendations in italics; the response answers "Recommendation 1" to "40"."""
    doc = parser.parse(
        read_document(SAMPLES / "inquiry-reports/space-economy-committee-report.pdf")
    )
    assert doc.review == "The Space Economy: Act Now or Lose Out"
    assert [r.rec_id for r in doc.recommendations] == ids(1, 40)
    texts = [" ".join(r.text.split()) for r in doc.recommendations]
    assert texts[0].startswith("We acknowledge that the current fiscal")
    assert texts[1].startswith("Like AI, space technology is a utility")
    assert texts[38].startswith("We commend the Government’s leadership in the development of ADR")
    assert texts[39].startswith("Ensuring access to finite radio spectrum should be a priority")
    assert all("not numbered" in (r.numbered_as or "") for r in doc.recommendations)
