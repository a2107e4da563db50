"""The ingest use case: read, parse, chunk, embed, then write, one document at a time.

A document's chunks are written only once it has parsed and embedded fully. The vectors go in
first under new ids, then one register transaction swaps the document, then the old vectors
are deleted, so an interrupted ingest leaves the previous version searchable.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from tqdm import tqdm

from assistant.models import DocumentOutcome, IngestReport, SkippedFile
from ingest.chunking import chunk_document
from ingest.config import IngestConfig
from ingest.errors import UnreadableDocument
from ingest.readers import read_document
from ingest.structure import StructureParser
from store.stores import Stores

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


class Ingestor:
    def __init__(
        self,
        stores: Stores,
        config: IngestConfig | None = None,
        parser: StructureParser | None = None,
    ) -> None:
        self.stores = stores
        self.config = config or IngestConfig()
        self.parser = parser or StructureParser()

    def ingest_file(
        self, path: Path, data: bytes | None = None, name: str | None = None
    ) -> DocumentOutcome:
        """Ingest one file; raises UnreadableDocument when it cannot be read."""
        config = self.config
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise UnreadableDocument(f"cannot read file ({exc.strerror})") from exc
        file_name = name or path.name
        register = self.stores.register
        existing = register.document_by_name(file_name)
        if existing is not None and existing["sha256"] == hashlib.sha256(data).hexdigest():
            return DocumentOutcome(document=file_name, status="unchanged")  # before any parsing
        raw = read_document(
            Path(file_name),
            ocr_min_chars=config.ocr_min_chars,
            ocr_scale=config.ocr_scale,
            data=data,
        )
        doc = self.parser.parse(raw)
        chunks = chunk_document(doc, max_tokens=config.chunk_tokens)
        if not chunks:
            raise UnreadableDocument("no indexable text found in the document")
        vectors = self.stores.vectors.embed(chunks)
        old_chunks = register.chunk_ids(existing["doc_id"]) if existing is not None else []
        self.stores.vectors.add(chunks, vectors)
        register.replace_document(doc, chunks, existing["doc_id"] if existing else None)
        new_ids = {c.chunk_id for c in chunks}
        self.stores.vectors.delete_chunks([cid for cid in old_chunks if cid not in new_ids])
        return DocumentOutcome(
            document=file_name,
            status="replaced" if existing is not None else "ingested",
            recommendations=len(doc.recommendations),
            chunks=len(chunks),
            pages=len(doc.pages),
            ocr_pages=doc.ocr_pages,
            review_id=doc.review_id,
        )

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        files = list(expand(paths))
        report = IngestReport()
        for path in tqdm(files, desc="Ingesting", unit="file", disable=not progress):
            try:
                if not path.exists():
                    raise UnreadableDocument("no such file")
                report.outcomes.append(self.ingest_file(path))
            except UnreadableDocument as exc:
                report.skipped.append(SkippedFile(path=str(path), reason=str(exc)))
            except Exception as exc:  # one bad file must not stop the batch
                log.exception("failed to ingest %s", path)
                report.skipped.append(
                    SkippedFile(path=str(path), reason=f"could not be processed ({exc})")
                )
        if report.documents or self.stores.keyword.empty:
            self.stores.refresh_keyword_index()
        return report

    def ingest_upload(self, name: str, data: bytes) -> DocumentOutcome:
        """One uploaded file, with the keyword index refreshed if it changed anything."""
        outcome = self.ingest_file(Path(name), data=data, name=name)
        if outcome.status != "unchanged":
            self.stores.refresh_keyword_index()
        return outcome

    def remove(self, key: str) -> bool:
        """Delete a document (by file name or doc id) from every store."""
        row = self.stores.register.find_document(key)
        if row is None:
            return False
        chunk_ids = self.stores.register.chunk_ids(row["doc_id"])
        self.stores.register.remove_document(row["doc_id"])
        self.stores.vectors.delete_chunks(chunk_ids)
        self.stores.refresh_keyword_index()
        return True
