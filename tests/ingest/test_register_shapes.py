"""One recommendation per printed id, whatever else repeats it: synthetic documents for each
shape that used to invent, split or lose recommendations (contents pages with wrapped
entries, front summary tables of statuses, annexes repeating the list, ranges of ids,
statuses given per administration)."""

from __future__ import annotations

from tests.support.parsing import HEAD, parse_text, recs

BODY = """Recommendation 1: Information sharing between agencies about unborn babies
Agencies should share information about unborn babies at the earliest point.

Northshire Police: The force has issued new guidance to officers.

Recommendation 2: Supervision of practitioners working with families
All agencies should ensure that practitioners receive reflective supervision.

Northshire Council: Supervision is now offered monthly to all social workers.

Recommendation 3: Training
The partnership should commission training on professional curiosity.

The partnership has commissioned a training provider for 2025.
"""


def assert_one_each(doc, ids):
    found = recs(doc)
    assert list(found) == ids
    assert not doc.check.doubtful, doc.check.problems
    return found


def test_contents_entries_whose_title_and_leaders_wrap_onto_the_next_line():
    doc = parse_text(
        HEAD
        + """Contents
1. Introduction .......... 2
Recommendation 1: Information sharing between agencies about
unborn babies
.......... 3
Recommendation 2: Supervision of practitioners working with
families .......... 4
Recommendation 3: Training .......... 5
\f"""
        + BODY
    )
    found = assert_one_each(doc, ["1", "2", "3"])
    assert found["1"].text.startswith("Agencies should share information")
    assert found["2"].page == 2 and "...." not in found["2"].text
    assert found["1"].agencies == ["Northshire Police"]


def test_a_front_table_of_statuses_gives_statuses_not_recommendations():
    doc = parse_text(
        HEAD
        + """Summary of responses

Recommendation 1 Accepted in full
Recommendation 2 Accepted in part
Recommendation 3 Not accepted

"""
        + BODY.replace("The partnership has commissioned", "The partnership considers that")
    )
    found = assert_one_each(doc, ["1", "2", "3"])
    assert found["1"].text.startswith("Agencies should share information")
    assert found["1"].shared_with == [] and found["2"].shared_with == []
    statuses = {rec_id: {r.status for r in rec.responses} for rec_id, rec in found.items()}
    assert "accepted" in statuses["1"]
    assert "accepted in part" in statuses["2"]
    assert "rejected" in statuses["3"]
    summary_row = next(r for r in found["2"].responses if r.status == "accepted in part")
    assert doc.text[summary_row.start : summary_row.end].strip().endswith("Accepted in part")
    # the agencies' own responses are still theirs
    assert "Northshire Council" in found["2"].agencies


def test_an_annex_repeating_the_recommendations_points_to_them():
    doc = parse_text(
        HEAD
        + BODY
        + """\fAnnex A: the recommendations of the review

Recommendation 1
Agencies should share information about unborn babies at the earliest point.

Recommendation 2
All agencies should ensure that practitioners receive reflective supervision.

Recommendation 3
The partnership should commission training on professional curiosity.
"""
    )
    found = assert_one_each(doc, ["1", "2", "3"])
    assert all(rec.page == 1 for rec in found.values())
    annex_start = doc.text.index("Annex A")
    annex_blocks = [b for b in doc.blocks if b.start > annex_start and b.rec_id]
    assert {b.rec_id for b in annex_blocks} == {"1", "2", "3"}  # searchable by their id


def test_a_range_heading_over_items_labelled_by_id():
    doc = parse_text(
        HEAD
        + """Recommendation 7a
Health visitors should see every baby at home within 14 days of birth.

Northshire Healthcare NHS Trust: All new birth visits are now made at home.

Recommendations 7b-7d
7b) GP practices should register newborn babies promptly.
7c) GP practices should check the registration of siblings.
7d) The ICB should audit registrations each year.

Northshire ICB: An audit of registrations was completed in March 2025.

Recommendation 8
The partnership should review the effect of these changes.

The review is planned for 2026.
"""
    )
    found = assert_one_each(doc, ["7a", "7b", "7c", "7d", "8"])
    assert found["7c"].text == "GP practices should check the registration of siblings."
    assert found["7b"].shared_with == ["7c", "7d"]
    assert found["7d"].responses == found["7b"].responses
    assert found["7d"].responses[0].text.startswith("Northshire ICB: An audit")
    assert found["7a"].agencies == ["Northshire Healthcare NHS Trust"]


