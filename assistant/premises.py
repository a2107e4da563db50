"""A judgement a question takes for granted, checked against the judgements its review gives.

"Why was Northshire rated inadequate?" asserts a grade. Before the question is answered as
asked, the grade is looked for among the judgements the named inspection states (its
judgement lines: "Overall effectiveness Good", "Children's services in Northshire are good",
"The effectiveness of the LSCB is inadequate"). When the inspection gives that grade nowhere,
the answer says so and quotes the judgements it does give, instead of explaining a grade that
was never given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_EN_PLUS

from review_assistant.extractive import Citations
from review_assistant.ingest.sentences import sentence_spans
from review_assistant.ingest.types import Chunk
from review_assistant.models import Answer, Passage
from review_assistant.query import GENRE_WORDS
from review_assistant.store.tokens import stems
from review_assistant.terms import terms

# Ofsted's four-point scale, as inspections write it
_GRADE = r"(?:outstanding|good|requires?\s+improvement|inadequate)"
_GRADE_WORD = re.compile(r"\b" + _GRADE + r"\b", re.I)
# A question asserting a grade: "rated inadequate", "judged outstanding", "a good rating"
_ASSERTED = re.compile(
    r"\b(?:rated|judged|graded|deemed|found\s+to\s+be|given)\s+(?:as\s+)?(?P<after>"
    + _GRADE
    + r")\b"
    r"|\b(?P<before>" + _GRADE + r")\s+(?:rating|grade|judgement|judgment)\b"
    # or its verb before what is graded: "rate children's services inadequate"
    r"|\b(?P<verb>rate|grade|judge|find|deem|call)\s+(?P<what>(?:[\w'’-]+\s+){1,4}?)(?:as\s+)?"
    r"(?P<mid>" + _GRADE + r")\b",
    re.I,
)
# A judgement line: a grade closing a short line (a judgement table's row, "Overall
# effectiveness Good") or closing "... is/are <grade>" (wrapped lines are joined first)
_JUDGEMENT_LINE = re.compile(
    r"^(?P<line>[^\n]{3,110}?\s(?:is\s+|are\s+|:\s*)?" + _GRADE + r")\.?[ \t]*$",
    re.I | re.M,
)
# a grade word that is no judgement: a descriptor ("an authority that is good"), a comparison,
# or the tail of a wrapped sentence ("... provide a good", "requires improvement to be good")
_NOT_A_JUDGEMENT = re.compile(
    r"\b(?:not\s+yet|or\s+better|that\s+is|who\s+is|which\s+is)\b"
    r"|\b(?:a|an|of|some|very|to\s+be|for|as)\s+" + _GRADE + r"\W*$",
    re.I,
)
_OVERALL = re.compile(r"\boverall\b|\bservices\s+in\s+\w+(?:\s+\w+)?\s+(?:are|is)\b", re.I)


# Events a why-question can take for granted ("why was the child placed for adoption?", "why
# did the baby die?"), which a review that holds them states in these words. Judgements
# ("criticise", "praise", "blame", "reject") are left out: a review conveys them in its own words
# ("exemplary practice", "does not accept"), so their absence proves nothing
_OUTCOME = re.compile(
    r"\b(?:adopt(?:ed|ion)|died|death|dead|killed|prosecut(?:e|ed|ion)|convict(?:ed|ion))\b",
    re.I,
)
_WHY = re.compile(r"(?:^|[-–—:;,]\s)\s*(?:why|how come)\b", re.I)


def asserted_outcomes(question: str) -> list[str]:
    """The outcome words a why-question takes for granted, as written."""
    if not _WHY.search(question):
        return []
    return list(dict.fromkeys(m.group(0).lower() for m in _OUTCOME.finditer(question)))


@dataclass(frozen=True)
class Judgement:
    chunk: Chunk
    start: int  # offsets in the document
    end: int
    grade: str
    overall: bool


def asserted_grade(question: str) -> str | None:
    """The grade a question takes for granted, in the scale's own words ("requires
    improvement"), or None."""
    match = _ASSERTED.search(question)
    if not match:
        return None
    return _normal(match.group("after") or match.group("before") or match.group("mid"))


