"""Hybrid search: BM25 and vectors fused by reciprocal rank, steered by what the query names.

A review or recommendation named in the query (or given explicitly) becomes a metadata filter,
relaxed step by step if it would leave nothing; a named agency, or a kind of agency ("police"),
becomes a strong boost. Agencies are read with the library's own bodies added to the gazetteer
(learned from its documents, kept in the register): "the police", "the trust" or "the ICB" in a
question or an agency filter are the partnership's own bodies of that role. Only passages
present in the register are returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import BaseRetriever, QueryFusionRetriever
from llama_index.core.retrievers.fusion_retriever import FUSION_MODES
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

from review_assistant.ingest import recids
from review_assistant.ingest.agencies import Gazetteer, LearnedAgency, default_gazetteer
from review_assistant.ingest.types import Chunk, SectionKind
from review_assistant.models import Filters, Passage, Review
from review_assistant.query import QueryIntent, QueryParser, default_thesaurus
from review_assistant.store.stores import Stores

# How the two retrievers' rankings become one: llama-index's distance-based score fusion, each
# retriever's scores scaled by their mean and three standard deviations over its candidates
# and weighed equally, so a passage one retriever scores far above the rest keeps that lead.
# Reciprocal rank kept only the order, and BM25's clear winners sank to the vectors' near-ties:
# on the 111 judged development questions (headings in the keyword context) MRR@10 0.676 by
# rank against 0.713 by score, hit@5 0.82 against 0.84 (0.802 / 0.857 MRR on the samples'
# documents, 0.424 / 0.426 outside them); weights away from half each did worse on both.
FUSION_MODE = FUSION_MODES.DIST_BASED_SCORE
FUSION_WEIGHTS = [0.5, 0.5]  # vectors, keywords
# A question about progress or status prefers progress notes (minutes) over the original plan.
PROGRESS_WORDS = re.compile(r"\b(progress|update[sd]?|minutes|scrutiny|panel|status)\b", re.I)
PROGRESS_BOOST = 0.18
# Fused scores are about 1 at best. A named agency lifts a passage by several ranks without
# letting it beat one both retrievers rank first; a kind of agency ("police", "schools") only
# breaks near-ties: as a bigger boost it buried exact matches on the evaluation set. (These
# are the boosts tuned under rank fusion, scaled to its scores' range: 30 times; 15 and 60
# gave the same rankings.)
AGENCY_BOOST = 0.36
CATEGORY_BOOST = 0.06
# Text the library holds in several documents (an inspectorate's address, copyright and
# complaints paragraphs; a template's instructions) is furniture, never what answers: a
# passage whose near copies (cosine >= ECHO_SIMILARITY) sit in ECHO_DOCUMENTS other documents
# ranks below every other. Two is the threshold because a report's words are rightly repeated
# once, by the response that answers it.
ECHO_SIMILARITY = 0.97
ECHO_DOCUMENTS = 2


# How many more candidates a search for some kinds of section only reads, to keep enough of them
SECTION_DEPTH = 4


@dataclass(frozen=True)
class SearchPlan:
    """What a query asks for, understood once: the reviews, recommendation and agency it is
    about (from the question or the filters) and what the filters named that the library lacks.
    """

    query: str
    intent: QueryIntent
    review_ids: tuple[str, ...] = ()
    rec_id: str | None = None  # the recommendation asked about, as asked
    rec_keys: tuple[str, ...] = ()  # the chunk keys answering it
    agency: str | None = None  # an agency filter, resolved (the first body it names)
    agencies: tuple[str, ...] = ()  # every body the agency filter names ("the police": each force)
    unknown_review: str | None = None  # a review filter naming no review in the library
    unknown_agency: str | None = None  # an agency filter naming no agency in the library


@dataclass(frozen=True)
class _Library:
    """The register's reviews, recommendation keys and agencies at one generation, and the
    gazetteer with the library's own bodies (learned from its documents) added."""

    generation: int
    reviews: list[Review]
    parser: QueryParser
    rec_keys: dict[tuple[str, str], str]
    agencies: frozenset[str]
    gazetteer: Gazetteer
    # passage -> how many other documents hold a near copy, filled as passages are ranked
    echoes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Retrieval:
    passages: list[Passage]
    relaxed: tuple[str, ...] = ()  # filters dropped because they would have left nothing


