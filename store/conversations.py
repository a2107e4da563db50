"""What the register keeps of its conversations with people (store.models; an answer and a
job's outcome as plain JSON data): answers given, feedback on them, ingest jobs (visible to
every process sharing the library) and the Slack events already handled.

The writes take a connection already in the register's transaction.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from review_assistant.store.database import Connection
from review_assistant.store.models import Feedback, JobRecord, SavedAnswer


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_id() -> str:
    return uuid.uuid4().hex[:16]


# -- answers and feedback -----------------------------------------------------------------
def save_answer(db: Connection, question: str, answer: dict) -> str:
    """Keep an answer given so feedback and sharing can refer to it; its new id."""
    answer_id = _new_id()
    db.execute(
        "INSERT INTO answers VALUES (?,?,?,?)", (answer_id, question, json.dumps(answer), _now())
    )
    return answer_id


def load_answer(db: Connection, answer_id: str) -> SavedAnswer | None:
    row = db.execute(
        "SELECT question, data FROM answers WHERE answer_id = ?", (answer_id,)
    ).fetchone()
    return SavedAnswer(question=row["question"], answer=json.loads(row["data"])) if row else None


def record_feedback(db: Connection, answer_id: str, user: str, value: str) -> None:
    """Feedback on an answer, with the question and answer text it was given on."""
    saved = load_answer(db, answer_id) or SavedAnswer(question="", answer={})
    db.execute(
        "INSERT INTO feedback VALUES (?,?,?,?,?,?)",
        (answer_id, saved.question, saved.answer.get("answer", ""), user, value, _now()),
    )


def feedback(db: Connection) -> list[Feedback]:
    rows = db.execute("SELECT * FROM feedback ORDER BY created_at")
    return [Feedback.model_validate(dict(row)) for row in rows]


# -- ingest jobs --------------------------------------------------------------------------
def create_job(db: Connection, document: str) -> str:
    job_id = _new_id()
    db.execute(
        "INSERT INTO jobs VALUES (?,?,?,?,?,?,?)",
        (job_id, document, "queued", None, None, _now(), _now()),
    )
    return job_id


def update_job(
    db: Connection, job_id: str, state: str, outcome: dict | None, error: str | None
) -> None:
    db.execute(
        "UPDATE jobs SET state = ?, outcome = ?, error = ?, updated_at = ? WHERE job_id = ?",
        (state, json.dumps(outcome) if outcome else None, error, _now(), job_id),
    )


def job(db: Connection, job_id: str) -> JobRecord | None:
    row = db.execute("SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
    if row is None:
        return None
    outcome = json.loads(row["outcome"]) if row["outcome"] else None
    return JobRecord.model_validate(dict(row) | {"outcome": outcome})


def unfinished_jobs(db: Connection) -> set[str]:
    """Jobs still queued or running (after a restart: ones a process left unfinished)."""
    rows = db.execute("SELECT job_id FROM jobs WHERE state IN ('queued', 'running')")
    return {row["job_id"] for row in rows}


# -- events already handled ---------------------------------------------------------------
def seen(db: Connection, event_id: str) -> bool:
    """Whether an event id (a Slack event, a logged-out session) was recorded, recording
    nothing."""
    row = db.execute("SELECT 1 FROM slack_events WHERE event_id = ?", (event_id,)).fetchone()
    return row is not None


def first_sighting(db: Connection, event_id: str) -> bool:
    """True the first time an event id is seen: Slack retries must not be answered twice."""
    inserted = db.execute(
        "INSERT INTO slack_events VALUES (?, ?) ON CONFLICT DO NOTHING", (event_id, _now())
    ).rowcount
    return inserted == 1
