"""Chunks: within one recommendation, within the token budget, exact offsets, stable ids."""

from __future__ import annotations

from review_assistant.ingest.chunking import (
    chunk_document,
    count_tokens,
    headings_above,
    section_headings,
)
from review_assistant.ingest.sentences import spans
from review_assistant.ingest.types import SectionKind
from tests.support.parsing import HEAD, parse_text


def blocks_of(doc, chunk) -> list:
    return [b for b in doc.blocks if b.start < chunk.end and b.end > chunk.start]


def over_budget(doc, chunks, budget: int) -> list[tuple[int, str]]:
    """(tokens, start of text) of the chunks past the budget as the chunker keeps it: a chunk
    of several sentences holds at most `budget` tokens of its blocks, and a token more for each
    blank line between them (counted whole, "a\n\nb" may take one more than its parts); only a
    lone sentence runs past it, kept whole up to half as much again and cut beyond that."""
    over = []
    for chunk in chunks:
        tokens = count_tokens(chunk.text)
        lone_sentence = len(spans(chunk.text, clauses=True)) == 1
        allowed = budget * 1.5 if lone_sentence else budget + len(blocks_of(doc, chunk)) - 1
        if tokens > allowed:
            over.append((tokens, chunk.text[:60]))
    return over


def test_chunks_respect_structure_budget_and_offsets(parsed_samples):
    for name, doc in parsed_samples.items():
        chunks = chunk_document(doc, max_tokens=180)
        assert chunks, name
        assert over_budget(doc, chunks, 180) == [], name
        for chunk in chunks:
            assert doc.text[chunk.start : chunk.end] == chunk.text
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
    assert over_budget(doc, small, 60) == []


def test_paragraphs_fill_a_chunk_up_to_the_budget_and_a_long_sentence_is_cut():
    paragraphs = [
        f"Children's Services will review case number {n} with its partners each quarter."
        for n in range(12)
    ]  # 15 tokens each: two to a chunk of 40
    longer = "Children's Services will " + ", ".join(f"check area {n}" for n in range(10)) + "."
    longest = "The partnership will " + ", ".join(f"check area {n} again" for n in range(40)) + "."
    text = "\n\n".join([HEAD + "Recommendation 1", "All agencies should review their cases.",
                       *paragraphs, longer, longest])  # fmt: skip
    doc = parse_text(text)
    chunks = chunk_document(doc, max_tokens=40)
    assert over_budget(doc, chunks, 40) == []
    pairs = [c for c in chunks if c.text.startswith("Children's Services will review")]
    assert len(pairs) == 6 and all(len(blocks_of(doc, c)) == 2 for c in pairs)
    assert 40 < count_tokens(longer) <= 60 and longer in [c.text for c in chunks]  # kept whole
    pieces = [c for c in chunks if c.start >= doc.text.index(longest)]
    assert count_tokens(longest) > 60 and len(pieces) > 1
    assert all(count_tokens(c.text) <= 40 for c in pieces)
    assert doc.text[pieces[0].start : pieces[-1].end] == longest


# an inspection report's layout: the board's part, its judgement and its own recommendations
REPORT = """Inspection of Northshire children's services

The local authority

Leaders know their services well and have improved the front door.

Recommendations

1. Ensure that strategy discussions are held promptly when risk increases.

The Northshire Safeguarding Children Board

The board requires improvement

The board has not yet agreed a strategy for tackling neglect across the partnership.

Recommendations

2. Ensure that a multi-agency dataset lets the board scrutinise local performance.
"""


def test_section_headings_are_short_unfinished_paragraphs_but_not_recommendation_labels():
    text = (
        "Key findings\n\nThe board met four times.\n\nRecommendation 3b\n\n"
        "The board should:\n\nSection 2: The effectiveness of the\nlocal board\n\n"
        "What does the board need to improve?\n\nPriority action\n\n1. Audit the plans.\n"
    )
    found = section_headings(text)
    # a sentence, a lead-in ending in a colon and a recommendation's own label are not
    # headings; a heading broken over two lines is read on one; headings stacked with no text
    # between are one
    assert [heading for _, heading in found] == [
        "Key findings",
        "Section 2: The effectiveness of the local board / What does the board need to "
        "improve? / Priority action",
    ]
    assert found[1][0] == text.index("Section 2")


def test_a_passage_carries_the_nearest_headings_above_it():
    headings = [(0, "A"), (10, "B"), (20, "C"), (30, "D")]
    assert headings_above(headings, 31) == ["C", "D"]
    assert headings_above(headings, 30) == ["B", "C"]  # a heading opening it is in it
    assert headings_above(headings, 5) == ["A"] and headings_above(headings, 0) == []


def test_chunks_carry_the_part_of_the_report_they_sit_in():
    doc = parse_text(REPORT, "northshire.txt")
    chunks = chunk_document(doc)
    board = next(c for c in chunks if "dataset" in c.text)
    authority = next(c for c in chunks if "strategy discussions" in c.text)
    assert board.headings == [
        "The Northshire Safeguarding Children Board / The board requires improvement",
        "Recommendations",
    ]
    assert not any("Board" in h or "board" in h for h in authority.headings)
