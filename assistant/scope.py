"""What a question is about, and whether the reviews it names say anything about it.

A question's subject is its topic without the words of asking, the reviews it names and the
agencies it names ("did the Hartley review say anything about radicalisation?" is about
"radicalisation"). Before an answer is built from whatever ranks best, the subject is looked
for in the passages of the reviews the question names (or of the whole library): when no
passage holds it, in any of its thesaurus names, the answer says so — naming what was looked
for, and where else the library does mention it — instead of quoting something near.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from review_assistant import premises
from review_assistant.models import Answer, Review
from review_assistant.query import default_thesaurus
from review_assistant.search import Searcher, SearchPlan
from review_assistant.store.register import Register
from review_assistant.terms import terms

# The words of asking that come before a subject: "what did X say about", "did X mention",
# "lessons on", "anything in X about"
_ABOUT = re.compile(r"\b(?:about|regarding|concerning|re:)\s+(?P<rest>.+)$", re.I)
_ASKING_VERB = re.compile(
    r"^.*?\b(?:say|said|says|think|thought|find|found|want|wanted|mention|mentioned|mentions"
    r"|teach(?:\s+us)?|taught(?:\s+us)?|tell(?:\s+us)?|draw|drew|conclude|concluded"
    r"|note|noted|learn|learnt|learned)\b(?:\s+(?:of|on|for|in|anything|something))*\s+"
    r"(?P<rest>.+)$",
    re.I,
)
_LESSONS_ON = re.compile(
    r"^.*?\b(?:lessons?|learning(?:\s+points?)?|anything|something|any(?:thing)?|themes?)"
    r"(?:\s+(?:learn(?:ed|t)|to\s+learn))?\s+(?:on|in|around|for|from)\s+(?P<rest>.+)$",
    re.I,
)
# A part that opens by asking for lessons has its subject after those words, whole ("lessons
# on information sharing about babies" is about sharing, not babies)
_LESSONS_OPENING = re.compile(
    r"^(?:(?:the|any|key|main)\s+)?(?:lessons?|learning(?:\s+points?)?|themes?)"
    r"(?:\s+(?:learn(?:ed|t)|to\s+learn))?"
    r"\s+(?:on|in|around|for|from|about|regarding|concerning)\s+(?P<rest>.+)$",
    re.I,
)
# The words that ask about a topic as such
_TOPIC = r"\b(?:about|regarding|concerning|on|mention(?:s|ed)?)\s+"
_QUESTION_OPENING = re.compile(
    r"^(?:what|which|who|how|why|when|where|did|does|do|is|are|was|were|has|have|can|could"
    r"|any|anything|tell|show|list|give|find)\b",
    re.I,
)
# A trailing "in/from the review(s)": what was left of a review's name after it was removed
_TRAILING_SOURCE = re.compile(
    r"\s+(?:in|from|of|per|by|according\s+to|across)\s+"
    r"(?:(?:the|our|its|their|these|those|all)\s+(?:\w+\s+){0,2}?)?(?:reviews?|inspections?|reports?|responses?|letters?|visits?|documents?"
    r"|inquiry|inquiries|minutes)\s*$"
    r"|\s+(?:in|from|of|per|by|for|on|across|with|about)(?:\s+(?:the|our|its|their|these|all))?"
    r"\s*$"
    # or the words asking for lessons after a theme: "return home interviews lessons"
    r"|(?:^|\s+)(?:(?:the|any|key|main)\s+)?(?:lessons?|learning(?:\s+points?)?)\s*$",
    re.I,
)
_LEADING = re.compile(r"^(?:the|a|an|any|anything|something|on|about|of|in)\s+", re.I)
# Words about documents, not a subject: "the review", "the inspection", "the response"
_DOCUMENT_WORDS = {
    "review", "reviews", "inspection", "inspections", "report", "reports", "response",
    "responses", "letter", "visit", "document", "documents", "inquiry", "minutes",
    "lesson", "lessons", "learning", "learn", "mention", "mentioned", "anything", "say",
    "said", "think", "find", "found", "want", "wanted", "teach", "taught", "draw", "drew",
}  # fmt: skip


@dataclass(frozen=True)
class Subject:
    """What a question asks about: the phrase as the user wrote it, and its content terms."""

    phrase: str
    terms: tuple[str, ...]
    # asked about as such ("anything about X?", "did it mention X?", "lessons on X")
    topical: bool = False
    # named apart from a question that asks nothing else ("X - what did the inspectors want?")
    apart: bool = False


def subject_of(question: str, topic: str, agencies: list[tuple[int, int, str]]) -> Subject | None:
    """The subject of `question`, read from its `topic` (the question without the reviews it
    names) with the spans of the agencies it names (`agencies`, as Gazetteer.find_all gives
    them for the topic) left out. None when nothing but words of asking remains."""
    text = topic
    for start, end, _ in sorted(agencies, reverse=True):
        if _within_phrase(topic, start, end):
            continue
        text = text[:start] + " " + text[end:]
    # a recommendation it names is looked up by its own filter, not a subject
    text = re.sub(r"\b(?:recommendations?|recs?)\s+\d[\w.()]*", " ", text, flags=re.I)
    text = " ".join(text.split()).strip(" ?.!")
    # a dash at the start is what was left of a review's name before it ("Northshire - why…")
    pieces = re.split(r"(?:^|\s+)[-–—:]\s+|[?;]\s+", text)
    parts = [p.strip(" ,;?.") for p in pieces if p.strip(" ,;?.")]
    # a part that says what it asks about ("... say about X") names the subject; else a part
    # that is not a question ("Northshire private fostering - what did Ofsted want?")
    read = [
        (_phrase(part), _framed(part), bool(_QUESTION_OPENING.match(part)), part) for part in parts
    ]
    read = [r for r in read if set(terms(r[0])) - _document_terms()]
    if not read:
        return None
    phrase, framed, opening, part = min(read, key=lambda r: (not r[1], r[2]))
    # parts that neither frame a subject nor ask a question of their own are one subject
    # named in pieces ("missing children - return home interviews - lessons")
    named = [r for r in read if not (r[1] or r[2])] if not (framed or opening) else []
    phrase = ", ".join(r[0].strip(" ,;?.") for r in named) or phrase.strip(" ,;?.")
    content = tuple(t for t in dict.fromkeys(terms(phrase)) if t not in _document_terms())
    if not content:
        return None
    topical = re.search(_TOPIC + r"(?:the\s+)?" + re.escape(phrase), part, re.I) is not None
    # apart only when the question's other parts ask nothing of their own ("X - what did the
    # inspectors want?"); beside a question with a subject of its own ("NE Lincs - why aren't
    # children seen?") it is where to look, not what
    apart = not opening and all(r[3] is part or r in named for r in read)
    return Subject(phrase=phrase, terms=content, topical=topical, apart=apart)


def _within_phrase(text: str, start: int, end: int) -> bool:
    """Whether a body's name found in `text` is a common word inside the subject's own phrase
    ("children missing education" is about missing education, not the education service): in
    lower case, after a word of the subject's own."""
    before = re.findall(r"[\w'’-]+", text[:start])
    return (
        text[start:end].islower()
        and bool(before)
        and bool(terms(before[-1]))
        and not _QUESTION_OPENING.match(before[-1])
    )


