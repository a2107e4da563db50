"""Uploads ingested on one background thread, one at a time, with their state in the register.

Reading, OCR and embedding a long report takes seconds to minutes; searches and answers go on
meanwhile (the stores need no lock to read), and take the CPU first: the thread runs at a
lower priority. A job's state lives in the register, so any API process sharing the library
can report it, and its bytes wait in the data directory's spool, not in memory.

Nothing waits without a bound: the queue is bounded in count and bytes (past either, an
upload is refused as Busy at once), a small upload's request waits for its ingest only a few
seconds and then gets its job instead, and a failure anywhere ends the job "failed" with why,
never the thread. A job a restart interrupted is run again from its spooled bytes.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as WaitedLongEnough
from dataclasses import dataclass

from review_assistant.errors import Busy, StorageFull, UnreadableDocument, is_disk_full
from review_assistant.ingestion import Ingestor
from review_assistant.models import DocumentOutcome
from review_assistant.store.embedding import MiniLM
from review_assistant.store.spool import Spool

log = logging.getLogger(__name__)
# How much uploads yield to questions on a busy machine (a nice value, 0-19): at 5 the
# scheduler gives a question's thread about three times an upload thread's share of a core.
# At 10 (nine times), a 20-page upload beside one searching client took 19 s to be searchable
# in a 100k-passage library, with search p95 only 1.14 times its idle figure.
BACKGROUND_NICE = 5
INTERRUPTED = "interrupted by a restart before it was read; upload the file again"
DISK_FULL = "the disk of the data directory is full; free space and upload the file again"


@dataclass(frozen=True)
class Limits:
    queued: int = 32  # uploads waiting or running
    queued_bytes: int = 512_000_000  # their bytes, in the spool
    wait_seconds: float = 15.0  # a small upload's request waits this long, then gets its job


class IngestJobs:
    def __init__(
        self, ingestor: Ingestor, lock: threading.Lock, spool: Spool, limits: Limits | None = None
    ) -> None:
        self.ingestor = ingestor
        self.register = ingestor.stores.register
        # one ingest at a time: the reading worker is single (the library shares this lock
        # with its other writes, removals and batch ingests)
        self._lock = lock
        self.spool = spool
        self.limits = limits or Limits()
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._sizes: dict[str, int] = {}  # job id -> bytes, of jobs queued or running here
        self._waiting: dict[str, Future] = {}  # job id -> its outcome, for a request waiting
        self._state = threading.Lock()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._recover()
        self._ensure_thread()

    def accept(
        self, name: str, data: bytes, replace: bool, background_bytes: int
    ) -> DocumentOutcome | str:
        """An upload's outcome (the library's own copy, or the file ingested now), or the id
        of the background job it became: a file over `background_bytes` at once, a smaller
        one when its ingest takes longer than the wait. Raises DocumentExists and
        UnreadableDocument as the ingest does, Busy when the queue is full, StorageFull."""
        known = self.ingestor.check_upload(name, data, replace)
        if known is not None:
            return known
        waited = len(data) <= background_bytes
        job_id = self.submit(name, data, replace, wait=waited)
        if not waited:
            return job_id
        try:
            return self._waiting[job_id].result(timeout=self.limits.wait_seconds)
        except WaitedLongEnough:
            return job_id
        finally:
            self._waiting.pop(job_id, None)

    def submit(self, name: str, data: bytes, replace: bool, wait: bool = False) -> str:
        with self._state:
            if self._closed:
                raise Busy("the server is stopping", retry_after=10)
            if len(self._sizes) >= self.limits.queued:
                raise Busy(f"{len(self._sizes)} uploads are already waiting; try again later")
            if sum(self._sizes.values()) + len(data) > self.limits.queued_bytes:
                raise Busy("the uploads waiting already hold as many bytes as the queue takes")
            job_id = None
            try:
                job_id = self.register.create_job(name)
                self.spool.save(job_id, data, {"name": name, "replace": replace})
            except Exception as exc:
                if job_id is not None:  # its row says why, not "queued" for ever
                    self._update(job_id, "failed", error=_reason(exc))
                if is_disk_full(exc):
                    raise StorageFull(DISK_FULL) from exc
                raise
            self._sizes[job_id] = len(data)
            if wait:
                self._waiting[job_id] = Future()
        self._ensure_thread()
        self._queue.put(job_id)
        return job_id

    def writing(self) -> threading.Lock:
        return self._lock

    def close(self) -> None:
        with self._state:
            self._closed = True
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=30)

    # -- the thread --------------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        """The jobs thread, started again should anything ever have ended it."""
        with self._state:
            if self._closed or (self._thread is not None and self._thread.is_alive()):
                return
            self._thread = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        if not self._started.is_set():
            self._prepare()
            self._started.set()
        while (job_id := self._queue.get()) is not None:
            try:
                self._process(job_id)
            except BaseException:  # noqa: BLE001 - the thread outlives any one job
                log.exception("ingest job %s could not be finished", job_id)

    def _prepare(self) -> None:
        # Linux threads inherit their creator's nice value: lowering this thread's before it
        # builds its model puts the onnxruntime threads embedding uploads behind questions.
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
        except OSError:  # a system without per-thread priorities: uploads just compete
            log.info("could not lower the ingest thread's priority")
        stores = self.ingestor.stores
        stores.vectors.use_document_model(MiniLM(stores.config.onnx_threads))
        self.ingestor.worker.start()

    def _process(self, job_id: str) -> None:
        waiting = self._waiting.get(job_id)
        try:
            self._update(job_id, "running")
            data, asked = self.spool.load(job_id)
            with self._lock:
                outcome = self.ingestor.ingest_upload(asked["name"], data, asked["replace"])
        except BaseException as exc:
            self._update(job_id, "failed", error=_reason(exc))
            if waiting is not None:
                waiting.set_exception(exc if isinstance(exc, Exception) else RuntimeError(exc))
            if not isinstance(exc, Exception):
                raise
        else:
            self._update(job_id, "done", outcome=outcome.model_dump(mode="json"))
            if waiting is not None:
                waiting.set_result(outcome)
        finally:
            self.spool.remove(job_id)
            with self._state:
                self._sizes.pop(job_id, None)

    def _update(self, job_id: str, state: str, **fields) -> None:
        """A job's state in the register; a register that cannot be written (a full disk) is
        logged and the thread goes on."""
        try:
            self.register.update_job(job_id, state, **fields)
        except Exception:
            log.exception("could not record job %s as %s", job_id, state)

    def _recover(self) -> None:
        """Jobs a process left queued or running when it died: run again from their spooled
        bytes, or failed when those are gone. A job another living process holds is its own."""
        unfinished = self.register.unfinished_jobs()
        for job_id in sorted(set(unfinished) | self.spool.job_ids()):
            if not self.spool.hold(job_id):
                continue  # a living process has it
            if job_id in unfinished and self.spool.has(job_id):
                self._update(job_id, "queued")
                self._sizes[job_id] = len(self.spool.load(job_id)[0])
                self._queue.put(job_id)
                continue
            if job_id in unfinished:
                self._update(job_id, "failed", error=INTERRUPTED)
            self.spool.remove(job_id)  # bytes of a job already ended, or of none


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnreadableDocument):
        return str(exc)
    if is_disk_full(exc):
        return DISK_FULL
    return f"could not be processed ({exc})"
