"""The ingest use case: read, parse, chunk, embed, then write, one document at a time.

A document's chunks are written only once it has parsed and embedded fully. The vectors go in
first under new ids, then one register transaction swaps the document, then the old vectors
are deleted, so an interrupted ingest leaves the previous version searchable.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from review_assistant.errors import DocumentExists
from review_assistant.ingest.chunking import chunk_document
from review_assistant.ingest.config import IngestConfig
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.names import safe_name
from review_assistant.ingest.types import ParsedDocument
from review_assistant.ingest.worker import ReadingWorker
from review_assistant.models import DocumentOutcome, IngestReport, SkippedFile
from review_assistant.store.models import StoredDocument
from review_assistant.store.stores import Stores

log = logging.getLogger(__name__)
_SKIP_NAMES = ("readme", "license", "licence", "changelog", "notice")


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and every file under named folders (hidden and README-like skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if not child.is_file() or any(part.startswith(".") for part in relative.parts):
                    continue
                if child.stem.lower().startswith(_SKIP_NAMES):
                    continue
                yield child
        else:
            yield path


@dataclass
class _Job:
    """A file whose bytes are read and which is not already in the library unchanged."""

    name: str
    path: Path
    data: bytes
    existing: StoredDocument | None


class Ingestor:
    """Reads files in a bounded child process (ingest.worker) and writes what it parsed into
    the stores; the child reads the next file while this process embeds the previous one."""

    def __init__(self, stores: Stores, config: IngestConfig | None = None) -> None:
        self.stores = stores
        self.config = config or IngestConfig()
        self.worker = ReadingWorker(self.config)

    def close(self) -> None:
        self.worker.close()

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _job(
        self, path: Path, data: bytes | None, name: str | None, replace: bool = True
    ) -> _Job | DocumentOutcome:
        """The file's bytes to read, or its outcome if the library already has them. With
        `replace` false, a different file under a name the library holds is refused."""
        if data is None:
            try:
                data = path.read_bytes()
            except FileNotFoundError as exc:
                raise UnreadableDocument("no such file") from exc
            except OSError as exc:
                raise UnreadableDocument(f"cannot read file ({exc.strerror})") from exc
        file_name = safe_name(name or path.name)
        register = self.stores.register
        sha = hashlib.sha256(data).hexdigest()
        existing = register.document_by_name(file_name)
        if existing is not None and existing.sha256 == sha:
            return DocumentOutcome(
                document=file_name, status="unchanged", review_id=existing.review_id
            )  # decided before any parsing
        same = register.document_by_content(sha)
        if same is not None:
            return DocumentOutcome(
                document=file_name,
                status="duplicate",
                same_as=same.file_name,
                review_id=same.review_id,
            )
        if existing is not None and not replace:
            raise DocumentExists(file_name, existing.doc_id)
        return _Job(file_name, path, data, existing)

    def _write(self, job: _Job, doc: ParsedDocument) -> DocumentOutcome:
        """Chunk, embed and write a parsed document, replacing an older version of it."""
        register = self.stores.register
        chunks = chunk_document(doc, max_tokens=self.config.chunk_tokens)
        if not chunks:
            raise UnreadableDocument("no indexable text found in the document")
        vectors = self.stores.vectors.embed(chunks)
        with self.stores.writing():
            self.stores.originals.save(doc.sha256, job.data)
            # what the library holds under this name now: another process may have written it
            existing = register.document_by_name(job.name)
            old_chunks = register.chunk_ids(existing.doc_id) if existing is not None else []
            self.stores.vectors.add(chunks, vectors)
            register.replace_document(doc, chunks, existing.doc_id if existing else None)
            new_ids = {c.chunk_id for c in chunks}
            self.stores.vectors.delete_chunks([cid for cid in old_chunks if cid not in new_ids])
            if existing is not None and existing.sha256 != doc.sha256:
                self._forget_original(existing.sha256)
        return DocumentOutcome(
            document=job.name,
            status="replaced" if existing is not None else "ingested",
            recommendations=len(doc.recommendations),
            chunks=len(chunks),
            pages=len(doc.pages),
            ocr_pages=doc.ocr_pages,
            review_id=doc.review_id,
        )

    def ingest_file(
        self,
        path: Path,
        data: bytes | None = None,
        name: str | None = None,
        replace: bool = True,
    ) -> DocumentOutcome:
        """Ingest one file; raises UnreadableDocument when it cannot be read, DocumentExists
        when `replace` is false and the library holds other content under its name."""
        job = self._job(path, data, name, replace)
        if isinstance(job, DocumentOutcome):
            return job
        return self._write(job, self.worker.parse(job.name, job.data))

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        report = IngestReport()
        files = list(expand(paths))
        bar = tqdm(total=len(files), desc="Ingesting", unit="file", disable=not progress)

        def skip(path: Path, exc: Exception) -> None:
            if isinstance(exc, UnreadableDocument):
                reason = str(exc)
            else:  # one bad file must not stop the batch
                log.exception("failed to ingest %s", path)
                reason = f"could not be processed ({exc})"
            report.skipped.append(SkippedFile(path=str(path), reason=reason))
            bar.update()

        def jobs() -> Iterator[_Job]:
            for path in files:
                try:
                    job = self._job(path, None, None)
                except Exception as exc:
                    skip(path, exc)
                    continue
                if isinstance(job, DocumentOutcome):
                    report.outcomes.append(job)
                    bar.update()
                else:
                    yield job

        queue = jobs()
        current = next(queue, None)
        if current is not None:
            self.worker.submit(current.name, current.data)
        while current is not None:
            try:
                doc: ParsedDocument | Exception = self.worker.result()
            except Exception as exc:
                doc = exc
            following = next(queue, None)
            if following is not None:  # the child reads it while this process embeds
                self.worker.submit(following.name, following.data)
            try:
                if isinstance(doc, Exception):
                    raise doc
                report.outcomes.append(self._write(current, doc))
                bar.update()
            except Exception as exc:
                skip(current.path, exc)
            current = following
        bar.close()
        return report

    def check_upload(self, name: str, data: bytes, replace: bool = False) -> DocumentOutcome | None:
        """What an upload would do without reading it: its outcome if the library already has
        its bytes, DocumentExists if it would replace a document unasked, None if it is new."""
        job = self._job(Path(safe_name(name)), data, name, replace)
        return job if isinstance(job, DocumentOutcome) else None

    def ingest_upload(self, name: str, data: bytes, replace: bool = False) -> DocumentOutcome:
        """An uploaded file: never replaces a document unless asked to."""
        return self.ingest_file(Path(safe_name(name)), data=data, name=name, replace=replace)

    def remove(self, key: str) -> bool:
        """Delete a document (by file name or doc id) from every store."""
        with self.stores.writing():
            row = self.stores.register.find_document(key)
            if row is None:
                return False
            chunk_ids = self.stores.register.chunk_ids(row.doc_id)
            self.stores.register.remove_document(row.doc_id)
            self.stores.vectors.delete_chunks(chunk_ids)
            self._forget_original(row.sha256)
        return True

    def _forget_original(self, sha256: str) -> None:
        if self.stores.register.document_by_content(sha256) is None:
            self.stores.originals.remove(sha256)
