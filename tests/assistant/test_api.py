"""The HTTP API through FastAPI's test client: contract, auth, errors, uploads, the register."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from review_assistant.server import create_app
from review_assistant.settings import Settings
from tests.support.documents import PNG_BYTES, RESPONSE_TEXT
from tests.support.sample_library import copy_library
from tests.support.samples import EXPECTED_AGENCIES, SAMPLE_AGENCIES, SAMPLES


def sample_client(data_dir):
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=data_dir, REVIEW_ASSISTANT_AGENCIES=SAMPLE_AGENCIES
    )
    return TestClient(create_app(settings))


@pytest.fixture(scope="module")
def client(sample_library, tmp_path_factory):
    """The API on this module's own copy of the sample library (an app writes to its data)."""
    data_dir = copy_library(sample_library, tmp_path_factory.mktemp("api") / "data")
    with sample_client(data_dir) as client:
        yield client


@pytest.fixture
def private_client(private_sample_data):
    """The API on a copy of the sample library for one test that might change it."""
    with sample_client(private_sample_data) as client:
        yield client


@pytest.fixture
def fresh_client(tmp_path):
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data", API_KEYS="alpha, beta")
    with TestClient(create_app(settings)) as client:
        yield client


def test_health_readiness_and_docs(client):
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    documents = [p for p in SAMPLES.rglob("*") if p.is_file() and p.name != "README.md"]
    assert ready["documents"] == len(documents) and ready["chunks"] > 300
    assert ready["vectors"] == ready["chunks"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()  # assets come from the package, not the internet
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/search", "/ask", "/reviews", "/recommendations", "/documents"} <= set(paths)


def test_search_contract(client):
    response = client.post(
        "/search", json={"query": "disguised compliance", "k": 3, "filters": {"review": "Clare"}}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    for passage in results:
        assert passage["review_id"] == "clare" and passage["document"].endswith(".txt")
        assert {"text", "title", "recommendation", "agency", "section", "page", "score",
                "chunk_id", "start", "end"} <= set(passage)  # fmt: skip


def test_ask_contract(client):
    response = client.post(
        "/ask", json={"question": "anything on babies not registered with a GP?"}
    )
    body = response.json()
    assert response.status_code == 200
    assert body["mode"] == "question" and body["answerer"] == "extractive"
    assert body["abstained"] is False and body["citations"]
    citation = body["citations"][0]
    assert citation["n"] == 1 and citation["quote"] in citation["text"]
    assert citation["quote_end"] - citation["quote_start"] == len(citation["quote"])

    abstained = client.post(
        "/ask", json={"question": "what does it say?", "filters": {"review": "Freddie",
                                                                   "recommendation": "14"}}
    ).json()  # fmt: skip
    assert abstained["abstained"] is True and "no recommendation 14" in abstained["answer"]
    learning = client.post("/ask", json={"question": "unseen men", "mode": "learning_points"})
    assert learning.json()["mode"] == "learning_points"


def test_an_unknown_review_filter_abstains_instead_of_failing(client):
    body = {
        "question": "what was committed?",
        "filters": {"review": "Child Z", "recommendation": "3"},
    }
    response = client.post("/ask", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["abstained"] and "no review called “Child Z”" in answer["answer"]


def test_every_route_declares_its_response_model(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            content = operation["responses"].get("200", operation["responses"].get("201", {}))
            kinds = content.get("content", {})
            if "application/json" not in kinds:  # a download names the files it gives
                assert {"text/csv", "application/octet-stream"} <= set(kinds), path
                continue
            schema = kinds["application/json"].get("schema", {})
            assert "$ref" in schema, f"{method.upper()} {path} has no response model"


def test_reviews_and_recommendations(client):
    reviews = {r["id"]: r for r in client.get("/reviews").json()["reviews"]}
    assert reviews["clare"]["recommendation_count"] == 9
    assert reviews["clare"]["doc_types"] == ["meeting minutes", "partnership response"]
    assert {"id", "title", "partnership", "doc_types", "recommendation_count"} <= set(
        reviews["clare"]
    )

    recs = client.get("/recommendations", params={"review": "NAI thematic", "agency": "the CCG"})
    assert [r["rec_id"] for r in recs.json()["recommendations"]] == ["7", "10"]
    planned = client.get("/recommendations", params={"status": "planned"}).json()
    assert planned["recommendations"] and all(
        "planned" in r["statuses"] for r in planned["recommendations"]
    )


@pytest.mark.parametrize("file_name", list(EXPECTED_AGENCIES))
def test_every_sample_recommendation_has_text_and_cited_responses(client, sample_stores, file_name):
    review_id = {
        "000_e3a28ef8a791a154.txt": "clare",
        "001_dea43fea084d20fa.txt": "child-m",
        "002_356fc40ea17f5f0d.txt": "freddie",
        "003_28908da9fb9512fb.txt": "thematic-review-non-accidental-injury",
    }[file_name]
    text = sample_stores.register.document_text(
        sample_stores.register.find_document(file_name).doc_id
    )
    for rec_id, agencies in EXPECTED_AGENCIES[file_name].items():
        detail = client.get(f"/reviews/{review_id}/recommendations/{rec_id}").json()
        assert detail["text"] and detail["rec_id"] == rec_id
        assert {r["agency"] for r in detail["responses"]} == agencies
        for response in detail["responses"]:
            cite = response["citation"]
            assert cite["document"] == file_name
            assert text[cite["start"] : cite["end"]].strip() == response["text"]


def test_inquiry_recommendations_are_served_too(client):
    for rec_id in ("8.1", "8.33"):
        detail = client.get(f"/reviews/behaviour-change/recommendations/{rec_id}").json()
        assert detail["text"] and detail["responses"]
    detail = client.get("/reviews/Clare/recommendations/4").json()
    assert detail["progress_notes"][0]["date"] == "2020-12-03"


def test_error_statuses_are_json(client):
    missing = client.get("/reviews/clare/recommendations/99")
    assert missing.status_code == 404 and "no recommendation" in missing.json()["error"]["message"]
    assert client.get("/reviews/nobody/recommendations/1").status_code == 404
    invalid = client.post("/search", json={"k": 3})
    assert invalid.status_code == 422
    assert invalid.json()["error"]["details"][0]["field"] == "body.query"
    assert client.post("/search", json={"query": "x", "k": 500}).status_code == 422
    assert client.post("/ask", json={"question": "x", "mode": "poetry"}).status_code == 422
    assert client.get("/recommendations", params={"status": "bogus"}).status_code == 422
    assert client.delete("/documents/nothing-here.pdf").status_code == 404


def test_auth_upload_and_delete(fresh_client):
    assert fresh_client.get("/health").status_code == 200  # open without a key
    assert fresh_client.get("/docs").status_code == 401  # the API's shape is not public
    assert fresh_client.get("/openapi.json").status_code == 401
    assert fresh_client.get("/ready").status_code == 401
    denied = fresh_client.post("/search", json={"query": "births"})
    assert denied.status_code == 401 and "API key" in denied.json()["error"]["message"]
    wrong = {"Authorization": "Bearer gamma"}
    assert fresh_client.get("/reviews", headers=wrong).status_code == 401
    auth = {"Authorization": "Bearer beta"}

    files = {"file": ("child-q.txt", RESPONSE_TEXT.encode(), "text/plain")}
    created = fresh_client.post("/documents", files=files, headers=auth)
    assert created.status_code == 201
    assert created.json() == {"document": "child-q.txt", "status": "ingested", "same_as": None,
                              "review_id": "child-q", "recommendations": 2,
                              "chunks": created.json()["chunks"], "pages": 1,
                              "ocr_pages": 0}  # fmt: skip
    again = fresh_client.post("/documents", files=files, headers=auth)
    assert again.json()["status"] == "unchanged"
    results = fresh_client.post("/search", json={"query": "log of births"}, headers=auth).json()
    assert "log of births" in results["results"][0]["text"]

    bad = {"file": ("broken.pdf", b"%PDF-1.4 nothing here", "application/pdf")}
    response = fresh_client.post("/documents", files=bad, headers=auth)
    assert response.status_code == 400 and "corrupt" in response.json()["error"]["message"]
    image = {"file": ("photo.png", PNG_BYTES, "image/png")}
    assert fresh_client.post("/documents", files=image, headers=auth).status_code == 415
    assert fresh_client.post("/documents", headers=auth).status_code == 422

    assert fresh_client.delete("/documents/child-q.txt", headers=auth).json() == {
        "deleted": "child-q.txt"
    }
    assert fresh_client.get("/ready", headers=auth).json()["documents"] == 0


def test_upload_too_large(tmp_path):
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data", REVIEW_ASSISTANT_MAX_UPLOAD_MB=0.001
    )
    with TestClient(create_app(settings)) as client:
        files = {"file": ("big.txt", b"x" * 5000, "text/plain")}
        response = client.post("/documents", files=files)
    assert response.status_code == 413 and "larger than" in response.json()["error"]["message"]


@pytest.mark.slow
def test_serve_command_answers_over_real_http(tmp_path):
    """`review-assistant serve` under uvicorn on 127.0.0.1, driven by a real HTTP client."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    from tests.support.fake_http import free_port

    port = free_port()
    env = dict(os.environ, REVIEW_ASSISTANT_DATA_DIR=str(tmp_path / "data"), API_KEYS="k1")
    cli = str(Path(sys.executable).with_name("review-assistant"))
    doc = tmp_path / "child-q.txt"
    doc.write_text(RESPONSE_TEXT)
    subprocess.run([cli, "ingest", "--quiet", str(doc)], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "server did not start"
            time.sleep(0.3)
        headers = {"Authorization": "Bearer k1"}
        answer = httpx.post(
            f"{base}/ask", json={"question": "who keeps a log of births?"}, headers=headers
        ).json()
        assert "log of births" in answer["answer"] and answer["citations"][0]["n"] == 1
        assert httpx.post(f"{base}/ask", json={"question": "x"}).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_uploads_never_replace_implicitly(fresh_client):
    auth = {"Authorization": "Bearer alpha"}
    original = {"file": ("child-q.txt", RESPONSE_TEXT.encode(), "text/plain")}
    assert fresh_client.post("/documents", files=original, headers=auth).status_code == 201
    changed_text = RESPONSE_TEXT.replace("log of births", "birth register")
    changed = {"file": ("child-q.txt", changed_text.encode(), "text/plain")}
    conflict = fresh_client.post("/documents", files=changed, headers=auth)
    assert conflict.status_code == 409
    error = conflict.json()["error"]
    assert error["details"]["document"] == "child-q.txt" and error["details"]["document_id"]
    # a path in the name reduces to the same name: still a conflict, not a replacement
    sneaky = {"file": ("../child-q.txt", changed_text.encode(), "text/plain")}
    assert fresh_client.post("/documents", files=sneaky, headers=auth).status_code == 409
    search = {"query": "birth register"}
    assert "birth register" not in str(
        fresh_client.post("/search", json=search, headers=auth).json()
    )

    replaced = fresh_client.post("/documents?replace=true", files=changed, headers=auth)
    assert replaced.status_code == 201 and replaced.json()["status"] == "replaced"
    again = {"file": ("ignored.txt", RESPONSE_TEXT.encode(), "text/plain")}
    put = fresh_client.put("/documents/child-q.txt", files=again, headers=auth)
    assert put.status_code == 201 and put.json()["status"] == "replaced"


def test_the_same_content_under_another_name_is_the_existing_document(fresh_client):
    auth = {"Authorization": "Bearer alpha"}
    first = {"file": ("child-q.txt", RESPONSE_TEXT.encode(), "text/plain")}
    assert fresh_client.post("/documents", files=first, headers=auth).status_code == 201
    copy = {"file": ("copy of child-q.txt", RESPONSE_TEXT.encode(), "text/plain")}
    response = fresh_client.post("/documents", files=copy, headers=auth)
    assert response.status_code == 200
    assert response.json()["status"] == "duplicate"
    assert response.json()["same_as"] == "child-q.txt"
    ready = fresh_client.get("/ready", headers=auth).json()
    assert ready["documents"] == 1


def test_file_names_are_made_safe(fresh_client):
    auth = {"Authorization": "Bearer alpha"}
    odd = {"file": ("..\\\\dir/\u202eq.txt", RESPONSE_TEXT.encode(), "text/plain")}
    created = fresh_client.post("/documents", files=odd, headers=auth)
    assert created.status_code == 201 and created.json()["document"] == "q.txt"


def test_a_cross_origin_form_cannot_change_the_library(private_client):
    before = private_client.get("/ready").json()
    files = {"file": ("evil.txt", RESPONSE_TEXT.encode(), "text/plain")}
    headers = {"Origin": "https://evil.example"}
    response = private_client.post("/documents", files=files, headers=headers)
    assert response.status_code == 403
    removal = private_client.delete("/documents/004_d7324385235baa7b.txt", headers=headers)
    assert removal.status_code == 403
    assert private_client.get("/ready").json() == before


def test_a_large_upload_is_a_background_job(tmp_path):
    from tests.support.documents import text_pdf

    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data", REVIEW_ASSISTANT_BACKGROUND_UPLOAD_KB=10
    )
    lines = ["Recommendation 1", "All agencies should record every adult in the household."]
    pages = [lines + [f"Filler line {i} " * 6 for i in range(30)]] * 40
    data = text_pdf(tmp_path / "long.pdf", pages).read_bytes()
    assert len(data) > 10_000
    with TestClient(create_app(settings)) as client:
        accepted = client.post("/documents", files={"file": ("long.pdf", data, "application/pdf")})
        job = poll(client, accepted)
        assert client.get("/jobs/nope").status_code == 404
    assert job["state"] == "done", job
    assert job["outcome"]["status"] == "ingested" and job["outcome"]["pages"] == 40


def poll(client, accepted) -> dict:
    """A background job's last state, once it is done or failed."""
    assert accepted.status_code == 202
    job = accepted.json()
    assert accepted.headers["location"] == f"/jobs/{job['job_id']}"
    # up to three minutes: a 40-page ingest (embeddings included) takes 20 s on two idle
    # cores and past a minute when they are shared
    for _ in range(1800):
        job = client.get(f"/jobs/{job['job_id']}").json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    return job


def test_a_file_named_after_another_documents_id_is_itself_everywhere(fresh_client):
    auth = {"Authorization": "Bearer alpha"}
    first = fresh_client.post("/documents", files={"file": ("child-q.txt", RESPONSE_TEXT)},
                              headers=auth)  # fmt: skip
    assert first.status_code == 201
    doc_id = fresh_client.app.state.library.document("child-q.txt").doc_id
    other = RESPONSE_TEXT.replace("Child Q", "Child N")
    named = fresh_client.post("/documents", files={"file": (doc_id, other)}, headers=auth)
    assert named.status_code == 201, named.text
    fresh_client.post("/login", data={"key": "alpha", "next": "/"})  # the page's own cookie
    source = fresh_client.get(f"/source/{doc_id}")
    assert source.status_code == 200 and "Child N" in source.text and "Child Q" not in source.text
    assert fresh_client.delete(f"/documents/{doc_id}", headers=auth).status_code == 200
    left = [d.file_name for d in fresh_client.app.state.library.documents()]
    assert left == ["child-q.txt"]  # the file named like its id went; the document stayed
