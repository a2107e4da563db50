"""The extractive answerer: the retrieved sentences that answer the question, verbatim, cited.

No model is needed. Each candidate sentence is scored by how much of the question's weighted
vocabulary it covers and by how relevant its passage is; near-duplicates are dropped and the
chosen sentences keep the order of their passages. Lines that only name or label something
(titles, contents lines, addresses, file links) never answer; a sentence that goes on across a
passage's edge, opens by pointing back ("This…", "As a result…") or leads into a list ("…
because:") is quoted with the sentences it needs, each cited.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from review_assistant.ingest.sentences import (
    GOES_ON,
    SUBHEADING,
    TOPIC_LINE,
    is_heading,
    sentence_spans,
)
from review_assistant.ingest.types import SectionKind
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


# Text that labels or locates rather than says: an address or contact line, a file link with
# its size, a contents line with its dot leader or page number
_METADATA = re.compile(
    r"\b[\w.+-]+@[\w-]+\.[\w.]+\b|\bwww\.|https?://|\b(?:pdf|docx?)\s+icon\b"
    r"|\b\d+(?:\.\d+)?\s*[KM]B\b|\.{4,}|…{2,}|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"
    r"|\b(?:tel|telephone|textphone|fax)\b[\s:]*\+?\d",
    re.I,
)
# A contents entry: a page number, then the title of what starts there (not a date's day)
_CONTENTS_ENTRY = re.compile(
    r"(?<![\w.,£$%/-])\d{1,3}\s+(?!(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\b)[A-Z]"
)
# ... and a heading with the page number it is on, at the end
_PAGE_AT_END = re.compile(r"[A-Za-z)’']\s+\d{1,3}$")
_ENDS_AS_SENTENCE = re.compile(r"[.!?:;][\"”’)\]]*(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])*$")
# A word that opens a sentence by pointing back at the one before: its subject is there
_POINTS_BACK = re.compile(
    # after a few words of setting and a comma, too ("In this report, this is referred to as…")
    r"^(?:(?:[\w’'-]+\s+){0,3}[\w’'-]+,\s+(?=(?:this|these|they)\b(?!\s+(?:year|month|week|time)\b)))?"
    r"(?:this|these|that|those|such|they|as a (?:result|consequence)|consequently"
    r"|therefore|thus|hence|in turn|for (?:this|these) reasons?)\b",
    re.I,
)
# A sentence that states what followed from the one before it: a connective inside it, or an
# opening that points back with a verb of effect ("This meant…", "These led to…")
_CONSEQUENCE = re.compile(
    r"\b(?:therefore|consequently|as a (?:result|consequence)(?! of)|thus|hence)\b"
    r"|^(?:this|these|that)\s+(?:\w+\s+)?(?:means?|meant|result(?:s|ed)?|led|leads?|caused?"
    r"|causes|impact(?:s|ed)?|affect(?:s|ed)?|contributed|compounded)\b",
    re.I,
)
# A sentence that goes on from the one before: what followed from it, or more about it
_FOLLOWS_ON = re.compile(rf"{_CONSEQUENCE.pattern}|^(?:this|these)\s+\w", re.I)
# The grades of a judgement ("inadequate", "requires improvement to be good")
_GRADE = r"(?:inadequate|good|outstanding|requires?\s+improvement(?:\s+to\s+be\s+good)?)"
# A judgement's banner: something is (judged, rated) a grade, and nothing more is said
_JUDGEMENT = re.compile(
    r"^[^;:]{0,120}?\b(?:is|are|was|were|(?:has|have) been)\s+"
    r"(?:(?:judged|rated|found|graded)\s+(?:to\s+be\s+|as\s+)?)?" + _GRADE + r"\W*$"
    # or a row of a judgements table: what is judged, then its grade, capitalised, alone
    r"|^[^.;:]{0,150}\s(?-i:Inadequate|Good|Outstanding|Requires improvement(?: to be good)?)$",
    re.I,
)
# A grade's general definition, not a finding: "A service that is inadequate is…", "An
# outstanding board is…", "A board requires improvement if…"
_DEFINITION = re.compile(
    r"^(?:an?|any|every)\s+(?:(?:[\w’'-]+\s+){1,4}(?:that|which|who)\s+(?:is|are)\s+" + _GRADE
    + r"\b|(?:[\w’'-]+\s+){1,3}(?:(?:is|are)\s+)?" + _GRADE + r"\s+(?:if|when|where)\b"
    r"|(?:outstanding|inadequate)\s)",
    re.I,
)  # fmt: skip
_ITEMS = 5  # of a list a lead-in sentence introduces, the most quoted with it


def is_boilerplate(text: str, item: bool = False) -> bool:
    """Whether a span only names, labels or locates something (a document's title, a contents
    line, an address block, a link to a file, a judgement's label), so it answers nothing. A
    list's `item` may be a bare phrase; only what locates something is left out of it."""
    flat = " ".join(text.split())
    said = [w for w in _METADATA.sub(" ", flat).split() if w[:1].islower()]
    if len(said) < 3 and _METADATA.search(flat):
        return True  # only a link, an address or a number to ring, whatever it is labelled
    tokens = flat.split()
    if flat[:1].isdigit() and sum(any(ch.isdigit() for ch in t) for t in tokens) >= 0.4 * len(
        tokens
    ):
        return True  # footnotes or references: a number, then mostly more numbers
    if len(_CONTENTS_ENTRY.findall(flat)) >= 3:
        return True  # a run of contents lines, whatever it ends with
    if item or _ENDS_AS_SENTENCE.search(flat):
        return False
    if _PAGE_AT_END.search(flat):
        return True  # a contents line: a heading and its page
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if is_heading(text.strip(), SUBHEADING) or (
        len(lines) >= 3 and all(len(x.split()) < 7 for x in lines)
    ):
        return True  # a title line, or a column of names (an address, a contents list)
    words = [w for w in flat.split() if w[:1].isalnum()]
    # a title that runs on: most of its words capitalised or numbers ("Modules 2, 2A: Core…")
    named = sum(w[:1].isupper() or w[:1].isdigit() for w in words)
    return bool(words) and named >= 0.6 * len(words)


def _is_item(text: str, start: int) -> bool:
    """Whether the sentence at `start` of `text` is a bullet of a list."""
    return text[max(0, start - 2) : start] == "- "


def is_verdict(text: str) -> bool:
    """Whether a sentence only gives a judgement (its banner) or defines a grade in general:
    it states what is to be explained, never why, and is no lesson."""
    flat = " ".join(text.split())
    return bool(_JUDGEMENT.match(flat) or _DEFINITION.match(flat))


@dataclass(frozen=True)
class Span:
    """A quoted stretch of one passage, at document offsets."""

    passage: Passage
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.passage.text[self.start - self.passage.start : self.end - self.passage.start]


@dataclass
class Candidate:
    passage: Passage
    rank: int
    start: int  # offsets in the document
    end: int
    text: str
    terms: set[str]
    coverage: float  # weighted share of the question's terms the sentence contains (in
    # another name for them, _OTHER_NAME of it)
    score: float
    reach: float = 0.0  # the share in any of their names: whether the sentence is on the question
    causal: bool = False  # gives a cause or a failing (set for why-questions)
    action: bool = False  # reports what an agency did or will do (set for learning points)
    before: list[Span] = field(default_factory=list)  # what it needs to be read: the sentence
    after: list[Span] = field(default_factory=list)  # it points back to, its list's items
    consequence: bool = False  # it states what followed from the sentence before it
    # the sentence after it that says what followed from it ("…are therefore crisis led"):
    # quoted with it, but no part of what it says itself (a cause is not its consequence)
    follows: list[Span] = field(default_factory=list)

    @property
    def spans(self) -> list[Span]:
        return [*self.before, Span(self.passage, self.start, self.end), *self.after, *self.follows]

    @property
    def full_text(self) -> str:
        own = [*self.before, Span(self.passage, self.start, self.end), *self.after]
        return " ".join(span.text for span in own)


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


# A name of two or three words is one thing: its words far apart in a sentence ("young people
# live with foster carers" for "young carers") are another, and count for this share
_NAME_TERMS = 3
_SCATTERED = 0.5
_OTHER_NAME = 0.9  # what a sentence holding the question in a synonym's words covers of it
_JOINS = re.compile(r"\b(?:and|or|nor|with|versus|vs)\b|[,&/+]", re.I)


def _together(wanted: set[str], sequence: list[str]) -> bool:
    """Whether a short name's terms stand together in a sentence's terms (within one more
    than their number: "males who are invited into their homes" holds "males in the home");
    a longer question's terms need not, nor a name only partly there."""
    if not 2 <= len(wanted) <= _NAME_TERMS or not wanted <= set(sequence):  # (or no name)
        return True
    width = len(wanted) + 1
    return any(wanted <= set(sequence[i : i + width]) for i in range(len(sequence)))


def candidates(
    question: str, passages: list[Passage], weights: TermWeights, variants: list[str] | None = None
) -> list[Candidate]:
    """Every sentence of the passages, scored against the question (or its best variant)."""
    phrasings = []
    for n, text in enumerate(variants or [question]):
        wanted = set(terms(text))
        # "X and Y" names two things, which need not stand together
        name = wanted if not _JOINS.search(text) else set()
        # a sentence in the asker's own words is surer than one in another name for them
        phrasings.append((wanted, sum(weights(t) for t in wanted) or 1.0, name, n == 0))
    found: list[Candidate] = []
    for rank, passage in enumerate(passages):
        relevance = passage.similarity if passage.similarity is not None else 0.0
        for start, end in sentence_spans(passage.text):
            text = passage.text[start:end]
            if is_heading(text, TOPIC_LINE) or is_boilerplate(text, _is_item(passage.text, start)):
                continue  # a title or label names the topic; it never answers a question
            sequence = terms(text)
            sentence_terms = set(sequence)
            shares = [
                (
                    sum(weights(t) for t in wanted & sentence_terms)
                    / total
                    * (1.0 if _together(name, sequence) else _SCATTERED),
                    own,
                )
                for wanted, total, name, own in phrasings
            ]
            reach = max(share for share, _ in shares)
            coverage = max(share * (1.0 if own else _OTHER_NAME) for share, own in shares)
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
                    reach=reach,
                )
            )
    return found


