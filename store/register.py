"""The structured register: documents, reviews, recommendations, responses, chunks, and the
keyword index over the chunks, in SQLite (embedded) or PostgreSQL (shared); see store.database.

It is the source of truth: a passage found in the vector index counts only if its chunk is
here, so a crash between writes never surfaces half-ingested documents. The keyword index is
written in the same transaction as the chunks, so it can never be stale, and adding or
removing a document costs time proportional to that document.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from review_assistant.ingest import recids
from review_assistant.ingest.types import Chunk, ParsedDocument
from review_assistant.store.database import Connection, Database, Row
from review_assistant.store.nodes import keyword_terms, keyword_text

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
CREATE INDEX IF NOT EXISTS responses_by_rec ON responses(review_id, rec_id);
CREATE INDEX IF NOT EXISTS responses_by_doc ON responses(doc_id, rec_id);
CREATE INDEX IF NOT EXISTS recs_by_review ON recommendations(review_id);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_by_review ON chunks(review_id);
CREATE INDEX IF NOT EXISTS chunks_by_recommendation ON chunks(recommendation);
CREATE INDEX IF NOT EXISTS documents_by_content ON documents(sha256);
"""


SCHEMA_VERSION = 5


class OutdatedRegister(Exception):
    """The data directory was written by an older version; re-ingest into a new one."""


