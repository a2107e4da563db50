"""Full reports and inspections: where their recommendations are and what they are called.

Each document is written here in the shape of its genre (not copied from a sample): a report
with a chapter of numbered conclusions and recommendations grouped under subheadings, an
inspection with a short numbered improvement list followed by numbered narrative, and an
inspection whose improvements are an unnumbered list.
"""

from __future__ import annotations

import hashlib

from review_assistant.ingest.normalize import assemble
from review_assistant.ingest.structure import StructureParser
from review_assistant.ingest.types import DocType, RawDocument

FILLER = "The committee heard evidence from many witnesses over several months. " * 4


def parse(text: str):
    canonical, pages, emphasis = assemble([(page, False) for page in text.split("\f")])
    raw = RawDocument(
        file_name="doc.txt", sha256=hashlib.sha256(text.encode()).hexdigest(),
        source_format="text", text=canonical, pages=pages, emphasis=emphasis,
    )  # fmt: skip
    return StructureParser().parse(raw)


REPORT = f"""HOUSE OF LORDS

Select Committee on Public Services

3rd Report of Session 2031–32

Children in Temporary Housing

Ordered to be printed 1 March 2032 and published 8 March 2032

Contents
Chapter 6: Conclusions and recommendations 52

Chapter 2: The evidence

2.1 {FILLER}

2.2 We recommend that councils record every child placed in temporary housing (paragraph 6.2).
\f
CHAPTER 6: CONCLUSIONS AND RECOMMENDATIONS

Counting the children (Chapter 2)

6.1. No department knows how many children live in temporary housing, which is a failure
of basic oversight (paragraph 2.1).

6.2.We recommend that councils record every child placed in temporary housing and report
the numbers each quarter (paragraph 2.2).

Health and schooling (Chapter 3)

Registration with a GP
6.3. Health visitors should check GP registration at every move (paragraph 3.4).

6.4. The Department should publish guidance on school places for children who move
between boroughs, and should do so within a year (paragraph 3.9).

Appendix 1: List of members

1. Lord Example (Chair)
"""


def test_a_reports_numbered_conclusions_and_recommendations():
    doc = parse(REPORT)
    assert doc.doc_type == DocType.review_report
    assert doc.title == "Children in Temporary Housing" == doc.review
    assert [r.rec_id for r in doc.recommendations] == ["6.1", "6.2", "6.3", "6.4"]
    assert doc.recommendations[1].text.startswith("We recommend that councils record")
    assert doc.recommendations[2].text.startswith("Health visitors should check")
    assert all(not r.responses for r in doc.recommendations)  # a report answers nothing
    assert not doc.check.doubtful


INSPECTION = f"""Westvale Council

Inspection of services for children in need of help and protection

Inspection date: 3 March 2031 – 20 March 2031

Contents
What does the local authority need to improve? 4

Summary of findings

1. {FILLER}

What does the local authority need to improve?

Areas for improvement

14. Ensure that every child subject to a child protection plan is seen alone.

The quality of plans

15. Strengthen management oversight so that plans are reviewed within timescales.

Key strengths and weaknesses

16. The local authority has a stable workforce and caseloads are manageable. {FILLER}

17. Senior leaders know their services well. {FILLER}
"""


def test_an_inspections_improvements_stop_where_the_narrative_resumes():
    doc = parse(INSPECTION)
    assert doc.doc_type == DocType.inspection
    assert [r.rec_id for r in doc.recommendations] == ["14", "15"]
    assert doc.recommendations[1].text.startswith("Strengthen management oversight")


UNNUMBERED = """Inspection of Eastmoor local authority children's services

Inspection dates: 5 to 16 May 2031

What needs to improve?

◼ The response to children aged 16 and 17 who present as homeless.
◼ The timeliness of assessments for disabled children.
◼ Support for children placed with family and friends carers.

The experiences and progress of children who need help and protection: good

1. Children and families benefit from early help. The service is well established.
"""


def test_unnumbered_improvements_are_numbered_in_order_and_marked():
    doc = parse(UNNUMBERED)
    assert [r.rec_id for r in doc.recommendations] == ["1", "2", "3"]
    assert doc.recommendations[0].text.startswith("The response to children aged 16")
    assert all(r.numbered_as and "not numbered" in r.numbered_as for r in doc.recommendations)


OMBUDSMAN = """Local Government and Social Care Ombudsman

Report on an investigation into a complaint about Westvale Council

Summary

The council delayed its assessment of a child's needs for eight months.

Finding

Fault causing injustice.

Recommendations

The Ombudsman recommended that the council apologise to Mrs B and pay her £500 for the
distress its delay caused.

We recommend that the council review its procedures so that assessments are completed within
the statutory timescale, and report the outcome to the Ombudsman within three months.

The council should also train its staff on the new procedure. We further recommend that the
council share this report with its scrutiny committee.
"""


def test_recommendations_made_in_prose_are_found_and_numbered_in_order():
    doc = parse(OMBUDSMAN)
    found = doc.recommendations
    assert [r.rec_id for r in found] == ["1", "2", "3"]
    texts = [" ".join(r.text.split()) for r in found]
    assert texts[0].startswith("The Ombudsman recommended that the council apologise")
    assert texts[1].startswith("We recommend that the council review its procedures")
    assert texts[2].startswith("We further recommend that the council share this report")
    assert all("in order" in (r.numbered_as or "") for r in found)


TAGGED = f"""House of Commons

Committee on Public Services

Children in Temporary Housing

Fourth Report of Session 2031–32

This report, together with formal minutes relating to the report, was ordered by the House
of Commons to be printed.

Contents
Conclusions and recommendations 9
Formal minutes 11

{FILLER}

Conclusions and recommendations

1. Councils have placed families in rooms without cooking facilities for months at a time.
(Conclusion, Paragraph 6)

2. The Government should publish the number of children in such rooms every quarter.
(Recommendation, Paragraph 7)

3. Schools were not told when a pupil moved into temporary housing. (Conclusion, Paragraph 12)

4. Councils must tell a child's school within five days of placing the family.
(Recommendation, Paragraph 13)

Formal minutes

{FILLER}
"""


def test_a_list_that_tags_its_conclusions_keeps_only_its_recommendations():
    # a committee's report mentions its "formal minutes" and is not minutes for it
    doc = parse(TAGGED)
    assert doc.doc_type == DocType.review_report
    assert [r.rec_id for r in doc.recommendations] == ["2", "4"]
    assert doc.recommendations[0].text.startswith("The Government should publish")