# The passage next to one in its document, before (-1) or after (+1), where there is one
Neighbour = Callable[[Passage, int], "Passage | None"]


def _claims(passage: Passage) -> list[Span]:
    """The sentences of a passage that say something, at document offsets."""
    out = []
    for start, end in sentence_spans(passage.text):
        text = passage.text[start:end]
        if not (
            is_heading(text, TOPIC_LINE) or is_boilerplate(text, _is_item(passage.text, start))
        ):
            out.append(Span(passage, passage.start + start, passage.start + end))
    return out


def _broken_start(span: Span) -> bool:
    return span.text[:1].islower()


def _broken_end(span: Span) -> bool:
    return not _ENDS_AS_SENTENCE.search(span.text.rstrip())


def _open_end(span: Span) -> bool:
    """Whether a span stops on a word no sentence ends on ("…were recruited by")."""
    words = span.text.split()
    return bool(words) and words[-1].lower() in GOES_ON


def _last_span(passage: Passage) -> Span | None:
    spans = sentence_spans(passage.text)
    if not spans:
        return None
    start, end = spans[-1]
    return Span(passage, passage.start + start, passage.start + end)


def _cut(before: Span, after: Span) -> bool:
    """Whether `after`, the first sentence of its passage, is the rest of `before`, the last
    one of the passage before: the sentence was cut at the passages' edge."""
    return _broken_end(before) and (_broken_start(after) or _open_end(before))


