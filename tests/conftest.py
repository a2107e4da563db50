"""Shared fixtures. The whole suite runs with outbound network refused: anything that tries
to download a model, an encoding or data fails loudly instead of passing by luck."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

from review_assistant.settings import Settings
from tests.support.samples import INQUIRY, SAFEGUARDING, SAMPLE_AGENCIES, SAMPLES

# FastAPI's test client names its host "testserver": the servers the tests build answer to it
# as well as to loopback (a test of the allow-list sets its own)
os.environ.setdefault("REVIEW_ASSISTANT_ALLOWED_HOSTS", "localhost,127.0.0.1,::1,testserver")

_real_connect = socket.socket.connect


def _loopback_only(self, address, *args, **kwargs):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            allowed = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = False
        if not allowed:
            raise OSError(f"network access blocked in tests: {address!r}")
    return _real_connect(self, address, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def no_network():
    socket.socket.connect = _loopback_only
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(scope="session")
def postgres(tmp_path_factory) -> str:
    """A PostgreSQL server for the session (skips with how to install it when absent)."""
    from tests.support.servers import postgres_server

    with postgres_server(tmp_path_factory.mktemp("postgres")) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str | None:
    """Each back end of the register in turn: None (SQLite) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    from tests.support.servers import fresh_database

    return fresh_database(request.getfixturevalue("postgres"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data")


@pytest.fixture(scope="session")
def parsed_samples():
    """Every sample document, read and parsed once: {file name: ParsedDocument}."""
    from review_assistant.ingest.agencies import load_gazetteer
    from review_assistant.ingest.readers import read_document
    from review_assistant.ingest.structure import StructureParser

    parser = StructureParser(load_gazetteer(SAMPLE_AGENCIES))
    docs = {}
    for path in sorted(SAFEGUARDING.glob("*.txt")) + sorted(INQUIRY.glob("*.pdf")):
        docs[path.name] = parser.parse(read_document(path))
    return docs


@pytest.fixture(scope="session")
def sample_stores(tmp_path_factory):
    """The sample corpus ingested once into a fresh embedded store."""
    from review_assistant.ingestion import Ingestor
    from review_assistant.store.stores import Stores

    data_dir = tmp_path_factory.mktemp("sample-index")
    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=data_dir).store)
    from review_assistant.ingest.config import IngestConfig

    with Ingestor(stores, IngestConfig(agencies_file=SAMPLE_AGENCIES)) as ingestor:
        report = ingestor.ingest([SAMPLES], progress=False)
    assert not report.skipped, report.skipped
    yield stores
    stores.close()
