"""Whether each sentence of a model's reply is entailed by the passages it cites.

A model paraphrases; a paraphrase that shares most words with its source can still say the
opposite. So beyond sharing content words, a kept sentence must carry over what changes
meaning: its negation, its modality ("should consider" is not "is"), every number and date,
every agency it names, and the review it is about; and what it says a review found must come
from the review, not from an agency's response. Each check compares the sentence with the one
or two cited sentences closest to it, the way a reader checking a quote would. A small model
misnumbers its quotes: a quote stands under the passage it quotes, if every check passes there.

A kept sentence adds nothing to its source: every content word, address and name it holds is
in the cited run of sentences (or the passage's own labels, "Finding 4:"), apart from saying
whose words they are ("The review found that …"). A sentence with no content word to check
("No, it was not.", "They did.") is not a claim a passage can vouch for, and a bare "Yes," or
"No," answering the question is not one either: it is left off and the rest checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from review_assistant.extractive import Citations
from review_assistant.ingest.sentences import REPLY_HEADING, is_heading, sentence_spans, spans
from review_assistant.ingest.types import SectionKind
from review_assistant.models import Passage
from review_assistant.terms import terms

# share of a sentence's content words its cited passages must contain: a faithful summary
# keeps most of its source's words; sentences stitched from two facts carried about 0.6
SUPPORT = 0.7
OWN_SUPPORT = 0.3  # share one cited passage must hold for its citation to stand
# A small model often quotes one passage and gives it another's number, or leaves a sentence
# uncited. Such a sentence is re-cited to the passage with one sentence that holds nearly all
# its words (a quote, not a summary), and only if it then passes every check there.
RECITE_SUPPORT = 0.85
CLEARLY_BETTER = 0.25  # how much more of a passed sentence another passage must hold to take it
_MARKER = re.compile(
    r"\s*(?:\[(?:passages?\s*|sources?\s*)?(\d+(?:\s*(?:[,;]|and|-|–)\s*\d+)*)\]"
    r"|\((?:passages?|sources?)\s+(\d+(?:\s*(?:[,;]|and)\s*\d+)*)\)"
    r"|【(\d+)】)",
    re.I,
)
# "The review found that …": a claim about what a review itself says, which an agency's
# response or a panel's progress note cannot vouch for
_REVIEW_SAYS = re.compile(
    r"\b(?:review|report|inquiry|inspection|inspectors|committee)(?:['’]s)?\s+(?:also\s+)?"
    r"(?:found|finds|concluded|concludes|recommend(?:s|ed)?|identified|identifies|highlighted|"
    r"highlights|noted|notes)\b",
    re.I,
)
_NOT_THE_REVIEWS_WORDS = {SectionKind.response, SectionKind.progress}
# "The review found that …", "According to the Child T review, …": who says what follows, which
# a faithful sentence may add when it names its source's review (or calls it the review)
_LEAD_IN = re.compile(
    r"^(?:according to\s+(?P<source>[^,]{1,160}),\s*"
    r"|(?P<subject>[^,;.!?]{1,160}?)\s+(?:also\s+|further\s+)?(?:found|finds|concluded|"
    r"concludes|recommend(?:s|ed)|identified|identifies|highlighted|highlights|noted|notes|"
    r"stated|states|says|said|reported|reports)\s+that\s+)",
    re.I,
)
_SOURCES = frozenset(
    terms("review report inquiry inspection inspectors committee panel reviewers authors")
)
# "Yes," or "No," opening a reply answers the question, which no passage can vouch for: it is
# left off and what follows is checked ("No-one" is a word, not an answer)
_ANSWER_WORD = re.compile(r"^(?:yes|no)(?:\s*[,;:.!]+|\s+[—–-])\s*", re.I)
_ADDRESS = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b(?:/\S*)?",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|neither|nobody|nothing|without|cannot|unable|lack(?:s|ed|ing)?"
    r"|fail(?:s|ed|ing)? to)\b|n['’]t\b",
    re.I,
)
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "first": "1",
    "second": "2", "third": "3",
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_MONTH = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b",
    re.I,
)


def citation_numbers(sentence: str, limit: int) -> list[int]:
    """The passage numbers a sentence cites, in any common style: [1], [1, 2], [1-3],
    [passage 2], (source 3), 【4】."""
    numbers: list[int] = []
    for match in _MARKER.finditer(sentence):
        group = next(g for g in match.groups() if g)
        for a, sep, b in re.findall(r"(\d+)(?:\s*([-–])\s*(\d+))?", group):
            low, high = int(a), int(b) if sep else int(a)
            numbers.extend(n for n in range(low, min(high, low + 10) + 1) if 1 <= n <= limit)
    return list(dict.fromkeys(numbers))


# "The passage [2] states that …", "According to passage 1, …": the model's framing of a
# quote, not part of the claim
_FRAMING = re.compile(
    r"^(?:according to (?:the )?(?:passages?|sources?)\s*(?:\d+\s*)?,?\s*"
    r"|(?:the |this )?(?:passages?|sources?)\s*(?:\d+\s*)?(?:from\s+)?(?:also |further )?"
    r"(?:states?|says?|mentions?|notes?|explains?|shows?|indicates?|reports?)\s+(?:that\s+)?)",
    re.I,
)


def strip_citations(sentence: str) -> str:
    """The claim a sentence makes: without its citation markers or a framing of them."""
    body = re.sub(r"\s{2,}", " ", _MARKER.sub(" ", sentence)).strip()
    unframed = _FRAMING.sub("", body)
    if unframed != body and unframed:
        body = unframed[0].upper() + unframed[1:]
    return re.sub(r"\s+([.,;:!?])", r"\1", body)


def _numbers(text: str) -> set[str]:
    found = {_NUMBER_WORDS.get(n.lower(), n.replace(",", "")) for n in _NUMBER.findall(text)}
    return found | {m.lower() for m in _MONTH.findall(text)}


# Hedges a faithful sentence keeps, each kind its source uses in some form, and how firmly
# each says something: a possibility (1), a recommendation (2), a commitment or requirement
# (3). A reply may weaken but never firm up what its source says.
_HEDGES = {
    "possible": (1, r"may|might|could|would"),
    "consider": (1, r"consider(?:s|ed|ing)?"),
    "whether": (1, r"whether|if"),
    "should": (2, r"should|ought|needs? to|recommend(?:s|ed|ing)?|advis(?:es|ed)"),
    "will": (3, r"will|shall|plans? to|intends? to"),
    "must": (3, r"must|required"),
}
_HEDGE = {kind: re.compile(rf"\b(?:{words})\b", re.I) for kind, (_, words) in _HEDGES.items()}
_MAY_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+May\b|\bMay\s+(?:\d{4}|\d{1,2}\b)")


def _hedges(text: str) -> set[str]:
    text = _MAY_MONTH.sub(" ", text)  # "21 May 2014" is a date, not a hedge
    return {kind for kind, pattern in _HEDGE.items() if pattern.search(text)}


def _firmness(hedges: set[str]) -> int:
    """0 for a plain statement, else the firmest of its hedges."""
    return max((_HEDGES[kind][0] for kind in hedges), default=0)


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


@dataclass
class Checked:
    """One sentence of a reply and what the verifier made of it."""

    text: str
    reason: str | None = None  # why it was dropped; None when kept
    recited: bool = False  # kept under another passage's number than the model gave


class Verifier:
    """Checks each sentence of a reply against the passages it cites.

    `mentions` names the agencies a text mentions (the gazetteer); `reviews_named` the review
    ids a text names. Both are optional, for tests of one check at a time."""

    def __init__(
        self,
        mentions: Callable[[str], list[str]] | None = None,
        reviews_named: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.mentions = mentions or (lambda text: [])
        self.reviews_named = reviews_named or (lambda text: [])

    def check(self, body: str, numbers: list[int], passages: list[Passage]) -> str | None:
        """Why `body`, citing passages `numbers` (1-based), is not entailed; None if it is."""
        words = set(terms(body))
        if not numbers:
            return "cites no passage"
        cited = [passages[n - 1] for n in numbers]
        own = [p for p in cited if _support(words, [p]) >= OWN_SUPPORT]
        if not own:
            return "its cited passages do not carry its words"
        if _support(words, own) < SUPPORT:
            return "its cited passages do not carry its words"
        if _additions(body, words, own):
            return "it adds words its source does not carry"
        source = _closest_sentence(words, own)
        if _negated(body) != _negated(source):
            return "its negation differs from its source"
        said, sourced = _hedges(body), _hedges(source)
        if _firmness(said) > _firmness(sourced) or not sourced <= said:
            return "it states more firmly than its source"
        cited_text = " ".join(p.text for p in own)
        if not _numbers(body) <= _numbers(cited_text):
            return "a number or date is not in its source"
        # a body in the source review's own name ("Northshire children's services inspection")
        # is the lead-in naming the review, not a claim about that body
        cited_agencies = {
            a for p in own for a in (*p.agencies, *self.mentions(p.text), *self.mentions(p.review))
        }
        if not set(self.mentions(body)) <= cited_agencies:
            return "it names an agency its source does not"
        if _REVIEW_SAYS.search(body) and all(p.section in _NOT_THE_REVIEWS_WORDS for p in own):
            return "it gives an agency's words as the review's"
        named = set(self.reviews_named(body))
        if named and not named & {p.review_id for p in own}:
            return "it is about another review than its source"
        return None

    def verify(
        self, text: str, passages: list[Passage], citations: Citations | None = None
    ) -> tuple[str, Citations, list[Checked]]:
        """The reply with unsupported sentences removed and citations renumbered to the quoted
        source sentences (added to `citations`), and every sentence with why it was dropped."""
        citations = citations if citations is not None else Citations()
        kept: list[str] = []
        checked: list[Checked] = []
        for sentence in reply_sentences(text):
            numbers = citation_numbers(sentence, len(passages))
            written = strip_citations(sentence)
            body = without_answer_word(written)
            words = set(terms(body))
            if not words:
                if re.search(r"[^\W_]", written):  # words, but none a passage could carry
                    checked.append(Checked(written, "it says nothing a source could carry"))
                continue  # else markup: a rule, a bullet on its own
            if not numbers and _names_a_review(body, words, passages):
                if not _MARKER.search(sentence):
                    kept.append(body)  # a heading (a review's name): not a claim
                continue
            if not makes_a_claim(words):
                checked.append(Checked(body, "a fragment, not a claim"))
                continue
            reason = self.check(body, numbers, passages)
            # a quote stands under the passage it quotes, whatever number the model gave it:
            # a failed sentence only if one sentence there holds it, a passed one only if that
            # passage holds it clearly better than the one cited
            holder, held = self._holder(body, words, passages, run=1 if reason else 2)
            recited = holder is not None and holder not in numbers
            if recited and not reason:
                cited = _support(words, [passages[n - 1] for n in numbers])
                recited = held - cited >= CLEARLY_BETTER
            if recited:
                numbers, reason = [holder], None
            checked.append(Checked(body, reason, recited))
            if reason:
                continue
            shares = {n: _support(words, [passages[n - 1]]) for n in numbers}
            # a passage that says the sentence on its own makes the others' citations idle
            floor = SUPPORT if max(shares.values()) >= SUPPORT else OWN_SUPPORT
            own = [n for n in numbers if shares[n] >= floor]
            marks = "".join(
                f"[{_cite_best_sentence(passages[n - 1], words, citations)}]" for n in own
            )
            kept.append(f"{body} {marks}")
        joined = "\n".join(kept) if "\n" in text.strip() else " ".join(kept)
        return joined, citations, checked

    def _holder(
        self, body: str, words: set[str], passages: list[Passage], run: int
    ) -> tuple[int | None, float]:
        """The number of the passage whose run of `run` sentences holds the sentence on its
        own and passes every check, if any; and the share it holds."""
        shares = [_support(words, [p], run=run) for p in passages]
        best = max(range(len(passages)), key=shares.__getitem__, default=None)
        if best is None or shares[best] < RECITE_SUPPORT:
            return None, 0.0
        if self.check(body, [best + 1], passages) is not None:
            return None, 0.0
        return best + 1, shares[best]


def without_answer_word(body: str) -> str:
    """A sentence without a "Yes," or "No," that opens it."""
    rest = _ANSWER_WORD.sub("", body, count=1)
    return rest[:1].upper() + rest[1:] if rest != body else body


def _additions(body: str, words: set[str], own: list[Passage]) -> set[str]:
    """What a sentence says that its cited passages do not: content words outside the run of
    sentences that carries it (and the passages' labels), and addresses (URLs, e-mail, web
    domains) not printed there. Naming a passage's review, and saying that the review (or
    report, inquiry…) says it, adds nothing."""
    names = frozenset().union(*(_terms_of(p.review) for p in own))
    claim = set(words)
    lead = _LEAD_IN.match(body)
    if lead:
        who = _terms_of(lead.group("source") or lead.group("subject") or "")
        if who <= names | _SOURCES:
            claim -= _terms_of(lead.group(0))
    claim = frozenset(claim - names)
    carried = frozenset().union(*(_best_run(claim, p.text, 2) | _label_terms(p.text) for p in own))
    added = set(claim - carried)
    cited = " ".join(p.text for p in own).lower()
    added |= {a for a in _ADDRESS.findall(body) if a.lower().rstrip(".,;:") not in cited}
    return added


@lru_cache(maxsize=4096)
def _label_terms(text: str) -> frozenset[str]:
    """The words of a passage's labels and headings ("Finding 4:", "Recommendation 3b"),
    which its sentences leave out: a quote may open with them."""
    sentences = set(sentence_spans(text))
    labels = [
        text[a:b] for a, b in spans(text) if (a, b) not in sentences and (a + 2, b) not in sentences
    ]
    return frozenset().union(*(_terms_of(label) for label in labels))


def makes_a_claim(words: set[str] | list[str]) -> bool:
    """Whether a sentence's content words can say anything: a bare number or a label
    ("66.", "Recommendation 5.") cannot."""
    return sum(w.isalpha() for w in words) >= 2


def reply_sentences(text: str) -> list[str]:
    """A reply's sentences, line by line (models answer in lines: headings, bullets), each
    with its citation markers, wherever the model put them: "[1] Sentence." gives its marker
    to the sentence after it when the line starts with it, and a marker that closes a
    paragraph covers the uncited sentences before it, as a reader takes it."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        lead = re.match(r"^(?:[-*•]\s*)?((?:\s*\[[^\]]{1,20}\])+)\s*", line)
        marker = ""
        if lead and line[lead.end() :].strip():
            line, marker = line[lead.end() :], f" {lead.group(1).strip()}"
        own: list[str] = []
        for index, (a, b) in enumerate(spans(line)):
            sentence = line[a:b] + (marker if index == 0 else "")
            if own and _MARKER.fullmatch(sentence):
                own[-1] += f" {sentence.strip()}"  # "Sentence. [1]" split after the dot
            elif not own and sentences and _MARKER.fullmatch(sentence):
                sentences[-1] += f" {sentence.strip()}"  # a marker on a line of its own
            else:
                own.append(sentence)
        sentences.extend(_covered(own))
    return sentences


