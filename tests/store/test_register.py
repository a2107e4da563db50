"""The register on documents the test builds: keyword search, filters, replacement, threads,
on each back end (SQLite, and PostgreSQL when it is installed)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from review_assistant.store.config import StoreConfig
from review_assistant.store.database import open_database
from review_assistant.store.keyword import KeywordRetriever
from review_assistant.store.register import OutdatedRegister, Register, within_budget
from tests.support.registers import document


@pytest.fixture
def register(tmp_path: Path, database_url) -> Register:
    register = Register(open_database(StoreConfig(tmp_path, database_url=database_url)))
    yield register
    register.close()


def ids(register: Register, query: str, **filters) -> list[str]:
    return [cid for cid, _ in register.keyword_search(query, 10, filters)]


def test_keyword_search_ranks_stems_and_filters(register):
    doc, chunks = document(
        "a.txt",
        [("Midwives now record every unborn baby.", "1"),
         ("Health visitors checked registrations with the GP.", "2"),
         ("The GP registered the baby and the GP shared records.", "2")],
    )  # fmt: skip
    register.replace_document(doc, chunks, None)
    assert ids(register, "registering babies with a GP")[0] == "a.txt-2"
    assert set(ids(register, "recording")) == {"a.txt-0", "a.txt-2"}  # one stem, many forms
    assert ids(register, "unborn", recommendation=["2"]) == []
    assert ids(register, "unborn", recommendation=["1", "2"], review_id=["child-t"]) == ["a.txt-0"]
    with pytest.raises(ValueError):
        register.keyword_search("gp", 5, {"text": ["x"]})


@pytest.mark.parametrize("query", ['"quoted" NEAR(x y)', "a* OR -b AND c:", "' ; DROP TABLE"])
def test_query_syntax_is_never_interpreted(register, query):
    doc, chunks = document("a.txt", [("Quoted drop table near records.", None)])
    register.replace_document(doc, chunks, None)
    assert ids(register, query + " records") == ["a.txt-0"]  # no syntax error, no injection
    assert ids(register, "the and of") == []  # stop words only: nothing to match


def test_replacing_and_removing_keep_the_keyword_index_exact(register):
    doc, chunks = document("a.txt", [("Old wording about escalation.", None)])
    register.replace_document(doc, chunks, None)
    new_doc, new_chunks = document("a.txt", [("New wording about thresholds.", None)])
    new_doc = new_doc.model_copy(update={"doc_id": "id-a2"})
    new_chunks = [c.model_copy(update={"doc_id": "id-a2", "chunk_id": "a2-0"}) for c in new_chunks]
    register.replace_document(new_doc, new_chunks, doc.doc_id)
    assert ids(register, "escalation") == [] and ids(register, "thresholds") == ["a2-0"]
    register.remove_document("id-a2")
    assert ids(register, "thresholds") == []


def test_the_retriever_returns_the_nodes_the_vector_store_holds(register):
    doc, chunks = document("a.txt", [("Escalation policy was revised.", "3")])
    register.replace_document(doc, chunks, None)
    [hit] = KeywordRetriever(register, 5, None).retrieve("escalation")
    assert hit.node.node_id == "a.txt-0" and hit.node.get_content() == chunks[0].text
    assert hit.score > 0


def test_readers_on_other_threads_see_committed_writes(register):
    doc, chunks = document("a.txt", [("Escalation policy was revised.", None)])
    register.replace_document(doc, chunks, None)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(ids(register, "escalation")))
    thread.start()
    thread.join()
    assert seen == [["a.txt-0"]]


def test_scores_rank_the_passage_with_more_matching_terms_first(register):
    doc, chunks = document(
        "a.txt",
        [("Escalation was discussed.", None),
         ("Escalation of neglect concerns through the escalation policy.", None)],
    )  # fmt: skip
    register.replace_document(doc, chunks, None)
    hits = register.keyword_search("neglect escalation", 10)
    assert [cid for cid, _ in hits] == ["a.txt-1", "a.txt-0"] and hits[0][1] > hits[1][1] > 0


def test_a_second_register_on_the_same_database_sees_writes(tmp_path, database_url):
    config = StoreConfig(tmp_path, database_url=database_url)
    first, second = Register(open_database(config)), Register(open_database(config))
    doc, chunks = document("a.txt", [("Escalation policy was revised.", "3")])
    first.replace_document(doc, chunks, None)
    assert ids(second, "escalation") == ["a.txt-0"]
    assert second.changed_elsewhere(0) and not first.changed_elsewhere(0)
    assert second.chunk_covering("a.txt", 3).chunk_id == "a.txt-0"
    assert second.first_sighting("event-1") and not first.first_sighting("event-1")
    first.close()
    second.close()


def test_an_older_register_is_refused_with_what_to_do(tmp_path, database_url):
    config = StoreConfig(tmp_path, database_url=database_url)
    register = Register(open_database(config))
    with register._transaction() as db:
        db.execute("UPDATE meta SET value = 4 WHERE key = 'schema'")
    register.close()
    with pytest.raises(OutdatedRegister, match="ingest the documents again"):
        Register(open_database(config))


def test_the_budget_keeps_the_rarest_terms_and_always_one():
    counts = {"neglect": 3, "escalat": 40, "agenc": 900}
    assert within_budget(["agenc", "neglect", "escalat"], counts, 50) == ["neglect", "escalat"]
    assert within_budget(["agenc", "escalat"], counts, 10) == ["escalat"]
    assert within_budget(["unseen", "agenc"], counts, 10) == ["unseen"]  # absent: free
    assert within_budget(["agenc"], counts, 10) == ["agenc"]


def test_a_budget_leaves_common_words_out_of_a_large_library(register):
    texts = [(f"Escalation meeting number {n}.", None) for n in range(6)]
    doc, chunks = document("a.txt", [*texts, ("Neglect was seen at home.", None)])
    register.replace_document(doc, chunks, None)
    everything = ids(register, "neglect escalation")
    assert len(everything) == 7
    budgeted = [c for c, _ in register.keyword_search("neglect escalation", 10, budget=3)]
    if register.database.term_counts(["neglect"]) is None:
        assert budgeted == everything  # an engine without term counts scores every match
    else:
        assert budgeted == ["a.txt-6"]
