"""Scale-out: API processes sharing one library. Two replicas on PostgreSQL and a Chroma
server (as the compose file runs them), and `serve --workers 2` on one data directory."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support import servers
from tests.support.documents import RESPONSE_TEXT

pytestmark = pytest.mark.slow
QUESTION = {"query": "who keeps a log of births?", "k": 3}


def upload_as_job(url: str, name: str, text: str) -> str:
    response = httpx.post(f"{url}/documents", files={"file": (name, text.encode())}, timeout=60)
    assert response.status_code == 202, response.text  # a background job
    return response.json()["job_id"]


def wait_for_job(url: str, job_id: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = httpx.get(f"{url}/jobs/{job_id}", timeout=30).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    pytest.fail("the job did not finish")


def test_two_replicas_on_postgres_and_a_chroma_server_share_the_library(tmp_path: Path, postgres):
    database = servers.fresh_database(postgres)
    with servers.chroma_server(tmp_path / "chroma") as chroma_port:
        shared = {
            "REVIEW_ASSISTANT_DATABASE_URL": database,
            "CHROMA_HOST": "127.0.0.1",
            "CHROMA_PORT": str(chroma_port),
            "REVIEW_ASSISTANT_BACKGROUND_UPLOAD_KB": "0",
        }
        # each replica has its own (throwaway) data directory: nothing is shared through it
        first_env = shared | {"REVIEW_ASSISTANT_DATA_DIR": str(tmp_path / "a")}
        second_env = shared | {"REVIEW_ASSISTANT_DATA_DIR": str(tmp_path / "b")}
        with servers.api_server(first_env) as first, servers.api_server(second_env) as second:
            job = upload_as_job(first, "child-q.txt", RESPONSE_TEXT)
            assert wait_for_job(second, job)["state"] == "done"  # the job is in the database
            hits = httpx.post(f"{second}/search", json=QUESTION, timeout=30).json()["results"]
            assert hits and hits[0]["document"] == "child-q.txt"
            assert "log of births" in hits[0]["text"]
            reviews = httpx.get(f"{second}/reviews", timeout=30).json()["reviews"]
            assert [r["name"] for r in reviews] == ["Child Q"]
            assert httpx.delete(f"{second}/documents/child-q.txt", timeout=30).status_code == 200
            hits = httpx.post(f"{first}/search", json=QUESTION, timeout=30).json()["results"]
            assert hits == []
    assert not (tmp_path / "a" / "register.sqlite3").exists()


def test_workers_of_one_server_share_a_data_directory(tmp_path: Path):
    env = {"REVIEW_ASSISTANT_DATA_DIR": str(tmp_path / "data"),
           "REVIEW_ASSISTANT_BACKGROUND_UPLOAD_KB": "0"}  # fmt: skip
    with servers.api_server(env, workers=2) as url:
        jobs = [
            upload_as_job(url, f"child-{n}.txt", RESPONSE_TEXT.replace("Child Q", f"Child {n}"))
            for n in "QRST"
        ]
        assert [wait_for_job(url, job)["state"] for job in jobs] == ["done"] * 4
        # every request (whichever worker takes it) sees all four documents
        for _ in range(12):
            with httpx.Client(base_url=url, timeout=30) as http:  # a new connection each time
                found = {h["document"] for h in http.post("/search", json=QUESTION | {"k": 8})
                         .json()["results"]}  # fmt: skip
                assert found == {f"child-{n}.txt" for n in "QRST"}
