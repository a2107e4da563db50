"""The parser on synthetic documents built around the traps real documents set."""

from __future__ import annotations

from pathlib import Path

from review_assistant.ingest.readers import read_document
from review_assistant.ingest.recids import normalise as normalise_rec_id
from review_assistant.ingest.structure import StructureParser
from tests.support.parsing import HEAD, parse_text, recs


def test_contents_page_listing_every_heading_is_not_taken_for_recommendations():
    doc = parse_text(
        HEAD
        + """Contents
Recommendation 1: Information sharing .......... 3
Recommendation 2: Supervision .......... 4
Recommendation 3: Training .......... 5

Recommendation 1: Information sharing
Agencies should share information about unborn babies at the earliest point.

Northshire Police: The force has issued new guidance to officers.

Recommendation 2: Supervision
All agencies should ensure that practitioners receive reflective supervision.

UHSFT: Supervision is now offered monthly to all midwives.

Recommendation 3: Training
The partnership should commission training on professional curiosity.

The partnership has commissioned a training provider for 2025.
"""
    )
    found = recs(doc)
    assert list(found) == ["1", "2", "3"]
    assert found["1"].title == "Information sharing"
    assert found["1"].text == (
        "Agencies should share information about unborn babies at the earliest point."
    )
    assert found["1"].agencies == ["Northshire Police"]  # unknown bodies are kept
    assert found["2"].agencies == ["University Hospital Southampton NHS Foundation Trust"]
    assert found["3"].agencies == ["Northshire Safeguarding Children Partnership"]
    assert found["3"].responses[0].text.startswith("The partnership has commissioned")


def test_contents_page_without_page_numbers():
    doc = parse_text(
        HEAD
        + """Recommendation 1
Recommendation 2

Recommendation 1
Agencies should share information about unborn babies.

The police have changed their guidance.

Recommendation 2
Practitioners should receive supervision.

Supervision is now monthly.
"""
    )
    assert list(recs(doc)) == ["1", "2"]
    assert recs(doc)["2"].text == "Practitioners should receive supervision."


def test_cross_reference_inside_a_response_is_not_a_heading():
    doc = parse_text(
        HEAD
        + """Recommendation 4
The Department should publish its audit of case reviews.

The Department accepts this recommendation. As set out in our response to
recommendation 5 of the Second Interim Report, the audit will be published in 2025.

Recommendation 5 of the Second Interim Report has already been implemented.

Recommendation 5
Schools should keep safeguarding records for siblings together.

Education: the guidance for schools now says so.
"""
    )
    found = recs(doc)
    assert list(found) == ["4", "5"]
    response = " ".join(r.text for r in found["4"].responses)
    assert "recommendation 5 of the Second Interim Report, the audit" in response
    assert "has already been implemented" in response
    assert found["5"].text == "Schools should keep safeguarding records for siblings together."


def test_heading_split_across_a_page_break():
    doc = parse_text(
        HEAD
        + """Recommendation 1
Agencies should record the details of fathers.

Children's Services now records fathers' details in every referral.

Recommendation\f7
All agencies should check that every baby is registered with a GP by six weeks.

The CCG will keep a log of births.
"""
    )
    found = recs(doc)
    assert list(found) == ["1", "7"]
    assert found["7"].text.startswith("All agencies should check")
    assert found["7"].page == 2
    assert found["7"].agencies == ["Clinical Commissioning Group (CCG)"]


def test_several_recommendations_answered_by_one_shared_response():
    doc = parse_text(
        HEAD
        + """Recommendation 6
Schools should record concerns about siblings on each child's file.

Recommendation 7
Schools should share concerns with the school of each sibling.

Response to recommendations 6 and 7
Education: Guidance for schools has been updated to cover both recommendations.

Recommendation 8
The partnership should audit the changes.

The audit is planned for 2026.
"""
    )
    found = recs(doc)
    assert list(found) == ["6", "7", "8"]
    assert found["6"].shared_with == ["7"] and found["7"].shared_with == ["6"]
    assert found["6"].responses == found["7"].responses
    assert found["6"].agencies == ["Education"]
    assert found["8"].shared_with == []
    assert [r.text for r in found["8"].responses] == ["The audit is planned for 2026."]


def test_agency_label_styles_and_paragraph_openings():
    doc = parse_text(
        HEAD
        + """Recommendation 3
All agencies should improve the recording of unseen men in the household.

UHSFT: Midwives now ask about every adult living in the home.

- **Solent NHS Trust** will deliver training on professional curiosity.

Hampshire Constabulary has updated its domestic abuse policy.
The constabulary now shares every notification with the MASH.

The Northshire Youth Offending Service has reviewed its procedures.
"""
    )
    rec = recs(doc)["3"]
    by_agency = {r.agency: r.text for r in rec.responses}
    assert set(by_agency) == {
        "University Hospital Southampton NHS Foundation Trust",
        "Solent NHS Trust",
        "Hampshire Constabulary",
        "Northshire Youth Offending Service",
    }
    assert by_agency["Hampshire Constabulary"].endswith("every notification with the MASH.")
    assert by_agency["Solent NHS Trust"].startswith("- Solent NHS Trust will deliver")


def test_aliases_resolve_to_one_agency():
    doc = parse_text(
        HEAD
        + """Recommendation 2
Health agencies should review their supervision.

The CCG will review supervision in primary care.

Clinical Commissioning Group colleagues have written to every GP practice.

SHFT: The trust has revised its policy.
"""
    )
    assert recs(doc)["2"].agencies == [
        "Clinical Commissioning Group (CCG)",
        "Southern Health NHS Foundation Trust",
    ]


