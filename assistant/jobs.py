"""Uploads ingested in the background, one at a time, with their state in the register.

Reading, OCR and embedding a long report takes seconds to minutes; searches and answers go on
meanwhile (the stores need no lock to read). A job's state lives in the register, so any API
process sharing the data directory can report it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.library import Ingestor
from assistant.models import DocumentOutcome
from ingest.errors import UnreadableDocument

log = logging.getLogger(__name__)


class IngestJobs:
    def __init__(self, ingestor: Ingestor) -> None:
        self.ingestor = ingestor
        self.register = ingestor.stores.register
        self._lock = threading.Lock()  # one ingest at a time: the reading worker is single
        self._queue: queue.Queue[tuple[str, str, bytes, bool] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
        self._thread.start()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the library's one writer (an upload, a removal) for the block."""
        with self._lock:
            yield

    def ingest_now(self, name: str, data: bytes, replace: bool) -> DocumentOutcome:
        with self.writing():
            return self.ingestor.ingest_upload(name, data, replace=replace)

    def submit(self, name: str, data: bytes, replace: bool) -> str:
        job_id = self.register.create_job(name)
        self._queue.put((job_id, name, data, replace))
        return job_id

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            job_id, name, data, replace = item
            self.register.update_job(job_id, "running")
            try:
                outcome = self.ingest_now(name, data, replace)
            except UnreadableDocument as exc:
                self.register.update_job(job_id, "failed", error=str(exc))
            except Exception as exc:  # reported on the job; the server carries on
                log.exception("ingest job %s failed", job_id)
                self.register.update_job(job_id, "failed", error=f"could not be processed ({exc})")
            else:
                self.register.update_job(job_id, "done", outcome=outcome.model_dump(mode="json"))
