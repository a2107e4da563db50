"""The structured register: documents, reviews, recommendations, responses, chunks, and the
keyword index over the chunks, in SQLite (embedded) or PostgreSQL (shared); see store.database.

It is the source of truth: a passage found in the vector index counts only if its chunk is
here, so a crash between writes never surfaces half-ingested documents. The keyword index is
written in the same transaction as the chunks, so it can never be stale, and adding or
removing a document costs time proportional to that document.

`Register` is the one object callers hold: it owns the connection and the transactions and
hands each call to the module that knows its tables (store.schema, store.documents,
store.chunks, store.keyword_index, store.reads, store.conversations). What it reads comes back
as the typed models of store.models, never as rows.
"""

from __future__ import annotations

import uuid

from review_assistant.ingest.types import Chunk, ParsedDocument
from review_assistant.store import (
    agencies,
    conversations,
    documents,
    keyword_index,
    reads,
    schema,
)
from review_assistant.store import chunks as chunk_rows
from review_assistant.store.database import Connection, Database
from review_assistant.store.keyword_index import within_budget
from review_assistant.store.models import (
    AgencyResponse,
    Document,
    Feedback,
    JobRecord,
    LibraryAgency,
    ProgressNoteDetail,
    RecommendationDetail,
    RecommendationRow,
    Review,
    SavedAnswer,
    StoredDocument,
)
from review_assistant.store.schema import SCHEMA, SCHEMA_VERSION, OutdatedRegister

__all__ = ["SCHEMA", "SCHEMA_VERSION", "OutdatedRegister", "Register", "within_budget"]


