"""Every unit of a document that could carry a recommendation, with what it looks like.

A candidate is a paragraph that opens a recommendation if it is one: a heading that names
its recommendation, a numbered paragraph, a list item, an emphasised paragraph, a sentence
that recommends in prose. The hand-written tiers of `candidates.py` are sources among
them, not the decision. Each candidate carries a feature vector of numbers only (layout,
numbering, modality, the heading it sits under, its place in a run of siblings and in the
document, whether its words recur, contents and furniture), which `scoring.py` scores;
nothing here names a document or copies a phrase from one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from review_assistant.ingest import recids
from review_assistant.ingest.candidates import (
    IMPERATIVE,
    REC_SECTION,
    find_headings,
    over_label,
    prose_headings,
)
from review_assistant.ingest.headings import Heading, is_subheading, numbered
from review_assistant.ingest.paragraphs import Paragraph

# The generators, in order of trust: the first that offers a paragraph names its source
SOURCES = (
    "labelled", "range", "under_label", "section_numbered", "section_marked",
    "section_bullet", "prose", "numbered", "bullet", "emphasised",
)  # fmt: skip
RULE_SOURCES = frozenset(SOURCES[:6])
# Kinds of section a heading names, by the stem of a word in it: generic words of how
# reports title their parts, each a feature of the candidates under that heading
_SECTION_WORDS = {
    "h_recommend": r"recommend",
    "h_improve": r"improv|develop",
    "h_priority": r"priorit|urgent|immediate",
    "h_action": r"action|next steps?",
    "h_need": r"\bneeds?\b|\bshould\b|\bmust\b",
    "h_strength": r"strength|good|well|positive|progress",
    "h_finding": r"finding|evidence|background|context|overview|introduction",
    "h_summary": r"summary|conclusion|key",
    "h_contents": r"contents",
    "h_question": r"\?$",
}
_SECTION_PATTERNS = {name: re.compile(pattern, re.I) for name, pattern in _SECTION_WORDS.items()}
_MODAL = re.compile(r"\b(?:should|must|needs? to|ought to|is to|are to|will need to)\b", re.I)
_RECOMMENDS = re.compile(r"\brecommend", re.I)
_LEADERS = re.compile(r"(?:\.{3,}|…{2,}|(?:\s?\.){4,})")
_PAGE_NUMBER_END = re.compile(r"\s\d{1,3}\s*$")
_URL = re.compile(r"https?://|www\.|@\w+\.\w", re.I)
_DATE = re.compile(
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{4}\b", re.I
)
_NEGATIVE = re.compile(r"\b(?:not|no|lack|poor|weak|insufficient|delays?|inconsistent)\b", re.I)
# A line of a contents page without leaders: a title, then its page number
_PAGE_LINE = re.compile(r"\D\s\d{1,3}$")
_CONTENTS_REACH = 3  # paragraphs either side looked at for contents lines
# How a sentence or a heading's label ends; a line ending otherwise names a part
_TERMINATED = re.compile(r"[.!?:;)”\"’]$")
# A label and its value on one line: "Overall effectiveness: good"
_LABEL_VALUE = re.compile(r"^[^.:;]{8,120}:\s*(?:\w+\s*){1,3}$")
# A paragraph that stops mid-sentence (a comma, or a word with no full stop after a long line)
_OPEN_END = re.compile(r"(?:,|\b(?:the|a|an|of|to|and|or|in|see|with|by|for))\s*$", re.I)
_HEADING_REACH = 60  # paragraphs back to the heading a candidate sits under

FEATURES = (
    *(f"src_{source}" for source in SOURCES), "by_rule",
    "toc", "leaders", "page_number_end", "printed_id", "id_depth", "id_letter", "assigned",
    "words", "short", "long", "rest_words", "ends_colon", "lower_start", "question",
    "imperative", "modal", "recommends", "negative", "emphasised", "bullet",
    *_SECTION_WORDS, "h_rec_section", "h_distance", "h_emphasised",
    "position", "run", "run_first", "run_position", "series_next", "repeated", "url", "date",
    "doc_labelled", "doc_section", "doc_candidates", "lead_in", "lead_in_modal",
    "prev_candidate", "next_candidate", "contents_near", "unterminated", "label_value",
    "continues_sentence",
)  # fmt: skip


@dataclass
class Candidate:
    """A paragraph that opens a recommendation if it is one, and its features."""

    heading: Heading
    features: dict[str, float]

    @property
    def by_rule(self) -> bool:
        """Whether a hand-written tier of `candidates.py` offers it."""
        return self.heading.source in RULE_SOURCES

    @property
    def unnumbered(self) -> bool:
        """Whether its id is its place in order, not one the document prints."""
        return self.heading.assigned or not self.heading.rec_id

    def vector(self) -> list[float]:
        return [self.features[name] for name in FEATURES]


def candidates(paras: list[Paragraph], emphasised: set[int]) -> list[Candidate]:
    """Every candidate of a document in reading order, each with its features."""
    offered = _offered(paras, emphasised)
    headings = _section_heads(paras, emphasised)
    opening_counts = _openings(paras)
    doc_labelled = any(h.source in ("labelled", "range", "under_label") and not h.toc
                       for h in offered.values())  # fmt: skip
    doc_section = any(h.source.startswith("section") for h in offered.values())
    order = sorted(offered)
    runs = _runs(order, offered, paras)
    out: list[Candidate] = []
    page_lines: dict[int, tuple[int, int]] = {}  # by paragraph: its contents lines, its lines
    section_kinds: dict[int | None, dict[str, float]] = {}  # by the heading's index
    for position, index in enumerate(order):
        heading, para = offered[index], paras[index]
        text = " ".join(para.text[:600].split())  # a unit's shape shows in its opening
        n_words = len(para.text.split())
        rest = " ".join(heading.rest.split())
        body = rest or _next_text(paras, index)
        head_index = headings.get(index)
        head = " ".join(paras[head_index].text.split()) if head_index is not None else ""
        lead = paras[index - 1].text.strip() if index else ""
        run_length, run_position = runs[index]
        if heading.source in ("bullet", "emphasised"):  # titled by the section it is in
            heading.heading = head.rstrip("?:.") or "Recommendation"
        previous = offered.get(order[position - 1]) if position else None
        features = {f"src_{source}": float(heading.source == source) for source in SOURCES}
        features.update(
            by_rule=float(heading.source in RULE_SOURCES),
            toc=float(heading.toc),
            leaders=float(bool(_LEADERS.search(text))),
            page_number_end=float(bool(_PAGE_NUMBER_END.search(para.first_line))),
            printed_id=float(not heading.assigned and bool(heading.rec_id)),
            id_depth=float(heading.rec_id.count(".")),
            id_letter=float(bool(re.search(r"[a-z]", heading.rec_id))),
            assigned=float(heading.assigned),
            words=math.log1p(n_words),
            short=float(n_words < 6),
            long=float(n_words > 120),
            rest_words=math.log1p(len(rest.split())),
            ends_colon=float(para.text.rstrip().endswith(":")),
            lower_start=float(body[:1].islower()),
            question=float(para.text.rstrip().endswith("?")),
            imperative=float(bool(IMPERATIVE.match(body))),
            modal=float(bool(_MODAL.search(body[:300]))),
            recommends=float(bool(_RECOMMENDS.search(text[:300]))),
            negative=float(bool(_NEGATIVE.search(body[:200]))),
            emphasised=float(index in emphasised),
            bullet=float(para.bullet),
            h_rec_section=float(bool(REC_SECTION.match(head))),
            h_distance=math.log1p(index - head_index) if head_index is not None else 5.0,
            h_emphasised=float(head_index in emphasised),
            position=index / max(len(paras), 1),
            run=math.log1p(run_length),
            run_first=float(run_position == 0),
            run_position=run_position / max(run_length, 1),
            series_next=float(
                previous is not None
                and not heading.assigned
                and not previous.assigned
                and recids.successor(previous.rec_id) == heading.rec_id
            ),
            repeated=float(opening_counts.get(_opening(body), 0) > 1),
            url=float(bool(_URL.search(text))),
            date=float(bool(_DATE.search(text))),
            doc_labelled=float(doc_labelled),
            doc_section=float(doc_section),
            doc_candidates=math.log1p(len(offered)),
            lead_in=float(lead.endswith(":")),
            lead_in_modal=float(bool(_MODAL.search(lead[-300:]))),
            prev_candidate=float(index - 1 in offered),
            next_candidate=float(index + 1 in offered),
            contents_near=_contents_near(paras, index, page_lines),
            unterminated=float(n_words <= 20 and not _TERMINATED.search(para.text.rstrip()[-1:])),
            label_value=float(bool(_LABEL_VALUE.search(text))),
            continues_sentence=float(
                bool(index and _OPEN_END.search(paras[index - 1].text.rstrip()[-12:]))
            ),
        )
        if head_index not in section_kinds:
            section_kinds[head_index] = {
                name: float(bool(kind.search(head))) for name, kind in _SECTION_PATTERNS.items()
            }
        features.update(section_kinds[head_index])
        out.append(Candidate(heading, features))
    return out


def _offered(paras: list[Paragraph], emphasised: set[int]) -> dict[int, Heading]:
    """One heading per paragraph that any generator offers, the most trusted first."""
    offered: dict[int, Heading] = {}
    for index, heading in find_headings(paras, emphasised).items():
        offered[index] = replace(heading)
    for index, para in enumerate(paras):
        found = numbered(index, para) if index not in offered else None
        if found is not None and found.rest and not over_label(paras, index):
            found.source = "numbered"
            offered[index] = found
    for index, heading in prose_headings(paras).items():
        offered.setdefault(index, replace(heading, rec_id="", assigned=True))
    for index, para in enumerate(paras):
        if index in offered:
            continue
        words = len(para.text.split())
        if para.bullet and words >= 4:
            offered[index] = Heading(
                index, "", "", para.text[2:].strip(), para.start + 2,
                numbered=True, assigned=True, source="bullet",
            )  # fmt: skip
        elif (
            index in emphasised
            and words >= 6
            and not is_subheading(para)
            and not REC_SECTION.match(" ".join(para.text.split()))  # names the list below it
        ):
            offered[index] = Heading(
                index, "", "", para.text.strip(), para.start,
                numbered=True, assigned=True, source="emphasised",
            )  # fmt: skip
    return offered


def _section_heads(paras: list[Paragraph], emphasised: set[int]) -> dict[int, int]:
    """For every paragraph, the index of the nearest heading above it within reach."""
    heads: dict[int, int] = {}
    last: int | None = None
    for index, para in enumerate(paras):
        if last is not None and index - last <= _HEADING_REACH:
            heads[index] = last
        if is_subheading(para) or (
            index in emphasised
            and len(para.text.split()) <= 15
            and not para.text.rstrip().endswith(".")
        ):
            last = index
    return heads


def _runs(
    order: list[int], offered: dict[int, Heading], paras: list[Paragraph]
) -> dict[int, tuple[int, int]]:
    """Each candidate's run of siblings (adjacent candidates of one source): its length and
    the candidate's place in it."""
    groups: list[list[int]] = []
    for index in order:
        if (
            groups
            and groups[-1][-1] >= index - 2
            and offered[groups[-1][-1]].source == offered[index].source
        ):
            groups[-1].append(index)
        else:
            groups.append([index])
    return {index: (len(group), place) for group in groups for place, index in enumerate(group)}


