"""The extractive answerer: the retrieved sentences that answer the question, verbatim, cited.

No model is needed. Each candidate sentence is scored by how much of the question's weighted
vocabulary it covers and by how relevant its passage is; near-duplicates are dropped and the
chosen sentences keep the order of their passages.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from review_assistant.ingest.sentences import TOPIC_LINE, is_heading, sentence_spans
from review_assistant.models import Citation, Passage
from review_assistant.terms import terms, tidy


class TermWeights:
    """Inverse document frequency of stemmed terms over the indexed passages."""

    def __init__(self, texts: list[str]) -> None:
        self._total = max(len(texts), 1)
        self._df: Counter[str] = Counter()
        for text in texts:
            self._df.update(set(terms(text)))

    def __call__(self, term: str) -> float:
        return math.log((self._total + 1) / (self._df.get(term, 0) + 0.5))


@dataclass
class Candidate:
    passage: Passage
    rank: int
    start: int  # offsets in the document
    end: int
    text: str
    terms: set[str]
    coverage: float  # weighted share of the question's terms the sentence contains
    score: float
    causal: bool = False  # gives a cause or a failing (set for why-questions)
    action: bool = False  # reports what an agency did or will do (set for learning points)


@dataclass
class Citations:
    """Numbered citations, one per quoted span."""

    items: list[Citation] = field(default_factory=list)

    def cite(self, passage: Passage, start: int, end: int) -> int:
        for citation in self.items:
            if citation.chunk_id == passage.chunk_id and (
                citation.quote_start,
                citation.quote_end,
            ) == (
                start,
                end,
            ):
                return citation.n
        quote = passage.text[start - passage.start : end - passage.start]
        number = len(self.items) + 1
        self.items.append(
            Citation(
                **passage.model_dump(),
                n=number,
                quote=quote,
                quote_start=start,
                quote_end=end,
            )
        )
        return number


def candidates(
    question: str, passages: list[Passage], weights: TermWeights, variants: list[str] | None = None
) -> list[Candidate]:
    """Every sentence of the passages, scored against the question (or its best variant)."""
    phrasings = []
    for text in variants or [question]:
        wanted = set(terms(text))
        phrasings.append((wanted, sum(weights(t) for t in wanted) or 1.0))
    found: list[Candidate] = []
    for rank, passage in enumerate(passages):
        relevance = passage.similarity if passage.similarity is not None else 0.0
        for start, end in sentence_spans(passage.text):
            text = passage.text[start:end]
            if is_heading(text, TOPIC_LINE):
                continue  # a title line names the topic; it never answers a question
            sentence_terms = set(terms(text))
            coverage = max(
                sum(weights(t) for t in wanted & sentence_terms) / total
                for wanted, total in phrasings
            )
            # coverage says the sentence is on the question; rank and similarity say its
            # passage is, which rescues sentences that answer in other words.
            score = coverage + 0.5 * relevance + 0.25 / (rank + 1)
            found.append(
                Candidate(
                    passage,
                    rank,
                    passage.start + start,
                    passage.start + end,
                    text,
                    sentence_terms,
                    coverage,
                    score,
                )
            )
    return found


def _similar(a: set[str], b: set[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) > 0.6


def select(
    found: list[Candidate],
    limit: int,
    per_passage: int = 2,
    per_review: int | None = None,
    floor: float = 0.7,
    min_coverage: float = 0.0,
) -> list[Candidate]:
    """The best sentences, without near-duplicates, at most `per_passage` from one passage.

    A sentence scoring under `floor` times the best one is filler, not part of the answer.
    """
    chosen: list[Candidate] = []
    by_passage: Counter[str] = Counter()
    by_review: Counter[str] = Counter()
    ranked = sorted(found, key=lambda c: c.score, reverse=True)
    best = ranked[0].score if ranked else 0.0
    for candidate in ranked:
        if len(chosen) == limit or candidate.score < floor * best:
            break
        if candidate.coverage < min_coverage:
            continue
        if by_passage[candidate.passage.chunk_id] >= per_passage:
            continue
        if per_review is not None and by_review[candidate.passage.review_id] >= per_review:
            continue
        if any(_similar(candidate.terms, c.terms) for c in chosen):
            continue
        chosen.append(candidate)
        by_passage[candidate.passage.chunk_id] += 1
        by_review[candidate.passage.review_id] += 1
    return chosen


def render(chosen: list[Candidate], citations: Citations, document_order: bool = False) -> str:
    """Sentences in passage order (or in the order the documents give them), each followed
    by its citation number."""
    if document_order:
        ordered = sorted(chosen, key=lambda c: (c.passage.document, c.start))
    else:
        ordered = sorted(chosen, key=lambda c: (c.rank, c.start))
    return " ".join(
        f"{tidy(c.text)} [{citations.cite(c.passage, c.start, c.end)}]" for c in ordered
    )
