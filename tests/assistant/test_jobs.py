"""Uploads as jobs: a bounded queue spooled to disk, a thread nothing can end, jobs a dead
process left run again, a full disk said plainly, and a server whose reads and /health answer
while writes pile up behind a long ingest."""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from review_assistant.errors import Busy, StorageFull
from review_assistant.jobs import DISK_FULL, INTERRUPTED, IngestJobs, Limits
from review_assistant.library import Library
from review_assistant.settings import Settings
from review_assistant.store.models import JobRecord
from review_assistant.store.spool import Spool
from tests.support.documents import RESPONSE_TEXT


@pytest.fixture
def library(tmp_path):
    with Library(Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data")) as library:
        yield library


def jobs_of(library: Library, limits: Limits | None = None) -> IngestJobs:
    spool = Spool(library.stores.config.data_dir / "spool")
    return IngestJobs(library.ingestor, library._write_lock, spool, limits)


def finished(library: Library, job_id: str, timeout: float = 120) -> JobRecord:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = library.stores.register.job(job_id)
        if job.state in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.state}")


def test_the_thread_survives_a_failure_it_cannot_even_record(library, monkeypatch):
    jobs = jobs_of(library)
    register = library.stores.register
    real_update = register.update_job

    def full_disk_on_failure(job_id, state, **fields):
        if state == "failed":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_update(job_id, state, **fields)

    monkeypatch.setattr(register, "update_job", full_disk_on_failure)
    broken = jobs.submit("broken.pdf", b"%PDF-1.4 not really", replace=False)
    good = jobs.submit("child-q.txt", RESPONSE_TEXT.encode(), replace=False)
    assert finished(library, good).state == "done"
    assert jobs._thread.is_alive()
    assert register.job(broken).state == "running"  # its failure could not be written
    spool = Spool(library.stores.config.data_dir / "spool")
    deadline = time.monotonic() + 10  # the job's bytes go just after it is recorded done
    while spool.job_ids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not spool.job_ids()  # nothing left
    jobs.close()


def test_a_full_queue_is_refused_at_once_and_frees_as_jobs_end(library):
    jobs = jobs_of(library, Limits(queued=2, queued_bytes=10_000_000))
    with library._write_lock:  # an ingest in progress: nothing queued can start
        first = jobs.submit("a.txt", RESPONSE_TEXT.encode(), replace=False)
        jobs.submit("b.txt", RESPONSE_TEXT.replace("Child Q", "Child B").encode(), replace=False)
        with pytest.raises(Busy) as refused:
            jobs.submit("c.txt", b"third", replace=False)
        assert refused.value.retry_after > 0
    assert finished(library, first).state == "done"
    jobs.close()


def test_the_queue_is_bounded_in_bytes_too(library):
    jobs = jobs_of(library, Limits(queued=10, queued_bytes=1000))
    with library._write_lock, pytest.raises(Busy):
        jobs.submit("big.txt", b"x" * 1001, replace=False)
    jobs.close()


def test_a_full_disk_leaves_nothing_partial_and_says_why(library, monkeypatch):
    import review_assistant.store.spool as spool_module

    def no_space(path, data):
        path.with_suffix(".partial").write_bytes(data[:10])  # half written, then the disk
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spool_module, "_write", no_space)
    jobs = jobs_of(library)
    with pytest.raises(StorageFull) as refused:
        jobs.submit("child-q.txt", RESPONSE_TEXT.encode(), replace=False)
    assert "disk" in str(refused.value)
    spool = library.stores.config.data_dir / "spool"
    assert list(spool.iterdir()) == []
    [job_id] = library.stores.register.unfinished_jobs() or [None]
    assert job_id is None  # the job's row says failed, not queued for ever
    jobs.close()


