"""The vector index: Chroma, embedded in the data directory or a server (CHROMA_HOST)."""

from __future__ import annotations

from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings
from llama_index.core import VectorStoreIndex
from llama_index.core.vector_stores import MetadataFilters
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.models import Chunk
from assistant.settings import Settings
from store.embedding import MiniLM, MiniLMEmbedding
from store.nodes import chunk_to_node, embed_text


def chroma_client(settings: Settings) -> Any:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class VectorIndex:
    def __init__(self, settings: Settings, model: MiniLM) -> None:
        self._client = chroma_client(settings)
        # Vectors are computed here and passed in: Chroma's default embedding function would
        # try to download a model.
        self._collection = self._client.get_or_create_collection(
            settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        self._store = ChromaVectorStore(chroma_collection=self._collection)
        self._model = model
        self._batch = settings.embed_batch
        self._index = VectorStoreIndex.from_vector_store(
            self._store, embed_model=MiniLMEmbedding(model)
        )

    def embed(self, chunks: list[Chunk]) -> list[list[float]]:
        return self._model.embed([embed_text(c) for c in chunks], batch_size=self._batch).tolist()

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

    def retriever(self, top_k: int, filters: MetadataFilters | None):
        return self._index.as_retriever(similarity_top_k=top_k, filters=filters)