def attach_context(found: list[Candidate], neighbour: Neighbour | None = None) -> None:
    """Give each candidate what it needs to be read on its own: the rest of a sentence cut at a
    passage's edge, the sentence it points back to ("This…", "…therefore…") and the items of
    the list it leads into ("…because:"), from its passage or the one next to it."""
    claims: dict[str, list[Span]] = {}
    edges: dict[tuple[str, int], list[Span]] = {}
    tails: dict[str, Span | None] = {}

    def of(passage: Passage) -> list[Span]:
        if passage.chunk_id not in claims:
            claims[passage.chunk_id] = _claims(passage)
        return claims[passage.chunk_id]

    def next_to(passage: Passage, direction: int) -> list[Span]:
        key = (passage.chunk_id, direction)
        if key not in edges:
            other = neighbour(passage, direction) if neighbour else None
            edges[key] = of(other) if other is not None else []
        return edges[key]

    def opening(passage: Passage, first: Span) -> Span | None:
        """The opening of `first`, the passage's first sentence, when it was cut at the edge:
        the stretch the passage before ends on, even one too short to be a claim of its own
        ("Extra staff were recruited by")."""
        if passage.chunk_id not in tails:
            other = neighbour(passage, -1) if neighbour else None
            tails[passage.chunk_id] = _last_span(other) if other is not None else None
        tail = tails[passage.chunk_id]
        return tail if tail is not None and _cut(tail, first) else None

    for candidate in found:
        own = of(candidate.passage)
        index = next(
            (i for i, s in enumerate(own) if (s.start, s.end) == (candidate.start, candidate.end)),
            None,
        )
        if index is None:
            continue
        me = own[index]
        earlier = own[index - 1] if index else None
        if earlier is None:
            previous = next_to(candidate.passage, -1)
            earlier = previous[-1] if previous else None
        later = own[index + 1 :]
        if len(later) < _ITEMS:
            later = later + next_to(candidate.passage, +1)  # a list may run on past the edge
        text = " ".join(candidate.text.split())
        cut = opening(candidate.passage, me) if index == 0 else None
        if cut is not None:
            candidate.before.append(cut)  # the sentence's opening, in the passage before
        elif earlier is not None and (_POINTS_BACK.match(text) or _CONSEQUENCE.search(text)):
            # the sentence pointed back to may itself have been cut at its passage's start
            # ("…staff were recruited by" | "Children's services to chair conferences.")
            earlier_cut = opening(candidate.passage, earlier) if index == 1 else None
            candidate.before.extend([earlier_cut] if earlier_cut is not None else [])
            candidate.before.append(earlier)
            candidate.consequence = bool(_CONSEQUENCE.search(text))
        if later and not text.endswith(":") and _FOLLOWS_ON.search(" ".join(later[0].text.split())):
            # what follows from it, or goes on about it, is part of the fact ("High caseloads
            # limit the time… Services are therefore crisis led."; "Operation Encompass is in
            # operation… This recognises the need for…")
            candidate.follows.append(later[0])
        if text.endswith(":"):
            for item in later[:_ITEMS]:
                if item.text.rstrip().endswith(":"):
                    break  # the next lead-in starts another list
                candidate.after.append(item)
        elif (
            _broken_end(me)
            and later
            and later[0].passage.chunk_id != candidate.passage.chunk_id
            and (_broken_start(later[0]) or _open_end(me))
        ):
            candidate.after.append(later[0])  # the sentence's close, in the next passage


