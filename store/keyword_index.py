"""The keyword index: a row a passage in the engine's full-text index (FTS5 in SQLite, a
tsvector in PostgreSQL), written in the same transactions as the chunks.

A row holds the passage's terms (store.tokens.index_terms) in two columns: its context
(review, recommendation, agencies, section) and its text; both are searched and ranked as one,
and the text's column alone says in how many passages the answerer's terms occur.
"""

from __future__ import annotations

from review_assistant.ingest.types import Chunk
from review_assistant.store.chunks import column_conditions
from review_assistant.store.database import Connection, Database
from review_assistant.store.nodes import keyword_columns
from review_assistant.store.tokens import index_terms


def add(db: Connection, chunks: list[Chunk]) -> None:
    db.executemany(
        "INSERT INTO chunk_terms (chunk_id, context, passage) VALUES (?, ?, ?)",
        [(c.chunk_id, *keyword_columns(c)) for c in chunks],
    )


def delete(db: Connection, chunk_ids: list[str]) -> None:
    db.executemany("DELETE FROM chunk_terms WHERE chunk_id = ?", [(c,) for c in chunk_ids])


def delete_document(db: Connection, doc_id: str) -> None:
    """The rows of a document's chunks (they have no foreign key to cascade from)."""
    db.execute(
        "DELETE FROM chunk_terms WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)",
        (doc_id,),
    )


def ids(db: Connection) -> set[str]:
    return set(ids_in_order(db))


def ids_in_order(db: Connection) -> list[str]:
    """The rows' chunk ids as a scan reads them (in SQLite, the order they were written)."""
    return [row["chunk_id"] for row in db.execute("SELECT chunk_id FROM chunk_terms")]


def search(
    database: Database,
    query: str,
    top_k: int,
    filters: dict[str, list[str]] | None = None,
    budget: int | None = None,
) -> list[tuple[str, float]]:
    """(chunk_id, score) of the chunks sharing a term with the query, best first, with filters
    on chunk columns (review_id, recommendation); higher scores are better.

    With a `budget`, the query's commonest terms are left out once the passages its terms
    match would exceed it: scoring costs time per matching passage, and a term found in
    thousands of passages adds little to a ranking (its inverse document frequency is low)."""
    terms = list(dict.fromkeys(index_terms(query)))
    if budget and len(terms) > 1:
        counts = database.term_counts(terms)
        if counts is not None:
            terms = within_budget(terms, counts, budget)
    if not terms:
        return []
    where, args = column_conditions(filters or {})
    sql, term_args = database.keyword_search_sql(terms, where)
    rows = database.connection().execute(sql, [*term_args, *args, top_k])
    return [(row["chunk_id"], float(row["score"])) for row in rows]


def within_budget(terms: list[str], counts: dict[str, int], budget: int) -> list[str]:
    """The rarest terms whose passages add up to at most `budget`, and always the rarest."""
    kept, total = [], 0
    for term in sorted(terms, key=lambda t: counts.get(t, 0)):
        total += counts.get(term, 0)
        if kept and total > budget:
            break
        kept.append(term)
    return kept


def document_frequencies(database: Database, terms: list[str]) -> dict[str, int]:
    """How many passages' text holds each term (every term given; 0 for one none holds)."""
    wanted = list(dict.fromkeys(terms))
    found = database.passage_frequencies(wanted) if wanted else {}
    return {term: found.get(term, 0) for term in wanted}
