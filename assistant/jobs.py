"""Uploads ingested on one background thread, one at a time, with their state in the register.

Reading, OCR and embedding a long report takes seconds to minutes; searches and answers go on
meanwhile (the stores need no lock to read), and take the CPU first: the thread runs at a
lower priority. A job's state lives in the register, so any API process sharing the library
can report it. A small upload goes through the same thread while its request waits.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field

from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingestion import Ingestor
from review_assistant.models import DocumentOutcome
from review_assistant.store.embedding import MiniLM

log = logging.getLogger(__name__)
# How much uploads yield to questions on a busy machine (a nice value, 0-19): at 5 the
# scheduler gives a question's thread about three times an upload thread's share of a core.
# At 10 (nine times), a 20-page upload beside one searching client took 19 s to be searchable
# in a 100k-passage library, with search p95 only 1.14 times its idle figure.
BACKGROUND_NICE = 5


@dataclass
class _Upload:
    name: str
    data: bytes
    replace: bool
    job_id: str | None = None  # a background job, reported in the register
    done: Future = field(default_factory=Future)  # or a caller waiting for the outcome


class IngestJobs:
    def __init__(self, ingestor: Ingestor, lock: threading.Lock | None = None) -> None:
        self.ingestor = ingestor
        self.register = ingestor.stores.register
        # one ingest at a time: the reading worker is single (the library shares this lock
        # with its other writes, removals and batch ingests)
        self._lock = lock or threading.Lock()
        self._queue: queue.Queue[_Upload | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
        self._thread.start()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the library's one writer (an upload, a removal) for the block."""
        with self._lock:
            yield

    def accept(
        self, name: str, data: bytes, replace: bool, background_bytes: int
    ) -> DocumentOutcome | str:
        """An upload's outcome (the library's own copy, or the file ingested now), or the id
        of the background job a file over `background_bytes` becomes. Raises DocumentExists
        and UnreadableDocument as the ingest does."""
        known = self.ingestor.check_upload(name, data, replace)
        if known is not None:
            return known
        if len(data) > background_bytes:
            return self.submit(name, data, replace)
        return self.ingest_now(name, data, replace)

    def ingest_now(self, name: str, data: bytes, replace: bool) -> DocumentOutcome:
        """Ingest on the jobs thread and wait; raises what the ingest raised."""
        upload = _Upload(name, data, replace)
        self._queue.put(upload)
        return upload.done.result()

    def submit(self, name: str, data: bytes, replace: bool) -> str:
        job_id = self.register.create_job(name)
        self._queue.put(_Upload(name, data, replace, job_id))
        return job_id

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        # Linux threads inherit their creator's nice value: lowering this thread's before it
        # builds its model puts the onnxruntime threads embedding uploads behind questions.
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
        except OSError:  # a system without per-thread priorities: uploads just compete
            log.info("could not lower the ingest thread's priority")
        stores = self.ingestor.stores
        stores.vectors.use_document_model(MiniLM(stores.config.onnx_threads))
        self.ingestor.worker.start()
        while (upload := self._queue.get()) is not None:
            if upload.job_id is None:
                try:
                    upload.done.set_result(self._ingest(upload))
                except BaseException as exc:
                    upload.done.set_exception(exc)
                continue
            self.register.update_job(upload.job_id, "running")
            try:
                outcome = self._ingest(upload)
            except UnreadableDocument as exc:
                self.register.update_job(upload.job_id, "failed", error=str(exc))
            except Exception as exc:  # reported on the job; the server carries on
                log.exception("ingest job %s failed", upload.job_id)
                self.register.update_job(
                    upload.job_id, "failed", error=f"could not be processed ({exc})"
                )
            else:
                self.register.update_job(
                    upload.job_id, "done", outcome=outcome.model_dump(mode="json")
                )

    def _ingest(self, upload: _Upload) -> DocumentOutcome:
        with self.writing():
            return self.ingestor.ingest_upload(upload.name, upload.data, replace=upload.replace)