class Searcher:
    def __init__(
        self, stores: Stores, candidates: int = 30, gazetteer: Gazetteer | None = None
    ) -> None:
        self.stores = stores
        self.candidates = candidates
        self.gazetteer = gazetteer or default_gazetteer()  # the national and local files'
        self._library: _Library | None = None

    @property
    def library_gazetteer(self) -> Gazetteer:
        """The gazetteer with the library's own bodies added (learned from its documents, as
        the register holds them now): what questions and agency filters are read with."""
        return self._refresh().gazetteer

    def _refresh(self) -> _Library:
        """What the register holds, reloaded when it changed (by any process). One object is
        swapped in whole, so a search on another thread never sees half of a reload."""
        generation = self.stores.sync()
        library = self._library
        if library is None or library.generation != generation:
            register = self.stores.register
            reviews = register.reviews()
            learned = [
                LearnedAgency(a.name, a.role, "label" if a.responded else "shape", tuple(a.aliases))
                for a in register.library_agencies()
            ]
            gazetteer = self.gazetteer.with_library(learned, register.agency_merges())
            library = _Library(
                generation=generation,
                reviews=reviews,
                parser=QueryParser(reviews, gazetteer, register),
                rec_keys=register.rec_keys(),
                agencies=frozenset(register.agencies()),
                gazetteer=gazetteer,
            )
            self._library = library
        return library

    def reviews(self) -> list[Review]:
        return self._refresh().reviews

    def rec_keys(self) -> dict[tuple[str, str], str]:
        """(review_id, rec_id) -> the key its chunks carry (for a shared response: the group)."""
        return self._refresh().rec_keys

    def review_ids(self, text: str) -> list[str]:
        """Reviews a name or phrase refers to ('Hartley', 'NAI thematic', a review id)."""
        library = self._refresh()
        known = {r.id for r in library.reviews}
        return [text.lower()] if text.lower() in known else library.parser.review_ids(text)

    def agency(self, name: str) -> str:
        """The body an agency name or alias ('the CCG', 'police') stands for, or the name as
        given when it names no body, or several ("the police" of a library with two forces:
        see `agencies`)."""
        gazetteer = self._refresh().gazetteer
        bodies = {gazetteer.merged_into(n) or n for n in gazetteer.resolve_all(name)}
        return bodies.pop() if len(bodies) == 1 else name

    def agencies(self, name: str) -> tuple[str, ...]:
        """Every body of the library an agency name, alias or role stands for, as the register
        names them: "the police" is the partnership's force (each force, where its documents
        name several), "Northshire Police" that body and the names merged into it. The local
        agencies file wins where it names a body; empty when the name names none."""
        return self._refresh().gazetteer.resolve_all(name)

    def topic(self, text: str) -> str:
        """The text without the reviews it names."""
        return self._refresh().parser.topic(text)

    def named_review(self, text: str) -> str | None:
        """A review the text names by shape, known to the library or not."""
        return self._refresh().parser.named_review(text)

    # -- planning ---------------------------------------------------------------------------
    def plan(self, query: str, filters: Filters | None = None) -> SearchPlan:
        filters = filters or Filters()
        library = self._refresh()
        intent = library.parser.parse(query)
        review_ids, unknown_review = intent.review_ids, None
        if filters.review:
            review_ids = tuple(self.review_ids(filters.review))
            unknown_review = None if review_ids else filters.review
        rec_id = (
            recids.normalise(filters.recommendation) if filters.recommendation else intent.rec_id
        )
        agency = unknown_agency = None
        agencies: tuple[str, ...] = ()
        if filters.agency:
            agencies = library.gazetteer.resolve_all(filters.agency)
            agency = agencies[0] if agencies else filters.agency
            known = any(a in library.agencies for a in agencies or (agency,))
            unknown_agency = None if known else filters.agency
        return SearchPlan(
            query=query,
            intent=intent,
            review_ids=tuple(review_ids),
            rec_id=rec_id,
            rec_keys=self._keys_for(library.rec_keys, rec_id, review_ids) if rec_id else (),
            agency=agency,
            agencies=agencies,
            unknown_review=unknown_review,
            unknown_agency=unknown_agency,
        )

    @staticmethod
    def _keys_for(
        rec_keys: dict[tuple[str, str], str], rec_id: str, review_ids: tuple[str, ...]
    ) -> tuple[str, ...]:
        """Chunk keys answering a recommendation id, trying looser readings of the id in turn:
        the id itself, the whole a part belongs to ('2b' of a review numbering '2'), then the
        parts of a whole ('1' of a review numbering '1a', '1b')."""

        def matching(accept) -> tuple[str, ...]:
            return tuple(
                sorted(
                    {
                        key
                        for (rv, rid), key in rec_keys.items()
                        if (not review_ids or rv in review_ids) and accept(rid)
                    }
                )
            )

        return (
            matching(lambda rid: rid == rec_id)
            or matching(lambda rid: recids.is_part_of(rec_id, rid))
            or matching(lambda rid: recids.is_part_of(rid, rec_id))
        )

    # -- retrieval --------------------------------------------------------------------------
    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Passage]:
        return self.run(self.plan(query, filters), k).passages

    def run(
        self,
        plan: SearchPlan,
        k: int = 5,
        query: str | None = None,
        sections: tuple[SectionKind, ...] = (),
    ) -> Retrieval:
        """The k best passages for the plan (or for `query` under the plan's filters), of the
        given kinds of section only when `sections` names any (a filter never relaxed, applied
        to a deeper retrieval: the register's chunk columns hold no section)."""
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

        candidates = max(self.candidates, k * 4)
        # the question plus its theme's other names, so "unseen men" also finds "invisible males"
        text = query or plan.query
        parser = self._refresh().parser
        # a partnership's place ("southampton") names most passages of its reviews: within
        # them it ranks nothing, so the question is searched without it
        expanded = default_thesaurus().expand(parser.without_places(text), parser.topic(text))
        relaxed = ("recommendation",) if plan.rec_id and not plan.rec_keys else ()
        if sections:
            candidates *= SECTION_DEPTH
        for dropped, filters in attempts:
            scored = self._retrieve(expanded, filters, candidates)
            if sections:
                scored = [hit for hit in scored if hit[0].section in sections]
            if plan.agency:
                wanted = {plan.agency, *plan.agencies}
                own = [hit for hit in scored if wanted.intersection(hit[0].agencies)]
                if own:
                    scored = own
                else:
                    dropped = "agency"
            if scored:
                relaxed += (dropped,) if dropped else ()
                return Retrieval(self._rank(scored, plan, k), relaxed)
        return Retrieval([], relaxed)

    def _retrieve(
        self, query: str, filters: list[MetadataFilter], top_k: int
    ) -> list[tuple[Chunk, float, float | None]]:
        metadata_filters = MetadataFilters(filters=filters) if filters else None
        vector = _SimilarityRecorder(self.stores.vector_retriever(top_k, metadata_filters))
        retrievers: list[BaseRetriever] = [
            vector,
            self.stores.keyword_retriever(top_k, metadata_filters),
        ]
        fusion = QueryFusionRetriever(
            retrievers,
            llm=MockLLM(),  # never called: num_queries=1 means no query rewriting
            mode=FUSION_MODE,
            retriever_weights=FUSION_WEIGHTS,
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
        boosted: list[tuple[bool, float, Chunk, float | None]] = []
        wants_progress = bool(PROGRESS_WORDS.search(plan.query))
        gazetteer = self._refresh().gazetteer
        # an inspector or regulator the question names ("what did Ofsted want") is a report's
        # author, named in its furniture, not a body whose passages answer
        responding = [a for a in plan.intent.agencies if gazetteer.is_responder(a)]
        echoes = self._echoes([chunk.chunk_id for chunk, _, _ in scored])
        for chunk, score, similarity in scored:
            furniture = echoes.get(chunk.chunk_id, 0) >= ECHO_DOCUMENTS
            if wants_progress and chunk.section == SectionKind.progress:
                score += PROGRESS_BOOST
            if any(a in chunk.agencies for a in responding):
                score += AGENCY_BOOST
            elif plan.intent.categories and self._about_category(
                chunk, plan.intent.categories, gazetteer
            ):
                score += CATEGORY_BOOST
            boosted.append((not furniture, score, chunk, similarity))
        # furniture last, whatever its score; stable: ties keep the fused order
        boosted.sort(key=lambda entry: entry[:2], reverse=True)
        return [
            Passage.from_chunk(chunk, score, similarity)
            for _, score, chunk, similarity in boosted[:k]
        ]

    def _echoes(self, chunk_ids: list[str]) -> dict[str, int]:
        """How many other documents hold each passage, asked of the vectors once per passage
        while the library stays as it is."""
        known = self._refresh().echoes
        unknown = [c for c in chunk_ids if c not in known]
        if unknown:
            known.update(dict.fromkeys(unknown, 0))
            known.update(self.stores.vectors.echoes(unknown, ECHO_SIMILARITY))
        return known

    @staticmethod
    def _about_category(chunk: Chunk, categories: list[str], gazetteer: Gazetteer) -> bool:
        if any(gazetteer.category(a) in categories for a in chunk.agencies):
            return True
        return bool(set(gazetteer.categories_in(chunk.text)) & set(categories))


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
