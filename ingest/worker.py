"""Reading and parsing in a child process with memory and time limits.

A hostile or broken file (a page rendered at absurd size, a zip bomb, a parser trap) may use
memory or time without bound inside a library. Run in a child process, it can be stopped: a
watcher checks the child's resident memory and elapsed time while a document is in hand and
kills the child past either limit; the caller gets a clear UnreadableDocument and the next
document gets a fresh child. The child also reads while the caller embeds the previous
document, so the two cores are both busy.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import psutil

from review_assistant.ingest.config import IngestConfig
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.types import ParsedDocument

log = logging.getLogger(__name__)
_POLL = 0.05  # seconds between looks at the child's memory
READER_NICE = 5  # reading is background work: questions being answered come first


def _serve(conn: Connection, config: IngestConfig) -> None:
    """The child: read and parse each (name, bytes) received; answer with the outcome."""
    from review_assistant.ingest.agencies import load_gazetteer
    from review_assistant.ingest.readers import read_document
    from review_assistant.ingest.structure import StructureParser

    try:
        os.nice(READER_NICE)
    except OSError:  # not allowed here: reading just competes with questions
        log.info("could not lower the reading process's priority")
    parser = StructureParser(load_gazetteer(config.agencies_file))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        name, data = job
        try:
            doc = parser.parse(read_document(Path(name), config, data=data))
            conn.send(("ok", doc))
        except UnreadableDocument as exc:
            conn.send(("unreadable", str(exc)))
        except Exception as exc:  # a reader's own bug must not take the batch down
            log.exception("failed to read %s", name)
            conn.send(("failed", f"could not be processed ({exc.__class__.__name__}: {exc})"))


class ReadingWorker:
    """One child process that reads documents one at a time under the config's limits."""

    def __init__(self, config: IngestConfig | None = None) -> None:
        self.config = config or IngestConfig()
        self._context = multiprocessing.get_context("spawn")
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._stopped_because: str | None = None
        self._job: object | None = None  # the document in hand, for the watcher

    # -- lifecycle ---------------------------------------------------------------------------
    def _start(self) -> None:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self.config), name="review-assistant-reader", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent

    def start(self) -> None:
        """Start the child now: its interpreter and imports take a second or two that the
        first document would otherwise wait for."""
        if self._process is None or not self._process.is_alive():
            self._start()

    def close(self) -> None:
        if self._process is None:
            return
        try:
            assert self._conn is not None
            self._conn.send(None)
            self._process.join(timeout=5)
        except (OSError, BrokenPipeError):
            pass
        if self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=5)
        self._process = self._conn = None

    def __enter__(self) -> ReadingWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- work --------------------------------------------------------------------------------
    def submit(self, name: str, data: bytes) -> None:
        """Hand a document to the child; `result()` collects it."""
        self.start()
        assert self._conn is not None and self._process is not None
        self._stopped_because = None
        job = self._job = object()
        self._conn.send((name, data))
        threading.Thread(target=self._watch, args=(self._process, job), daemon=True).start()

    def result(self) -> ParsedDocument:
        """The parsed document, or UnreadableDocument saying why it could not be read."""
        assert self._conn is not None and self._process is not None
        process, conn = self._process, self._conn
        try:
            while not conn.poll(_POLL):
                if not process.is_alive():
                    break
            if conn.poll(0):
                status, value = conn.recv()
            else:
                status, value = "stopped", None
        except (EOFError, OSError):
            status, value = "stopped", None
        finally:
            self._job = None
        if status == "ok":
            return value
        if status == "stopped":
            self._process.join(timeout=5)
            reason = self._stopped_because or (
                f"the reader stopped unexpectedly (exit code {process.exitcode})"
            )
            self._process = self._conn = None
            raise UnreadableDocument(reason)
        raise UnreadableDocument(value)

    def parse(self, name: str, data: bytes) -> ParsedDocument:
        self.submit(name, data)
        return self.result()

    def _watch(self, process: multiprocessing.process.BaseProcess, job: object) -> None:
        """Kill the child if the document in hand needs too much memory or time."""
        limit = self.config.max_memory_mb * 1_000_000
        started = time.monotonic()
        try:
            watched = psutil.Process(process.pid)
            while self._job is job and process.is_alive():
                rss = watched.memory_info().rss
                if rss > limit:
                    self._stop(
                        process,
                        f"reading needed more than {self.config.max_memory_mb:g} MB of memory "
                        "(REVIEW_ASSISTANT_MAX_MEMORY_MB)",
                    )
                    return
                if time.monotonic() - started > self.config.max_seconds:
                    self._stop(
                        process,
                        f"reading took longer than {self.config.max_seconds:g} s "
                        "(REVIEW_ASSISTANT_MAX_SECONDS)",
                    )
                    return
                time.sleep(_POLL)
        except psutil.NoSuchProcess:
            return

    def _stop(self, process: multiprocessing.process.BaseProcess, reason: str) -> None:
        log.warning("stopping the reader: %s", reason)
        self._stopped_because = reason
        process.kill()
