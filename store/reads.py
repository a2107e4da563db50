"""The register's read models (store.models): documents, reviews, recommendations with their
responses and progress notes, and the agencies that responded."""

from __future__ import annotations

import json

from review_assistant.ingest import recids
from review_assistant.store import documents as document_rows
from review_assistant.store.database import Connection, Row
from review_assistant.store.models import (
    AgencyResponse,
    Document,
    ProgressNoteDetail,
    RecommendationDetail,
    RecommendationRow,
    ResponseDetail,
    Review,
    SourceRef,
)

_DOCUMENTS = (
    "SELECT doc_id, file_name, title, review_id, review, partnership, doc_type, date, "
    "pages, ocr_pages, ingested_at, doubtful, problems FROM documents"
)


def documents(db: Connection) -> list[Document]:
    return [_document(row) for row in db.execute(f"{_DOCUMENTS} ORDER BY file_name")]


def document(db: Connection, key: str) -> Document | None:
    """A document by file name or doc_id (document_rows.BY_KEY)."""
    row = db.execute(f"{_DOCUMENTS} {document_rows.BY_KEY}", document_rows.by_key(key)).fetchone()
    return _document(row) if row else None


def _document(row: Row) -> Document:
    return Document.model_validate(
        dict(row) | {"doubtful": bool(row["doubtful"]), "problems": json.loads(row["problems"])}
    )


def reviews(db: Connection) -> list[Review]:
    """One row per review: its name, title, partnership, document types and rec count."""
    rows = db.execute(
        """
        SELECT d.review_id, d.review, d.title, d.partnership, d.doc_type, d.file_name,
               d.doubtful, d.problems,
               (SELECT COUNT(*) FROM recommendations r WHERE r.doc_id = d.doc_id) AS recs
        FROM documents d ORDER BY d.review_id, d.doc_type
        """
    ).fetchall()
    reviews: dict[str, dict] = {}
    for row in rows:
        entry = reviews.setdefault(
            row["review_id"],
            {
                "id": row["review_id"],
                "name": row["review"],
                "title": row["title"],
                "partnership": row["partnership"],
                "doc_types": [],
                "recommendation_count": 0,
                "doubtful": False,
                "problems": [],
            },
        )
        entry["doc_types"].append(row["doc_type"])
        if row["doubtful"]:
            entry["doubtful"] = True
            entry["problems"] += [
                f"{row['file_name']}: {problem}" for problem in json.loads(row["problems"])
            ]
        if row["recs"] and row["recs"] >= entry["recommendation_count"]:
            entry["title"], entry["partnership"] = row["title"], row["partnership"]
            entry["recommendation_count"] = row["recs"]
        entry["partnership"] = entry["partnership"] or row["partnership"]
    for entry in reviews.values():
        entry["doc_types"] = sorted(set(entry["doc_types"]))
    return [Review.model_validate(entry) for entry in reviews.values()]


def recommendations(
    db: Connection,
    review_id: str | None = None,
    agency: str | None = None,
    status: str | None = None,
) -> list[RecommendationRow]:
    """Recommendations with their responding agencies and the status words of the responses,
    optionally for one review, one agency or one status."""
    query = (
        "SELECT r.review_id, d.review, r.rec_id, r.finding_id, r.title, r.text, r.page, "
        "r.shared_with, r.doc_id, d.file_name FROM recommendations r "
        "JOIN documents d ON d.doc_id = r.doc_id"
    )
    args: list[str] = []
    if review_id:
        query += " WHERE r.review_id = ?"
        args.append(review_id)
    query += " ORDER BY r.review_id, r.doc_id, r.seq"
    answers = _responses_by_recommendation(db, review_id)
    out = []
    for row in db.execute(query, args).fetchall():
        responses = answers.get((row["doc_id"], row["rec_id"]), [])
        agencies = sorted({r["agency"] for r in responses})
        statuses = sorted({r["status"] for r in responses if r["status"]})
        if (agency and agency not in agencies) or (status and status not in statuses):
            continue
        out.append(
            RecommendationRow(
                review_id=row["review_id"],
                review=row["review"],
                rec_id=row["rec_id"],
                finding=row["finding_id"],
                title=row["title"],
                text=row["text"],
                agencies=agencies,
                statuses=statuses,
                shared_with=json.loads(row["shared_with"]),
                page=row["page"],
                document=row["file_name"],
            )
        )
    return out


def _responses_by_recommendation(db: Connection, review_id: str | None) -> dict[tuple, list]:
    """(doc_id, rec_id) -> its responses' agency and status, for the library or one review:
    in one query, not one per recommendation."""
    query = "SELECT doc_id, rec_id, agency, status FROM responses"
    args = [review_id] if review_id else []
    answers: dict[tuple, list] = {}
    for row in db.execute(query + (" WHERE review_id = ?" if review_id else ""), args):
        answers.setdefault((row["doc_id"], row["rec_id"]), []).append(row)
    return answers


def review_dates(db: Connection) -> dict[str, str]:
    """Each review's earliest document date (the columns before a document's text only)."""
    rows = db.execute(
        "SELECT review_id, MIN(date) AS date FROM documents WHERE date IS NOT NULL "
        "GROUP BY review_id"
    )
    return {row["review_id"]: row["date"] for row in rows}