def neighbours(register) -> Neighbour:
    """The passage next to one in its document, read from the register (the chunk that
    covers the first character past its edge; chunks may leave a character or two between)."""

    def neighbour(passage: Passage, direction: int) -> Passage | None:
        edge = passage.end if direction > 0 else passage.start - 1
        for step in range(3):
            offset = edge + direction * step
            chunk = register.chunk_covering(passage.document, offset) if offset >= 0 else None
            if chunk is not None and chunk.chunk_id != passage.chunk_id:
                return Passage.from_chunk(chunk, passage.score, passage.similarity)
        return None

    return neighbour


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


def one_review(chosen: list[Candidate]) -> list[Candidate]:
    """An answer's sentences from the review its best sentence is in: another review's
    sentence joins only when it is nearly as much on what was asked and as relevant (a
    practitioner's question is about one case, and a near sentence from another review
    misleads)."""
    if not chosen:
        return chosen
    best = max(chosen, key=lambda c: c.score)
    return [
        c
        for c in chosen
        if c.passage.review == best.passage.review
        or (c.coverage >= 0.7 * best.coverage and c.score >= 0.9 * best.score)
    ]


def spread(
    found: list[Candidate],
    limit: int,
    per_review: int,
    floor: float = 0.7,
    min_coverage: float = 0.0,
) -> list[Candidate]:
    """Like `select` with one sentence a passage, but across reviews: each review's best
    sentence comes before a second one from any review."""
    chosen: list[Candidate] = []
    ranked = sorted(found, key=lambda c: c.score, reverse=True)
    best = ranked[0].score if ranked else 0.0
    for allowed in range(1, per_review + 1):
        by_review = Counter(c.passage.review_id for c in chosen)
        passages = {c.passage.chunk_id for c in chosen}
        for candidate in ranked:
            if len(chosen) == limit or candidate.score < floor * best:
                break
            if (
                candidate.coverage < min_coverage
                or candidate in chosen
                or candidate.passage.chunk_id in passages
                or by_review[candidate.passage.review_id] >= allowed
                or any(_similar(candidate.terms, c.terms) for c in chosen)
            ):
                continue
            chosen.append(candidate)
            by_review[candidate.passage.review_id] += 1
            passages.add(candidate.passage.chunk_id)
    return chosen


