"""Ingest into real stores (embedded Chroma, BM25 files, SQLite): idempotence, replacement,
removal, and bad input that is reported without losing anything already indexed."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant.ingestion import Ingestor
from review_assistant.search import Searcher
from review_assistant.store.stores import Stores
from tests.support.documents import PNG_BYTES, RESPONSE_TEXT, docx_file, text_pdf


@pytest.fixture
def stores(settings):
    stores = Stores(settings.store)
    yield stores
    stores.close()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def top_texts(stores: Stores, query: str, k: int = 3) -> list[str]:
    return [p.text for p in Searcher(stores).search(query, k=k)]


def test_ingest_reports_counts_and_indexes_every_store(stores, tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    write(folder / "child-q.txt", RESPONSE_TEXT)
    docx_file(folder / "child-r.docx")
    (folder / "README.md").write_text("# About these files\n\nNot a review.")
    report = Ingestor(stores).ingest([folder], progress=False)
    assert report.documents == 2 and report.skipped == []
    assert report.recommendations == 4
    chunk_count = stores.register.count_chunks()
    assert report.chunks == chunk_count > 0
    assert stores.vectors.count() == chunk_count
    assert stores.register.keyword_search("births", 10)  # keyword index
    assert {d.file_name for d in stores.register.documents()} == {"child-q.txt", "child-r.docx"}
    assert "The CCG will keep a log of births" in top_texts(stores, "log of births")[0]


def test_unchanged_file_is_not_ingested_again(stores, tmp_path: Path):
    path = write(tmp_path / "child-q.txt", RESPONSE_TEXT)
    ingestor = Ingestor(stores)
    first = ingestor.ingest([path], progress=False)
    ids_before = stores.register.chunk_ids(stores.register.documents()[0].doc_id)
    second = ingestor.ingest([path], progress=False)
    assert first.documents == 1
    assert (second.documents, second.unchanged, second.chunks) == (0, 1, 0)
    assert stores.register.chunk_ids(stores.register.documents()[0].doc_id) == ids_before


def test_changed_file_replaces_its_old_chunks(stores, tmp_path: Path):
    path = write(tmp_path / "child-q.txt", RESPONSE_TEXT)
    ingestor = Ingestor(stores)
    ingestor.ingest([path], progress=False)
    write(path, RESPONSE_TEXT.replace("keep a log of births", "run a birth register"))
    report = ingestor.ingest([path], progress=False)
    assert (report.documents, report.replaced) == (1, 1)
    assert len(stores.register.documents()) == 1
    assert stores.vectors.count() == stores.register.count_chunks()
    everything = " ".join(c.text for c in stores.register.all_chunks())
    assert "run a birth register" in everything and "keep a log of births" not in everything
    assert all("keep a log" not in t for t in top_texts(stores, "log of births", k=10))


def test_remove_deletes_a_document_everywhere(stores, tmp_path: Path):
    ingestor = Ingestor(stores)
    ingestor.ingest([write(tmp_path / "child-q.txt", RESPONSE_TEXT)], progress=False)
    assert ingestor.remove("child-q.txt")
    assert stores.register.count_chunks() == 0 and stores.vectors.count() == 0
    assert stores.register.keyword_search("births", 10) == []
    assert not ingestor.remove("child-q.txt")
    assert top_texts(stores, "log of births") == []


def test_bad_files_are_reported_and_the_rest_of_the_batch_goes_in(stores, tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    write(folder / "good.txt", RESPONSE_TEXT)
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\nthis is not a pdf")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.png").write_bytes(PNG_BYTES)
    text_pdf(folder / "good.pdf", [["Recommendation 3", "Schools should audit attendance.", "",
                                    "Education: the audit is complete."]])  # fmt: skip
    report = Ingestor(stores).ingest([folder, tmp_path / "missing.txt"], progress=False)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert report.documents == 2
    assert set(reasons) == {"corrupt.pdf", "empty.txt", "picture.png", "missing.txt"}
    assert "corrupt" in reasons["corrupt.pdf"]
    assert reasons["empty.txt"] == "empty file"
    assert "unsupported" in reasons["picture.png"]
    assert reasons["missing.txt"] == "no such file"
    assert report.failed


def test_a_failed_write_keeps_the_previous_version_searchable(stores, tmp_path, monkeypatch):
    path = write(tmp_path / "child-q.txt", RESPONSE_TEXT)
    ingestor = Ingestor(stores)
    ingestor.ingest([path], progress=False)
    before = {c.chunk_id for c in stores.register.all_chunks()}

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(stores.register, "replace_document", crash)
    write(path, RESPONSE_TEXT.replace("keep a log of births", "run a birth register"))
    other = write(tmp_path / "other.txt", RESPONSE_TEXT.replace("Child Q", "Child Z"))
    report = ingestor.ingest([path, other], progress=False)
    assert [Path(s.path).name for s in report.skipped] == ["child-q.txt", "other.txt"]
    assert "disk full" in report.skipped[0].reason
    monkeypatch.undo()
    # The old version is intact and is all that search can return, although the new vectors
    # reached Chroma before the crash.
    assert {c.chunk_id for c in stores.register.all_chunks()} == before
    assert stores.vectors.count() > len(before)
    results = Searcher(stores).search("birth register log", k=10)
    assert results and {p.chunk_id for p in results} <= before
