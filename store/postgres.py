"""The shared engine: PostgreSQL, for API replicas and workers on several machines.

Keyword search uses PostgreSQL's own full-text index (a generated tsvector with a GIN index)
ranked by ts_rank_cd. The indexed text is already reduced to stemmed terms by
store.tokens.index_terms, so the 'simple' configuration (lower-case, no stemming) keeps both
engines matching the same words.

Each thread has its own connection in autocommit mode, so a read sees every committed write
and a transaction is explicit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from review_assistant.store.database import statements

# `terms` (context and passage as one text) is searched and ranked; `passage_terms` only says
# which passages' text holds a term, among the rows the index on `terms` finds.
KEYWORD_INDEX = """
CREATE TABLE IF NOT EXISTS chunk_terms (
    chunk_id TEXT PRIMARY KEY,
    context TEXT NOT NULL,
    passage TEXT NOT NULL,
    terms tsvector GENERATED ALWAYS AS (to_tsvector('simple', context || ' ' || passage)) STORED,
    passage_terms tsvector GENERATED ALWAYS AS (to_tsvector('simple', passage)) STORED
);
CREATE INDEX IF NOT EXISTS chunk_terms_search ON chunk_terms USING gin (terms);
"""
# any two processes creating the schema at once would race on the catalog
_SCHEMA_LOCK = 7_215_304_001


class _Connection:
    """A psycopg connection taking the register's `?` placeholders."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def execute(self, sql: str, args: Sequence[Any] = ()):
        if not args:  # without arguments psycopg reads no placeholders, nor `%%`
            return self.conn.execute(sql)
        return self.conn.execute(_placeholders(sql), args)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(_placeholders(sql), rows)


def _placeholders(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresDatabase:
    name = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:  # an optional extra
            raise RuntimeError(
                "REVIEW_ASSISTANT_DATABASE_URL needs psycopg: "
                "pip install 'review-assistant[postgres]'"
            ) from exc
        self.url = url
        self._local = threading.local()

    def connection(self) -> _Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.conn.closed:
            import psycopg
            from psycopg.rows import dict_row

            conn = _Connection(
                psycopg.connect(self.url, autocommit=True, row_factory=dict_row, connect_timeout=30)
            )
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[_Connection]:
        conn = self.connection()
        with conn.conn.transaction():
            yield conn

    def create_schema(self, tables: str) -> None:
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
            for statement in statements(tables + KEYWORD_INDEX):
                db.execute(statement)

    def has_table(self, name: str) -> bool:
        row = self.connection().execute("SELECT to_regclass(?) IS NOT NULL AS found", (name,))
        return bool(row.fetchone()["found"])

    def term_counts(self, terms: list[str]) -> None:
        return None  # PostgreSQL keeps no per-term counts to read cheaply (ts_stat scans all)

    def passage_frequencies(self, terms: list[str]) -> dict[str, int]:
        rows = self.connection().execute(
            "SELECT q.term AS term, (SELECT count(*) FROM chunk_terms t "
            "WHERE t.terms @@ q.query AND t.passage_terms @@ q.query) AS doc "
            "FROM (SELECT term, plainto_tsquery('simple', term) AS query "
            "FROM unnest(?::text[]) AS u(term)) q",
            (list(terms),),
        )
        return {row["term"]: row["doc"] for row in rows if row["doc"]}

    def reset_keyword_index(self, db: _Connection) -> None:
        db.execute("DROP TABLE IF EXISTS chunk_terms")
        for statement in statements(KEYWORD_INDEX):
            db.execute(statement)

    def keyword_search_sql(self, terms: list[str], where: list[str]) -> tuple[str, list[Any]]:
        # one tsquery OR-ing each term, each parsed on its own: no term is read as syntax
        query = " || ".join(["plainto_tsquery('simple', ?)"] * len(terms))
        sql = (
            f"WITH q AS (SELECT ({query}) AS query) "
            "SELECT t.chunk_id AS chunk_id, ts_rank_cd(t.terms, q.query) AS score "
            "FROM chunk_terms t CROSS JOIN q JOIN chunks c ON c.chunk_id = t.chunk_id "
            f"WHERE {' AND '.join(['t.terms @@ q.query', *where])} "
            "ORDER BY score DESC, t.chunk_id LIMIT ?"
        )
        return sql, list(terms)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.conn.close()
            self._local.conn = None