def _framed(part: str) -> bool:
    return any(_frame(pattern, part) for pattern in (_ABOUT, _ASKING_VERB))


def _frame(pattern: re.Pattern[str], part: str) -> str | None:
    """What follows the words of asking `pattern` finds in `part`, when it names something."""
    match = pattern.search(part)
    return match.group("rest") if match and terms(match.group("rest")) else None


def _without_source(part: str) -> str:
    """A part without the trailing "in/from the reviews" and the dangling words of asking."""
    previous = None
    while previous != part:
        previous = part
        part = _TRAILING_SOURCE.sub("", part).strip(" ,;?.")
        part = _LEADING.sub("", part)
    return part


def _phrase(part: str) -> str:
    """The subject words of one part of a question."""
    part = re.split(r",\s+(?:per|according to|in|from)\b", part, maxsplit=1)[0]
    # where it is asked of first: "lessons from the focused visit" frames nothing
    previous = None
    while previous != part:
        previous, part = part, _TRAILING_SOURCE.sub("", part).strip(" ,;?.")
    for pattern in (_LESSONS_OPENING, _ABOUT, _ASKING_VERB, _LESSONS_ON):
        rest = _frame(pattern, part)
        if rest:
            part = rest
            break
    else:
        if _QUESTION_OPENING.match(part):
            # "why was the baby not seen at home": the words after the question's verb
            part = re.sub(
                r"^(?:\w+\s+){0,1}?(?:was|were|is|are|did|does|do|has|have|had|can|could)\s+",
                "",
                part,
                flags=re.I,
            )
    return _without_source(part)


