"""The stores agree: every passage in the register has its vector and its keyword row, and
nothing else does; every original file kept belongs to a document, and every upload waiting
in the spool to a job still to run. An ingest killed between its steps (vectors written,
register not yet swapped; old vectors not yet deleted; an original written, its document
not) leaves differences this finds and repairs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from review_assistant.store.spool import Spool
from review_assistant.store.stores import Stores

# folders older versions kept beside the register (a file-based keyword index and its staging)
_LEFTOVERS = ("bm25", "bm25.old", ".bm25-*")


@dataclass
class Consistency:
    missing_vectors: list[str] = field(default_factory=list)
    orphan_vectors: list[str] = field(default_factory=list)
    missing_keywords: list[str] = field(default_factory=list)
    orphan_keywords: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    orphan_originals: list[str] = field(default_factory=list)
    orphan_uploads: list[str] = field(default_factory=list)  # spooled jobs already ended
    repaired: bool = False

    @property
    def consistent(self) -> bool:
        return not (
            self.missing_vectors or self.orphan_vectors or self.missing_keywords
            or self.orphan_keywords or self.leftovers or self.orphan_originals
            or self.orphan_uploads
        )  # fmt: skip

    def summary(self) -> str:
        parts = [
            f"{len(self.missing_vectors)} passage(s) without a vector",
            f"{len(self.orphan_vectors)} vector(s) of no passage",
            f"{len(self.missing_keywords)} passage(s) missing from the keyword index",
            f"{len(self.orphan_keywords)} keyword row(s) of no passage",
            f"{len(self.leftovers)} leftover folder(s)",
            f"{len(self.orphan_originals)} original file(s) of no document",
            f"{len(self.orphan_uploads)} spooled upload(s) of no job to run",
        ]
        return "; ".join(parts)


def check(stores: Stores, repair: bool = False) -> Consistency:
    """Compare the register with the vector and keyword indexes; with `repair`, make them
    agree (the register is the source of truth).

    A repair runs as the library's writer: another process's ingest half-way through (vectors
    written, register not yet) would otherwise look like orphans and lose its vectors."""
    if not repair:
        return _compare(stores)
    with stores.writing():
        found = _compare(stores)
        if not found.consistent:
            _repair(stores, found)
            found.repaired = True
    return found


def _compare(stores: Stores) -> Consistency:
    register = stores.register
    passages = register.all_chunk_ids()
    vectors = stores.vectors.ids()
    keywords = register.keyword_ids()
    leftovers = sorted(
        str(path)
        for pattern in _LEFTOVERS
        for path in stores.config.data_dir.glob(pattern)
        if path.is_dir()
    )
    kept = register.document_hashes()
    originals = stores.originals.stored()
    unfinished = register.unfinished_jobs()
    return Consistency(
        missing_vectors=sorted(passages - vectors),
        orphan_vectors=sorted(vectors - passages),
        missing_keywords=sorted(passages - keywords),
        orphan_keywords=sorted(keywords - passages),
        leftovers=leftovers,
        orphan_originals=sorted(str(p) for name, p in originals.items() if name not in kept),
        orphan_uploads=sorted(_spool(stores).job_ids() - unfinished),
    )


def _spool(stores: Stores) -> Spool:
    return Spool(stores.config.spool_dir)


def _repair(stores: Stores, found: Consistency) -> None:
    register = stores.register
    if found.missing_vectors:
        chunks = list(register.chunks_by_id(found.missing_vectors).values())
        stores.vectors.add(chunks, stores.vectors.embed(chunks))
    stores.vectors.delete_chunks(found.orphan_vectors)
    if found.missing_keywords or found.orphan_keywords:
        chunks = list(register.chunks_by_id(found.missing_keywords).values())
        register.reindex_keywords(chunks, found.orphan_keywords)
    for folder in found.leftovers:
        shutil.rmtree(folder, ignore_errors=True)
    for path in found.orphan_originals:
        Path(path).unlink(missing_ok=True)
    spool = _spool(stores)
    for job_id in found.orphan_uploads:
        if spool.hold(job_id):  # a living process's job is its own
            spool.remove(job_id)