def without_grade(question: str) -> str:
    """The question without the grade it asserts and its words of rating: what is left is what
    the grade is said of."""
    return " ".join(_ASSERTED.sub(lambda m: f" {m.group('what') or ''} ", question).split())


def judgements(chunks: list[Chunk]) -> list[Judgement]:
    """The judgement lines of a review's passages, in document order."""
    found: list[Judgement] = []
    for chunk in sorted(chunks, key=lambda c: c.start):
        # a grade wrapped onto its own line belongs to the line before
        text = re.sub(r"\s*\n(?=\s*" + _GRADE + r"\.?[ \t]*(?:\n|$))", " ", chunk.text, flags=re.I)
        # so does a table's cell under its row ("Overall effectiveness" / "- Grade: Good")
        text = re.sub(
            r"\s*\n\s*(?=-\s+[^\n:]{1,30}:\s*" + _GRADE + r"\.?[ \t]*(?:\n|$))",
            " ",
            text,
            flags=re.I,
        )
        for match in _JUDGEMENT_LINE.finditer(text):
            line = match.group("line").strip()
            # a judgement is stated in a line of its own, not the tail of a wrapped sentence
            if _NOT_A_JUDGEMENT.search(line) or not line[:1].isupper() and not line[:1].isdigit():
                continue
            grade = _normal(_GRADE_WORD.findall(line)[-1])
            located = _locate(chunk.text, line)
            if located is None:
                continue
            start, end = located
            found.append(
                Judgement(
                    chunk,
                    chunk.start + start,
                    chunk.start + end,
                    grade,
                    bool(_OVERALL.search(line)),
                )
            )
    return found


def check(
    question: str,
    chunks: list[Chunk],
    review_label: str,
    about: list[tuple[str, ...]] = (),
) -> Answer | None:
    """A correction when the question asserts a grade the review's judgements never give;
    None when it asserts none, the review states no judgements, or one of them is that grade.

    `about` is what the grade is said of (the question's subject, as terms, in each of its
    names: "the LSCB"): the judgements naming it are the ones compared; with no subject, the
    overall judgement is."""
    grade = asserted_grade(question)
    if grade is None:
        return None
    given = judgements(chunks)
    # a year in the question says when, not what ("the LSCB in 2019"): no judgement line
    # holds the year it was given in
    about = [tuple(t for t in name if not t.isdigit()) for name in about]
    overall = [j for j in given if j.overall]
    if overall and re.search(r"\boverall\b", question, re.I):
        given = overall  # "rated inadequate overall": the overall judgement, whatever else
    elif any(about):
        # a line names the subject when it holds every word of one of its names
        named = [j for j in given if any(set(n) <= set(terms(_line(j))) for n in about if n)]
        given = named or given
    else:
        given = [j for j in given if j.overall] or given
    if not given or any(j.grade == grade for j in given):
        return None
    shown = [j for j in given if j.overall] or given
    shown = list({(j.chunk.chunk_id, j.start): j for j in shown}.values())[:4]
    actual = " and ".join(dict.fromkeys(_AS_JUDGED.get(j.grade, j.grade) for j in shown))
    citations = Citations()
    lines = [f"{review_label} does not rate it {grade}: it is judged {actual}."]
    for judgement in shown:
        passage = Passage.from_chunk(judgement.chunk, 0.0, None)
        n = citations.cite(passage, judgement.start, judgement.end)
        quote = " ".join(citations.items[n - 1].quote.split())
        lines.append(f"- {quote} [{n}]")
    return Answer(answer="\n".join(lines), citations=citations.items, answerer="extractive")


_AS_JUDGED = {"requires improvement": "as requiring improvement"}


def _line(judgement: Judgement) -> str:
    return judgement.chunk.text[
        judgement.start - judgement.chunk.start : judgement.end - judgement.chunk.start
    ]


