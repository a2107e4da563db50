"""Ingest files into the stores: read, parse, chunk, embed, then write, one document at a time.

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

from assistant.models import IngestReport, SkippedFile
from ingest.chunking import chunk_document
from ingest.errors import UnreadableDocument
from ingest.readers import read_document
from ingest.structure import StructureParser
from store.stores import Stores

log = logging.getLogger(__name__)
_SKIP_NAMES = ("readme", "license", "licence", "changelog", "notice")


@dataclass
class Outcome:
    status: str  # "ingested", "replaced", "unchanged"
    recommendations: int = 0
    chunks: int = 0
    pages: int = 0
    ocr_pages: int = 0
    review_id: str | None = None


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
    def __init__(self, stores: Stores, parser: StructureParser | None = None) -> None:
        self.stores = stores
        self.parser = parser or StructureParser()

    def ingest_file(
        self, path: Path, data: bytes | None = None, name: str | None = None
    ) -> Outcome:
        """Ingest one file; raises UnreadableDocument when it cannot be read."""
        settings = self.stores.settings
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise UnreadableDocument(f"cannot read file ({exc.strerror})") from exc
        file_name = name or path.name
        register = self.stores.register
        existing = register.document_by_name(file_name)
        if existing is not None and existing["sha256"] == hashlib.sha256(data).hexdigest():
            return Outcome("unchanged")  # decided before any parsing or OCR
        raw = read_document(
            Path(file_name),
            ocr_min_chars=settings.ocr_min_chars,
            ocr_scale=settings.ocr_scale,
            data=data,
        )
        doc = self.parser.parse(raw)
        chunks = chunk_document(doc, max_tokens=settings.chunk_tokens)
        if not chunks:
            raise UnreadableDocument("no indexable text found in the document")
        vectors = self.stores.vectors.embed(chunks)
        old_chunks = register.chunk_ids(existing["doc_id"]) if existing is not None else []
        self.stores.vectors.add(chunks, vectors)
        register.replace_document(doc, chunks, existing["doc_id"] if existing else None)
        new_ids = {c.chunk_id for c in chunks}
        self.stores.vectors.delete_chunks([cid for cid in old_chunks if cid not in new_ids])
        return Outcome(
            "replaced" if existing is not None else "ingested",
            recommendations=len(doc.recommendations),
            chunks=len(chunks),
            pages=len(doc.pages),
            ocr_pages=doc.ocr_pages,
            review_id=doc.review_id,
        )

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        files = list(expand(paths))
        report = IngestReport()
        reviews: set[str] = set()
        changed = False
        for path in tqdm(files, desc="Ingesting", unit="file", disable=not progress):
            try:
                if not path.exists():
                    raise UnreadableDocument("no such file")
                outcome = self.ingest_file(path)
            except UnreadableDocument as exc:
                report.skipped.append(SkippedFile(path=str(path), reason=str(exc)))
                continue
            except Exception as exc:  # one bad file must not stop the batch
                log.exception("failed to ingest %s", path)
                report.skipped.append(
                    SkippedFile(path=str(path), reason=f"could not be processed ({exc})")
                )
                continue
            if outcome.status == "unchanged":
                report.unchanged += 1
                continue
            changed = True
            report.documents += 1
            report.replaced += outcome.status == "replaced"
            report.recommendations += outcome.recommendations
            report.chunks += outcome.chunks
            report.pages += outcome.pages
            report.ocr_pages += outcome.ocr_pages
            if outcome.review_id:
                reviews.add(outcome.review_id)
        if changed or self.stores.keyword.empty:
            self.stores.refresh_keyword_index()
        report.reviews = len(reviews)
        return report

    def ingest_upload(self, name: str, data: bytes) -> Outcome:
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
