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
