"""Hybrid search on the ingested sample corpus: filters, boosts, relaxation, citations."""

from __future__ import annotations

import pytest

from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.models import Filters
from review_assistant.search import Searcher
from review_assistant.store.nodes import chunk_to_node
from tests.support.samples import SAMPLE_AGENCIES

pytestmark = pytest.mark.golden


def search(stores, query: str, k: int = 5, **filters):
    """The passages found and the plan, with what the search relaxed in the plan's place."""
    searcher = Searcher(stores, gazetteer=load_gazetteer(SAMPLE_AGENCIES))
    plan = searcher.plan(query, Filters(**filters))
    retrieval = searcher.run(plan, k)
    return retrieval.passages, (plan, retrieval.relaxed)


def test_review_and_recommendation_in_the_query_become_filters(sample_stores):
    results, (plan, relaxed) = search(
        sample_stores, "what was done about rec 3b in the Child M review?"
    )
    assert plan.review_ids == ("child-m",) and plan.rec_keys == ("3b",)
    assert results and all(p.review_id == "child-m" and p.recommendation == "3b" for p in results)
    assert results[0].text.startswith(("Recommendation 3b", "Southern Health"))


def test_review_aliases(sample_stores):
    results, (plan, relaxed) = search(sample_stores, "NAI thematic learning on cannabis", k=5)
    assert plan.review_ids == ("thematic-review-non-accidental-injury",)
    assert {p.review for p in results} == {"Thematic Review – Non-Accidental Injury"}
    _, (plan, _) = search(sample_stores, "the Clare review and thresholds")
    assert plan.review_ids == ("clare",)


def test_a_named_agency_is_boosted(sample_stores):
    results, _ = search(sample_stores, "what will the CCG do about GP registration of babies")
    assert results[0].agency == "Clinical Commissioning Group (CCG)"
    assert "log of births" in results[0].text


def test_explicit_agency_filter_by_alias(sample_stores):
    results, (plan, relaxed) = search(sample_stores, "training", agency="UHSFT", k=5)
    assert plan.agency == "University Hospital Southampton NHS Foundation Trust"
    assert results and all(plan.agency in p.agencies for p in results)


def test_a_filter_that_leaves_nothing_is_relaxed(sample_stores):
    results, (plan, relaxed) = search(
        sample_stores, "escalation", review="Freddie", recommendation="14"
    )
    assert plan.rec_keys == () and relaxed == ("recommendation",)  # Freddie has 1-12
    assert results and all(p.review_id == "freddie" for p in results)
    # a review the library does not have filters nothing and is reported as unknown
    results, (plan, relaxed) = search(sample_stores, "escalation protocol", review="Child Z", k=3)
    assert plan.unknown_review == "Child Z" and plan.review_ids == () and results
    results, (plan, relaxed) = search(
        sample_stores, "escalation protocol", agency="Northshire Police"
    )
    assert relaxed == ("agency",) and results


def test_a_recommendation_in_a_shared_response_finds_its_group(sample_stores):
    results, (plan, relaxed) = search(sample_stores, "behaviour change recommendation 8.4", k=5)
    assert plan.rec_keys == ("8.3, 8.4",)
    assert results and all(p.recommendation == "8.3, 8.4" for p in results)


def test_letters_and_parts(sample_stores):
    _, (plan, _) = search(sample_stores, "NAI thematic recommendation 2(c) police")
    assert plan.rec_keys == ("2",)  # the review numbers 2 with parts (a)-(c)
    _, (plan, _) = search(sample_stores, "Clare recommendation 1 MASH")
    assert plan.rec_keys == ("1a", "1b")


def test_passages_carry_their_citation(sample_stores):
    # the report and the response both print this recommendation; the response's is cited
    results, _ = search(
        sample_stores, "Grant funding calls from UKSA should be streamlined government response",
        k=5,
    )  # fmt: skip
    passage = next(p for p in results if p.document == "space-economy-government-response.pdf")
    assert passage.recommendation == "19" and passage.page == 18
    text = sample_stores.register.document_text(
        sample_stores.register.find_document(passage.document).doc_id
    )
    assert text[passage.start : passage.end] == passage.text


def test_vectors_missing_from_the_register_are_never_returned(private_sample_stores):
    stores = private_sample_stores  # a vector is added: not to the library other tests read
    chunk = stores.register.all_chunks()[0].model_copy(
        update={"chunk_id": "orphan-chunk", "text": "zebra crossing orphan passage"}
    )
    node = chunk_to_node(chunk)
    node.embedding = stores.vectors.embed([chunk])[0]
    stores.vectors.add([chunk], [node.embedding])
    assert "orphan-chunk" in stores.vectors.ids()  # the vector index holds it; the register not
    results, _ = search(stores, "zebra crossing orphan passage", k=10)
    assert results and "orphan-chunk" not in {p.chunk_id for p in results}


def test_an_inspector_the_question_names_is_the_author_not_a_boost(sample_stores):
    # every inspection names its inspector in its furniture (addresses, copyright): boosting
    # passages that mention it put those above the passage that answers
    results, (plan, _) = search(sample_stores, "Norfolk private fostering - what did Ofsted want?")
    assert "Ofsted" in plan.intent.agencies
    assert not any("(Ofsted)" in p.text or "free of charge" in p.text for p in results[:2])
    assert any("private fostering" in p.text for p in results[:2])
