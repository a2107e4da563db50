"""Server mode: the same ingest and search against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.library import Ingestor
from assistant.search import Searcher
from assistant.settings import Settings
from store.stores import Stores
from tests.support.documents import RESPONSE_TEXT
from tests.support.fake_http import free_port


@pytest.fixture
def chroma_server(tmp_path: Path):
    executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    process = subprocess.Popen(
        [
            executable,
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--path",
            str(tmp_path / "server"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail("chroma server exited")
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("chroma server did not start")
    yield port
    process.terminate()
    process.wait(timeout=20)


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
