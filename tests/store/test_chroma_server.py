"""Server mode: the same ingest and search against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant.ingestion import Ingestor
from review_assistant.search import Searcher
from review_assistant.settings import Settings
from review_assistant.store.stores import Stores
from tests.support import servers
from tests.support.documents import RESPONSE_TEXT


@pytest.fixture
def chroma_server(tmp_path: Path):
    with servers.chroma_server(tmp_path / "server") as port:
        yield port


@pytest.mark.slow
def test_ingest_and_search_through_a_chroma_server(chroma_server, tmp_path: Path):
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data",
        CHROMA_HOST="127.0.0.1",
        CHROMA_PORT=chroma_server,
    )
    stores = Stores(settings.store)
    path = tmp_path / "child-q.txt"
    path.write_text(RESPONSE_TEXT)
    report = Ingestor(stores).ingest([path], progress=False)
    assert report.documents == 1
    assert not (tmp_path / "data" / "chroma").exists()  # vectors went to the server

    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    assert client.get_collection(settings.collection).count() == report.chunks

    results = Searcher(stores).search("who keeps a log of births?", k=2)
    assert "The CCG will keep a log of births" in results[0].text
    assert Ingestor(stores).remove("child-q.txt")
    assert client.get_collection(settings.collection).count() == 0
