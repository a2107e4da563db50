"""The keyword retriever: the register's full-text index (BM25 in SQLite's FTS5, ts_rank_cd in
PostgreSQL) as a llama-index retriever.

Passages are indexed as stemmed terms (store.tokens.index_terms) and questions are reduced
the same way, so "what did the police do" searches for "polic". Any passage sharing a term
with the query can match (terms are OR-ed); the engine's ranking orders them.
"""

from __future__ import annotations

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores import MetadataFilters

from review_assistant.store.nodes import chunk_to_node, column_filters
from review_assistant.store.register import Register


class KeywordRetriever(BaseRetriever):
    def __init__(
        self,
        register: Register,
        top_k: int,
        filters: MetadataFilters | None,
        budget: int | None = None,
    ) -> None:
        super().__init__()
        self._register = register
        self._budget = budget
        self._top_k = top_k
        self._filters = column_filters(filters)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self._register.keyword_search(
            query_bundle.query_str, self._top_k, self._filters, self._budget
        )
        chunks = self._register.chunks_by_id([cid for cid, _ in hits])
        # the same nodes the vector store holds: rank fusion matches passages by node hash
        return [
            NodeWithScore(node=chunk_to_node(chunks[cid]), score=score)
            for cid, score in hits
            if cid in chunks
        ]
