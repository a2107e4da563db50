"""Vector search under filters: among the ids the register selects, the same passages and
similarities as Chroma's own metadata filter gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

from review_assistant.ingestion import Ingestor
from review_assistant.settings import Settings
from review_assistant.store.stores import Stores
from tests.support.documents import RESPONSE_TEXT


@pytest.fixture
def stores(tmp_path: Path):
    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data").store)
    for name in ("Q", "R", "S"):
        path = tmp_path / f"child-{name.lower()}.txt"
        path.write_text(RESPONSE_TEXT.replace("Child Q", f"Child {name}"))
        with Ingestor(stores) as ingestor:
            ingestor.ingest([path], progress=False)
    yield stores
    stores.close()


@pytest.mark.parametrize(
    "filters",
    [
        [MetadataFilter(key="review_id", value="child-r")],
        [MetadataFilter(key="recommendation", value="2")],
        [MetadataFilter(key="review_id", value=["child-q", "child-s"], operator=FilterOperator.IN),
         MetadataFilter(key="recommendation", value="1")],
    ],
)  # fmt: skip
def test_search_among_the_registers_ids_matches_chromas_filter(stores, filters):
    metadata = MetadataFilters(filters=filters)
    question = "who keeps a log of births?"
    ours = stores.vector_retriever(5, metadata).retrieve(question)
    chromas = stores.vectors._index.as_retriever(similarity_top_k=5, filters=metadata).retrieve(
        question
    )
    assert ours and [n.node.node_id for n in ours] == [n.node.node_id for n in chromas]
    assert [round(n.score, 5) for n in ours] == [round(n.score, 5) for n in chromas]
    assert [n.node.hash for n in ours] == [n.node.hash for n in chromas]  # fusion matches by hash


def test_a_filter_matching_nothing_finds_nothing(stores):
    metadata = MetadataFilters(filters=[MetadataFilter(key="review_id", value="child-z")])
    assert stores.vector_retriever(5, metadata).retrieve("births") == []


def test_echoes_count_the_other_documents_holding_a_passage(stores, tmp_path):
    # the fixture's three documents differ only in the child's name: each passage has its near
    # copies in the two others; a document of its own words has none
    path = tmp_path / "own.txt"
    path.write_text("Recommendation 1\nSchools should record every exclusion of a pupil in care.\n")
    with Ingestor(stores) as ingestor:
        ingestor.ingest([path], progress=False)
    chunks = stores.register.chunks_by_id(sorted(stores.vectors.ids()))
    echoes = stores.vectors.echoes(list(chunks), min_similarity=0.97)
    own = {cid for cid, chunk in chunks.items() if chunk.document == "own.txt"}
    assert own and all(echoes[cid] == 0 for cid in own)
    shared = [cid for cid in chunks if cid not in own and "log of births" in chunks[cid].text]
    assert shared and all(echoes[cid] == 2 for cid in shared)
    assert stores.vectors.echoes([], 0.97) == {}