def test_a_range_heading_whose_ids_share_one_text():
    doc = parse_text(
        HEAD
        + """Recommendations 1 to 3: Training
All agencies should train their staff in professional curiosity.

The partnership has commissioned training for all agencies.

Recommendation 4
The partnership should audit the training.

The audit is planned for 2026.
"""
    )
    found = assert_one_each(doc, ["1", "2", "3", "4"])
    assert (
        found["2"].text
        == found["1"].text
        == ("All agencies should train their staff in professional curiosity.")
    )
    assert found["3"].shared_with == ["1", "2"] and found["4"].shared_with == []
    assert found["2"].responses[0].text.startswith("The partnership has commissioned")


def test_roman_sub_recommendations_and_statuses_per_administration():
    doc = parse_text(
        """Government response to the Inquiry into Child Protection

This document sets out the response of the UK Government, the Scottish Government and the
Welsh Government to the inquiry's recommendations.

Recommendation 4a(i)
Each administration should publish guidance on information sharing.

UK Government: Accepted in full. Guidance was published in 2024.
Scottish Government: Accepted in part. Guidance will be revised.
Welsh Government: Noted.

Recommendations 4a(iv)-(v)
(iv) Each administration should fund training for staff.
(v) Each administration should evaluate that training.

UK Government: Accepted in principle.
Scottish Government: Under consideration.
"""
    )
    found = assert_one_each(doc, ["4a.i", "4a.iv", "4a.v"])
    statuses = {r.agency: r.status for r in found["4a.i"].responses}
    assert statuses == {
        "HM Government": "accepted",
        "Scottish Government": "accepted in part",
        "Welsh Government": "noted",
    }
    assert found["4a.v"].text == "Each administration should evaluate that training."
    assert {r.status for r in found["4a.v"].responses} == {
        "accepted in principle",
        "under consideration",
    }


def test_a_real_repeat_with_other_words_is_kept_and_says_why():
    doc = parse_text(
        HEAD
        + """Recommendation 1
Agencies should share information about unborn babies.

The police have changed their guidance.

Recommendation 1
Schools should record concerns about siblings on each child's file.

Guidance for schools has been updated.
"""
    )
    found = recs(doc)
    assert len(found) == 2
    second = list(found.values())[1]
    assert second.text.startswith("Schools should record")
    assert second.numbered_as and "numbered 1 in the source" in second.numbered_as


def test_ids_written_r1_r2_as_labels():
    doc = parse_text(
        HEAD
        + """R1: Information sharing
Agencies should share information about unborn babies at the earliest point.

Northshire Police: The force has issued new guidance to officers.

R2 – Supervision
All agencies should ensure that practitioners receive reflective supervision.

Northshire Council: Supervision is now offered monthly.

The R2 route was closed, and R3 staff were told.
"""
    )
    found = assert_one_each(doc, ["1", "2"])
    assert found["2"].text.startswith("All agencies should ensure")
    assert found["2"].agencies == ["Northshire Council"]


def test_a_list_of_recommendations_answered_by_a_list_numbered_the_same_way():
    doc = parse_text(
        HEAD
        + """Recommendations

1. Agencies should share information about unborn babies at the earliest point.
2. All agencies should ensure that practitioners receive reflective supervision.
3. The partnership should commission training on professional curiosity.

Responses

1. The police have issued new guidance to officers.
2. Supervision is now offered monthly.
3. Training has been commissioned.
"""
    )
    found = assert_one_each(doc, ["1", "2", "3"])
    assert [r.text for r in found["2"].responses] == ["2. Supervision is now offered monthly."]
    assert found["3"].responses[0].text == "3. Training has been commissioned."
    assert found["1"].shared_with == [] and found["3"].shared_with == []
    assert found["2"].group_key == "1, 2, 3"  # the key its passages carry


def test_recommendations_listed_in_full_then_repeated_as_headings_over_their_answers():
    doc = parse_text(
        HEAD
        + """Summary of recommendations

Recommendation 1: Agencies should share information about unborn babies at the earliest point.
Recommendation 2: All agencies should ensure that practitioners receive reflective supervision.

Responses to the recommendations

Recommendation 1
Northshire Police: The force has issued new guidance to officers.

Recommendation 2
Northshire Council: Supervision is now offered monthly.
"""
    )
    found = assert_one_each(doc, ["1", "2"])
    assert found["1"].text == (
        "Agencies should share information about unborn babies at the earliest point."
    )
    assert found["1"].agencies == ["Northshire Police"]
    assert found["2"].responses[0].text == "Northshire Council: Supervision is now offered monthly."