def _normal(grade: str) -> str:
    grade = " ".join(grade.lower().split())
    return "requires improvement" if grade.startswith("require") else grade


def _locate(text: str, line: str) -> tuple[int, int] | None:
    """Where a (possibly re-joined) line lies in the passage's own text."""
    words = line.split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


# Acts a why-question can take for granted of a review or a response ("why did the government
# reject the recommendations?", "why did the inspectors praise the audits?"), each with the
# words that would state it and those that state its opposite. A response states its verdict in
# so many words ("accepts", "does not agree"); an inspection speaks well of what it praises
# ("strong", "effective"); where no sentence on the subject holds the act's words, the
# question's premise is not the document's, and what it does say is quoted instead.
@dataclass(frozen=True)
class _Act:
    name: str
    done: str  # as said in the correction: "rejected", "praised"
    asserted: re.Pattern[str]  # the act in a question
    stated: re.Pattern[str]  # the act in a document's sentence
    opposite: re.Pattern[str] | None = None  # what to quote first, when the act is not found


_NEGATED = r"(?<!\bnot\s)(?<!\bno\s)(?<!\bnot\ssufficiently\s)(?<!\bnot\salways\s)"
_ACCEPT = re.compile(r"\b(?<!not\s)(?:accept(?:s|ed|ing)?|agree(?:s|d)?|support(?:s|ed)?)\b", re.I)
_ACTS = (
    _Act(
        "reject",
        "rejected",
        re.compile(r"\b(?:reject(?:s|ed|ing)?|turn(?:s|ed)?\s+down|refus(?:e|es|ed|ing))\b", re.I),
        re.compile(
            r"\b(?:reject(?:s|ed|ing)?|declin(?:e|es|ed)|not\s+(?:be\s+)?accept(?:ed)?"
            r"|(?:does|do|did)\s+not\s+(?:agree|accept|support)|disagree(?:s|d)?)\b",
            re.I,
        ),
        _ACCEPT,
    ),
    _Act(
        "praise",
        "praised",
        re.compile(
            r"\b(?:prais(?:e|es|ed|ing)|commend(?:s|ed|ing)?|applaud(?:s|ed)?"
            r"|h(?:o|e)ld(?:s|ing)?\s+up|singl(?:e|es|ed|ing)\s+out)\b",
            re.I,
        ),
        re.compile(
            _NEGATED
            + r"\b(?:prais\w*|commend\w*|strong|strengths?|good|effective|effectively|excellent"
            r"|exemplary|impressive|outstanding|positive|robust|well[- ]established)\b",
            re.I,
        ),
        re.compile(
            r"\b(?:poor|weak(?:ness(?:es)?)?|inadequate|concerns?|delay(?:s|ed)?|not|no|too|lack"
            r"|insufficient|variable|inconsistent)\b",
            re.I,
        ),
    ),
)
# The words of a subject that name a kind of unit, not which one: "the LADO service" is the
# LADO wherever a sentence names it ("The LADO provides…")
_UNIT_WORDS = ("service", "services", "team", "teams", "function", "arrangements", "provision")
# A sentence that gives a verdict on a recommendation, not only words of one
_VERDICT = re.compile(r"\b(?:this|the|these)\s+recommendations?\b", re.I)
# A sentence that goes on about the one before: "However, the timeliness… is poor"
_GOES_ON = re.compile(r"^(?:however|but|this|these|it|they|yet)\b", re.I)
_SUBJECT_AFTER = r"\s+(?:the\s+|its\s+|their\s+|all\s+(?:the\s+)?|of\s+)*(?P<rest>.+)$"
_FUNCTION_WORDS = frozenset(STOPWORDS_EN_PLUS)
_MOST_QUOTED = 4


