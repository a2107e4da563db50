"""The register's tables and their version: creating a register, upgrading one the previous
version wrote, refusing older ones.

The keyword index's table is the engine's (store.sqlite, store.postgres); these tables are the
same SQL on both.
"""

from __future__ import annotations

from review_assistant.ingest.chunking import headings_above, section_headings
from review_assistant.ingest.types import Chunk
from review_assistant.store import agencies, chunks, keyword_index
from review_assistant.store.database import Connection, Database

# SQL both engines read: "end" and "user" are quoted because PostgreSQL reserves them.
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    source_format TEXT NOT NULL,
    title TEXT NOT NULL,
    review_id TEXT NOT NULL,
    review TEXT NOT NULL,
    partnership TEXT,
    doc_type TEXT NOT NULL,
    date TEXT,
    dates TEXT NOT NULL,
    pages INTEGER NOT NULL,
    ocr_pages INTEGER NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    doubtful INTEGER NOT NULL DEFAULT 0,
    problems TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS findings (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    review_id TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS recommendations (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    review_id TEXT NOT NULL,
    rec_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    heading TEXT NOT NULL,
    finding_id TEXT,
    title TEXT,
    text TEXT NOT NULL,
    parts TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page INTEGER NOT NULL,
    shared_with TEXT NOT NULL,
    group_key TEXT NOT NULL,
    numbered_as TEXT,
    PRIMARY KEY (doc_id, rec_id)
);
CREATE TABLE IF NOT EXISTS responses (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    review_id TEXT NOT NULL,
    rec_id TEXT NOT NULL,
    agency TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    status TEXT,
    dates TEXT NOT NULL DEFAULT '[]',
    deadline TEXT
);
CREATE TABLE IF NOT EXISTS progress_notes (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    review_id TEXT NOT NULL,
    rec_id TEXT,
    text TEXT NOT NULL,
    agencies TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page INTEGER NOT NULL,
    date TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    review_id TEXT NOT NULL,
    recommendation TEXT,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS writes (
    generation INTEGER PRIMARY KEY,
    writer TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    "user" TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS slack_events (
    event_id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_agencies (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    how TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, name)
);
CREATE TABLE IF NOT EXISTS agency_edits (
    name TEXT PRIMARY KEY,
    role TEXT,
    merged_into TEXT
);
CREATE INDEX IF NOT EXISTS responses_by_rec ON responses(review_id, rec_id);
CREATE INDEX IF NOT EXISTS responses_by_doc ON responses(doc_id, rec_id);
CREATE INDEX IF NOT EXISTS recs_by_review ON recommendations(review_id);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_by_review ON chunks(review_id);
CREATE INDEX IF NOT EXISTS chunks_by_recommendation ON chunks(recommendation);
CREATE INDEX IF NOT EXISTS documents_by_content ON documents(sha256);
"""

# 6: the keyword index holds a passage's context and its text in two columns. A register of
# version 5 is upgraded in place (its keyword index rebuilt from its chunks); older ones are
# refused.
# 7: the agencies each document names (document_agencies: learned from its responses' owners
# and its text) and what a person changed of them (agency_edits). A register of version 5 or 6
# is upgraded in place, each document's agencies learned from its responses and text.
# 8: a chunk carries the headings it sits under, and the keyword index holds them in its
# context. A register of version 5 to 7 is upgraded in place, each chunk's headings read from
# its document's text and the keyword index rebuilt.
SCHEMA_VERSION = 8
_UPGRADABLE = 5


class OutdatedRegister(Exception):
    """The data directory was written by an older version; re-ingest into a new one."""


def prepare(database: Database) -> None:
    """Make the database hold a register of this version, or raise OutdatedRegister."""
    version = SCHEMA_VERSION
    if database.has_table("documents"):
        version = schema_version(database)
        if version < _UPGRADABLE:
            raise OutdatedRegister(
                f"the register was written by an older Review Assistant (schema {version}); "
                "ingest the documents again into a new data directory or database"
            )
    database.create_schema(SCHEMA)
    if version < 6:
        _rebuild_keyword_index(database)
    if version < 7:
        _learn_agencies(database)
    if version < 8:
        _add_headings(database)
    with database.transaction() as db:
        db.execute(
            "INSERT INTO meta VALUES ('schema', ?) ON CONFLICT(key) DO NOTHING",
            (SCHEMA_VERSION,),
        )


def schema_version(database: Database) -> int:
    if not database.has_table("meta"):
        return 0
    return _version(database.connection())


def _version(db: Connection) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return row["value"] if row else 0


def _rebuild_keyword_index(database: Database) -> None:
    """Version 5 to 6: the keyword index again, in its new layout, from the chunks."""
    with database.transaction() as db:
        # lock the version's row: a second process upgrading waits here, then finds it done
        db.execute("UPDATE meta SET value = value WHERE key = 'schema'")
        if _version(db) >= 6:
            return
        # in the old rows' order (a scan's order): SQLite ranks equal scores by row
        order = {chunk_id: n for n, chunk_id in enumerate(keyword_index.ids_in_order(db))}
        passages = sorted(chunks.all_chunks(db), key=lambda c: order.get(c.chunk_id, len(order)))
        database.reset_keyword_index(db)
        keyword_index.add(db, passages)
        db.execute("UPDATE meta SET value = 6 WHERE key = 'schema'")


def _add_headings(database: Database) -> None:
    """Version 7 to 8: each chunk's headings, read from its document's text as chunking reads
    them, and the keyword index again with the headings in its context."""
    with database.transaction() as db:
        db.execute("UPDATE meta SET value = value WHERE key = 'schema'")
        if _version(db) >= 8:
            return
        order = {chunk_id: n for n, chunk_id in enumerate(keyword_index.ids_in_order(db))}
        passages: list[Chunk] = []
        for row in db.execute("SELECT doc_id, text FROM documents").fetchall():
            headings = section_headings(row["text"])
            for found in db.execute(
                "SELECT chunk_id, data FROM chunks WHERE doc_id = ?", (row["doc_id"],)
            ).fetchall():
                chunk = Chunk.model_validate_json(found["data"])
                chunk.headings = headings_above(headings, chunk.start)
                db.execute(
                    "UPDATE chunks SET data = ? WHERE chunk_id = ?",
                    (chunk.model_dump_json(), chunk.chunk_id),
                )
                passages.append(chunk)
        passages.sort(key=lambda c: order.get(c.chunk_id, len(order)))
        database.reset_keyword_index(db)
        keyword_index.add(db, passages)
        db.execute("UPDATE meta SET value = 8 WHERE key = 'schema'")


def _learn_agencies(database: Database) -> None:
    """Version 6 to 7: each document's agencies, learned from its responses and its text."""
    with database.transaction() as db:
        db.execute("UPDATE meta SET value = value WHERE key = 'schema'")
        if _version(db) >= 7:
            return
        for row in db.execute("SELECT doc_id, text FROM documents").fetchall():
            owners = [
                r["agency"]
                for r in db.execute(
                    "SELECT DISTINCT agency FROM responses WHERE doc_id = ? ORDER BY agency",
                    (row["doc_id"],),
                )
            ]
            agencies.write(db, row["doc_id"], agencies.learn(row["text"], owners))
        db.execute("UPDATE meta SET value = 7 WHERE key = 'schema'")