class Register:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.writer = uuid.uuid4().hex  # which process (or store) made a change
        if database.has_table("documents"):
            version = self._schema_version()
            if version < SCHEMA_VERSION:
                raise OutdatedRegister(
                    f"the register was written by an older Review Assistant (schema {version}); "
                    "ingest the documents again into a new data directory or database"
                )
        database.create_schema(SCHEMA)
        with database.transaction() as db:
            db.execute(
                "INSERT INTO meta VALUES ('schema', ?) ON CONFLICT(key) DO NOTHING",
                (SCHEMA_VERSION,),
            )

    def _schema_version(self) -> int:
        if not self.database.has_table("meta"):
            return 0
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return row["value"] if row else 0

    @property
    def _db(self) -> Connection:
        """This thread's connection."""
        return self.database.connection()

    def close(self) -> None:
        self.database.close()

    def _transaction(self):
        return self.database.transaction()

    # -- documents --------------------------------------------------------------------------
    def document_by_name(self, file_name: str) -> Row | None:
        return self._db.execute(
            "SELECT doc_id, file_name, sha256, title, review_id FROM documents WHERE file_name = ?",
            (file_name,),
        ).fetchone()

    def document_by_content(self, sha256: str) -> Row | None:
        """A document with exactly these bytes, whatever its name."""
        return self._db.execute(
            "SELECT doc_id, file_name, sha256, title, review_id FROM documents WHERE sha256 = ? "
            "ORDER BY ingested_at LIMIT 1",
            (sha256,),
        ).fetchone()

    def find_document(self, key: str) -> Row | None:
        """A document by doc_id or file name."""
        return self._db.execute(
            "SELECT doc_id, file_name, sha256, title, review_id FROM documents "
            "WHERE doc_id = ? OR file_name = ?",
            (key, key),
        ).fetchone()

    def document_text(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row["text"] if row else None

    def chunk_ids(self, doc_id: str) -> list[str]:
        rows = self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))
        return [row["chunk_id"] for row in rows]

    def replace_document(
        self, doc: ParsedDocument, chunks: list[Chunk], old_doc_id: str | None
    ) -> None:
        """Write a parsed document and its chunks in one transaction, replacing an old version."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as db:
            _bump_generation(db, self.writer)
            for doc_id in dict.fromkeys(filter(None, (old_doc_id, doc.doc_id))):
                _delete_document(db, doc_id)
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.doc_id,
                    doc.file_name,
                    doc.sha256,
                    doc.source_format,
                    doc.title,
                    doc.review_id,
                    doc.review,
                    doc.partnership,
                    doc.doc_type.value,
                    doc.date,
                    json.dumps(doc.dates),
                    len(doc.pages),
                    doc.ocr_pages,
                    doc.text,
                    now,
                    int(doc.check.doubtful),
                    json.dumps(doc.check.problems),
                ),
            )
            db.executemany(
                "INSERT INTO findings VALUES (?,?,?,?,?,?,?)",
                [
                    (doc.doc_id, doc.review_id, f.finding_id, f.text, f.start, f.end, f.page)
                    for f in doc.findings
                ],
            )
            for seq, rec in enumerate(doc.recommendations):
                db.execute(
                    "INSERT INTO recommendations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        doc.doc_id,
                        doc.review_id,
                        rec.rec_id,
                        seq,
                        rec.heading,
                        rec.finding_id,
                        rec.title,
                        rec.text,
                        json.dumps([p.model_dump() for p in rec.parts]),
                        rec.start,
                        rec.end,
                        rec.page,
                        json.dumps(rec.shared_with),
                        rec.group_key,
                        rec.numbered_as,
                    ),
                )
                db.executemany(
                    "INSERT INTO responses VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            doc.doc_id,
                            doc.review_id,
                            rec.rec_id,
                            r.agency,
                            r.text,
                            r.start,
                            r.end,
                            r.page_start,
                            r.page_end,
                            r.status,
                            json.dumps(r.dates),
                            r.deadline,
                        )
                        for r in rec.responses
                    ],
                )
            db.executemany(
                "INSERT INTO progress_notes VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (
                        doc.doc_id,
                        doc.review_id,
                        n.rec_id,
                        n.text,
                        json.dumps(n.agencies),
                        n.start,
                        n.end,
                        n.page,
                        n.date,
                    )
                    for n in doc.progress_notes
                ],
            )
            db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                [
                    (c.chunk_id, doc.doc_id, i, c.model_dump_json(), c.review_id,
                     c.recommendation, c.start, c.end)
                    for i, c in enumerate(chunks)
                ],
            )  # fmt: skip
            db.executemany(
                "INSERT INTO chunk_terms (chunk_id, body) VALUES (?, ?)",
                [(c.chunk_id, keyword_text(c)) for c in chunks],
            )

    def remove_document(self, doc_id: str) -> None:
        with self._transaction() as db:
            _bump_generation(db, self.writer)
            _delete_document(db, doc_id)

    def generation(self) -> int:
        """A number that changes whenever any document is added, replaced or removed."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return row["value"] if row else 0

    def changed_elsewhere(self, since: int) -> bool:
        """Whether another process (another Register) changed the library after `since`."""
        row = self._db.execute(
            "SELECT 1 FROM writes WHERE generation > ? AND writer != ? LIMIT 1",
            (since, self.writer),
        ).fetchone()
        return row is not None

    def all_chunk_ids(self) -> set[str]:
        return {row["chunk_id"] for row in self._db.execute("SELECT chunk_id FROM chunks")}

    def keyword_ids(self) -> set[str]:
        return {row["chunk_id"] for row in self._db.execute("SELECT chunk_id FROM chunk_terms")}

    def reindex_keywords(self, add: list[Chunk], drop: list[str]) -> None:
        """Repair the keyword index: add rows for `add`, delete the rows of `drop`."""
        with self._transaction() as db:
            db.executemany("DELETE FROM chunk_terms WHERE chunk_id = ?", [(c,) for c in drop])
            db.executemany(
                "INSERT INTO chunk_terms (chunk_id, body) VALUES (?, ?)",
                [(c.chunk_id, keyword_text(c)) for c in add],
            )

    def documents(self) -> list[dict]:
        rows = self._db.execute(
            "SELECT doc_id, file_name, title, review_id, review, partnership, doc_type, date, "
            "pages, ocr_pages, ingested_at, doubtful, problems FROM documents ORDER BY file_name"
        )
        return [
            dict(row) | {"doubtful": bool(row["doubtful"]), "problems": json.loads(row["problems"])}
            for row in rows
        ]

    # -- chunks -----------------------------------------------------------------------------
    def all_chunks(self) -> list[Chunk]:
        rows = self._db.execute("SELECT data FROM chunks ORDER BY doc_id, seq")
        return [Chunk.model_validate_json(row["data"]) for row in rows]

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._db.execute(
            f"SELECT chunk_id, data FROM chunks WHERE chunk_id IN ({marks})", chunk_ids
        )
        return {row["chunk_id"]: Chunk.model_validate_json(row["data"]) for row in rows}

    def chunk_covering(self, document: str, offset: int) -> Chunk | None:
        """The chunk of a document (by file name) whose span holds a character offset."""
        row = self._db.execute(
            "SELECT c.data FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
            "WHERE d.file_name = ? AND c.char_start <= ? AND c.char_end > ? "
            "ORDER BY c.seq LIMIT 1",
            (document, offset, offset),
        ).fetchone()
        return Chunk.model_validate_json(row["data"]) if row else None

    def keyword_search(
        self,
        query: str,
        top_k: int,
        filters: dict[str, list[str]] | None = None,
        budget: int | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk_id, score) of the chunks sharing a term with the query (terms as
        store.nodes.keyword_terms makes them), best first, with filters on chunk columns
        (review_id, recommendation); higher scores are better.

        With a `budget`, the query's commonest terms are left out once the passages its terms
        match would exceed it: scoring costs time per matching passage, and a term found in
        thousands of passages adds little to a ranking (its inverse document frequency is low)."""
        terms = list(dict.fromkeys(keyword_terms(query)))
        if budget and len(terms) > 1:
            counts = self.database.term_counts(terms)
            if counts is not None:
                terms = within_budget(terms, counts, budget)
        if not terms:
            return []
        where, args = _where(filters or {})
        sql, term_args = self.database.keyword_search_sql(terms, where)
        rows = self._db.execute(sql, [*term_args, *args, top_k])
        return [(row["chunk_id"], float(row["score"])) for row in rows]

    def chunk_ids_matching(self, filters: dict[str, list[str]]) -> list[str]:
        """The chunks whose columns (review_id, recommendation) hold one of the given values."""
        where, args = _where(filters)
        condition = " AND ".join(where) or "1 = 1"
        rows = self._db.execute(f"SELECT chunk_id FROM chunks c WHERE {condition}", args)
        return [row["chunk_id"] for row in rows]

    def count_chunks(self) -> int:
        return self._db.execute("SELECT COUNT(*) AS n FROM chunks").fetchone()["n"]

    # -- reviews and recommendations ---------------------------------------------------------
    def reviews(self) -> list[dict]:
        """One row per review: its name, title, partnership, document types and rec count."""
        rows = self._db.execute(
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
        return list(reviews.values())

    def recommendations(
        self, review_id: str | None = None, agency: str | None = None, status: str | None = None
    ) -> list[dict]:
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
        # every response of the same recommendations in one query, not one per recommendation
        answers: dict[tuple[str, str], list] = {}
        response_query = "SELECT doc_id, rec_id, agency, status FROM responses"
        rows = self._db.execute(
            response_query + (" WHERE review_id = ?" if review_id else ""), args
        )
        for response in rows:
            answers.setdefault((response["doc_id"], response["rec_id"]), []).append(response)
        out = []
        for row in self._db.execute(query, args).fetchall():
            responses = answers.get((row["doc_id"], row["rec_id"]), [])
            agencies = sorted({r["agency"] for r in responses})
            statuses = sorted({r["status"] for r in responses if r["status"]})
            if (agency and agency not in agencies) or (status and status not in statuses):
                continue
            out.append(
                {
                    "review_id": row["review_id"],
                    "review": row["review"],
                    "rec_id": row["rec_id"],
                    "finding": row["finding_id"],
                    "title": row["title"],
                    "text": row["text"],
                    "agencies": agencies,
                    "statuses": statuses,
                    "shared_with": json.loads(row["shared_with"]),
                    "page": row["page"],
                    "document": row["file_name"],
                }
            )
        return out

    def review_dates(self) -> dict[str, str]:
        """Each review's earliest document date (the columns before a document's text only)."""
        rows = self._db.execute(
            "SELECT review_id, MIN(date) AS date FROM documents WHERE date IS NOT NULL "
            "GROUP BY review_id"
        )
        return {row["review_id"]: row["date"] for row in rows}

    def statuses_by_review(self) -> dict[str, list[list[str]]]:
        """For each review, each recommendation's status words (one query for the library; a
        recommendation listed by several of the review's documents counts once)."""
        rows = self._db.execute(
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

    def rec_keys(self) -> dict[tuple[str, str], str]:
        """(review_id, rec_id) -> the key its chunks carry (for a shared response: the group)."""
        rows = self._db.execute("SELECT review_id, rec_id, group_key FROM recommendations")
        return {(row["review_id"], row["rec_id"]): row["group_key"] for row in rows}

    def recommendation_detail(self, review_id: str, rec_id: str) -> dict | None:
        """A recommendation's text, each agency's response (status, dates, citation) and the
        progress notes later documents recorded on it."""
        row = self._db.execute(
            "SELECT r.*, d.file_name, d.review, d.title FROM recommendations r "
            "JOIN documents d ON d.doc_id = r.doc_id WHERE r.review_id = ? AND r.rec_id = ? "
            "ORDER BY d.doc_type LIMIT 1",
            (review_id, rec_id),
        ).fetchone()
        if row is None:
            return None
        responses = [
            _response(r, row["file_name"])
            for r in self._db.execute(
                "SELECT * FROM responses WHERE doc_id = ? AND rec_id = ? ORDER BY start",
                (row["doc_id"], rec_id),
            )
        ]
        return {
            "review_id": review_id,
            "review": row["review"],
            "rec_id": rec_id,
            "heading": row["heading"],
            "finding": row["finding_id"],
            "title": row["title"],
            "text": row["text"],
            "parts": json.loads(row["parts"]),
            "shared_with": json.loads(row["shared_with"]),
            "citation": _citation(
                row["file_name"], row["page"], row["page"], row["start"], row["end"]
            ),
            "responses": responses,
            "progress_notes": self.progress_notes(review_id, rec_id),
        }

    def progress_notes(self, review_id: str, rec_id: str | None = None) -> list[dict]:
        """Notes on a review (or one recommendation: a note on "1" concerns "1a" and "1b")."""
        rows = self._db.execute(
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
                {
                    "rec_id": note_rec,
                    "text": row["text"],
                    "agencies": json.loads(row["agencies"]),
                    "date": row["date"],
                    "citation": _citation(
                        row["file_name"], row["page"], row["page"], row["start"], row["end"]
                    ),
                }
            )
        return notes

    def responses_of(self, agency: str, review_id: str | None = None) -> list[dict]:
        """Every response an agency gave, with its recommendation, in document order."""
        query = (
            "SELECT r.*, d.file_name, d.review FROM responses r JOIN documents d "
            "ON d.doc_id = r.doc_id WHERE r.agency = ?"
        )
        args = [agency]
        if review_id:
            query += " AND r.review_id = ?"
            args.append(review_id)
        rows = self._db.execute(query + " ORDER BY r.review_id, r.start", args).fetchall()
        return [
            {"review_id": row["review_id"], "review": row["review"], "rec_id": row["rec_id"]}
            | _response(row, row["file_name"])
            for row in rows
        ]

    # -- chat: answers given, feedback on them, events already handled -----------------------
    def save_answer(self, question: str, answer: dict) -> str:
        """Keep an answer given (as plain JSON data) so feedback and sharing can refer to it."""
        answer_id = uuid.uuid4().hex[:16]
        with self._transaction() as db:
            db.execute(
                "INSERT INTO answers VALUES (?,?,?,?)",
                (answer_id, question, json.dumps(answer), _now()),
            )
        return answer_id

    def load_answer(self, answer_id: str) -> tuple[str, dict] | None:
        row = self._db.execute(
            "SELECT question, data FROM answers WHERE answer_id = ?", (answer_id,)
        ).fetchone()
        return (row["question"], json.loads(row["data"])) if row else None

    def record_feedback(self, answer_id: str, user: str, value: str) -> None:
        question, answer = self.load_answer(answer_id) or ("", {})
        with self._transaction() as db:
            db.execute(
                "INSERT INTO feedback VALUES (?,?,?,?,?,?)",
                (answer_id, question, answer.get("answer", ""), user, value, _now()),
            )

    def feedback(self) -> list[dict]:
        rows = self._db.execute("SELECT * FROM feedback ORDER BY created_at")
        return [dict(row) for row in rows]

    # -- ingest jobs (visible to every process sharing the data directory) ------------------
    def create_job(self, document: str) -> str:
        job_id = uuid.uuid4().hex[:16]
        with self._transaction() as db:
            db.execute(
                "INSERT INTO jobs VALUES (?,?,?,?,?,?,?)",
                (job_id, document, "queued", None, None, _now(), _now()),
            )
        return job_id

    def update_job(
        self, job_id: str, state: str, outcome: dict | None = None, error: str | None = None
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE jobs SET state = ?, outcome = ?, error = ?, updated_at = ? "
                "WHERE job_id = ?",
                (state, json.dumps(outcome) if outcome else None, error, _now(), job_id),
            )

    def job(self, job_id: str) -> dict | None:
        row = self._db.execute("SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        return dict(row) | {"outcome": json.loads(row["outcome"]) if row["outcome"] else None}

    def first_sighting(self, event_id: str) -> bool:
        """True the first time an event id is seen: Slack retries must not be answered twice."""
        with self._transaction() as db:
            inserted = db.execute(
                "INSERT INTO slack_events VALUES (?, ?) ON CONFLICT DO NOTHING", (event_id, _now())
            ).rowcount
        return inserted == 1

    def agencies(self) -> list[str]:
        rows = self._db.execute("SELECT DISTINCT agency FROM responses ORDER BY agency")
        return [row["agency"] for row in rows]


_FILTERABLE = {"review_id", "recommendation"}


def _where(filters: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """SQL conditions on the chunks (aliased c) for column filters, and their arguments."""
    where, args = [], []
    for column, values in filters.items():
        if column not in _FILTERABLE:
            raise ValueError(f"cannot filter passages on {column!r}")
        where.append(f"c.{column} IN ({','.join('?' * len(values))})")
        args.extend(values)
    return where, args


def within_budget(terms: list[str], counts: dict[str, int], budget: int) -> list[str]:
    """The rarest terms whose passages add up to at most `budget`, and always the rarest."""
    kept, total = [], 0
    for term in sorted(terms, key=lambda t: counts.get(t, 0)):
        total += counts.get(term, 0)
        if kept and total > budget:
            break
        kept.append(term)
    return kept


def _delete_document(db: Connection, doc_id: str) -> None:
    """A document and everything hanging from it (the keyword rows have no foreign key)."""
    db.execute(
        "DELETE FROM chunk_terms WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)",
        (doc_id,),
    )
    db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))


def _bump_generation(db: Connection, writer: str) -> None:
    db.execute(
        "INSERT INTO meta VALUES ('generation', 1) "
        "ON CONFLICT(key) DO UPDATE SET value = meta.value + 1"
    )
    db.execute(
        "INSERT INTO writes VALUES ((SELECT value FROM meta WHERE key = 'generation'), ?) "
        "ON CONFLICT(generation) DO UPDATE SET writer = excluded.writer",
        (writer,),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _response(row: Row, document: str) -> dict:
    """An agency's response as the API and the answerer use it, with its citation."""
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


def _citation(document: str, page: int, page_end: int, start: int, end: int) -> dict:
    return {"document": document, "page": page, "page_end": page_end, "start": start, "end": end}
