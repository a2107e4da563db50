"""The keyword index's two columns on each back end: document frequencies of a passage's own
text, and a register of the previous layout upgraded in place with its ranking unchanged."""

from __future__ import annotations

import pytest

from review_assistant.store.config import StoreConfig
from review_assistant.store.database import open_database
from review_assistant.store.nodes import keyword_columns
from review_assistant.store.register import SCHEMA_VERSION, Register
from review_assistant.store.schema import schema_version
from tests.support.registers import document

# the keyword index of schema 5: one column holding the context's terms, then the passage's
_OLD_LAYOUT = {
    "sqlite": [
        "DROP TABLE chunk_column_vocab",
        "DROP TABLE chunk_vocab",
        "DROP TABLE chunk_terms",
        "CREATE VIRTUAL TABLE chunk_terms USING fts5(chunk_id UNINDEXED, body, "
        "tokenize = 'unicode61')",
        "CREATE VIRTUAL TABLE chunk_vocab USING fts5vocab(chunk_terms, 'row')",
    ],
    "postgresql": [
        "DROP TABLE chunk_terms",
        "CREATE TABLE chunk_terms (chunk_id TEXT PRIMARY KEY, body TEXT NOT NULL, "
        "terms tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)",
        "CREATE INDEX chunk_terms_search ON chunk_terms USING gin (terms)",
    ],
}

TEXTS = [
    ("Escalation of neglect concerns through the escalation policy.", "1"),
    ("Escalation was discussed at the strategy meeting.", "2"),
    ("The health visitor saw neglect at home.", None),
    ("Records were shared with the school nurse.", "2"),
]


@pytest.fixture
def config(tmp_path, database_url) -> StoreConfig:
    return StoreConfig(tmp_path, database_url=database_url)


def test_document_frequencies_count_the_passages_text_not_its_context(config):
    register = Register(open_database(config))
    doc, chunks = document("a.txt", TEXTS, review="child-hartley")
    register.replace_document(doc, chunks, None)
    frequencies = register.document_frequencies(["escal", "neglect", "hartley", "unseen"])
    # "hartley" is in every row's context (the review's name), in no passage's text
    assert frequencies == {"escal": 2, "neglect": 2, "hartley": 0, "unseen": 0}
    assert [cid for cid, _ in register.keyword_search("Hartley", 10)]  # context still searched
    assert register.document_frequencies([]) == {}
    register.remove_document(doc.doc_id)
    assert register.document_frequencies(["escal"]) == {"escal": 0}
    register.close()


def _to_schema_5(register: Register) -> None:
    chunks = register.all_chunks()
    with register._transaction() as db:
        for statement in _OLD_LAYOUT[register.database.name]:
            db.execute(statement)
        db.executemany(
            "INSERT INTO chunk_terms (chunk_id, body) VALUES (?, ?)",
            [(c.chunk_id, " ".join(keyword_columns(c))) for c in chunks],
        )
        db.execute("UPDATE meta SET value = 5 WHERE key = 'schema'")


QUERIES = ["neglect escalation", "escalation", "records school", "Child-Hartley neglect", "2"]


def test_a_register_of_schema_5_is_upgraded_with_its_ranking_unchanged(config):
    register = Register(open_database(config))
    doc, chunks = document("a.txt", TEXTS, review="child-hartley")
    register.replace_document(doc, chunks, None)
    _to_schema_5(register)
    before = {q: register.keyword_search(q, 10) for q in QUERIES}  # the search reads both
    assert before["neglect escalation"]
    register.close()

    upgraded = Register(open_database(config))
    assert schema_version(upgraded.database) == SCHEMA_VERSION
    assert {q: upgraded.keyword_search(q, 10) for q in QUERIES} == before
    assert upgraded.keyword_ids() == {c.chunk_id for c in chunks}
    assert upgraded.document_frequencies(["neglect"]) == {"neglect": 2}
    upgraded.close()
    again = Register(open_database(config))  # an upgraded register opens as it is
    assert {q: again.keyword_search(q, 10) for q in QUERIES} == before
    again.close()


# a document whose second passage sits under the board's part of the report
BOARD_TEXT = (
    "The partnership\n\nLeaders track every referral closely.\n\n"
    "The Kestrel Safeguarding Board\n\nRecommendations\n\nAgree a plan for audits."
)


def _board_document():
    """The document, its passages (without headings, as version 7 wrote them) and the
    passage under the board's headings."""
    doc, chunks = document("b.txt", [("Leaders track every referral closely.", None)])
    doc = doc.model_copy(update={"text": BOARD_TEXT})
    under = BOARD_TEXT.index("Agree")
    board = chunks[0].model_copy(
        update={"chunk_id": "b.txt-1", "start": under, "end": len(BOARD_TEXT),
                "text": "Agree a plan for audits."}
    )  # fmt: skip
    chunks[0] = chunks[0].model_copy(update={"start": BOARD_TEXT.index("Leaders")})
    return doc, [chunks[0], board]


def test_the_headings_a_passage_sits_under_are_searched_in_its_context(config):
    register = Register(open_database(config))
    doc, chunks = _board_document()
    chunks[1].headings = ["The Kestrel Safeguarding Board", "Recommendations"]
    register.replace_document(doc, chunks, None)
    assert [cid for cid, _ in register.keyword_search("Kestrel board", 10)] == ["b.txt-1"]
    assert register.document_frequencies(["kestrel"]) == {"kestrel": 0}  # not its text
    register.close()


def test_a_register_of_schema_7_reads_its_passages_headings_when_upgraded(config):
    register = Register(open_database(config))
    doc, chunks = _board_document()
    register.replace_document(doc, chunks, None)
    assert register.keyword_search("Kestrel board", 10) == []
    with register._transaction() as db:
        db.execute("UPDATE meta SET value = 7 WHERE key = 'schema'")
    register.close()

    upgraded = Register(open_database(config))
    assert schema_version(upgraded.database) == SCHEMA_VERSION == 8
    stored = upgraded.chunks_by_id(["b.txt-0", "b.txt-1"])
    assert stored["b.txt-1"].headings == [
        "The partnership",
        "The Kestrel Safeguarding Board / Recommendations",
    ]
    assert stored["b.txt-0"].headings == ["The partnership"]
    assert [cid for cid, _ in upgraded.keyword_search("Kestrel board", 10)] == ["b.txt-1"]
    upgraded.close()
