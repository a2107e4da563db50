"""A doubtful register is shown as such, and never used to say a recommendation does not exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from review_assistant.server import create_app
from review_assistant.settings import Settings

GAPPED = """Eastvale Safeguarding Children Partnership

Response to the Child Safeguarding Practice Review of Child T

Recommendation 1
Agencies should record every adult living in the household at each visit.

The police now record every adult present at a domestic abuse incident.

Recommendation 2
Health visitors should check that every baby is registered with a GP.

Health visitors now check registration at the new birth visit.

Recommendation 4
The partnership should audit information sharing about unborn babies each year.

The partnership audited information sharing in March.
"""


@contextmanager
def library_of(tmp_path: Path, text: str) -> Iterator[TestClient]:
    """The API on a library holding one response, child-t.txt, with this text."""
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data")
    with TestClient(create_app(settings)) as client:
        files = {"file": ("child-t.txt", text.encode(), "text/plain")}
        assert client.post("/documents", files=files).status_code == 201
        yield client


def ask(client: TestClient, question: str) -> dict:
    response = client.post("/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return response.json()


def says_missing(answer: dict, rec_id: str) -> bool:
    """Whether an answer says the review has no such recommendation, in any wording."""
    return (
        re.search(rf"\bno recommendation {re.escape(rec_id)}\b", answer["answer"], re.I) is not None
    )


def test_a_gap_makes_the_register_doubtful_and_the_answer_careful(tmp_path: Path):
    with library_of(tmp_path, GAPPED) as client:
        [review] = client.get("/reviews").json()["reviews"]
        assert review["doubtful"] and "numbering skips 3" in review["problems"][0]
        for rec_id in ("3", "9"):  # in the gap, and past the last one found
            answer = ask(client, f"What is recommendation {rec_id} of the Child T review?")
            assert answer["abstained"] and answer["citations"] == [], answer
            assert not says_missing(answer, rec_id), answer["answer"]
            # it says what was looked for, and why that proves nothing
            assert f"Recommendation {rec_id} could not be found" in answer["answer"]
            assert "numbering skips 3" in answer["answer"]
        # the register's own route is careful too
        route = client.get(f"/reviews/{review['id']}/recommendations/3")
        assert route.status_code == 404
        message = route.json()["error"]["message"]
        assert "no recommendation 3" not in message and "doubts" in message, message
        # careful, not mute: what the register does hold is still answered from it
        answer = ask(client, "What is recommendation 2 of the Child T review?")
        assert not answer["abstained"] and "registered with a GP" in answer["answer"]
        assert {c["document"] for c in answer["citations"]} == {"child-t.txt"}


def test_a_recommendation_a_passage_names_is_searched_for_not_said_unfound(tmp_path: Path):
    named = GAPPED.replace(
        "The partnership audited information sharing in March.",
        "The partnership audited information sharing in March, as Recommendation 3 asked.",
    )
    with library_of(tmp_path, named) as client:
        answer = ask(client, "What is recommendation 3 of the Child T review?")
        assert "could not be found" not in answer["answer"], answer["answer"]


def test_without_a_gap_a_missing_recommendation_is_said_to_be_missing(tmp_path: Path):
    """The control: the register above is careful because of its gap, and says_missing
    recognises what a sound register says."""
    with library_of(tmp_path, GAPPED.replace("Recommendation 4", "Recommendation 3")) as client:
        [review] = client.get("/reviews").json()["reviews"]
        assert not review["doubtful"], review["problems"]
        answer = ask(client, "What is recommendation 9 of the Child T review?")
        assert answer["abstained"] and says_missing(answer, "9"), answer["answer"]