def _contents_near(
    paras: list[Paragraph], index: int, counted: dict[int, tuple[int, int]]
) -> float:
    """The share of the lines around `index` that end in a page number, as the lines of a
    contents page without leaders do ("Recommendations 30"). `counted` keeps each
    paragraph's count, since the windows of neighbouring candidates overlap."""
    found = total = 0
    for near in range(
        max(index - _CONTENTS_REACH, 0), min(index + _CONTENTS_REACH + 1, len(paras))
    ):
        if near not in counted:
            lines = [line.rstrip() for line in paras[near].text.splitlines() if line.strip()]
            counted[near] = (sum(bool(_PAGE_LINE.search(line[-8:])) for line in lines), len(lines))
        found, total = found + counted[near][0], total + counted[near][1]
    return found / max(total, 1)


def _next_text(paras: list[Paragraph], index: int) -> str:
    return " ".join(paras[index + 1].text[:600].split()) if index + 1 < len(paras) else ""


def _opening(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.lower()).split()[:8])


def _openings(paras: list[Paragraph]) -> dict[str, int]:
    """How often each paragraph opening (its first eight words) occurs in the document."""
    counts: dict[str, int] = {}
    for para in paras:
        text = para.text[2:] if para.bullet else para.text
        match = recids.NUMBERED.match(text)
        body = (match.group("rest") or "") if match else text
        key = _opening(body)
        if len(key.split()) >= 4:
            counts[key] = counts.get(key, 0) + 1
    return counts
