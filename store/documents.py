"""A document in the register: writing it with everything parsed from it (findings,
recommendations, responses, progress notes, chunks and their keyword rows), removing it,
counting the changes, and finding one.

The writes take a connection already in the register's transaction, so a document and its
keyword rows are swapped together or not at all.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from review_assistant.ingest.types import Chunk, ParsedDocument, Recommendation
from review_assistant.store import keyword_index
from review_assistant.store.database import Connection, Row
from review_assistant.store.models import StoredDocument

_FOUND = "SELECT doc_id, file_name, sha256, title, review_id FROM documents"


# -- writing ------------------------------------------------------------------------------
def replace(db: Connection, doc: ParsedDocument, chunks: list[Chunk], old_doc_id: str | None):
    """Write a parsed document and its chunks, deleting an old version and any earlier copy of
    the same doc_id first."""
    for doc_id in dict.fromkeys(filter(None, (old_doc_id, doc.doc_id))):
        delete(db, doc_id)
    db.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", _row(doc))
    db.executemany(
        "INSERT INTO findings VALUES (?,?,?,?,?,?,?)",
        [
            (doc.doc_id, doc.review_id, f.finding_id, f.text, f.start, f.end, f.page)
            for f in doc.findings
        ],
    )
    for seq, rec in enumerate(doc.recommendations):
        _write_recommendation(db, doc, seq, rec)
    db.executemany(
        "INSERT INTO progress_notes VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (doc.doc_id, doc.review_id, n.rec_id, n.text, json.dumps(n.agencies),
             n.start, n.end, n.page, n.date)
            for n in doc.progress_notes
        ],
    )  # fmt: skip
    db.executemany(
        "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
        [
            (c.chunk_id, doc.doc_id, i, c.model_dump_json(), c.review_id,
             c.recommendation, c.start, c.end)
            for i, c in enumerate(chunks)
        ],
    )  # fmt: skip
    keyword_index.add(db, chunks)


def _row(doc: ParsedDocument) -> tuple:
    return (
        doc.doc_id, doc.file_name, doc.sha256, doc.source_format, doc.title, doc.review_id,
        doc.review, doc.partnership, doc.doc_type.value, doc.date, json.dumps(doc.dates),
        len(doc.pages), doc.ocr_pages, doc.text, datetime.now(UTC).isoformat(timespec="seconds"),
        int(doc.check.doubtful), json.dumps(doc.check.problems),
    )  # fmt: skip


def _write_recommendation(db: Connection, doc: ParsedDocument, seq: int, rec: Recommendation):
    """A recommendation (in the document's order `seq`) and each agency's response to it."""
    db.execute(
        "INSERT INTO recommendations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            doc.doc_id, doc.review_id, rec.rec_id, seq, rec.heading, rec.finding_id, rec.title,
            rec.text, json.dumps([p.model_dump() for p in rec.parts]), rec.start, rec.end,
            rec.page, json.dumps(rec.shared_with), rec.group_key, rec.numbered_as,
        ),
    )  # fmt: skip
    db.executemany(
        "INSERT INTO responses VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (doc.doc_id, doc.review_id, rec.rec_id, r.agency, r.text, r.start, r.end,
             r.page_start, r.page_end, r.status, json.dumps(r.dates), r.deadline)
            for r in rec.responses
        ],
    )  # fmt: skip


def delete(db: Connection, doc_id: str) -> None:
    """A document and everything hanging from it (the keyword rows have no foreign key)."""
    keyword_index.delete_document(db, doc_id)
    db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))


# -- counting changes -----------------------------------------------------------------------
def record_change(db: Connection, writer: str) -> None:
    """Count a change of the library (the generation) and which register made it."""
    db.execute(
        "INSERT INTO meta VALUES ('generation', 1) "
        "ON CONFLICT(key) DO UPDATE SET value = meta.value + 1"
    )
    db.execute(
        "INSERT INTO writes VALUES ((SELECT value FROM meta WHERE key = 'generation'), ?) "
        "ON CONFLICT(generation) DO UPDATE SET writer = excluded.writer",
        (writer,),
    )


def generation(db: Connection) -> int:
    """A number that changes whenever any document is added, replaced or removed."""
    row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return row["value"] if row else 0


def changed_elsewhere(db: Connection, since: int, writer: str) -> bool:
    """Whether a register other than `writer` changed the library after `since`."""
    row = db.execute(
        "SELECT 1 FROM writes WHERE generation > ? AND writer != ? LIMIT 1", (since, writer)
    ).fetchone()
    return row is not None


# -- finding one --------------------------------------------------------------------------
def by_name(db: Connection, file_name: str) -> StoredDocument | None:
    return _found(db.execute(f"{_FOUND} WHERE file_name = ?", (file_name,)).fetchone())


def by_content(db: Connection, sha256: str) -> StoredDocument | None:
    """A document with exactly these bytes, whatever its name."""
    row = db.execute(f"{_FOUND} WHERE sha256 = ? ORDER BY ingested_at LIMIT 1", (sha256,))
    return _found(row.fetchone())


# A key is a file name or a document id; a file's own name wins, so a file named after
# another document's id reads, shows and removes itself, never the other document.
BY_KEY = (
    "WHERE file_name = ? OR doc_id = ? ORDER BY CASE WHEN file_name = ? THEN 0 ELSE 1 END LIMIT 1"
)


def by_key(key: str) -> tuple[str, str, str]:
    return (key, key, key)


def hashes(db: Connection) -> set[str]:
    """The sha256 of every document's bytes."""
    return {row["sha256"] for row in db.execute("SELECT sha256 FROM documents")}


def find(db: Connection, key: str) -> StoredDocument | None:
    """A document by file name or doc_id (see BY_KEY)."""
    return _found(db.execute(f"{_FOUND} {BY_KEY}", by_key(key)).fetchone())


def _found(row: Row | None) -> StoredDocument | None:
    return StoredDocument.model_validate(dict(row)) if row is not None else None


def text(db: Connection, doc_id: str) -> str | None:
    row = db.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    return row["text"] if row else None