def asserted_act(question: str) -> tuple[str, str] | None:
    """(the act, what it is said of) when a why-question takes an act of the document for
    granted ("why did the inspectors praise the audits?" -> praise, "audits"); None else."""
    if not _WHY.search(question):
        return None
    for act in _ACTS:
        match = re.search(act.asserted.pattern + _SUBJECT_AFTER, question, re.I)
        if match:
            subject = re.sub(r"^['’]s\s+", "", match.group("rest").strip(" ?.!"))
            # "held up X as a model of quick work": what is praised is X
            subject = re.split(r"\s+as\s+(?:a|an|the)\s+(?:model|example|exemplar)\b", subject)[0]
            if _words(subject):
                return act.name, subject
    return None


def check_act(question: str, chunks: list[Chunk], review_label: str) -> Answer | None:
    """A correction when a why-question takes for granted an act (rejecting, praising) that no
    sentence of the review on its subject states; None when some sentence does, or the review
    says nothing on the subject (nothing to correct it with)."""
    asserted = asserted_act(question)
    if asserted is None:
        return None
    name, subject = asserted
    act = next(a for a in _ACTS if a.name == name)
    # what kind of document the subject names ("the inquiry's recommendations") is no part of it
    wanted = set(_words(subject)) - set(_words(" ".join(GENRE_WORDS)))
    wanted = wanted - set(_words(" ".join(_UNIT_WORDS))) or wanted
    about: list[tuple[Chunk, int, int, str]] = []
    seen: set[str] = set()
    for chunk in sorted(chunks, key=lambda c: c.start):
        previous_about = False
        for s, e in sentence_spans(chunk.text):
            sentence = " ".join(chunk.text[s:e].split())
            on_it = wanted <= set(_words(sentence))
            if sentence not in seen and (on_it or previous_about and _GOES_ON.match(sentence)):
                seen.add(sentence)
                about.append((chunk, s, e, sentence))
            previous_about = on_it
    # a recommendation quoted on the subject brings its verdict ("The government accepts this
    # recommendation in principle"), which never repeats the subject's words
    quoted = {(c.review_id, c.recommendation) for c, *_ in about if c.recommendation}
    for chunk in sorted(chunks, key=lambda c: c.start):
        if (chunk.review_id, chunk.recommendation) not in quoted:
            continue
        for s, e in sentence_spans(chunk.text):
            sentence = " ".join(chunk.text[s:e].split())
            verdict = act.stated.search(sentence) or act.opposite and act.opposite.search(sentence)
            if sentence not in seen and verdict and _VERDICT.search(sentence):
                seen.add(sentence)
                about.append((chunk, s, e, sentence))
    if not about or any(act.stated.search(sentence) for *_, sentence in about):
        return None
    shown = about
    if act.opposite:
        # what says the opposite first, with the sentence a "However, …" goes on from
        opposite = {i for i, a in enumerate(about) if act.opposite.search(a[3])}
        opposite |= {i - 1 for i in opposite if i and _GOES_ON.match(about[i][3])}
        # and a verdict with the words of the recommendation it is on
        answered = {(about[i][0].review_id, about[i][0].recommendation) for i in opposite}
        opposite |= {
            i
            for i, (c, *_) in enumerate(about)
            if c.recommendation and (c.review_id, c.recommendation) in answered
        }
        shown = [a for i, a in enumerate(about) if i in opposite] or about
    citations = Citations()
    lines = [
        f"Nothing in {_the(review_label)} says that {subject} {_were(subject)} {act.done}. "
        "What it says of them:"
    ]
    for chunk, s, e, sentence in shown[:_MOST_QUOTED]:
        n = citations.cite(Passage.from_chunk(chunk, 0.0, None), chunk.start + s, chunk.start + e)
        lines.append(f"- {sentence} [{n}]")
    return Answer(answer="\n".join(lines), citations=citations.items, answerer="extractive")


def _words(text: str) -> list[str]:
    """Stemmed content words, "recommendations" among them (the words of asking that
    `terms` leaves out are what an act is said of here)."""
    return stems(text, _FUNCTION_WORDS)


