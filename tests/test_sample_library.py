"""The sample library the golden tests share (see tests/conftest.py): a private copy opens
whole, its embedded Chroma included, and finds what the shared one finds; the fingerprint that
guards the shared one stays put while a library is only read and sees every kind of write a
test makes."""

from __future__ import annotations

from review_assistant.library import Library
from review_assistant.settings import Settings
from tests.support.sample_library import changes, fingerprint
from tests.support.samples import SAMPLE_AGENCIES


def nearest(stores, question: str) -> list[str]:
    return [n.node.node_id for n in stores.vector_retriever(5, None).retrieve(question)]


def test_a_private_copy_opens_with_every_passage_and_vector(sample_stores, private_sample_stores):
    shared, private = sample_stores, private_sample_stores
    assert private.config.data_dir != shared.config.data_dir
    chunk_ids = private.register.all_chunk_ids()
    assert len(chunk_ids) > 300 and chunk_ids == shared.register.all_chunk_ids()
    assert private.vectors.ids() == chunk_ids  # the copied Chroma folder holds every vector
    question = "babies not registered with a GP"
    assert nearest(private, question) == nearest(shared, question) != []


def test_reading_a_library_leaves_its_fingerprint(sample_library, private_sample_data):
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=private_sample_data, REVIEW_ASSISTANT_AGENCIES=SAMPLE_AGENCIES
    )
    with Library(settings) as library:
        assert library.check().consistent
        assert library.ask("anything on babies not registered with a GP?").citations
        assert library.search("disguised compliance")
        assert library.reviews()
    assert changes(fingerprint(sample_library), fingerprint(private_sample_data)) == []


def test_the_fingerprint_sees_every_write_a_test_makes(sample_library, private_sample_stores):
    stores = private_sample_stores
    register = stores.register
    orphan = register.all_chunks()[0].model_copy(update={"chunk_id": "orphan", "text": "zebra"})

    def vector_added_and_removed():
        stores.vectors.add([orphan], stores.vectors.embed([orphan]))
        stores.vectors.delete_chunks(["orphan"])

    def original_removed():
        kept = next(p for p in stores.config.originals_dir.rglob("*") if p.is_file())
        stores.originals.remove(kept.name)  # an original is kept under its SHA-256

    answer_id = []
    writes = {
        "an answer saved": lambda: answer_id.append(register.save_answer("q?", {"answer": "a"})),
        "feedback": lambda: register.record_feedback(answer_id[0], "U1", "up"),
        "a Slack event seen": lambda: register.first_sighting("Ev-1"),
        "a job": lambda: register.create_job("child-q.txt"),
        "a vector added and removed": vector_added_and_removed,
        "a document removed": lambda: register.remove_document(orphan.doc_id),
        "an original removed": original_removed,
    }
    seen = fingerprint(sample_library)
    for what, write in writes.items():
        write()
        now = fingerprint(stores.config.data_dir)
        assert changes(seen, now), f"{what} went unseen"
        seen = now
