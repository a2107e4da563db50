"""Reading the register's chunks: the passages search may return, by id, document, offset or
column (review_id, recommendation)."""

from __future__ import annotations

from review_assistant.ingest.types import Chunk
from review_assistant.store.database import Connection

_FILTERABLE = {"review_id", "recommendation"}


def column_conditions(filters: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """SQL conditions on the chunks (aliased c) for column filters, and their arguments."""
    where, args = [], []
    for column, values in filters.items():
        if column not in _FILTERABLE:
            raise ValueError(f"cannot filter passages on {column!r}")
        where.append(f"c.{column} IN ({','.join('?' * len(values))})")
        args.extend(values)
    return where, args


def all_chunks(db: Connection) -> list[Chunk]:
    rows = db.execute("SELECT data FROM chunks ORDER BY doc_id, seq")
    return [Chunk.model_validate_json(row["data"]) for row in rows]


def chunks_by_id(db: Connection, chunk_ids: list[str]) -> dict[str, Chunk]:
    if not chunk_ids:
        return {}
    marks = ",".join("?" * len(chunk_ids))
    rows = db.execute(f"SELECT chunk_id, data FROM chunks WHERE chunk_id IN ({marks})", chunk_ids)
    return {row["chunk_id"]: Chunk.model_validate_json(row["data"]) for row in rows}


def chunk_covering(db: Connection, document: str, offset: int) -> Chunk | None:
    """The chunk of a document (by file name) whose span holds a character offset."""
    row = db.execute(
        "SELECT c.data FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
        "WHERE d.file_name = ? AND c.char_start <= ? AND c.char_end > ? "
        "ORDER BY c.seq LIMIT 1",
        (document, offset, offset),
    ).fetchone()
    return Chunk.model_validate_json(row["data"]) if row else None


def chunk_ids(db: Connection, doc_id: str) -> list[str]:
    """The chunks of one document."""
    rows = db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))
    return [row["chunk_id"] for row in rows]


def all_chunk_ids(db: Connection) -> set[str]:
    return {row["chunk_id"] for row in db.execute("SELECT chunk_id FROM chunks")}


def chunk_ids_matching(db: Connection, filters: dict[str, list[str]]) -> list[str]:
    """The chunks whose columns (review_id, recommendation) hold one of the given values."""
    where, args = column_conditions(filters)
    condition = " AND ".join(where) or "1 = 1"
    rows = db.execute(f"SELECT chunk_id FROM chunks c WHERE {condition}", args)
    return [row["chunk_id"] for row in rows]


def count_chunks(db: Connection) -> int:
    return db.execute("SELECT COUNT(*) AS n FROM chunks").fetchone()["n"]
