"""Status words and deadlines of a response, from how responses and action plans are written."""

from __future__ import annotations

import pytest

from review_assistant.ingest.metadata import find_dates
from review_assistant.ingest.status import STATUSES, dates_and_deadline, status_of, verdict


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("The protocol has now been implemented across all teams.", "completed"),
        ("A new pathway is in place.", "completed"),
        ("Audit work is currently underway.", "in progress"),
        ("The trust will deliver training to midwives.", "planned"),
        ("The board agrees with the recommendation.", "accepted"),
        ("The department does not accept this recommendation.", "rejected"),
        ("Status: Complete", "completed"),
        ("RAG: amber", "in progress"),
        ("Progress: not started", "planned"),
        ("The panel heard a presentation.", None),
        ("Accepted in part. The Department will review its guidance.", "accepted in part"),
        ("The partnership accepts this recommendation in principle.", "accepted in principle"),
        ("The Government accepts this recommendation in full and will act.", "accepted"),
        ("Not accepted. The current approach will remain.", "rejected"),
        ("Noted. The Government will keep this under review.", "noted"),
        ("The Government notes the Committee's view.", "noted"),
        ("This is under consideration by the board.", "under consideration"),
        ("Government response: Agreed.", "accepted"),
        ("Status: Red", "at risk"),
        ("RAG rating: green", "completed"),
    ],
)
def test_status_of(text, status):
    assert status_of(text) == status
    assert status is None or status in STATUSES


def test_rejection_outranks_future_tense():
    assert status_of("We do not agree and will not change the policy.") == "rejected"


def test_dates_and_the_deadline_among_them():
    dates, deadline = dates_and_deadline(
        "Training began in March 2023 and will be completed by 30 September 2024."
    )
    assert dates == ["2023-03", "2024-09-30"] and deadline == "2024-09-30"
    assert dates_and_deadline("Reviewed in spring 2025.") == (["2025-03"], None)
    assert dates_and_deadline("Nothing dated here.") == ([], None)


def test_find_dates_forms():
    found = [value for _, value in find_dates("On 3 May 2021, then 12/11/2022, then June 2020.")]
    assert found == ["2021-05-03", "2022-11-12", "2020-06"]


def test_labelled_verdicts_and_summary_cells():
    assert status_of("Welsh Government: Noted.") == "noted"
    assert status_of("Scottish Government: Under consideration.") == "under consideration"
    assert verdict("Accepted in part") == "accepted in part"
    assert verdict("– Not accepted") == "rejected"
    assert verdict("Complete") == "completed"
    assert verdict("Agencies should share information at the earliest point.") is None


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "The board has been updated on progress. Work on training for the workforce "
            "remains to be completed.",
            "in progress",
        ),
        ("The audit has been commissioned; the report is yet to be approved.", "in progress"),
        (
            "The trust has developed a business case to be submitted to the executive board.",
            "planned",
        ),
        ("The revised policy has been implemented across all teams.", "completed"),
    ],
)
def test_what_is_still_to_do_outranks_what_was_done(text, status):
    assert status_of(text) == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("The government accepts this recommendation. Work is under way on new rules.",
         "accepted"),
        ("The Government agrees with the Committee's conclusion. It will publish a plan.",
         "accepted"),
        ("The government accepts this recommendation in principle. It will consult.",
         "accepted in principle"),
        # no verdict in the opening sentence: the tense decides
        ("Work is under way on new rules. The board agrees with the approach.", "in progress"),
    ],
)  # fmt: skip
def test_a_verdict_the_answer_opens_with_outranks_the_tense_after_it(text, status):
    assert status_of(text) == status


def test_a_tables_cells_under_their_headers():
    # a summary table's row of verdicts, one per government, as table_text writes it
    assert verdict("- UK Government: Accepted\n- Welsh Government: Noted") == "accepted"
    assert verdict("- UK Government: Accepted - Welsh Government: Noted") == "accepted"
    assert verdict("- Lead agency: Police\n- Action: A protocol will be agreed.") is None
    # a requirements table's date column is a deadline
    assert dates_and_deadline("- Action: Train staff.\n- Due date: 30 June 2025")[1] == "2025-06-30"
    assert dates_and_deadline("- Timescale: March 2026")[1] == "2026-03"
    assert dates_and_deadline("- Reviewed: 3 May 2024")[1] is None