def _were(subject: str) -> str:
    """The verb agreeing with a subject's head noun: the last word before its first
    preposition ("the recommendation on gas valves" was, "the audits" were)."""
    head = re.split(r"\s+(?:on|of|for|about|to|in|with|from|by)\s+", subject.strip())[0]
    return "were" if re.search(r"s$", head.split()[-1] if head.split() else "") else "was"


def _the(label: str) -> str:
    return label if re.match(r"the\b", label, re.I) else f"the {label}"


# A quantity a why-question takes for granted: "why do staff only get 2 days of CPD a year?"
_COUNTS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
}  # fmt: skip
_COUNT = r"\d+(?:\.\d+)?|" + "|".join(_COUNTS)
_UNIT = r"days?|weeks?|months?|years?|hours?|minutes?|sessions?|visits?|times?|per\s?cent|%"
_QUANTITY = re.compile(rf"\b(?P<n>{_COUNT})\s*(?P<unit>{_UNIT})(?![\w])", re.I)
# what the quantity is of: "2 days of CPD", "3 visits by the health visitor"
_QUANTITY_OF = re.compile(
    rf"\b(?P<n>{_COUNT})\s*(?P<unit>{_UNIT})\s+(?:of|by|from|for|with)\s+(?:the\s+|a\s+)?"
    r"(?P<what>[\w'’-]+(?:\s+(?!a\b|an\b|per\b|each\b|every\b)[\w'’-]+)?)",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # singular, lower case: "day", "percent"
    of: str  # what it is a quantity of, as written: "CPD"


def _value(count: str) -> float:
    return float(_COUNTS.get(count.lower(), count) if count.lower() in _COUNTS else count)


def _unit(unit: str) -> str:
    unit = re.sub(r"\s", "", unit.lower())
    return "percent" if unit in {"%", "percent"} else unit.rstrip("s")


def asserted_quantity(question: str) -> Quantity | None:
    """The quantity of something a why-question takes for granted, or None."""
    if not _WHY.search(question):
        return None
    match = _QUANTITY_OF.search(question)
    if not match:
        return None
    return Quantity(_value(match.group("n")), _unit(match.group("unit")), match.group("what"))


def check_quantity(
    question: str,
    chunks: list[Chunk],
    review_label: str,
    about: list[tuple[str, ...]],
    plural: bool = False,
) -> Answer | None:
    """A correction when the question's quantity is not the one the review gives for the same
    thing: the sentences holding what it is of (`about`: its terms, in each of its names) and a
    quantity in the same unit, none of them the question's. None when one of them is, or none
    gives such a quantity."""
    asserted = asserted_quantity(question)
    if asserted is None or not any(about):
        return None
    found: list[tuple[Chunk, int, int, str]] = []
    seen: set[str] = set()
    for chunk in sorted(chunks, key=lambda c: c.start):
        for s, e in sentence_spans(chunk.text):
            sentence = " ".join(chunk.text[s:e].split())
            if sentence in seen or not any(n and set(n) <= set(terms(sentence)) for n in about):
                continue
            given = [
                _value(m.group("n"))
                for m in _QUANTITY.finditer(sentence)
                if _unit(m.group("unit")) == asserted.unit
            ]
            if not given:
                continue
            if asserted.value in given:
                return None
            seen.add(sentence)
            found.append((chunk, s, e, sentence))
    if not found:
        return None
    number = f"{asserted.value:g} {asserted.unit}{'' if asserted.value == 1 else 's'}"
    citations = Citations()
    named = _the(review_label)
    lines = [
        f"{named[:1].upper()}{named[1:]} {'do' if plural else 'does'} not give {number} of "
        f"{asserted.of}. What {'they say' if plural else 'it says'}:"
    ]
    for chunk, s, e, sentence in found[:_MOST_QUOTED]:
        n = citations.cite(Passage.from_chunk(chunk, 0.0, None), chunk.start + s, chunk.start + e)
        lines.append(f"- {sentence} [{n}]")
    return Answer(answer="\n".join(lines), citations=citations.items, answerer="extractive")
