"""Several processes on one data directory: a server sees another process's ingest, and an
ingest stopped by SIGTERM leaves the library whole."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from review_assistant.server import create_app
from review_assistant.settings import Settings
from review_assistant.store.consistency import check
from review_assistant.store.stores import Stores
from tests.support.documents import RESPONSE_TEXT

pytestmark = pytest.mark.slow
CLI = str(Path(sys.executable).with_name("review-assistant"))


def cli(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, **kwargs)


def test_a_running_server_sees_documents_another_process_ingested(tmp_path: Path):
    data = tmp_path / "data"
    env = dict(os.environ, REVIEW_ASSISTANT_DATA_DIR=str(data))
    first = tmp_path / "child-q.txt"
    first.write_text(RESPONSE_TEXT)
    assert cli(env, "ingest", "--quiet", str(first)).returncode == 0
    with TestClient(create_app(Settings(REVIEW_ASSISTANT_DATA_DIR=data))) as client:
        query = {"query": "unborn babies and the diocese safeguarding lead"}
        assert client.post("/search", json=query).json()["results"][0]["document"] == (
            "child-q.txt"
        )
        second = tmp_path / "child-r.txt"
        second.write_text(
            RESPONSE_TEXT.replace("Child Q", "Child R").replace(
                "keep a log of births", "ask the diocese safeguarding lead about unborn babies"
            )
        )
        assert cli(env, "ingest", "--quiet", str(second)).returncode == 0
        results = client.post("/search", json=query).json()["results"]
        assert results[0]["document"] == "child-r.txt"  # the vector index was reopened


def documents(data: Path) -> int:
    """Documents in the register, read without opening the stores (which takes seconds)."""
    if not (data / "register.sqlite3").exists():
        return 0
    with closing(sqlite3.connect(data / "register.sqlite3", timeout=30)) as db:
        try:
            return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:  # the schema is not written yet
            return 0


def test_sigterm_stops_an_ingest_between_documents(tmp_path: Path):
    data = tmp_path / "data"
    env = dict(os.environ, REVIEW_ASSISTANT_DATA_DIR=str(data))
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(100):
        (folder / f"child-{n:02d}.txt").write_text(RESPONSE_TEXT.replace("Child Q", f"Child {n}"))
    process = subprocess.Popen(
        [CLI, "ingest", "--quiet", str(folder)], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and documents(data) < 2:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "Interrupted" in err
    written = documents(data)
    assert 2 <= written < 100
    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=data).store)
    check(stores, repair=True)
    assert check(stores).consistent
    # the rest goes in on the next run
    assert cli(env, "ingest", "--quiet", str(folder)).returncode == 0
    assert len(stores.register.documents()) == 100
    stores.close()


def test_two_processes_ingesting_one_data_directory_lose_nothing(tmp_path: Path):
    """Two CLI ingests at once (like two API workers taking uploads): every passage ends up
    with its vector, because writers take turns and catch up before writing."""
    data = tmp_path / "data"
    env = dict(os.environ, REVIEW_ASSISTANT_DATA_DIR=str(data))
    folders = []
    for side in ("left", "right"):
        folder = tmp_path / side
        folder.mkdir()
        for n in range(8):
            text = RESPONSE_TEXT.replace("Child Q", f"Child {side.title()} {n}")
            (folder / f"{side}-{n}.txt").write_text(text.replace("births", f"births in {side}"))
        folders.append(folder)
    assert cli(env, "check").returncode == 0  # the schema exists before the race starts
    runs = [
        subprocess.Popen([CLI, "ingest", "--quiet", str(f)], env=env, stderr=subprocess.PIPE)
        for f in folders
    ]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=data).store)
    assert len(stores.register.documents()) == 16
    found = check(stores)
    assert found.consistent, found.summary()
    assert stores.vectors.count() == stores.register.count_chunks()
    stores.close()