def _document_terms() -> set[str]:
    return set(terms(" ".join(_DOCUMENT_WORDS)))


def variants(subject: Subject) -> list[Subject]:
    """The subject, then the subject in each of its other names in the thesaurus ("FGM":
    "female genital mutilation")."""
    out = [subject]
    for variant in default_thesaurus().variants(subject.phrase)[1:]:
        found = tuple(t for t in dict.fromkeys(terms(variant)) if t not in _document_terms())
        if found and all(found != o.terms for o in out):
            out.append(Subject(phrase=variant, terms=found))
    return out


@dataclass(frozen=True)
class Presence:
    """How much of a subject the passages of a scope hold: the best share of its terms one
    passage holds (in any of its names), and the reviews where a passage holds all of them."""

    coverage: float
    reviews: tuple[str, ...] = ()


# The longest topic looked for whole: a longer one is often described rather than named
# ("babies not registered with a GP"), and a passage names it in other words
_WHOLE_TOPIC_TERMS = 2


class Scope:
    """The subject of a question, looked for in the passages of the reviews it names.

    Reads the keyword index through the register the assistant was given: a passage holds a
    term when its text does, stemmed as the index stems it."""

    def __init__(self, searcher: Searcher, register: Register, candidates: int = 60) -> None:
        self.searcher = searcher
        self.register = register
        self.candidates = candidates

    def subject(self, question: str, agencies: bool = False) -> Subject | None:
        """The question's subject; with `agencies`, a body it names may be the subject ("the
        LSCB" a grade is said of)."""
        topic = self.searcher.topic(question)
        named = [] if agencies else self.searcher.library_gazetteer.find_all(topic)
        return subject_of(question, topic, named)

    def presence(self, subject: Subject, review_ids: tuple[str, ...] = ()) -> Presence:
        """How much of the subject the passages of `review_ids` (or of the library) hold, read
        from the passages the keyword index finds for each of its names."""
        best, whole = 0.0, []
        filters = {"review_id": list(review_ids)} if review_ids else None
        for variant in variants(subject):
            hits = self.register.keyword_search(variant.phrase, self.candidates, filters)
            chunks = self.register.chunks_by_id([chunk_id for chunk_id, _ in hits])
            for chunk in chunks.values():
                held = set(terms(chunk.text))
                share = sum(t in held for t in variant.terms) / len(variant.terms)
                best = max(best, share)
                if share == 1.0:
                    whole.append(chunk.review_id)
        return Presence(best, tuple(dict.fromkeys(whole)))

    def absent(self, question: str, plan: SearchPlan) -> str | None:
        """A plain statement when no passage of the reviews the question names (or of the
        library, when it names none) holds any word of the topic it asks about, in any of its
        names; None when some passage does, or the question names a recommendation (its own
        filter decides) or asks about no topic as such."""
        if plan.rec_id:
            return None
        subject = self.subject(question)
        if subject is None or not (subject.topical or subject.apart):
            return None  # words left of a question ("why did X criticise Y") may be the asker's
        coverage = self.presence(subject, plan.review_ids).coverage
        if coverage > 0 and plan.review_ids and _is_name(subject.phrase):
            # a name ("Signs of Safety", "Operation Encompass") is there only as itself: its
            # words apart ("signs of harm", "safety plans") are no mention of it
            coverage = 1.0 if self._names_it(subject, plan.review_ids) else 0.0
        # a topic of a word or two is there only where a passage holds it whole ("county
        # lines" is not "the county" and "lines of accountability"), in the library or in the
        # review named (the Somerset inspection's "Somerset County Council" is no mention of
        # county lines); a longer one, often described rather than named, where most of it is
        whole = subject.topical and len(subject.terms) <= _WHOLE_TOPIC_TERMS
        # a compound of three or more words ("child-to-parent violence") is one idea, there
        # only where its words stand together, whatever else of the subject is
        compounds = _COMPOUND.findall(subject.phrase)
        if compounds and not all(self._holds(c, plan.review_ids) for c in compounds):
            coverage = 0.0
        if coverage == 1.0 or coverage > 0 and not whole:
            return None
        looked_for = _looked_for(subject)
        if not plan.review_ids:
            return f"No passage in the library mentions {looked_for}."
        named = _capital(self._names(plan.review_ids))
        text = f"{named} {_do_not(plan.review_ids)} mention {looked_for}."
        return text + (self._elsewhere(subject, plan) or " No other document mentions it either.")

    def _names_it(self, subject: Subject, review_ids: tuple[str, ...]) -> bool:
        """Whether a passage of the reviews holds the subject's phrase itself, in any of its
        names: its words in order, whatever the case and spacing."""
        return any(self._holds(variant.phrase, review_ids) for variant in variants(subject))

    def _holds(self, phrase: str, review_ids: tuple[str, ...]) -> bool:
        """Whether a passage of the reviews (or of the library) holds `phrase`: its words in
        order, whatever the case, spacing and hyphens."""
        filters = {"review_id": list(review_ids)} if review_ids else None
        words = re.findall(r"[^\W_]+|[’']", phrase)
        pattern = re.compile(r"\b" + r"\W*".join(map(re.escape, words)) + r"\b", re.I)
        hits = self.register.keyword_search(phrase, self.candidates, filters)
        chunks = self.register.chunks_by_id([chunk_id for chunk_id, _ in hits])
        return any(pattern.search(chunk.text) for chunk in chunks.values())

    def _elsewhere(self, subject: Subject, plan: SearchPlan) -> str:
        """Where else the library holds the whole subject: the reviews the question did not
        name (the first few)."""
        elsewhere = [r for r in self.presence(subject).reviews if r not in plan.review_ids]
        if not elsewhere:
            return ""
        return f" It is mentioned in {self._names(tuple(elsewhere[:4]), 'and')}."

    def answer(self, question: str, plan: SearchPlan) -> Answer | None:
        """An answer settled before any passage is quoted: a grade the question takes for
        granted that the named inspection never gives (corrected with its judgement lines), an
        event it takes for granted that the named review never mentions, or a topic absent from
        the reviews it names; None when the question is to be answered from passages."""
        if plan.review_ids and premises.asserted_grade(question):
            ids = self.register.chunk_ids_matching({"review_id": list(plan.review_ids)})
            chunks = list(self.register.chunks_by_id(ids).values())
            subject = self.subject(premises.without_grade(question), agencies=True)
            about = [v.terms for v in variants(subject)] if subject else []
            label = _capital(self._names(plan.review_ids))
            corrected = premises.check(question, chunks, label, about)
            if corrected is not None:
                return corrected
            return None  # the grade is the review's own: what it found is the answer
        if plan.review_ids and premises.asserted_act(question):
            ids = self.register.chunk_ids_matching({"review_id": list(plan.review_ids)})
            chunks = list(self.register.chunks_by_id(ids).values())
            label = self._names(plan.review_ids)
            corrected = premises.check_act(self.searcher.topic(question), chunks, label)
            if corrected is not None:
                return corrected
        asserted = premises.asserted_quantity(question) if plan.review_ids else None
        if asserted is not None:
            ids = self.register.chunk_ids_matching({"review_id": list(plan.review_ids)})
            chunks = list(self.register.chunks_by_id(ids).values())
            of = Subject(asserted.of, tuple(terms(asserted.of)))
            about = [v.terms for v in variants(of)]
            label = self._names(plan.review_ids)
            plural = len(plan.review_ids) > 1
            corrected = premises.check_quantity(question, chunks, label, about, plural)
            if corrected is not None:
                return corrected
        unstated = self.unstated(question, plan)
        if unstated:
            return Answer(answer=unstated, abstained=True)
        absent = self.absent(question, plan)
        if absent:
            return Answer(answer=absent, abstained=True)
        return None

    def unstated(self, question: str, plan: SearchPlan) -> str | None:
        """A plain statement when a why-question takes for granted an event ("placed for
        adoption", "the child's death") the reviews it names never mention: there is no reason
        to give for what the review does not say happened."""
        if not plan.review_ids:
            return None
        missing = [
            word
            for word in premises.asserted_outcomes(question)
            if terms(word)
            and self.presence(Subject(word, tuple(terms(word))), plan.review_ids).coverage == 0
        ]
        if not missing:
            return None
        words = " or ".join(f"“{w}”" for w in missing)
        named = _capital(self._names(plan.review_ids))
        return (
            f"{named} {_do_not(plan.review_ids)} mention {words}, so the question's premise is "
            "not something the review states."
        )

    def present_in_named(self, question: str, plan: SearchPlan) -> bool:
        """Whether a passage of the reviews the question names holds its whole subject (in one
        of its names): a question about one review is relevant to that review's passages."""
        if not plan.review_ids:
            return False
        subject = self.subject(question)
        return subject is not None and self.presence(subject, plan.review_ids).coverage == 1.0

    def looked_for(self, question: str, plan: SearchPlan) -> str:
        """What was looked for, and where, to follow a plain "not answered"."""
        subject = self.subject(question)
        asked = [f"recommendation {plan.rec_id}"] if plan.rec_id else []
        asked += [_looked_for(subject)] if subject is not None else []
        if not asked:
            return ""
        if not plan.review_ids:
            return f" Looked for: {' and '.join(asked)}."
        if subject is None:
            return f" Looked for: {asked[0]} in {self._names(plan.review_ids, 'or')}."
        where = self._names(plan.review_ids, "or")
        return f" Looked for: {' and '.join(asked)} in {where}.{self._elsewhere(subject, plan)}"

    def _names(self, review_ids: tuple[str, ...], conjunction: str = "and") -> str:
        by_id = {r.id: r for r in self.searcher.reviews()}
        names = [_review_label(by_id[rid]) if rid in by_id else rid for rid in review_ids]
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


