"""The vector index: Chroma, embedded in the data directory or a server (CHROMA_HOST)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import InternalError
from llama_index.core import VectorStoreIndex
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores import MetadataFilters
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore

from review_assistant.ingest.types import Chunk
from review_assistant.store.config import StoreConfig
from review_assistant.store.embedding import MiniLM, MiniLMEmbedding
from review_assistant.store.nodes import chunk_to_node, embed_text


def chroma_client(config: StoreConfig) -> Any:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if config.chroma_host:
        return chromadb.HttpClient(
            host=config.chroma_host, port=config.chroma_port, settings=chroma_settings
        )
    config.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(config.chroma_dir), settings=chroma_settings)


class VectorIndex:
    def __init__(self, config: StoreConfig, model: MiniLM) -> None:
        self._config = config
        self._model = model  # questions
        self._document_model = model  # passages being ingested
        self._batch = config.embed_batch
        self._open()

    def _open(self) -> None:
        self._client = chroma_client(self._config)
        # Vectors are computed here and passed in: Chroma's default embedding function would
        # try to download a model.
        self._collection = self._client.get_or_create_collection(
            self._config.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        self._store = ChromaVectorStore(chroma_collection=self._collection)
        self._index = VectorStoreIndex.from_vector_store(
            self._store, embed_model=MiniLMEmbedding(self._model)
        )

    @property
    def embedded(self) -> bool:
        return not self._config.chroma_host

    def reopen(self) -> None:
        """See vectors another process added: embedded Chroma keeps the index it loaded, so
        its cached client is dropped and the store opened afresh."""
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
        self._open()

    def ids(self) -> set[str]:
        """Every vector's id (for the consistency check)."""
        return set(self._collection.get(include=[])["ids"])

    def use_document_model(self, model: MiniLM) -> None:
        """Embed passages with their own model instance (its own session and lock), so a
        question's embedding never queues behind an upload's batches."""
        self._document_model = model

    def embed(self, chunks: list[Chunk]) -> list[list[float]]:
        texts = [embed_text(c) for c in chunks]
        return self._document_model.embed(texts, batch_size=self._batch).tolist()

    def add(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        nodes = []
        for chunk, vector in zip(chunks, vectors, strict=True):
            node = chunk_to_node(chunk)
            node.embedding = vector
            nodes.append(node)
        if nodes:
            self._store.add(nodes)

    def delete_chunks(self, chunk_ids: list[str]) -> None:
        if chunk_ids:
            self._collection.delete(ids=chunk_ids)

    def count(self) -> int:
        return self._collection.count()

    def echoes(
        self, chunk_ids: list[str], min_similarity: float, neighbours: int = 8
    ) -> dict[str, int]:
        """For each passage, how many other documents hold a near copy of it: its own vector's
        nearest neighbours at `min_similarity` (cosine) or closer, counted by document."""
        if not chunk_ids:
            return {}
        own = self._collection.get(ids=chunk_ids, include=["embeddings", "metadatas"])
        if not own["ids"]:
            return {}
        found = self._collection.query(
            query_embeddings=own["embeddings"], n_results=neighbours,
            include=["metadatas", "distances"],
        )  # fmt: skip
        out: dict[str, int] = {}
        for chunk_id, meta, metas, distances in zip(
            own["ids"], own["metadatas"], found["metadatas"], found["distances"], strict=True
        ):
            out[chunk_id] = len(
                {
                    m["document"]
                    for m, distance in zip(metas, distances, strict=True)
                    if m["document"] != meta["document"] and 1 - distance >= min_similarity
                }
            )
        return out

    def retriever(
        self, top_k: int, filters: MetadataFilters | None, among: list[str] | None = None
    ) -> BaseRetriever:
        """The top_k nearest passages, under metadata filters or among the given ids.

        Chroma applies a metadata filter by scanning every passage's metadata (150 ms at 100k
        passages); searching among the ids the register's indexes give is 25 ms."""

        def make() -> BaseRetriever:
            if among is not None:
                return _AmongIds(self, top_k, among)
            return self._index.as_retriever(similarity_top_k=top_k, filters=filters)

        return make() if not self.embedded else _Reopening(self, make)


class _AmongIds(BaseRetriever):
    """Nearest neighbours among given passages, as llama-index's Chroma store returns them
    (the same nodes, similarity exp(-distance))."""

    def __init__(self, index: VectorIndex, top_k: int, ids: list[str]) -> None:
        super().__init__()
        self._vectors, self._top_k, self._ids = index, top_k, ids

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        if not self._ids:
            return []
        query = self._vectors._model.embed([query_bundle.query_str])[0].tolist()
        found = self._vectors._collection.query(
            query_embeddings=[query], ids=self._ids, n_results=min(self._top_k, len(self._ids)),
            include=["documents", "metadatas", "distances"],
        )  # fmt: skip
        return [
            NodeWithScore(node=metadata_dict_to_node(meta, text=text), score=math.exp(-distance))
            for text, meta, distance in zip(
                found["documents"][0], found["metadatas"][0], found["distances"][0], strict=True
            )
        ]


class _Reopening(BaseRetriever):
    """An embedded index read while another process writes to it can fail to find an id its
    loaded segments do not hold yet ("Error finding id"): reopened, it holds it."""

    def __init__(self, index: VectorIndex, make: Callable[[], BaseRetriever]) -> None:
        super().__init__()
        self._vectors, self._make = index, make

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        try:
            return self._make().retrieve(query_bundle)
        except InternalError:
            self._vectors.reopen()
            return self._make().retrieve(query_bundle)
