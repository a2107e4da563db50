"""Lists of recommendations in the shapes a held-out document taught: labels without ids,
items without numbers after a lead-in, a list that ends at a heading in its own type, a
cross-reference wrapped onto a line of its own, a title wrapped onto a second line, a
contents entry that names the recommendations, an annex repeating answered
recommendations; and the whole-list decisions of the scorer. Synthetic documents only."""

from __future__ import annotations

import numpy as np

from review_assistant.ingest.candidates import find_headings
from review_assistant.ingest.features import Candidate
from review_assistant.ingest.headings import Heading
from review_assistant.ingest.paragraphs import Paragraph
from review_assistant.ingest.scoring import _complete_series, _keep_lists
from tests.support.parsing import HEAD, parse_text, recs


def paragraphs(*texts: str) -> list[Paragraph]:
    out, start = [], 0
    for text in texts:
        out.append(Paragraph(start, start + len(text), text, bullet=text.startswith("- ")))
        start += len(text) + 2
    return out


def test_labels_without_ids_under_numbered_themes_are_numbered_in_order():
    doc = parse_text(
        """Northshire Select Committee

Government response to the committee's report on local policing

Recommendations

1. Local policing

Recommendation: The Government should publish its plan for neighbourhood officers.

Response:

The Government will publish the plan in the spring.

2. Funding of forces

Recommendation: The Government should release funding to cover the costs of the operation.

Response:

Funding was released to every force in the autumn.

Recommendation: We recommend that the Government reviews the funding formula.

Response:

The review of the formula has begun.
"""
    )
    found = recs(doc)
    assert list(found) == ["1", "2", "3"]
    assert found["1"].text.startswith("The Government should publish its plan")
    assert found["3"].text.startswith("We recommend that the Government reviews")


def test_a_reference_wrapped_onto_a_line_of_its_own_is_no_heading():
    paras = paragraphs(
        "Recommendation 1: Plans for emergencies",
        "The council should keep a plan for each kind of emergency.",
        "The plans should be tested each year (see the earlier report,",
        "Recommendation 4), so that each agency knows its part in them.",
        "Recommendation 2: Exercises",
        "The council should run an exercise with its partners every year.",
    )
    headings = find_headings(paras, set())
    assert sorted(h.rec_id for h in headings.values()) == ["1", "2"]


def test_unmarked_items_after_a_lead_in_under_a_section_naming_them():
    paras = paragraphs(
        "Specific recommendations",
        "The full report sets out each recommendation with the reasons for it.",
        "The recommendations include:",
        "Improving the planning for those most at risk in an emergency.",
        "Broadening the membership of the advisory group to every region.",
        "Ensuring that decisions are explained clearly to the public.",
        "The chair expects the recommendations to be acted upon within a year.",
    )
    headings = find_headings(paras, {0})
    assert sorted(headings) == [3, 4, 5]
    assert headings[3].rest.startswith("Improving the planning")
    assert all(h.assigned for h in headings.values())


def test_items_after_a_lead_in_that_open_in_different_ways_are_no_list():
    paras = paragraphs(
        "Specific recommendations",
        "The recommendations include:",
        "Improving the planning for those most at risk in an emergency.",
        "The chair expects the recommendations to be acted upon within a year.",
    )
    assert find_headings(paras, {0}) == {}


IMPROVE = paragraphs(
    "What does the council need to improve?",
    "Areas for improvement",
    "Practice",
    "1. Ensure that every assessment is completed within the timescale set.",
    "2. Review all plans for children who have waited more than a year.",
    "Leadership and governance",
    "3. Working with the board, ensure that partners apply the thresholds.",
    "The council's strengths",
    "4. The council has a good understanding of the need to develop its services.",
    "5. Young people are encouraged to stay with their carers after the age of 18.",
)


def test_a_heading_in_the_list_headings_type_ends_the_list_unless_it_instructs():
    headings = find_headings(IMPROVE, {0, 1, 7})
    assert sorted(h.rec_id for h in headings.values()) == ["1", "2", "3"]


def test_a_plain_subheading_groups_the_list_while_its_numbering_goes_on():
    headings = find_headings(IMPROVE, {0, 1, 7})
    assert headings[6].rest.startswith("Working with the board")


def test_without_typefaces_the_list_ends_where_nothing_follows_that_instructs():
    headings = find_headings(IMPROVE, set())
    assert "4" not in {h.rec_id for h in headings.values()}


def test_a_contents_entry_naming_the_recommendations_opens_no_list():
    paras = paragraphs(
        "Contents",
        "Summary",
        "1 Introduction and overview",
        "Conclusions and recommendations",
        "Formal minutes",
        "1. The inquiry heard from the police and from the council.",
        "2. The committee visited three towns.",
    )
    assert find_headings(paras, {0, 1, 2, 3, 4}) == {}


def test_headings_naming_priority_actions_open_their_lists_of_bullets():
    doc = parse_text(
        """Northshire Children's Services

Focused visit to the council's children's services

**Areas for priority action**

The council needs to take swift and decisive action in the following areas:

- The timeliness of visits to children at risk of harm.

- The quality of planning for children in need of protection.

**What needs to improve in this area of practice**

- The size of caseloads for social workers in the assessment teams.

- The quality of supervision for newly qualified social workers.

**Findings**

- Thresholds are not well understood by partner agencies in the area.
"""
    )
    found = recs(doc)
    assert list(found) == ["1", "2", "3", "4"]
    assert found["3"].text.startswith("The size of caseloads")


