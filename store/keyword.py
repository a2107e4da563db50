"""The keyword index: BM25 (bm25s + PyStemmer) through llama-index's BM25Retriever."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import bm25s
import Stemmer
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores import MetadataFilters
from llama_index.retrievers.bm25 import BM25Retriever

from ingest.types import Chunk
from store.nodes import chunk_to_node

logging.getLogger("bm25s").setLevel(logging.WARNING)


class _MatchingBM25Retriever(BM25Retriever):
    """BM25 that returns only passages sharing a term with the query and passing the filters.

    bm25s scores filtered-out and non-matching passages 0 but still returns them to fill k;
    fed to rank fusion they would earn rank credit they have not deserved.
    """

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [n for n in super()._retrieve(query_bundle) if (n.score or 0.0) > 0.0]


class KeywordIndex:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._stemmer = Stemmer.Stemmer("english")
        self._retriever: BM25Retriever | None = None
        self._loaded_at: float | None = None
        self._reload_if_changed()

    def _stamp(self) -> float | None:
        params = self.directory / "params.index.json"
        return params.stat().st_mtime_ns if params.exists() else None

    def _reload_if_changed(self) -> None:
        """Pick up an index another process (an ingest, the API) rebuilt since it was loaded."""
        stamp = self._stamp()
        if stamp == self._loaded_at:
            return
        self._retriever = (
            BM25Retriever.from_persist_dir(str(self.directory), show_progress=False)
            if stamp is not None
            else None
        )
        self._loaded_at = stamp

    @property
    def empty(self) -> bool:
        self._reload_if_changed()
        return self._retriever is None

    def rebuild(self, chunks: list[Chunk]) -> None:
        """Re-index every chunk (bm25s has no incremental add) and swap the files in atomically."""
        if not chunks:
            shutil.rmtree(self.directory, ignore_errors=True)
            self._retriever = None
            return
        retriever = BM25Retriever.from_defaults(
            nodes=[chunk_to_node(c) for c in chunks], stemmer=self._stemmer, language="en"
        )
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".bm25-", dir=self.directory.parent))
        retriever.persist(str(staging), show_progress=False)
        backup = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(backup, ignore_errors=True)
        if self.directory.exists():
            self.directory.rename(backup)
        staging.rename(self.directory)
        shutil.rmtree(backup, ignore_errors=True)
        # Reload: a freshly indexed bm25s object keeps no corpus, and retrieval needs it.
        self._reload_if_changed()

    def retriever(self, top_k: int, filters: MetadataFilters | None) -> BM25Retriever | None:
        self._reload_if_changed()
        if self._retriever is None:
            return None
        bm25: bm25s.BM25 = self._retriever.bm25
        total = int(bm25.scores.get("num_docs", 0))
        try:
            return _MatchingBM25Retriever(
                existing_bm25=bm25,
                stemmer=self._stemmer,
                similarity_top_k=min(top_k, total),
                filters=filters,
            )
        except ValueError:
            return None  # the filters leave no passage
