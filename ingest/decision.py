"""Decisions over the whole document, once the walk has laid it out.

Which heading of each id is the recommendation (an id printed more than once: a contents
page, a summary list or table, an annex repeating the list), what the others are; a number
used twice for different text; and which recommendations share the response after them.
"""

from __future__ import annotations

import difflib
import re

from review_assistant.ingest import recids
from review_assistant.ingest.candidates import DIRECTIVE
from review_assistant.ingest.status import verdict
from review_assistant.ingest.types import RawDocument, SectionKind
from review_assistant.ingest.walk import Layout, Rec

# A contents entry's end, once its wrapped lines are joined: leader dots, then a page number
_LEADERS = re.compile(r"(?:\.{3,}|…{2,}|(?:\s?\.){4,})\s*\d{0,4}\s*$")
# A list that mixes kinds tags each item with its kind and source: "…(Conclusion, Paragraph 6)"
_SELF_TAG = re.compile(
    r"\(\s*(conclusion|recommendation|finding|observation)s?\b[^()]{0,40}\)\s*$", re.I
)
# What a heading that is not the recommendation points to: its owner (None: nothing) and
# what its paragraphs become
_Pointer = tuple[Rec | None, SectionKind]


def number_unprinted(layout: Layout) -> None:
    """Give the recommendations the document does not number the next numbers after the
    highest it prints, in reading order, once the walk has taken every printed one (a list's
    numbered paragraphs the walk follows count too). A summary's items set apart by type keep
    the numbers `candidates.py` gave them."""
    printed = [int(rec.heading.rec_id) for rec in layout.recs
               if not rec.heading.assigned and rec.heading.rec_id.isdigit()]  # fmt: skip
    assigned = max(printed, default=0)
    for rec in layout.recs:
        heading = rec.heading
        if not heading.assigned or heading.source == "section_marked":
            continue
        assigned += 1
        old, heading.rec_id = heading.rec_id, str(assigned)
        heading.heading = heading.heading.replace(f"{old} (in prose)", f"{assigned} (in prose)")
        heading.heading = heading.heading.replace(f"({old})", f"({assigned})")


def choose(layout: Layout, raw: RawDocument) -> list[Rec]:
    """Decide, for the whole document, which heading of each id is the recommendation.

    An id printed more than once (a contents page, a summary list or table at the front, an
    annex repeating the list) has one heading that owns its words and response; the others
    point to it: a summary row's status becomes a response of the recommendation it names, a
    repeated entry is a passage about it, a contents entry is background. Headings whose words
    differ are real repeats and all kept (their ids repaired later)."""
    responded = {id(rec) for rec, kind in zip(layout.owner_rec, layout.kinds, strict=True)
                 if rec is not None and kind == SectionKind.response}  # fmt: skip
    by_id: dict[str, list[Rec]] = {}
    for rec in layout.recs:
        by_id.setdefault(rec.heading.rec_id, []).append(rec)
    kept: list[Rec] = []
    pointers: dict[int, _Pointer] = {}
    for candidates in by_id.values():
        lent = _lend_words(candidates, layout, raw, responded) if len(candidates) > 1 else None
        if lent is not None:
            responded = responded | {id(lent)}
        own, pointed = _decide(candidates, raw, responded)
        kept.extend(own)
        pointers.update(pointed)
    order = {id(rec): position for position, rec in enumerate(layout.recs)}
    kept.sort(key=lambda rec: order[id(rec)])
    _repoint(layout, pointers)
    return kept


def _decide(
    candidates: list[Rec], raw: RawDocument, responded: set[int]
) -> tuple[list[Rec], dict[int, _Pointer]]:
    """The headings of one id that are recommendations, and where each other one points."""
    roles = {id(rec): _role(rec, raw) for rec in candidates}
    worded = [rec for rec in candidates if roles[id(rec)] == "own"]
    owner = next((rec for rec in worded if id(rec) in responded), worded[0] if worded else None)
    kept: list[Rec] = []
    pointers: dict[int, _Pointer] = {}
    for rec in candidates:
        role = roles[id(rec)]
        if role == "contents" or (role == "empty" and len(candidates) > 1):
            pointers[id(rec)] = (None, SectionKind.background)
        elif owner is not None and role == "verdict":
            pointers[id(rec)] = (owner, SectionKind.response)
        elif (
            owner is not None
            and rec is not owner
            and _echoes(rec.own_text(raw), owner.own_text(raw))
        ):  # the same words again (an annex's list): one recommendation, its answers joined
            pointers[id(rec)] = (owner, SectionKind.recommendation)
        else:
            kept.append(rec)
    return kept, pointers