def _covered(sentences: list[str]) -> list[str]:
    """Each uncited sentence of a paragraph with the markers of the next cited one."""
    out = list(sentences)
    following = ""
    for index in range(len(out) - 1, -1, -1):
        markers = "".join(m.group(0).strip() for m in _MARKER.finditer(out[index]))
        if markers:
            following = markers
        elif following and terms(out[index]):
            out[index] = f"{out[index].rstrip()} {following}"
    return out


def _names_a_review(body: str, words: set[str], passages: list[Passage]) -> bool:
    """A line that only names a review ("**Child T**", "Baby R review:"): a heading the
    learning-points prompt asks for, not a claim."""
    if not is_heading(body, REPLY_HEADING):
        return False
    return any(words <= _terms_of(f"{p.review} review") for p in passages)


@lru_cache(maxsize=4096)
def _terms_of(text: str) -> frozenset[str]:
    """A text's content words, kept: every sentence of a reply is compared with the same
    passages and their sentences."""
    return frozenset(terms(text))


def _support(words: set[str], passages: list[Passage], run: int = 2) -> float:
    """The share of a sentence's claim that the passages carry, each passage by the run of
    consecutive sentences that carries most of it: a claim stitched from words scattered over
    a passage (a strategy, an event and a leaflet, each from its own sentence, joined into
    "the strategy was approved after the leaflet") is not a quote. Naming the
    passages' review is allowed but is not support: a long review name would otherwise vouch
    for whatever follows it."""
    names = frozenset().union(*(_terms_of(p.review) for p in passages))
    claim = frozenset((words - names) or words)
    carried = frozenset().union(*(_best_run(claim, p.text, run) for p in passages)) | names
    return _share(set(claim), carried)


