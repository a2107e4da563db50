"""Hybrid search: BM25 and vectors fused by reciprocal rank, steered by what the query names.

A review or recommendation named in the query (or given explicitly) becomes a metadata filter,
relaxed step by step if it would leave nothing; a named agency, or a kind of agency ("police"),
becomes a strong boost. Only passages present in the register are returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import BaseRetriever, QueryFusionRetriever
from llama_index.core.retrievers.fusion_retriever import FUSION_MODES
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

from assistant.models import Chunk, Passage, SectionKind
from assistant.query import QueryIntent, QueryParser, default_thesaurus
from ingest.agencies import Gazetteer, default_gazetteer
from ingest.structure import normalise_rec_id
from store.stores import Stores

# A question about progress or status prefers progress notes (minutes) over the original plan.
PROGRESS_WORDS = re.compile(r"\b(progress|update[sd]?|minutes|scrutiny|panel|status)\b", re.I)
PROGRESS_BOOST = 0.006
# Fused RRF scores are about 1/60 per retriever. A named agency lifts a passage by several
# ranks without letting it beat one both retrievers rank first; a kind of agency ("police",
# "schools") only breaks near-ties: as a bigger boost it buried exact matches on the
# evaluation set (MRR 0.883 at 0.004 against 0.889 at 0.002).
AGENCY_BOOST = 0.012
CATEGORY_BOOST = 0.002


@dataclass
class SearchRequest:
    query: str
    k: int = 5
    review: str | None = None
    agency: str | None = None
    recommendation: str | None = None


@dataclass
class SearchPlan:
    query: str
    intent: QueryIntent
    review_ids: list[str]
    rec_keys: list[str]
    agency: str | None
    relaxed: list[str]
    rec_id: str | None = None  # the recommendation asked about, as asked


class Searcher:
    def __init__(self, stores: Stores, gazetteer: Gazetteer | None = None) -> None:
        self.stores = stores
        self.gazetteer = gazetteer or default_gazetteer()
        self._parser: QueryParser | None = None
        self._rec_keys: dict[tuple[str, str], str] | None = None
        self._generation = -1

    def _refresh(self) -> None:
        """Reload review aliases and recommendation keys when the register changed."""
        generation = self.stores.register.generation()
        if self._parser is None or generation != self._generation:
            self._parser = QueryParser(self.stores.register.reviews(), self.gazetteer)
            self._rec_keys = self.stores.register.rec_keys()
            self._generation = generation

    def review_ids(self, text: str) -> list[str]:
        """Reviews a name or phrase refers to ('Clare', 'NAI thematic', a review id)."""
        self._refresh()
        assert self._parser is not None
        known = {r["id"] for r in self.stores.register.reviews()}
        return [text.lower()] if text.lower() in known else self._parser.review_ids(text)

    # -- planning ---------------------------------------------------------------------------
    def plan(self, request: SearchRequest) -> SearchPlan:
        self._refresh()
        assert self._parser is not None and self._rec_keys is not None
        intent = self._parser.parse(request.query)
        review_ids = intent.review_ids
        if request.review:
            review_ids = self.review_ids(request.review) or [request.review.lower()]
        rec_id = (
            normalise_rec_id(request.recommendation) if request.recommendation else intent.rec_id
        )
        rec_keys = self._keys_for(rec_id, review_ids) if rec_id else []
        agency = None
        if request.agency:
            agency = self.gazetteer.resolve(request.agency) or request.agency
        # a recommendation the named review(s) do not have cannot filter anything
        relaxed = ["recommendation"] if rec_id and not rec_keys else []
        return SearchPlan(request.query, intent, review_ids, rec_keys, agency, relaxed, rec_id)

    def _keys_for(self, rec_id: str, review_ids: list[str]) -> list[str]:
        """Chunk keys answering a recommendation id, trying looser readings of the id in turn."""
        assert self._rec_keys is not None
        items = self._rec_keys.items()

        def matching(accept) -> list[str]:
            return sorted(
                {
                    key
                    for (rv, rid), key in items
                    if (not review_ids or rv in review_ids) and accept(rid)
                }
            )

        return (
            matching(lambda rid: rid == rec_id)
            # "rec 2b" where the review numbers "2" and letters its parts (a)-(c)
            or matching(lambda rid: rec_id[-1:].isalpha() and rid == rec_id[:-1])
            # "rec 1" where the review numbers "1a", "1b"
            or matching(lambda rid: rid[:-1] == rec_id and rid[-1:].isalpha())
        )

    # -- retrieval --------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> list[Passage]:
        plan = self.plan(request)
        return self.run(request, plan)

    def run(self, request: SearchRequest, plan: SearchPlan) -> list[Passage]:
        attempts: list[tuple[str, list[MetadataFilter]]] = []
        review_filter = _filter("review_id", plan.review_ids)
        rec_filter = _filter("recommendation", plan.rec_keys)
        if review_filter and rec_filter:
            attempts.append(("", [review_filter, rec_filter]))
        if rec_filter:
            attempts.append(("review" if review_filter else "", [rec_filter]))
        if review_filter:
            attempts.append(("recommendation" if rec_filter else "", [review_filter]))
        attempts.append(("all filters" if attempts else "", []))

        candidates = max(self.stores.settings.candidates, request.k * 4)
        # the question plus its theme's other names, so "unseen men" also finds "invisible males"
        query = default_thesaurus().expand(request.query)
        for relaxed, filters in attempts:
            scored = self._retrieve(query, filters, candidates)
            if plan.agency:
                own = [hit for hit in scored if plan.agency in hit[0].agencies]
                if own:
                    scored = own
                else:
                    relaxed = "agency"
            if scored:
                if relaxed:
                    plan.relaxed.append(relaxed)
                return self._rank(scored, plan, request.k)
        return []

    def _retrieve(
        self, query: str, filters: list[MetadataFilter], top_k: int
    ) -> list[tuple[Chunk, float, float | None]]:
        metadata_filters = MetadataFilters(filters=filters) if filters else None
        vector = _SimilarityRecorder(self.stores.vectors.retriever(top_k, metadata_filters))
        retrievers: list[BaseRetriever] = [vector]
        keyword = self.stores.keyword.retriever(top_k, metadata_filters)
        if keyword is not None:
            retrievers.append(keyword)
        fusion = QueryFusionRetriever(
            retrievers,
            llm=MockLLM(),  # never called: num_queries=1 means no query rewriting
            mode=FUSION_MODES.RECIPROCAL_RANK,
            similarity_top_k=top_k,
            num_queries=1,
            use_async=False,
        )
        results = fusion.retrieve(query)
        chunks = self.stores.register.chunks_by_id([r.node.node_id for r in results])
        return [
            (chunks[r.node.node_id], r.score or 0.0, vector.similarity.get(r.node.node_id))
            for r in results
            if r.node.node_id in chunks
        ]

    def _rank(
        self, scored: list[tuple[Chunk, float, float | None]], plan: SearchPlan, k: int
    ) -> list[Passage]:
        boosted: list[tuple[float, Chunk, float | None]] = []
        wants_progress = bool(PROGRESS_WORDS.search(plan.query))
        for chunk, score, similarity in scored:
            if wants_progress and chunk.section == SectionKind.progress:
                score += PROGRESS_BOOST
            if any(a in chunk.agencies for a in plan.intent.agencies):
                score += AGENCY_BOOST
            elif plan.intent.categories and self._about_category(chunk, plan.intent.categories):
                score += CATEGORY_BOOST
            boosted.append((score, chunk, similarity))
        # stable: ties (common in rank fusion) keep the fused order, which favours the vectors
        boosted.sort(key=lambda pair: pair[0], reverse=True)
        return [chunk.to_passage(score, similarity) for score, chunk, similarity in boosted[:k]]

    def _about_category(self, chunk: Chunk, categories: list[str]) -> bool:
        if any(self.gazetteer.category(a) in categories for a in chunk.agencies):
            return True
        return bool(set(self.gazetteer.categories_in(chunk.text)) & set(categories))


class _SimilarityRecorder(BaseRetriever):
    """Passes the vector retriever through, keeping each passage's cosine similarity: rank
    fusion discards it, and answering needs an absolute measure of relevance."""

    def __init__(self, inner: BaseRetriever) -> None:
        super().__init__()
        self._inner = inner
        self.similarity: dict[str, float] = {}

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        results = self._inner.retrieve(query_bundle)
        self.similarity = {r.node.node_id: float(r.score or 0.0) for r in results}
        return results


def _filter(key: str, values: list[str]) -> MetadataFilter | None:
    if not values:
        return None
    if len(values) == 1:
        return MetadataFilter(key=key, value=values[0])
    return MetadataFilter(key=key, value=values, operator=FilterOperator.IN)