def _repoint(layout: Layout, pointers: dict[int, _Pointer]) -> None:
    """Give the heading and words of each heading that points elsewhere to what it points
    to (all of a verdict's paragraphs, as response; a repeat's answers, as answers); its other
    paragraphs, and those of one that points to nothing, become background."""
    for index, rec in enumerate(tuple(layout.owner_rec)):
        if rec is None or id(rec) not in pointers:
            continue
        owner, kind = pointers[id(rec)]
        heading_or_text = layout.kinds[index] == SectionKind.recommendation
        if owner is not None and kind == SectionKind.response:
            # a summary table's row: every cell of it (a verdict per government) answers
            layout.owner_rec[index], layout.kinds[index] = owner, kind
        elif owner is not None and layout.kinds[index] == SectionKind.response:
            layout.owner_rec[index] = owner  # a repeat's answer answers the recommendation
        elif owner is None or not heading_or_text:
            layout.owner_rec[index], layout.kinds[index] = None, SectionKind.background
        else:
            layout.owner_rec[index], layout.kinds[index] = owner, kind


def _role(rec: Rec, raw: RawDocument) -> str:
    """What a heading with its text is: "contents" (an entry of a contents page, its leaders
    perhaps on a wrapped line), "verdict" (a summary table's row: the id and a status),
    "empty" (a heading with no words) or "own" (a recommendation in its own words)."""
    own = " ".join(rec.own_text(raw).split())
    joined = " ".join(f"{rec.title or ''} {own}".split())
    if rec.heading.toc or (len(joined.split()) <= 30 and _LEADERS.search(joined)):
        return "contents"
    if not own:
        return "empty"
    tag = _SELF_TAG.search(own)
    if tag is None and rec.tail is not None:  # the item ran on to the next paragraph
        tag = _SELF_TAG.search(" ".join(rec.tail.text.split()))
    if tag and tag.group(1).lower() != "recommendation":
        return "contents"  # the document tags it: a conclusion or a finding, no recommendation
    return "verdict" if verdict(own) else "own"


def _lend_words(
    candidates: list[Rec], layout: Layout, raw: RawDocument, responded: set[int]
) -> Rec | None:
    """A list of recommendations in full, then the same ids again as headings over their
    answers ("Recommendation 1" / "Northshire Police: The force has…"): the first heading with
    a recommendation's wording lends its words to the first whose "text" is an answer, and
    that text becomes the answer it is. Returns the heading that now has words and answer."""

    def directive(rec: Rec) -> bool:
        return bool(DIRECTIVE.search(rec.own_text(raw)[:300]))

    worded = next((r for r in candidates if r.text_paragraphs and directive(r)), None)
    answer = next(
        (r for r in candidates
         if worded is not None and r.heading.index > worded.heading.index
         and r.text_paragraphs and not directive(r) and id(r) not in responded
         and _role(r, raw) == "own"),
        None,
    )  # fmt: skip
    if worded is None or answer is None or worded is answer:
        return None
    for index in range(answer.heading.index + 1, layout.last_index(answer) + 1):
        layout.kinds[index] = SectionKind.response
    answer.text_paragraphs, answer.text_start = worded.text_paragraphs, worded.text_start
    answer.title = answer.title or worded.title
    return answer


def _echoes(text: str, original: str) -> bool:
    """Whether a repeated list's entry gives the same words as the recommendation itself."""
    a, b = " ".join(text.lower().split())[:400], " ".join(original.lower().split())[:400]
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def repair_duplicates(recs: list[Rec]) -> None:
    """A number used twice for different text: a typo for the next number, if that is free."""
    seen: dict[str, Rec] = {}
    for rec in recs:
        rec_id = rec.heading.rec_id
        if rec_id not in seen:
            seen[rec_id] = rec
            continue
        successor = recids.successor(rec_id)
        if successor and successor not in seen and all(r.heading.rec_id != successor for r in recs):
            new_id = successor
        else:
            n = 2
            while f"{rec_id} ({n})" in seen:
                n += 1
            new_id = f"{rec_id} ({n})"
        rec.heading.heading = f"{rec.heading.heading} [numbered {rec_id} in the source]"
        rec.heading.rec_id = new_id
        seen[new_id] = rec


def regroup(recs: list[Rec], layout: Layout, answered: bool) -> None:
    """Recommendations printed one after another with nothing between (no response, no other
    paragraph) share the response that follows them; so do the ids of one range heading."""
    group = 0
    previous: Rec | None = None
    for rec in recs:
        joins = previous is not None and (
            previous.heading.index == rec.heading.index
            or (
                answered
                and bool(previous.text_paragraphs)
                and previous.heading.numbered == rec.heading.numbered
                and layout.last_index(previous) + 1 == rec.heading.index
            )
        )
        if not joins:
            group += 1
        rec.group = group
        previous = rec
