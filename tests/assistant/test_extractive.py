"""Sentence selection of the extractive answerer, on passages the test writes."""

from __future__ import annotations

from review_assistant.extractive import Citations, TermWeights, candidates, render, select
from review_assistant.ingest.types import SectionKind
from review_assistant.models import Passage


def passage(n: int, text: str, review: str = "child-t", start: int = 0, similarity=0.5):
    return Passage(
        chunk_id=f"c{n}", text=text, document="doc.txt", title="T", review=review.title(),
        review_id=review, section=SectionKind.response, page=1, page_end=1, start=start,
        end=start + len(text), score=1.0, similarity=similarity,
    )  # fmt: skip


PASSAGES = [
    passage(1, "The meeting opened at ten. Health visitors will now check GP registration "
               "at every new birth visit.", start=100),
    passage(2, "Health visitors now check GP registration at each new birth visit. "
               "Staff enjoyed the training day.", start=400),
    passage(3, "The school nurse reviews immunisation records each term.", review="child-u",
            start=900),
]  # fmt: skip
WEIGHTS = TermWeights([p.text for p in PASSAGES])


def test_sentences_that_cover_the_question_win_and_quote_exact_spans():
    found = candidates("do health visitors check GP registration?", PASSAGES, WEIGHTS)
    chosen = select(found, limit=3)
    texts = [c.text for c in chosen]
    assert texts[0].startswith("Health visitors will now check GP registration")
    # the near-duplicate from the second passage is dropped; filler never makes the cut
    assert len(chosen) == 1
    citations = Citations()
    answer = render(chosen, citations)
    assert answer.endswith("[1]")
    cited = citations.items[0]
    source = PASSAGES[0]
    assert (
        cited.quote
        == source.text[cited.quote_start - source.start : cited.quote_end - source.start]
    )


def test_limits_per_passage_and_per_review():
    found = candidates("visit records check", PASSAGES, WEIGHTS)
    chosen = select(found, limit=5, per_passage=1, per_review=1, floor=0.0)
    assert len({c.passage.chunk_id for c in chosen}) == len(chosen)
    assert len({c.passage.review_id for c in chosen}) == len(chosen)


def test_variants_count_as_the_question():
    found = candidates(
        "school nurse vaccinations", PASSAGES, WEIGHTS,
        variants=["school nurse vaccinations", "school nurse immunisation"],
    )  # fmt: skip
    best = max(found, key=lambda c: c.coverage)
    assert best.passage.chunk_id == "c3" and best.coverage == 1.0


def test_rare_terms_weigh_more():
    assert WEIGHTS("immunis") > WEIGHTS("health")


def test_a_cited_span_is_numbered_once():
    citations = Citations()
    assert citations.cite(PASSAGES[0], 100, 126) == 1
    assert citations.cite(PASSAGES[0], 100, 126) == 1
    assert citations.cite(PASSAGES[1], 400, 420) == 2
