"""All stores of one data directory, opened together."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock
from llama_index.core.vector_stores import MetadataFilters

from review_assistant.store.config import StoreConfig
from review_assistant.store.database import open_database
from review_assistant.store.embedding import default_model
from review_assistant.store.keyword import KeywordRetriever
from review_assistant.store.nodes import column_filters
from review_assistant.store.originals import Originals
from review_assistant.store.register import Register
from review_assistant.store.vectors import VectorIndex


class Stores:
    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.model = default_model(config.onnx_threads)
        self.register = Register(open_database(config))
        self.vectors = VectorIndex(config, self.model)
        self.originals = Originals(config.originals_dir)
        self._seen = self.register.generation()
        self._writer = threading.Lock()
        # Every process writing this data directory (API workers, the Slack worker, a CLI
        # ingest) takes this lock: embedded Chroma is not safe for two writers at once.
        self._file_lock = FileLock(config.data_dir / "write.lock")

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Be the library's only writer for the block, across threads and processes, having
        caught up with what others wrote (a stale embedded index must not write over it)."""
        with self._writer, self._file_lock:
            self.sync()
            yield

    def sync(self) -> int:
        """Catch up with changes other processes made; return the register's generation.

        The register and a Chroma server are shared live; an embedded Chroma keeps the index it
        loaded, so it is reopened when another process (a CLI ingest beside a running server)
        changed the library."""
        generation = self.register.generation()
        if generation != self._seen:
            if self.vectors.embedded and self.register.changed_elsewhere(self._seen):
                self.vectors.reopen()
            self._seen = generation
        return generation

    def vector_retriever(self, top_k: int, filters: MetadataFilters | None):
        """Vector search; under filters, among the passages the register's indexes select."""
        among = self.register.chunk_ids_matching(column_filters(filters)) if filters else None
        return self.vectors.retriever(top_k, filters, among)

    def keyword_retriever(self, top_k: int, filters: MetadataFilters | None) -> KeywordRetriever:
        return KeywordRetriever(self.register, top_k, filters, self.config.keyword_budget)

    def close(self) -> None:
        self.register.close()