def test_markdown_headings_with_sub_parts_and_titles():
    doc = parse_text(
        HEAD
        + """### **Recommendation 2**

- (a) Agencies are to be reminded to document the history of fathers.**
- (b) Research on teenage relationships should be disseminated.**
- (c) Police to continue to use the DASH risk assessment.**

Hampshire Constabulary continues to use DASH for everyone over 16.

Recommendation 5: Substance misuse
Training should cover the risk of cannabis use to babies.

Training now covers cannabis.
"""
    )
    found = recs(doc)
    assert [p.label for p in found["2"].parts] == ["a", "b", "c"]
    assert found["2"].parts[2].text == "Police to continue to use the DASH risk assessment."
    assert found["2"].agencies == ["Hampshire Constabulary"]
    assert found["5"].title == "Substance misuse"
    assert found["5"].text == "Training should cover the risk of cannabis use to babies."


def test_numbered_recommendations_under_a_label_and_unusual_ids():
    doc = parse_text(
        """Government Response to the Committee Report on Children's Social Care

Committee Recommendation
8.32 We recommend that the Government publish targets for reducing care placements.

The Government does not agree that targets are appropriate.

Committee Recommendation
8.33 We recommend that the Department for Education reviews its guidance.
8.34 We further recommend that the review involves care leavers.

The Department for Education will review its guidance in 2026.

Recommendation 4a) i. Local authorities should publish their sufficiency plans.

Local authorities will publish plans annually.
"""
    )
    found = recs(doc)
    assert list(found) == ["8.32", "8.33", "8.34", "4a.i"]
    assert found["8.33"].shared_with == ["8.34"]
    assert found["8.34"].agencies == ["Department for Education (DfE)"]
    assert found["8.32"].agencies == ["HM Government"]
    assert found["4a.i"].text == "Local authorities should publish their sufficiency plans."


def test_rec_id_normalisation():
    assert normalise_rec_id("1 a") == "1a"
    assert normalise_rec_id("4a) i.") == "4a.i"
    assert normalise_rec_id("8.33.") == "8.33"
    assert normalise_rec_id("7") == "7"


def test_one_word_per_line_text_is_reflowed(tmp_path: Path):
    body = (
        "Recommendation 1\nThe partnership should audit referrals from schools every year.\n\n"
        "Education: Schools have started the audit and will report in March 2025.\n"
    )
    fragmented = "\n".join(word for word in (HEAD + body).split())
    path = tmp_path / "fragmented.txt"
    path.write_text(fragmented)
    doc = StructureParser().parse(read_document(path))
    found = recs(doc)
    assert list(found) == ["1"]
    assert "audit referrals from schools every year" in found["1"].text
    assert doc.review == "Child Q"


def test_numbered_list_under_a_recommendations_heading():
    doc = parse_text(
        HEAD
        + """Recommendations
1. The partnership should audit referrals from schools.
2. Schools should record concerns about siblings.
3. Police should share every notification with the MASH.

The partnership accepts all three recommendations and will report on them in 2025.

Hampshire Constabulary now shares every notification.
"""
    )
    found = recs(doc)
    assert list(found) == ["1", "2", "3"]
    assert found["2"].text == "Schools should record concerns about siblings."
    assert found["1"].shared_with == ["2", "3"]
    assert found["3"].agencies == [
        "Hampshire Constabulary",
        "Northshire Safeguarding Children Partnership",
    ]


def test_recommendations_numbered_in_words():
    doc = parse_text(
        HEAD
        + """Recommendation One: Information sharing
Agencies should share information about unborn babies.

The CCG has written to every GP practice.

Recommendation Two
Practitioners should receive reflective supervision.

Solent NHS Trust now offers monthly supervision.
"""
    )
    found = recs(doc)
    assert list(found) == ["1", "2"]
    assert found["1"].title == "Information sharing"
    assert found["2"].agencies == ["Solent NHS Trust"]


def test_a_practice_review_response_of_another_shape():
    """Themes, dotted numbers, a contents page, agencies as bullets the gazetteer never heard of."""
    doc = parse_text(
        """Westshire Safeguarding Children Partnership

Local Child Safeguarding Practice Review: Child R

This review was commissioned in 2022 after the death of a baby, known as Child R.

Contents
Recommendation 1.1 ........ 3
Recommendation 1.2 ........ 4

Theme 1: Safe sleep

Recommendation 1.1
The Partnership should ensure that safe sleep advice is given at every health visitor contact.

• Health Visiting Service: Safe sleep is now on every contact (completed January 2024).
• Westshire Hospitals NHS Trust: Midwives will give safe sleep advice by June 2024.

Recommendation 1.2
Safe sleep guidance should address co-sleeping when parents have used alcohol.

The Partnership has updated its safe sleep guidance.
"""
    )
    assert (
        doc.review == "Child R" and doc.partnership == "Westshire Safeguarding Children Partnership"
    )
    found = recs(doc)
    assert list(found) == ["1.1", "1.2"]
    by_agency = {r.agency: r for r in found["1.1"].responses}
    assert set(by_agency) == {"Health Visiting Service", "Westshire Hospitals NHS Trust"}
    assert by_agency["Health Visiting Service"].status == "completed"
    assert by_agency["Westshire Hospitals NHS Trust"].status == "planned"
    assert by_agency["Westshire Hospitals NHS Trust"].deadline == "2024-06"
    assert found["1.2"].agencies == ["Westshire Safeguarding Children Partnership"]
