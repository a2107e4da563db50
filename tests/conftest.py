"""Shared fixtures. The whole suite runs with outbound network refused: anything that tries
to download a model, an encoding or data fails loudly instead of passing by luck.

The sample library is built once and only read: `sample_stores` is one copy every reading
test shares, compared with the built library after each module that read it and at the end
of the session, so a test that writes to it fails loudly. A test that writes (answers,
feedback, Slack events, uploads, removals, vectors), or starts an app or a `Library` on the
samples, takes a copy of its own: `private_sample_data` or `private_sample_stores`.

Every test that needs the bundled samples is marked `golden` (by the fixtures it uses, or by
hand where it reads sample files itself), so `-m "not golden"` runs without them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from review_assistant.settings import Settings
from tests.support.network import loopback_only
from tests.support.sample_library import (
    build_library,
    changes,
    copy_library,
    fingerprint,
    require_samples,
)
from tests.support.samples import INQUIRY, SAFEGUARDING, SAMPLE_AGENCIES

# FastAPI's test client names its host "testserver": the servers the tests build answer to it
# as well as to loopback (a test of the allow-list sets its own)
os.environ.setdefault("REVIEW_ASSISTANT_ALLOWED_HOSTS", "localhost,127.0.0.1,::1,testserver")

# the fixtures that hold the bundled samples: a test using any of them is golden
SAMPLE_FIXTURES = {
    "parsed_samples", "sample_library", "sample_stores", "private_sample_data",
    "private_sample_stores",
}  # fmt: skip


@pytest.hookimpl(tryfirst=True)  # before -m selects by the marks
def pytest_collection_modifyitems(items):
    for item in items:
        if SAMPLE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.golden)


@pytest.fixture(autouse=True, scope="session")
def no_network():
    with loopback_only():
        yield


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

    require_samples()
    parser = StructureParser(load_gazetteer(SAMPLE_AGENCIES))
    docs = {}
    for path in sorted(SAFEGUARDING.glob("*.txt")) + sorted(INQUIRY.glob("*.pdf")):
        docs[path.name] = parser.parse(read_document(path))
    return docs


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory) -> Path:
    """The data directory of the samples ingested once; never opened, only copied."""
    return build_library(tmp_path_factory.mktemp("sample-library") / "data")


_shared: dict = {}  # the shared copy: its folder and the fingerprint it was last seen with


@pytest.fixture(scope="session")
def sample_stores(sample_library, tmp_path_factory):
    """The sample library, read-only: one copy shared by every test that only reads it."""
    from review_assistant.store.stores import Stores

    built = fingerprint(sample_library)
    data_dir = copy_library(sample_library, tmp_path_factory.mktemp("sample-shared") / "data")
    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=data_dir).store)
    _shared.update(data_dir=data_dir, seen=built)
    yield stores
    stores.close()
    _shared.clear()
    changed = changes(built, fingerprint(data_dir))
    assert not changed, f"a test wrote to the shared sample library ({', '.join(changed)})"


@pytest.fixture(autouse=True, scope="module")
def shared_samples_unchanged(request):
    """After a module that read the shared sample library: fail it if it wrote to it."""
    yield
    if "data_dir" not in _shared or not any(
        "sample_stores" in item.fixturenames
        for item in request.session.items
        if item.module is request.module
    ):
        return
    now = fingerprint(_shared["data_dir"])
    changed = changes(_shared["seen"], now)
    _shared["seen"] = now  # the next module is blamed only for what it writes
    assert not changed, (
        f"{request.module.__name__} wrote to the shared sample library ({', '.join(changed)}): "
        "a test that writes takes private_sample_data or private_sample_stores"
    )


@pytest.fixture
def private_sample_data(sample_library, tmp_path) -> Path:
    """A copy of the sample library this test alone uses: to write to, or to start an app on."""
    return copy_library(sample_library, tmp_path / "sample-data")


@pytest.fixture
def private_sample_stores(private_sample_data):
    """The stores of this test's own copy of the sample library."""
    from review_assistant.store.stores import Stores

    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=private_sample_data).store)
    yield stores
    stores.close()
