"""A doubtful register is shown as such, and never used to say a recommendation does not exist."""

from __future__ import annotations

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


def test_a_gap_makes_the_register_doubtful_and_the_answer_careful(tmp_path: Path):
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data")
    with TestClient(create_app(settings)) as client:
        files = {"file": ("child-t.txt", GAPPED.encode(), "text/plain")}
        assert client.post("/documents", files=files).status_code == 201
        [review] = client.get("/reviews").json()["reviews"]
        assert review["doubtful"] and "numbering skips 3" in review["problems"][0]
        answer = client.post(
            "/ask", json={"question": "What is recommendation 3 of the Child T review?"}
        ).json()
        assert "there is no recommendation 3" not in answer["answer"]
        answer = client.post(
            "/ask", json={"question": "What is recommendation 9 of the Child T review?"}
        ).json()
        assert "there is no recommendation 9" not in answer["answer"]