# A compound of three or more words joined by hyphens: "child-to-parent", "peer-on-peer"
_COMPOUND = re.compile(r"\b[^\W_]+(?:-[^\W_]+){2,}\b")
_LITTLE = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "at", "by", "&"}


def _is_name(phrase: str) -> bool:
    """Whether a subject is written as a name: two or more words, each capitalised but the
    little ones ("Signs of Safety", "Operation Encompass")."""
    words = phrase.split()
    significant = [w for w in words if w.lower() not in _LITTLE]
    return len(words) >= 2 and len(significant) >= 2 and all(w[:1].isupper() for w in significant)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _do_not(review_ids: tuple[str, ...]) -> str:
    return "does not" if len(review_ids) == 1 else "do not"


def _looked_for(subject: Subject) -> str:
    others = [v.phrase for v in variants(subject)[1:]]
    named = f"“{subject.phrase}”"
    return named + (f" (or {', '.join(f'“{o}”' for o in others)})" if others else "")


def _review_label(review: Review) -> str:
    """How a review is named in a sentence: "the Hartley review", "the Northshire County
    Council inspection", or a report's own title, without its subtitle."""
    short = review.name.split(" — ")[0].strip()
    if re.search(r"\b(?:review|inspection|inquiry|report|response|visit)\b", short, re.I):
        return short
    kind = "inspection" if "inspection report" in review.doc_types else "review"
    return f"the {short} {kind}"
