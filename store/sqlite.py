"""The embedded engine: one SQLite file in the data directory, FTS5 with BM25 for keywords.

Each thread has its own connection: in WAL mode readers never wait for a writer, so searches
go on while a document is being written, by this process or another sharing the directory.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from review_assistant.store.database import statements

# BM25 over the two columns is BM25 over their text as one: FTS5 sums a term's hits over the
# columns (each weighing 1) and measures a row by all its terms. The vocabularies count the
# rows holding a term: chunk_vocab in any column, chunk_column_vocab column by column.
KEYWORD_INDEX = """
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
    chunk_id UNINDEXED, context, passage, tokenize = 'unicode61'
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocab USING fts5vocab(chunk_terms, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_column_vocab USING fts5vocab(chunk_terms, 'col');
"""
_KEYWORD_TABLES = ("chunk_column_vocab", "chunk_vocab", "chunk_terms")  # dependents first
# A document row holds its whole text, and SQLite reaches the columns after it by walking the
# text's overflow pages: listing reviews read every document's text (0.2 s at 700 documents).
# This index holds what the list needs, so it is read instead of the rows.
COVERING_INDEXES = """
CREATE INDEX IF NOT EXISTS documents_listed ON documents(
    review_id, doc_type, doc_id, review, title, partnership, file_name, doubtful, problems
);
"""


class SqliteDatabase:
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=60)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA busy_timeout = 60000")
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.connection()
        db.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock later
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def create_schema(self, tables: str) -> None:
        self.connection().executescript(tables + KEYWORD_INDEX + COVERING_INDEXES)

    def has_table(self, name: str) -> bool:
        row = self.connection().execute(
            "SELECT count(*) AS n FROM sqlite_master WHERE name = ?", (name,)
        )
        return bool(row.fetchone()["n"])

    def term_counts(self, terms: list[str]) -> dict[str, int]:
        marks = ",".join("?" * len(terms))
        rows = self.connection().execute(
            f"SELECT term, doc FROM chunk_vocab WHERE term IN ({marks})", terms
        )
        return {row["term"]: row["doc"] for row in rows}

    def passage_frequencies(self, terms: list[str]) -> dict[str, int]:
        marks = ",".join("?" * len(terms))
        rows = self.connection().execute(
            f"SELECT term, doc FROM chunk_column_vocab WHERE col = 'passage' AND term IN ({marks})",
            terms,
        )
        return {row["term"]: row["doc"] for row in rows}

    def reset_keyword_index(self, db: sqlite3.Connection) -> None:
        for table in _KEYWORD_TABLES:
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in statements(KEYWORD_INDEX):
            db.execute(statement)

    def keyword_search_sql(self, terms: list[str], where: list[str]) -> tuple[str, list[Any]]:
        # each term quoted, so no word is read as FTS5 syntax (NEAR, OR, column filters)
        match = " OR ".join(f'"{t}"' for t in terms)
        # the join costs a lookup per matching passage: only made when a filter needs it
        join = "JOIN chunks c ON c.chunk_id = t.chunk_id " if where else ""
        sql = (
            "SELECT t.chunk_id AS chunk_id, -bm25(chunk_terms) AS score FROM chunk_terms t "
            f"{join}WHERE {' AND '.join(['chunk_terms MATCH ?', *where])} "
            "ORDER BY bm25(chunk_terms) LIMIT ?"
        )
        return sql, [match]

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
