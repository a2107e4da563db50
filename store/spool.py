"""Uploads waiting to be ingested, kept on disk in the data directory rather than in memory:
a queue of large files costs no memory, and a job a restart interrupted still has its bytes.

Each job is its bytes, a small JSON of what was asked (name, replace), and a lock file that
the process which queued it holds while the job is its own; a job whose lock nobody holds was
left by a process that died, and may be taken over.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from filelock import FileLock, Timeout


class Spool:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._held: dict[str, FileLock] = {}

    def save(self, job_id: str, data: bytes, meta: dict) -> None:
        """Keep a job's bytes, and hold it as this process's. On any failure (a full disk)
        nothing of it is left behind."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hold(job_id)
        try:
            _write(self._path(job_id, ".bytes"), data)
            _write(self._path(job_id, ".json"), json.dumps(meta).encode())
        except BaseException:
            self.remove(job_id)
            raise

    def load(self, job_id: str) -> tuple[bytes, dict]:
        data = self._path(job_id, ".bytes").read_bytes()
        return data, json.loads(self._path(job_id, ".json").read_text(encoding="utf-8"))

    def has(self, job_id: str) -> bool:
        return self._path(job_id, ".bytes").exists() and self._path(job_id, ".json").exists()

    def hold(self, job_id: str) -> bool:
        """Take a job as this process's; False when a living process holds it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self._path(job_id, ".lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return False
        self._held[job_id] = lock
        return True

    def release(self, job_id: str) -> None:
        """Let go of a job, keeping its files (for another process to take up)."""
        lock = self._held.pop(job_id, None)
        if lock is not None:
            lock.release()

    def remove(self, job_id: str) -> None:
        for suffix in (".bytes", ".json", ".partial"):
            self._path(job_id, suffix).unlink(missing_ok=True)
        lock = self._held.pop(job_id, None)
        if lock is not None:
            lock.release()
        self._path(job_id, ".lock").unlink(missing_ok=True)

    def job_ids(self) -> set[str]:
        """Every job with anything in the spool (bytes, what was asked, or its lock)."""
        if not self.folder.exists():
            return set()
        return {path.name.split(".", 1)[0] for path in self.folder.iterdir()}

    def _path(self, job_id: str, suffix: str) -> Path:
        if not job_id.isalnum():  # ids are the register's hex ids, never a path
            raise ValueError(f"not a job id: {job_id!r}")
        return self.folder / f"{job_id}{suffix}"


def _write(path: Path, data: bytes) -> None:
    partial = path.with_suffix(".partial")
    try:
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