class Register:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.writer = uuid.uuid4().hex  # which process (or store) made a change
        schema.prepare(database)

    @property
    def _db(self) -> Connection:
        """This thread's connection."""
        return self.database.connection()

    def _transaction(self):
        return self.database.transaction()

    def close(self) -> None:
        self.database.close()

    # -- documents (store.documents) --------------------------------------------------------
    def replace_document(
        self, doc: ParsedDocument, chunks: list[Chunk], old_doc_id: str | None
    ) -> None:
        """Write a parsed document and its chunks in one transaction, replacing an old version,
        with the agencies it names (learned before the transaction: it reads the whole text)."""
        learned = agencies.of_document(doc)
        with self._transaction() as db:
            documents.record_change(db, self.writer)
            documents.replace(db, doc, chunks, old_doc_id)
            agencies.write(db, doc.doc_id, learned)

    def remove_document(self, doc_id: str) -> None:
        with self._transaction() as db:
            documents.record_change(db, self.writer)
            documents.delete(db, doc_id)

    def generation(self) -> int:
        """A number that changes whenever any document is added, replaced or removed."""
        return documents.generation(self._db)

    def changed_elsewhere(self, since: int) -> bool:
        """Whether another process (another Register) changed the library after `since`."""
        return documents.changed_elsewhere(self._db, since, self.writer)

    def document_by_name(self, file_name: str) -> StoredDocument | None:
        return documents.by_name(self._db, file_name)

    def document_by_content(self, sha256: str) -> StoredDocument | None:
        return documents.by_content(self._db, sha256)

    def document_hashes(self) -> set[str]:
        return documents.hashes(self._db)

    def find_document(self, key: str) -> StoredDocument | None:
        """A document by doc_id or file name."""
        return documents.find(self._db, key)

    def document_text(self, doc_id: str) -> str | None:
        return documents.text(self._db, doc_id)

    # -- chunks (store.chunks, as chunk_rows: `chunks` names a document's passages) -------
    def all_chunks(self) -> list[Chunk]:
        return chunk_rows.all_chunks(self._db)

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        return chunk_rows.chunks_by_id(self._db, chunk_ids)

    def chunk_covering(self, document: str, offset: int) -> Chunk | None:
        return chunk_rows.chunk_covering(self._db, document, offset)

    def chunk_ids(self, doc_id: str) -> list[str]:
        return chunk_rows.chunk_ids(self._db, doc_id)

    def all_chunk_ids(self) -> set[str]:
        return chunk_rows.all_chunk_ids(self._db)

    def chunk_ids_matching(self, filters: dict[str, list[str]]) -> list[str]:
        return chunk_rows.chunk_ids_matching(self._db, filters)

    def count_chunks(self) -> int:
        return chunk_rows.count_chunks(self._db)

    # -- the keyword index (store.keyword_index) ---------------------------------------------
    def keyword_search(
        self,
        query: str,
        top_k: int,
        filters: dict[str, list[str]] | None = None,
        budget: int | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk_id, score) of the chunks sharing a term with the query, best first; see
        store.keyword_index.search."""
        return keyword_index.search(self.database, query, top_k, filters, budget)

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many passages' text holds each term (stemmed as store.tokens makes terms), read
        from the keyword index; with count_chunks, the inverse document frequency."""
        return keyword_index.document_frequencies(self.database, terms)

    def keyword_ids(self) -> set[str]:
        return keyword_index.ids(self._db)

    def reindex_keywords(self, add: list[Chunk], drop: list[str]) -> None:
        """Repair the keyword index: add rows for `add`, delete the rows of `drop`."""
        with self._transaction() as db:
            keyword_index.delete(db, drop)
            keyword_index.add(db, add)

    # -- read models (store.reads) ------------------------------------------------------------
    def documents(self) -> list[Document]:
        return reads.documents(self._db)

    def document(self, key: str) -> Document | None:
        """A document's facts by doc_id or file name."""
        return reads.document(self._db, key)

    def reviews(self) -> list[Review]:
        return reads.reviews(self._db)

    def recommendations(
        self, review_id: str | None = None, agency: str | None = None, status: str | None = None
    ) -> list[RecommendationRow]:
        return reads.recommendations(self._db, review_id, agency, status)

    def review_dates(self) -> dict[str, str]:
        return reads.review_dates(self._db)

    def statuses_by_review(self) -> dict[str, list[list[str]]]:
        return reads.statuses_by_review(self._db)

    def rec_keys(self) -> dict[tuple[str, str], str]:
        return reads.rec_keys(self._db)

    def recommendation_detail(self, review_id: str, rec_id: str) -> RecommendationDetail | None:
        return reads.recommendation_detail(self._db, review_id, rec_id)

    def progress_notes(self, review_id: str, rec_id: str | None = None) -> list[ProgressNoteDetail]:
        return reads.progress_notes(self._db, review_id, rec_id)

    def responses_of(self, agency: str, review_id: str | None = None) -> list[AgencyResponse]:
        return reads.responses_of(self._db, agency, review_id)

    def agencies(self) -> list[str]:
        return reads.agencies(self._db)

    # -- the agencies the documents name (store.agencies) ------------------------------------
    def library_agencies(self) -> list[LibraryAgency]:
        """Every body the documents name, with its role and the documents it appears in."""
        return agencies.library(self._db)

    def agency_merges(self) -> dict[str, str]:
        return agencies.merges(self._db)

    def set_agency_role(self, name: str, role: str | None) -> None:
        """A person's role for a body (None: the one its documents give it again)."""
        with self._transaction() as db:
            documents.record_change(db, self.writer)
            agencies.set_role(db, name, role)

    def merge_agencies(self, alias: str, name: str | None) -> None:
        """A person's word that `alias` is another name of `name` (None: undone)."""
        with self._transaction() as db:
            documents.record_change(db, self.writer)
            agencies.merge(db, alias, name)

    # -- answers, feedback, jobs, events (store.conversations) -------------------------------
    def save_answer(self, question: str, answer: dict) -> str:
        with self._transaction() as db:
            return conversations.save_answer(db, question, answer)

    def load_answer(self, answer_id: str) -> SavedAnswer | None:
        return conversations.load_answer(self._db, answer_id)

    def record_feedback(self, answer_id: str, user: str, value: str) -> None:
        with self._transaction() as db:
            conversations.record_feedback(db, answer_id, user, value)

    def feedback(self) -> list[Feedback]:
        return conversations.feedback(self._db)

    def create_job(self, document: str) -> str:
        with self._transaction() as db:
            return conversations.create_job(db, document)

    def update_job(
        self, job_id: str, state: str, outcome: dict | None = None, error: str | None = None
    ) -> None:
        with self._transaction() as db:
            conversations.update_job(db, job_id, state, outcome, error)

    def job(self, job_id: str) -> JobRecord | None:
        return conversations.job(self._db, job_id)

    def unfinished_jobs(self) -> set[str]:
        return conversations.unfinished_jobs(self._db)

    def seen(self, event_id: str) -> bool:
        return conversations.seen(self._db, event_id)

    def first_sighting(self, event_id: str) -> bool:
        """True the first time an event id is seen: Slack retries must not be answered twice."""
        with self._transaction() as db:
            return conversations.first_sighting(db, event_id)