def with_opening(candidate: Candidate, most: int = 2) -> None:
    """A sentence of one recommendation, quoted with the recommendation's opening sentences
    that come before it in its passage and the sentence after it that points back to it:
    together they are the lesson ("Aggressive behaviour cannot be allowed to… The partnership
    should seek assurance that…", "…review standards of record keeping. This will ensure…").
    A passage that holds several recommendations (an inspection's list) gives only the one."""
    rec = candidate.passage.recommendation
    if candidate.passage.section != SectionKind.recommendation or not rec or "," in rec:
        return
    own = _claims(candidate.passage)
    earlier = [s for s in own if s.end <= candidate.start]
    if not candidate.before and len(earlier) <= most:
        candidate.before.extend(earlier)
    later = [s for s in own if s.start >= candidate.end]
    if not candidate.after and later and _POINTS_BACK.match(" ".join(later[0].text.split())):
        candidate.after.append(later[0])


def quote(candidate: Candidate, citations: Citations, said: set[tuple[str, int]]) -> str:
    """A candidate with what it needs to be read (see attach_context), each span followed by
    its citation number; spans already in `said` are not repeated."""
    parts = []
    for span in candidate.spans:
        key = (span.passage.document, span.start)
        if key in said:
            continue
        said.add(key)
        parts.append(f"{tidy(span.text)} [{citations.cite(span.passage, span.start, span.end)}]")
    return " ".join(parts)


def render(chosen: list[Candidate], citations: Citations, document_order: bool = False) -> str:
    """Sentences in passage order (or in the order the documents give them), each followed
    by its citation number."""
    if document_order:
        ordered = sorted(chosen, key=lambda c: (c.passage.document, c.start))
    else:
        ordered = sorted(chosen, key=lambda c: (c.rank, c.start))
    said: set[tuple[str, int]] = set()
    return " ".join(filter(None, (quote(c, citations, said) for c in ordered)))
