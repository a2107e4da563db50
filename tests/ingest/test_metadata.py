"""Document facts from a document's opening: title, review name, partnership, type, date."""

from __future__ import annotations

import pytest

from review_assistant.ingest.metadata import document_facts, slug
from review_assistant.ingest.types import DocType

RESPONSE = """Eastvale Safeguarding Children Partnership

Response to the Child Safeguarding Practice Review of Child T

Published 14 March 2023

This document sets out the partnership response to the recommendations.
"""

MINUTES = """Eastvale Scrutiny Panel

Minutes of the meeting held on 5 June 2024

Apologies: none.

The panel noted progress on the Child T review.
"""


def test_a_partnership_response():
    facts = document_facts(RESPONSE)
    assert facts.review == "Child T"
    assert facts.partnership == "Eastvale Safeguarding Children Partnership"
    assert facts.doc_type == DocType.partnership_response
    assert facts.date == "2023-03-14"


def test_a_deadline_later_in_the_text_is_not_the_documents_date():
    text = RESPONSE + "\nThe protocol will be revised by March 2027.\n" + "Filler. " * 300
    text += "\nA later review is due in 2029 and the audit by 1 April 2028.\n"
    assert document_facts(text).date == "2023-03-14"


def test_minutes_are_dated_by_their_meeting():
    facts = document_facts(MINUTES + "\nThe next review is due in January 2026.\n")
    assert facts.doc_type == DocType.minutes
    assert facts.date == "2024-06-05"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Child T", "child-t"), ("Thematic Review – Neglect", "thematic-review-neglect"),
     ("Children’s Services", "childrens-services")],
)  # fmt: skip
def test_slug(value, expected):
    assert slug(value) == expected


@pytest.mark.parametrize(
    ("text", "review"),
    [
        ("Westshire County Council\n\nInspection of services for children in need of help and\n"
         "protection, children looked after and care leavers\n\nInspection dates: 1 May 2019\n",
         "Westshire children's services inspection"),
        ("Inspection of Eastmoor local authority\n\nchildren’s services\n\n"
         "Inspection dates: 7 to 18 November 2022\n",
         "Eastmoor children’s services inspection"),
        ("Northgate Borough Council\n\nInspection of the youth offending service\n\nDates: 2019\n",
         "Northgate youth offending service inspection"),
        ("UK Government Response to the Riverside Tower Inquiry Phase 3 Report\n\nUK Government\n\n"
         "The government accepts every recommendation.\n", "Riverside Tower Inquiry Phase 3"),
        ("Coastal flooding and young people\n\nThird Report of Session 2023–24\n\nHC 12\n\n"
         "The committee found gaps.\n", "Coastal flooding and young people"),
        ("Coastal flooding and young people: Government Response\n\n"
         "First Special Report of Session 2023–24\n\nThe government agrees.\n",
         "Coastal flooding and young people"),
    ],
)  # fmt: skip
def test_a_review_is_named_by_its_subject_not_its_subtitle(text, review):
    assert document_facts(text).review == review


LETTER = """Regulator House
1 High Street
T 0300 000 0000

8 August 2018

Ms A Smith
Northgate Council

Dear Ms Smith,

Focused visit to Northgate children’s services

This letter summarises the findings of a focused visit to Northgate children’s services.
"""


def test_a_letter_is_titled_by_its_subject_line_not_its_address_block():
    facts = document_facts(LETTER)
    assert facts.title == "Focused visit to Northgate children’s services"
    assert facts.review == "Northgate children’s services focused visit"


def test_a_title_set_over_several_lines_reads_as_one():
    text = "Northshire Inquiry\n\nModule 4:\n\nCare of children and\n\nfamilies in crisis\n\n"
    text += "A report by the Chair.\n"
    assert document_facts(text).title == (
        "Northshire Inquiry — Module 4: Care of children and families in crisis"
    )
