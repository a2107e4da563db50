"""Chunks: within one recommendation, within the token budget, exact offsets, stable ids."""

from __future__ import annotations

from review_assistant.ingest.chunking import chunk_document, count_tokens
from review_assistant.ingest.types import SectionKind


def test_chunks_respect_structure_budget_and_offsets(parsed_samples):
    for name, doc in parsed_samples.items():
        chunks = chunk_document(doc, max_tokens=180)
        assert chunks, name
        for chunk in chunks:
            assert doc.text[chunk.start : chunk.end] == chunk.text
            assert count_tokens(chunk.text) <= 180 * 1.5
            inside = [b for b in doc.blocks if b.start < chunk.end and b.end > chunk.start]
            assert len({b.rec_id for b in inside}) == 1, (name, chunk.text[:80])
            assert len({b.kind for b in inside}) == 1
            assert chunk.page_start <= chunk.page_end


def test_chunk_metadata(parsed_samples):
    doc = parsed_samples["003_28908da9fb9512fb.txt"]
    chunks = chunk_document(doc)
    ccg = next(c for c in chunks if "log of births" in c.text)
    assert ccg.review == "Thematic Review – Non-Accidental Injury"
    assert ccg.recommendation == "7" and ccg.section == SectionKind.response
    assert ccg.agencies == ["Clinical Commissioning Group (CCG)"]
    assert ccg.recommendation_text.startswith("Agencies to be made aware that where a baby")
    assert ccg.document == "003_28908da9fb9512fb.txt" and ccg.partnership
    rec_text = next(c for c in chunks if c.section == SectionKind.recommendation)
    assert rec_text.recommendation == "1"


def test_chunk_ids_are_stable_and_unique(parsed_samples):
    doc = parsed_samples["001_dea43fea084d20fa.txt"]
    first = [c.chunk_id for c in chunk_document(doc)]
    assert first == [c.chunk_id for c in chunk_document(doc)]
    assert len(set(first)) == len(first)


def test_smaller_budget_gives_smaller_chunks(parsed_samples):
    doc = parsed_samples["002_356fc40ea17f5f0d.txt"]
    small = chunk_document(doc, max_tokens=60)
    assert len(small) > len(chunk_document(doc, max_tokens=180))
    assert max(count_tokens(c.text) for c in small) <= 90