@lru_cache(maxsize=8192)
def _best_run(claim: frozenset[str], text: str, run: int) -> frozenset[str]:
    """The words of the run of at most `run` consecutive sentences of `text` that holds most
    of `claim` (two: a faithful summary may join "It includes …" to the sentence it means)."""
    sentences = [_terms_of(text[a:b]) for a, b in sentence_spans(text)] or [_terms_of(text)]
    best: frozenset[str] = frozenset()
    for start in range(len(sentences)):
        words = frozenset().union(*sentences[start : start + run])
        if len(claim & words) > len(claim & best):
            best = words
    return best


def _share(words: set[str], source: frozenset[str]) -> float:
    return len(words & source) / len(words) if words else 0.0


def _closest_sentence(words: set[str], passages: list[Passage]) -> str:
    best, best_share = "", -1.0
    for passage in passages:
        for start, end in sentence_spans(passage.text) or [(0, len(passage.text))]:
            text = passage.text[start:end]
            share = _share(words, _terms_of(text))
            if share > best_share:
                best, best_share = text, share
    return best


def _cite_best_sentence(passage: Passage, words: set[str], citations: Citations) -> int:
    """Cite the passage's sentence that shares most words with the answer sentence."""
    candidates = sentence_spans(passage.text) or [(0, len(passage.text))]
    start, end = max(candidates, key=lambda s: len(words & _terms_of(passage.text[s[0] : s[1]])))
    return citations.cite(passage, passage.start + start, passage.start + end)