KILLED_MID_JOB = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from review_assistant.settings import Settings
    from review_assistant.store.spool import Spool
    from review_assistant.store.stores import Stores

    data = Path(sys.argv[1])
    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=data).store)
    spooled = stores.register.create_job("child-q.txt")
    Spool(data / "spool").save(spooled, sys.argv[2].encode(), {"name": "child-q.txt",
                                                               "replace": False})
    stores.register.update_job(spooled, "running")
    lost = stores.register.create_job("lost.txt")
    stores.register.update_job(lost, "running")
    print(spooled, lost, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_jobs_a_killed_process_left_end_done_or_failed_after_a_restart(tmp_path):
    data = tmp_path / "data"
    run = subprocess.run(
        [sys.executable, "-c", KILLED_MID_JOB, str(data), RESPONSE_TEXT],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == -9, run.stderr[-2000:]
    spooled, lost = run.stdout.split()
    with Library(Settings(REVIEW_ASSISTANT_DATA_DIR=data)) as library:
        library.jobs  # noqa: B018 - a server starts its jobs, which takes up what was left
        assert finished(library, spooled).state == "done"
        failed = finished(library, lost)
        assert failed.state == "failed" and failed.error == INTERRUPTED
        assert [d.file_name for d in library.documents()] == ["child-q.txt"]
        assert not (data / "spool").exists() or list((data / "spool").iterdir()) == []


def test_a_job_another_living_process_holds_is_left_to_it(library):
    data = library.stores.config.data_dir
    other = Spool(data / "spool")  # as another process would: it holds its job's lock
    job_id = library.stores.register.create_job("theirs.txt")
    other.save(job_id, b"their bytes", {"name": "theirs.txt", "replace": False})
    jobs = jobs_of(library)
    time.sleep(0.5)
    assert library.stores.register.job(job_id).state == "queued"
    assert other.has(job_id)
    jobs.close()
    other.remove(job_id)


def test_disk_full_is_the_reason_a_job_gives(library, monkeypatch):
    jobs = jobs_of(library)

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(library.ingestor, "ingest_upload", no_space)
    job_id = jobs.submit("child-q.txt", RESPONSE_TEXT.encode(), replace=False)
    job = finished(library, job_id)
    assert job.state == "failed" and job.error == DISK_FULL
    jobs.close()


@pytest.mark.slow
def test_reads_and_health_answer_while_writes_pile_up_behind_an_ingest(tmp_path):
    """A server whose one writer is busy: 30 removals and 20 uploads wait or are refused,
    and meanwhile /health and /reviews answer at once."""
    import uvicorn

    from review_assistant.server import create_app
    from tests.support.fake_http import free_port

    (tmp_path / "child-q.txt").write_text(RESPONSE_TEXT)
    # every upload a background job, at most eight of them waiting
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data",
                        REVIEW_ASSISTANT_MAX_QUEUED_UPLOADS=8,
                        REVIEW_ASSISTANT_BACKGROUND_UPLOAD_KB=0)  # fmt: skip
    with Library(settings) as library:
        library.ingest([tmp_path / "child-q.txt"])
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    writer = app.state.library._write_lock
    writer.acquire()  # a long ingest holds the one writer
    try:
        with ThreadPoolExecutor(50) as pool:
            deletes = [
                pool.submit(httpx.delete, f"{base}/documents/child-q.txt", timeout=120)
                for _ in range(30)
            ]
            uploads = [
                pool.submit(
                    httpx.post,
                    f"{base}/documents",
                    timeout=120,
                    files={"file": (f"u{i}.txt", RESPONSE_TEXT.replace("Q", f"Q{i}").encode())},
                )  # fmt: skip
                for i in range(20)
            ]
            time.sleep(1.0)
            slowest = 0.0
            for _ in range(20):
                started = time.monotonic()
                assert httpx.get(f"{base}/health", timeout=10).status_code == 200
                assert httpx.get(f"{base}/reviews", timeout=10).status_code == 200
                assert httpx.delete(f"{base}/documents/nothing.txt", timeout=10).status_code == 404
                slowest = max(slowest, time.monotonic() - started)
                time.sleep(0.05)
            # a hang detector, not a speed target: the benchmark reports the figures
            assert slowest < 5, slowest
            accepted = [f.result() for f in uploads]  # answered while the writer is held
            writer.release()
            removed = [f.result().status_code for f in deletes]
    finally:
        if writer.locked():
            writer.release()
        server.should_exit = True
        thread.join(timeout=30)
    assert sorted(r.status_code for r in accepted) == [202] * 8 + [503] * 12
    assert all(r.headers["retry-after"] for r in accepted if r.status_code == 503)
    # one removal removed it; the rest found it gone (or, on a slow machine, were told the
    # writer stayed busy)
    assert removed.count(200) == 1 and set(removed) <= {200, 404, 503}, removed


def test_uploads_past_the_originals_quota_are_refused_as_storage_full(tmp_path):
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data",
                        REVIEW_ASSISTANT_MAX_ORIGINALS_MB=0.001)  # fmt: skip
    with Library(settings) as library:
        assert library.upload("child-q.txt", RESPONSE_TEXT.encode()).status == "ingested"
        with pytest.raises(StorageFull, match="quota"):
            library.upload("child-r.txt", RESPONSE_TEXT.replace("Q", "R").encode())
