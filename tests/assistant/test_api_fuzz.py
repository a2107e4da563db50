"""Schema-driven fuzzing of the HTTP API (schemathesis): whatever a client sends that the
OpenAPI document allows, the server answers it without a server error. Bounded per route."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from review_assistant.server import create_app
from review_assistant.settings import Settings
from tests.support.documents import RESPONSE_TEXT

DATA = Path(tempfile.mkdtemp(prefix="ra-fuzz-"))
APP = create_app(Settings(REVIEW_ASSISTANT_DATA_DIR=DATA / "data"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def running():
    """The app's lifespan (its stores open) around the module, with one document ingested."""
    with TestClient(APP) as client:
        files = {"file": ("child-q.txt", RESPONSE_TEXT.encode(), "text/plain")}
        assert client.post("/documents", files=files).status_code == 201
        yield client
    shutil.rmtree(DATA, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_no_request_the_schema_allows_is_a_server_error(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    content_type = response.headers.get("content-type") or [""]
    if content_type[0].startswith("application/json"):
        response.json()  # every answer is JSON, errors included


def test_the_fuzzed_library_stays_readable(running):
    assert running.get("/ready").json()["documents"] >= 1