def test_a_title_wrapped_onto_a_second_line_stays_the_title():
    doc = parse_text(
        HEAD
        + """Recommendation 1: Attendance of the regional members
at the advisory meetings
The advisory group should invite each region to name a member who attends its meetings.

Recommendation 2: Register of experts
The advisory group should keep a register of experts willing to take part.
"""
    )
    found = recs(doc)
    assert found["1"].title == "Attendance of the regional members at the advisory meetings"
    assert found["1"].text.startswith("The advisory group should invite each region")


def test_a_title_left_open_on_a_little_word_goes_on_to_a_capitalised_line():
    doc = parse_text(
        HEAD
        + """Recommendation 1: Amendment of the members' code in
Northshire
The executive office should amend the code to impose a duty of confidentiality on members.

Recommendation 2: Register of experts
The advisory group should keep a register of experts willing to take part.
"""
    )
    found = recs(doc)
    assert found["1"].title == "Amendment of the members' code in Northshire"
    assert found["1"].text.startswith("The executive office should amend the code")
    assert found["2"].title == "Register of experts"


def test_a_sentence_wrapping_on_from_the_heading_is_the_text_not_a_title():
    doc = parse_text(
        HEAD
        + """Recommendation 1: That the council bring together under one service all
the functions relating to school transport to which we have referred. (12.3)
The council accepts this recommendation.

Recommendation 2: That every school name a safeguarding lead. (12.4)
The council accepts this recommendation.
"""
    )
    found = recs(doc)
    assert found["1"].title is None
    assert " ".join(found["1"].text.split()).startswith(
        "That the council bring together under one service all the functions"
    )


def test_an_annex_repeating_answered_recommendations_gives_one_each_with_its_answers():
    doc = parse_text(
        HEAD
        + """Recommendation 1: Information sharing
Agencies should share information about unborn babies at the earliest point.

Northshire Police: The force has issued new guidance to officers.

Recommendation 2: Supervision
All agencies should ensure that practitioners receive reflective supervision.

Northshire Council: Supervision is now offered monthly to all social workers.

\fAnnex: list of recommendations

Recommendation 1: Information sharing
Agencies should share information about unborn babies at the earliest point.

The partnership will audit the sharing of information next year.

Recommendation 2: Supervision
All agencies should ensure that practitioners receive reflective supervision.
"""
    )
    found = recs(doc)
    assert list(found) == ["1", "2"]
    answers = " ".join(r.text for r in found["1"].responses)
    assert "audit the sharing" in answers and "new guidance" in answers


def candidate(index: int, rec_id: str, source: str, assigned: bool = False) -> Candidate:
    heading = Heading(index, rec_id, f"Recommendation {rec_id}", "", 0, source=source,
                      assigned=assigned)  # fmt: skip
    return Candidate(heading, {})


def test_a_doubted_heading_is_kept_when_the_next_of_its_series_is():
    found = [candidate(1, "1a", "labelled"), candidate(5, "1b", "labelled"),
             candidate(9, "7", "labelled")]  # fmt: skip
    keep = [False, True, False]
    _complete_series(found, np.asarray([0.2, 0.7, 0.2]), keep)
    assert keep == [True, True, False]  # 7 does not open a series that is kept


def test_a_heading_the_model_rules_out_is_not_kept_by_its_series():
    found = [candidate(1, "1", "labelled"), candidate(5, "2", "labelled")]
    keep = [False, True]
    _complete_series(found, np.asarray([0.02, 0.7]), keep)
    assert keep == [False, True]


def test_the_items_of_a_list_the_model_keeps_as_a_whole_are_kept_together():
    found = [candidate(10 + 2 * n, str(n), "section_marked") for n in range(1, 6)]
    chances = np.asarray([0.6, 0.2, 0.5, 0.05, 0.7])
    keep = [bool(c >= 0.3) for c in chances]
    _keep_lists(found, chances, keep, 0.3)
    assert keep == [True, True, True, False, True]


def test_a_list_the_model_doubts_as_a_whole_is_not_kept():
    found = [candidate(10 + 2 * n, str(n), "section_marked") for n in range(1, 6)]
    chances = np.asarray([0.2, 0.2, 0.5, 0.1, 0.25])
    keep = [bool(c >= 0.3) for c in chances]
    _keep_lists(found, chances, keep, 0.3)
    assert keep == [False, False, True, False, False]


def test_numbering_that_starts_again_ends_the_list():
    paras = paragraphs(
        "Conclusions and recommendations",
        "1. The committee should publish its findings every year.",
        "2. The council should review its policy on protest.",
        "Published written evidence",
        "1 Northshire Police SDR0001",
        "2 Northshire Council SDR0002",
    )
    headings = find_headings(paras, set())
    assert sorted(headings) == [1, 2]


def test_a_list_item_tagged_as_a_conclusion_on_its_second_paragraph_is_left_out():
    doc = parse_text(
        """Northshire Select Committee

Report on the policing of the summer disorder

Conclusions and recommendations

1. The Government should publish a plan for police retention. (Recommendation, Paragraph 4)

2. The costs incurred by police forces look modest beside their budgets.

It would not be acceptable for forces to pay them from their own funds. (Conclusion, Paragraph 9)

3. The Government should release funding to cover the costs. (Recommendation, Paragraph 12)
"""
    )
    assert list(recs(doc)) == ["1", "3"]