def statuses_by_review(db: Connection) -> dict[str, list[list[str]]]:
    """For each review, each recommendation's status words (one query for the library; a
    recommendation listed by several of the review's documents counts once)."""
    rows = db.execute(
        "SELECT r.review_id, r.doc_id, r.rec_id, s.status FROM recommendations r "
        "LEFT JOIN responses s ON s.doc_id = r.doc_id AND s.rec_id = r.rec_id "
        "ORDER BY r.review_id, r.doc_id, r.seq"
    )
    recs: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        words = recs.setdefault((row["review_id"], row["rec_id"]), set())
        if row["status"]:
            words.add(row["status"])
    out: dict[str, list[list[str]]] = {}
    for (review_id, _), words in recs.items():
        out.setdefault(review_id, []).append(sorted(words))
    return out


def rec_keys(db: Connection) -> dict[tuple[str, str], str]:
    """(review_id, rec_id) -> the key its chunks carry (for a shared response: the group)."""
    rows = db.execute("SELECT review_id, rec_id, group_key FROM recommendations")
    return {(row["review_id"], row["rec_id"]): row["group_key"] for row in rows}


def recommendation_detail(
    db: Connection, review_id: str, rec_id: str
) -> RecommendationDetail | None:
    """A recommendation's text, each agency's response (status, dates, citation) and the
    progress notes later documents recorded on it."""
    row = db.execute(
        "SELECT r.*, d.file_name, d.review, d.title FROM recommendations r "
        "JOIN documents d ON d.doc_id = r.doc_id WHERE r.review_id = ? AND r.rec_id = ? "
        "ORDER BY d.doc_type LIMIT 1",
        (review_id, rec_id),
    ).fetchone()
    if row is None:
        return None
    responses = [
        ResponseDetail(**_response(r, row["file_name"]))
        for r in db.execute(
            "SELECT * FROM responses WHERE doc_id = ? AND rec_id = ? ORDER BY start",
            (row["doc_id"], rec_id),
        )
    ]
    return RecommendationDetail(
        review_id=review_id,
        review=row["review"],
        rec_id=rec_id,
        heading=row["heading"],
        finding=row["finding_id"],
        title=row["title"],
        text=row["text"],
        parts=json.loads(row["parts"]),
        shared_with=json.loads(row["shared_with"]),
        citation=_citation(row["file_name"], row["page"], row["page"], row["start"], row["end"]),
        responses=responses,
        progress_notes=progress_notes(db, review_id, rec_id),
    )


def progress_notes(
    db: Connection, review_id: str, rec_id: str | None = None
) -> list[ProgressNoteDetail]:
    """Notes on a review (or one recommendation: a note on "1" concerns "1a" and "1b")."""
    rows = db.execute(
        "SELECT p.*, d.file_name FROM progress_notes p JOIN documents d ON d.doc_id = p.doc_id "
        "WHERE p.review_id = ? ORDER BY COALESCE(p.date, ''), p.start",
        (review_id,),
    ).fetchall()
    notes = []
    for row in rows:
        note_rec = row["rec_id"]
        if rec_id is not None and (note_rec is None or not recids.related(note_rec, rec_id)):
            continue
        notes.append(
            ProgressNoteDetail(
                rec_id=note_rec,
                text=row["text"],
                agencies=json.loads(row["agencies"]),
                date=row["date"],
                citation=_citation(
                    row["file_name"], row["page"], row["page"], row["start"], row["end"]
                ),
            )
        )
    return notes


def responses_of(db: Connection, agency: str, review_id: str | None = None) -> list[AgencyResponse]:
    """Every response an agency gave, with its recommendation, in document order."""
    query = (
        "SELECT r.*, d.file_name, d.review FROM responses r JOIN documents d "
        "ON d.doc_id = r.doc_id WHERE r.agency = ?"
    )
    args = [agency]
    if review_id:
        query += " AND r.review_id = ?"
        args.append(review_id)
    rows = db.execute(query + " ORDER BY r.review_id, r.start", args).fetchall()
    return [
        AgencyResponse(
            review_id=row["review_id"], review=row["review"], rec_id=row["rec_id"],
            **_response(row, row["file_name"]),
        )
        for row in rows
    ]  # fmt: skip


def agencies(db: Connection) -> list[str]:
    rows = db.execute("SELECT DISTINCT agency FROM responses ORDER BY agency")
    return [row["agency"] for row in rows]


def _response(row: Row, document: str) -> dict:
    """The fields of an agency's response (store.models.ResponseDetail), with its citation."""
    return {
        "agency": row["agency"],
        "text": row["text"],
        "status": row["status"],
        "dates": json.loads(row["dates"]),
        "deadline": row["deadline"],
        "citation": _citation(
            document, row["page_start"], row["page_end"], row["start"], row["end"]
        ),
    }


def _citation(document: str, page: int, page_end: int, start: int, end: int) -> SourceRef:
    return SourceRef(document=document, page=page, page_end=page_end, start=start, end=end)
