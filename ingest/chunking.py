"""Token-aware chunks that never cross a recommendation (or agency) boundary."""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from functools import cache
from pathlib import Path

from review_assistant.ingest import recids
from review_assistant.ingest.sentences import HeadingRule, is_heading, spans
from review_assistant.ingest.types import Block, Chunk, ParsedDocument, SectionKind

# A heading a passage sits under: a paragraph of a few words, opening with a capital and not
# ending as a sentence or a lead-in does ("Recommendations", "Section 2: The effectiveness of
# the board", "Priority and immediate action"), possibly over two lines.
SECTION_HEADING = HeadingRule(12, (".", ":", ";", ","), capital=True)
# How many headings above a passage it carries: a report's headings have no marked levels, so
# the nearest ones stand for the path to it ("The board requires improvement / Executive
# summary", "Recommendations"), and a question naming the part of a report finds the passages
# under it.
HEADING_TRAIL = 2
_PARAGRAPH = re.compile(r"\S(?:[^\n]|\n(?![ \t]*\n))*")  # text between blank lines


@cache
def encoding():
    """cl100k_base from the cache llama-index-core ships, so nothing is downloaded."""
    import llama_index.core
    import tiktoken

    cache_dir = Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache"
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache_dir))
    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def _split_long(text: str, start: int, max_tokens: int) -> list[tuple[int, int]]:
    """Sentence-aligned (start, end) pieces of a block longer than max_tokens."""
    pieces: list[tuple[int, int]] = []
    piece_start = 0
    tokens = 0
    cursor = 0
    # each piece runs from a sentence's start to the next one's, so pieces tile the block
    ends = [s for s, _ in spans(text, clauses=True)[1:]] + [len(text)]
    for end in ends:
        sentence_tokens = count_tokens(text[cursor:end])
        if tokens and tokens + sentence_tokens > max_tokens:
            pieces.append((start + piece_start, start + cursor))
            piece_start, tokens = cursor, 0
        tokens += sentence_tokens
        cursor = end
    if cursor > piece_start:
        pieces.append((start + piece_start, start + cursor))
    # a single sentence longer than the limit is split on token boundaries
    final: list[tuple[int, int]] = []
    for a, b in pieces:
        ids = encoding().encode(text[a - start : b - start], disallowed_special=())
        if len(ids) <= max_tokens * 1.5:
            final.append((a, b))
            continue
        offset = a
        for i in range(0, len(ids), max_tokens):
            part = encoding().decode(ids[i : i + max_tokens])
            final.append((offset, min(b, offset + len(part))))
            offset += len(part)
    return final


def section_headings(text: str) -> list[tuple[int, str]]:
    """(offset, heading on one line) of the headings of the text, in order. Headings one under
    another with no text between are one: a part's title and its subheadings ("What does the
    board need to improve? / Priority and immediate action"). A recommendation's own label
    ("Recommendation 3b") is no heading: the passage's recommendation already says it, and above
    the next one it would name the wrong one."""
    found: list[tuple[int, str]] = []
    stacked = False  # the paragraph before was a heading
    for match in _PARAGRAPH.finditer(text):
        paragraph = match.group()
        if not is_heading(paragraph, SECTION_HEADING) or recids.in_text(paragraph) is not None:
            stacked = False
            continue
        heading = " ".join(paragraph.split())
        if stacked:
            start, above = found.pop()
            found.append((start, f"{above} / {heading}"))
        else:
            found.append((match.start(), heading))
        stacked = True
    return found


def headings_above(headings: list[tuple[int, str]], offset: int) -> list[str]:
    """The nearest HEADING_TRAIL headings that open before `offset`, nearest last."""
    before = bisect.bisect_left(headings, offset, key=lambda heading: heading[0])
    return [heading for _, heading in headings[max(0, before - HEADING_TRAIL) : before]]


def _section_key(block: Block) -> tuple:
    return (block.kind, block.rec_id, block.finding_id, block.agency)


def chunk_document(doc: ParsedDocument, max_tokens: int = 180) -> list[Chunk]:
    text = doc.text
    rec_text = {}
    for rec in doc.recommendations:
        rec_text.setdefault(rec.rec_id, rec.text)
    groups: list[list[Block]] = []
    for block in doc.blocks:
        if not text[block.start : block.end].strip():
            continue
        if groups and _section_key(groups[-1][-1]) == _section_key(block):
            groups[-1].append(block)
        else:
            groups.append([block])

    spans: list[tuple[int, int, list[Block]]] = []
    for group in groups:
        current: list[Block] = []
        tokens = 0
        for block in group:
            block_tokens = count_tokens(text[block.start : block.end])
            if block_tokens > max_tokens:
                if current:
                    spans.append((current[0].start, current[-1].end, current))
                    current, tokens = [], 0
                for a, b in _split_long(text[block.start : block.end], block.start, max_tokens):
                    spans.append((a, b, [block]))
                continue
            if current and tokens + block_tokens > max_tokens:
                spans.append((current[0].start, current[-1].end, current))
                current, tokens = [], 0
            current.append(block)
            tokens += block_tokens
        if current:
            spans.append((current[0].start, current[-1].end, current))

    headings = section_headings(text)
    chunks: list[Chunk] = []
    for start, end, blocks in spans:
        raw = text[start:end]
        # keep offsets exact: trim whitespace by moving the span, not by editing the text
        start += len(raw) - len(raw.lstrip())
        end -= len(raw) - len(raw.rstrip())
        body = text[start:end]
        first = blocks[0]
        if not body or (first.kind == SectionKind.background and count_tokens(body) < 8):
            continue  # headings and page furniture answer nothing on their own
        agencies = list(dict.fromkeys(b.agency for b in blocks if b.agency))
        if first.kind in (SectionKind.recommendation, SectionKind.progress) or not agencies:
            agencies = list(
                dict.fromkeys(agencies + [a for b in blocks for a in b.agencies_mentioned])
            )
        rec_key = first.rec_id.split(", ")[0] if first.rec_id else None
        summary = rec_text.get(rec_key or "", "")
        chunk_id = hashlib.sha256(f"{doc.sha256}:{start}:{end}:{body}".encode()).hexdigest()[:24]
        chunks.append(
            Chunk(
                chunk_id=chunk_id,
                doc_id=doc.doc_id,
                document=doc.file_name,
                title=doc.title,
                review=doc.review,
                review_id=doc.review_id,
                partnership=doc.partnership,
                doc_type=doc.doc_type.value,
                section=first.kind,
                finding=first.finding_id,
                recommendation=first.rec_id,
                recommendation_text=" ".join(summary.split())[:200] or None,
                agencies=agencies,
                headings=headings_above(headings, start),
                page_start=doc.page_at(start),
                page_end=doc.page_at(max(start, end - 1)),
                start=start,
                end=end,
                text=body,
            )
        )
    return chunks
