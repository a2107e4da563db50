"""Fault injection: an ingest stopped at each of its steps leaves the library readable, and
`check --repair` brings the stores back into agreement."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from review_assistant.ingestion import Ingestor
from review_assistant.settings import Settings
from review_assistant.store.consistency import check
from review_assistant.store.stores import Stores
from tests.support.documents import RESPONSE_TEXT

CHANGED = RESPONSE_TEXT.replace("keep a log of births", "run a birth register")


class Crash(BaseException):
    """A stop no handler catches, like a kill between two statements."""


@pytest.fixture
def stores(tmp_path: Path, database_url):
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data", REVIEW_ASSISTANT_DATABASE_URL=database_url
    )
    stores = Stores(settings.store)
    yield stores
    stores.close()


def crash_at(monkeypatch, target, name: str, after: bool) -> None:
    """Stop the process (as far as the ingest can tell) just before or after `target.name`."""
    real = getattr(target, name)

    def crash(*args, **kwargs):
        if after:
            real(*args, **kwargs)
        raise Crash(name)

    monkeypatch.setattr(target, name, crash)


@pytest.mark.parametrize(
    ("where", "step", "after"),
    [
        ("vectors", "add", True),  # new vectors written, register not swapped
        ("register", "replace_document", False),  # the same, seen from the register
        ("vectors", "delete_chunks", False),  # swapped, old vectors not yet deleted
    ],
)
def test_a_replacement_stopped_at_each_step_is_repaired(
    stores, tmp_path, monkeypatch, where, step, after
):
    path = tmp_path / "child-q.txt"
    path.write_text(RESPONSE_TEXT)
    with Ingestor(stores) as ingestor:
        ingestor.ingest([path], progress=False)
        assert check(stores).consistent
        path.write_text(CHANGED)
        crash_at(monkeypatch, getattr(stores, where), step, after)
        with pytest.raises(Crash):
            ingestor.ingest_file(path)
    monkeypatch.undo()
    # readers see one whole version: the old one, or the new one once the swap committed
    texts = " ".join(c.text for c in stores.register.all_chunks())
    swapped = step == "delete_chunks"
    assert ("birth register" in texts) == swapped and ("log of births" in texts) != swapped
    found = check(stores)
    assert not found.consistent  # the stop left vectors behind
    assert check(stores, repair=True).repaired
    assert check(stores).consistent
    assert stores.vectors.ids() == stores.register.all_chunk_ids()


def test_missing_vectors_and_keyword_rows_are_rebuilt(stores, tmp_path):
    path = tmp_path / "child-q.txt"
    path.write_text(RESPONSE_TEXT)
    with Ingestor(stores) as ingestor:
        ingestor.ingest([path], progress=False)
    ids = sorted(stores.register.all_chunk_ids())
    stores.vectors.delete_chunks(ids[:2])
    stores.register.reindex_keywords([], ids[2:3])
    (stores.config.data_dir / "bm25").mkdir()  # an older version's keyword folder
    found = check(stores)
    assert found.missing_vectors == ids[:2] and found.missing_keywords == ids[2:3]
    assert len(found.leftovers) == 1
    check(stores, repair=True)
    assert check(stores).consistent and not (stores.config.data_dir / "bm25").exists()


def test_a_repair_waits_for_a_writer_in_another_process(tmp_path: Path):
    """A repair started while another writer is half-way (vectors added, register not yet)
    must not take that writer's new vectors for orphans: it waits for the write lock."""
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data")
    writer, other = Stores(settings.store), Stores(settings.store)
    path = tmp_path / "child-q.txt"
    path.write_text(RESPONSE_TEXT)
    with Ingestor(writer) as ingestor:
        ingestor.ingest([path], progress=False)
    chunks = writer.register.all_chunks()
    in_flight = [c.model_copy(update={"chunk_id": c.chunk_id + "-new"}) for c in chunks]
    repaired = threading.Event()
    with writer.writing():
        writer.vectors.add(in_flight, writer.vectors.embed(in_flight))
        repair = threading.Thread(target=lambda: (check(other, repair=True), repaired.set()))
        repair.start()
        assert not repaired.wait(2)  # blocked on the lock (flock: per open file, not process)
        writer.vectors.delete_chunks([c.chunk_id for c in in_flight])  # the writer finishes
    repair.join(60)
    assert repaired.is_set() and check(other).consistent
    writer.close()
    other.close()


def test_a_vector_read_that_fails_mid_write_elsewhere_reopens_and_answers(stores, tmp_path):
    from chromadb.errors import InternalError

    path = tmp_path / "child-q.txt"
    path.write_text(RESPONSE_TEXT)
    with Ingestor(stores) as ingestor:
        ingestor.ingest([path], progress=False)
    if not stores.vectors.embedded:
        pytest.skip("only an embedded index is read while another process writes it")
    collection = stores.vectors._collection
    real = collection.query
    calls = []

    def fails_once(*args, **kwargs):  # what a read racing another process's write raises
        calls.append(1)
        if len(calls) == 1:
            raise InternalError("Error executing plan: Internal error: Error finding id")
        return real(*args, **kwargs)

    collection.query = fails_once
    hits = stores.vectors.retriever(3, None).retrieve("a log of births")
    assert hits and "log of births" in hits[0].node.get_content()
    assert stores.vectors._collection is not collection  # reopened


def test_originals_of_no_document_and_uploads_of_no_job_are_found_and_cleared(stores, tmp_path):
    from review_assistant.store.spool import Spool

    doc = tmp_path / "child-q.txt"
    doc.write_text(RESPONSE_TEXT)
    with Ingestor(stores) as ingestor:
        ingestor.ingest([doc], progress=False)
    kept = stores.originals.stored()
    assert len(kept) == 1 and check(stores).consistent
    stores.originals.save("ab" * 32, b"bytes of a document never written")  # killed after
    stray = stores.originals.path("cd" * 32).with_suffix(".partial")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"half")  # a write the disk cut short
    spool = Spool(stores.config.spool_dir)
    ended = stores.register.create_job("ended.txt")
    spool.save(ended, b"x", {"name": "ended.txt", "replace": False})
    stores.register.update_job(ended, "done")
    spool.release(ended)  # its files stay, as when a process dies before clearing them
    living = Spool(stores.config.spool_dir)  # another process, with a job still to run
    waiting = stores.register.create_job("waiting.txt")
    living.save(waiting, b"y", {"name": "waiting.txt", "replace": False})

    found = check(stores)
    assert len(found.orphan_originals) == 2 and found.orphan_uploads == [ended]
    assert "2 original file(s) of no document" in found.summary()
    repaired = check(stores, repair=True)
    assert repaired.repaired and check(stores).consistent
    assert stores.originals.stored() == kept  # the document's own original stays
    assert living.has(waiting) and not spool.has(ended)
