"""The sample library the golden tests read: the bundled samples ingested once per session into
a data directory that nothing opens afterwards (the built library), copies of it for the
tests, and a fingerprint of a library's contents that says whether anything wrote to it.

The build runs in a process of its own: embedded Chroma has no close, so only a process that
has exited is sure to have written and released everything before the folder is copied.

    python -m tests.support.sample_library DATA_DIR
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.support.samples import ROOT, SAMPLE_AGENCIES, SAMPLES

# rows embedded Chroma rewrites whenever a client opens the folder (its writer's heartbeat),
# even one that only reads
_VOLATILE = {"chroma.acquire_write"}


def require_samples() -> None:
    if not SAMPLES.is_dir():
        raise FileNotFoundError(
            f"the bundled samples are not at {SAMPLES}: the golden tests need them "
            '(run the others with -m "not golden")'
        )


def build_library(data_dir: Path) -> Path:
    """Ingest every sample into a new data directory, in a process of its own."""
    require_samples()
    run = subprocess.run(
        [sys.executable, "-m", "tests.support.sample_library", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if run.returncode != 0:
        raise RuntimeError(f"building the sample library failed:\n{run.stderr[-5000:]}")
    return data_dir


def copy_library(built: Path, destination: Path) -> Path:
    """A copy of a library no process has open: its register, Chroma folder and originals."""
    shutil.copytree(built, destination, ignore=shutil.ignore_patterns("*.lock"))
    return destination


def fingerprint(data_dir: Path) -> dict[str, str]:
    """A digest of every table of the register and of Chroma's database, and of every original
    file: two libraries with one fingerprint hold the same documents, passages, vectors,
    answers, feedback, jobs and Slack events."""
    found = _tables("register", data_dir / "register.sqlite3")
    found |= _tables("chroma", data_dir / "chroma" / "chroma.sqlite3")
    originals = data_dir / "originals"
    for path in sorted(originals.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(data_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {key: digest for key, digest in found.items() if key not in _VOLATILE}


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What differs between two fingerprints: tables and files added, removed or changed."""
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def _tables(name: str, path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)  # reading must not write
    try:
        digests = {}
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            digest = hashlib.sha256()
            for row in db.execute(f'SELECT * FROM "{table}"'):
                digest.update(repr(row).encode())
            digests[f"{name}.{table}"] = digest.hexdigest()
        return digests
    finally:
        db.close()


def _ingest(data_dir: Path) -> None:
    from review_assistant.ingest.config import IngestConfig
    from review_assistant.ingestion import Ingestor
    from review_assistant.settings import Settings
    from review_assistant.store.stores import Stores
    from tests.support.network import loopback_only

    with loopback_only():
        stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=data_dir).store)
        try:
            with Ingestor(stores, IngestConfig(agencies_file=SAMPLE_AGENCIES)) as ingestor:
                report = ingestor.ingest([SAMPLES], progress=False)
        finally:
            stores.close()
    if report.skipped:
        sys.exit(f"samples were skipped: {report.skipped}")


if __name__ == "__main__":
    _ingest(Path(sys.argv[1]))
