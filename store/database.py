"""The register's database engine: SQLite in the data directory (the default, nothing to run)
or PostgreSQL (REVIEW_ASSISTANT_DATABASE_URL) when several machines share one library.

The register writes one SQL for both, with `?` placeholders; what differs (how a connection is
opened, how a transaction starts, the full-text index and its ranking) lives in an engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from review_assistant.store.config import StoreConfig

Row = Mapping[str, Any]


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Row | None: ...
    def fetchall(self) -> list[Row]: ...
    def __iter__(self) -> Iterator[Row]: ...


class Connection(Protocol):
    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class Database(Protocol):
    """One engine: per-thread connections, transactions and the keyword index's dialect."""

    name: str

    def connection(self) -> Connection:
        """This thread's connection (reads see every committed write)."""
        ...

    def transaction(self) -> AbstractContextManager[Connection]:
        """A write transaction on this thread's connection; writers queue, readers never wait."""
        ...

    def create_schema(self, tables: str) -> None:
        """Create the tables (and the engine's keyword index) if missing, once per library."""
        ...

    def has_table(self, name: str) -> bool: ...

    def term_counts(self, terms: list[str]) -> dict[str, int] | None:
        """How many passages hold each term (absent: none), or None if the engine cannot
        tell cheaply."""
        ...

    def passage_frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many passages' text (the keyword index's passage column, not its context) holds
        each term (absent: none)."""
        ...

    def reset_keyword_index(self, db: Connection) -> None:
        """Drop the keyword index and create it empty, in the caller's transaction `db`."""
        ...

    def keyword_search_sql(self, terms: list[str], where: list[str]) -> tuple[str, list[Any]]:
        """SELECT chunk_id, score FROM the keyword index for chunks matching any of `terms`
        (joined to `chunks c` so `where` can filter on its columns), best first; the caller
        appends the arguments of `where` and the limit."""
        ...

    def close(self) -> None: ...


def statements(script: str) -> list[str]:
    """The statements of an SQL script, one by one (no `;` inside a statement)."""
    return [statement for statement in script.split(";") if statement.strip()]


def open_database(config: StoreConfig) -> Database:
    if config.database_url:
        from review_assistant.store.postgres import PostgresDatabase

        return PostgresDatabase(config.database_url)
    from review_assistant.store.sqlite import SqliteDatabase

    return SqliteDatabase(config.register_path)
