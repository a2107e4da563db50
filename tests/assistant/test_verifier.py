"""The verifier against an adversarial set built from the samples' own sentences.

Each unfaithful sentence is a real sentence of a passage changed in one way that changes its
meaning (a negation added or removed, a number changed, an agency swapped, its modality
dropped, or said of another review) and cited to that passage. Faithful ones are the same
sentences, verbatim or with a lead-in. The verifier must reject every unfaithful sentence and
keep at least 90 % of the faithful ones.
"""

from __future__ import annotations

import re

import pytest

from review_assistant.answering import Assistant
from review_assistant.generative import GenerativeAnswerer
from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.ingest.sentences import sentence_spans
from review_assistant.ingest.types import SectionKind
from review_assistant.models import Answer, Mode, Passage
from review_assistant.settings import Settings
from review_assistant.verifier import (
    Verifier,
    citation_numbers,
    reply_sentences,
    strip_citations,
    without_answer_word,
)
from tests.support.fake_llm import FakeLLM
from tests.support.samples import SAMPLE_AGENCIES

_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|should|can|must|did|does)\b")
_MODALS = re.compile(
    r"\b(?:should|will|shall|may|might|could|must|needs? to|ought to|consider(?:s|ed)?|"
    r"whether|would)\s+"  # lower case: "May" capitalised is more often the month
)
_DIGITS = re.compile(r"\b\d+\b")
PER_KIND = 40


@pytest.fixture(scope="module")
def library(sample_stores):
    gazetteer = load_gazetteer(SAMPLE_AGENCIES)
    assistant = Assistant(sample_stores, gazetteer=gazetteer)
    passages = [Passage.from_chunk(c, score=1.0) for c in sample_stores.register.all_chunks()]
    sentences = [
        (p, p.text[a:b])
        for p in passages
        for a, b in sentence_spans(p.text)
        if 8 <= len(p.text[a:b].split()) <= 45 and "\n" not in p.text[a:b].strip()
    ]
    return assistant.verifier, gazetteer, passages, sentences


def _negated(sentence: str) -> str | None:
    if re.search(r"\bnot\b", sentence):
        return re.sub(r"\bnot\s+", "", sentence, count=1)
    if re.search(r"\b(?:no|never|without|cannot|unable)\b|n't", sentence):
        return None
    match = _AUX.search(sentence)
    return f"{sentence[: match.end()]} not{sentence[match.end() :]}" if match else None


def _renumbered(sentence: str, passage: Passage) -> str | None:
    match = _DIGITS.search(sentence)
    if not match:
        return None
    present = set(_DIGITS.findall(passage.text))
    number = int(match.group()) + 7
    while str(number) in present:
        number += 7
    return f"{sentence[: match.start()]}{number}{sentence[match.end() :]}"


def _swapped(sentence: str, passage: Passage, gazetteer) -> str | None:
    found = gazetteer.find_all(sentence)
    if not found:
        return None
    start, end, _ = found[0]
    named = set(passage.agencies) | set(gazetteer.mentions(passage.text))
    other = next(name for name in sorted(gazetteer.agencies) if name not in named)
    return f"{sentence[:start]}{other}{sentence[end:]}"


def _stated_as_fact(sentence: str) -> str | None:
    if not _MODALS.search(sentence):
        return None
    plain = _MODALS.sub("", sentence)
    if re.search(r"\b(?:recommend|advis|plan|intend|required|need)", plain, re.I):
        return None  # still hedged in other words: not a clean test of this check
    return plain


def _other_review(sentence: str, passage: Passage, passages: list[Passage]) -> str | None:
    other = next((p for p in passages if p.review_id != passage.review_id), None)
    return f"In the {other.review} review, {sentence[0].lower()}{sentence[1:]}" if other else None


def _cases(library):
    verifier, gazetteer, passages, sentences = library
    perturb = {
        "negation": lambda s, p: _negated(s),
        "number": _renumbered,
        "agency": lambda s, p: _swapped(s, p, gazetteer),
        "modality": lambda s, p: _stated_as_fact(s),
        "review": lambda s, p: _other_review(s, p, passages),
    }
    unfaithful: dict[str, list[tuple[str, Passage]]] = {kind: [] for kind in perturb}
    for passage, sentence in sentences:
        for kind, change in perturb.items():
            if len(unfaithful[kind]) < PER_KIND and (changed := change(sentence, passage)):
                unfaithful[kind].append((changed, passage))
    faithful = [(s, p) for p, s in sentences[: PER_KIND * 2]]
    faithful += [
        (f"According to the {p.review} review, {s[0].lower()}{s[1:]}", p)
        for p, s in sentences[PER_KIND * 2 : PER_KIND * 3]
    ]
    return verifier, unfaithful, faithful


def _kept(verifier: Verifier, sentence: str, passage: Passage, others: list[Passage]) -> bool:
    return verifier.check(sentence, [1], [passage, *others]) is None


def test_every_unfaithful_sentence_is_rejected_and_faithful_ones_kept(library):
    verifier, unfaithful, faithful = _cases(library)
    others = library[2][:2]
    for kind, cases in unfaithful.items():
        assert len(cases) >= 10, f"too few {kind} cases to mean anything"
        passed = [s for s, p in cases if _kept(verifier, s, p, others)]
        assert passed == [], f"{kind}: {len(passed)} of {len(cases)} unfaithful kept"
    kept = sum(_kept(verifier, s, p, others) for s, p in faithful)
    assert kept / len(faithful) >= 0.9, f"{kept} of {len(faithful)} faithful kept"


def test_a_misnumbered_or_uncited_sentence_is_recited_only_when_faithful(library):
    """Small models give a quote another passage's number, or none: such a sentence is kept
    under the passage that holds it only if it passes every check against that passage."""
    verifier, unfaithful, faithful = _cases(library)
    passages = library[2]

    def decoy(passage: Passage) -> Passage:
        return next(p for p in passages if p.review_id != passage.review_id)

    for kind, cases in unfaithful.items():
        for sentence, passage in cases:
            for marks in (" [1]", ""):
                text, _, _ = verifier.verify(f"{sentence}{marks}", [decoy(passage), passage])
                assert text == "", f"{kind}: {sentence!r} kept as {text!r}"
    recited = 0
    for sentence, passage in faithful:
        text, citations, checked = verifier.verify(f"{sentence} [1]", [decoy(passage), passage])
        if text:
            assert [c.chunk_id for c in citations.items] == [passage.chunk_id]
            assert all(c.recited for c in checked)
            recited += 1
    assert recited / len(faithful) >= 0.9, f"{recited} of {len(faithful)} faithful recited"


def test_a_paragraph_citation_covers_its_sentences_and_framing_is_not_the_claim():
    text = "First claim here. Second claim there [2].\nThe passage [3] states that a third holds."
    assert reply_sentences(text) == [
        "First claim here. [2]",
        "Second claim there [2].",
        "The passage [3] states that a third holds.",
    ]
    assert strip_citations("The passage [3] also states that a third holds.") == "A third holds."
    assert strip_citations("According to passage 2, the plan was agreed [2].") == (
        "The plan was agreed."
    )


def test_a_sentence_cited_to_passages_that_do_not_carry_it_loses_those_citations(library):
    verifier, _, passages, sentences = library
    passage, sentence = sentences[0]
    unrelated = next(p for p in passages if p.review_id != passage.review_id)
    text, citations, _ = verifier.verify(f"{sentence} [1][2]", [passage, unrelated])
    assert text.endswith("[1]") and [c.chunk_id for c in citations.items] == [passage.chunk_id]


def test_citation_styles():
    assert citation_numbers("x [2][3]", 5) == [2, 3]
    assert citation_numbers("x [1, 4]", 5) == [1, 4]
    assert citation_numbers("x [2-4]", 5) == [2, 3, 4]
    assert citation_numbers("x (passage 3)", 5) == [3]
    assert citation_numbers("x [Source 2]", 5) == [2]
    assert citation_numbers("x [9]", 5) == []
    assert reply_sentences("[1] First claim. Second claim.\n- [2] A bullet.") == [
        "First claim. [1]",
        "Second claim.",
        "A bullet. [2]",
    ]


def _passage(n: int, text: str, section: SectionKind = SectionKind.finding) -> Passage:
    return Passage(
        chunk_id=f"c{n}", text=text, document="d.pdf", title="A review", review="Review A",
        review_id="review-a", section=section, page=1, page_end=1, start=0, end=len(text),
        score=1.0,
    )  # fmt: skip


# A made-up passage of the genre: an action plan's update, one fact to a sentence.
PLAN = (
    "The borough drafted a neglect strategy in spring. "
    "A launch event for practitioners was held in the autumn. "
    "Attendance figures were collected by the training team. "
    "A leaflet for parents was printed and sent to every primary school."
)


def test_a_claim_stitched_from_distant_sentences_is_not_a_quote():
    verifier = Verifier()
    stitched = "The neglect strategy was approved by parents after the leaflet was printed [1]."
    summary = "A launch event for practitioners was held and attendance figures collected [1]."
    assert verifier.verify(stitched, [_passage(1, PLAN)])[0] == ""
    assert verifier.verify(summary, [_passage(1, PLAN)])[0].startswith("A launch event")


def test_an_agency_response_cannot_vouch_for_what_the_review_found():
    verifier = Verifier()
    response = _passage(1, PLAN, SectionKind.response)
    finding = _passage(1, PLAN, SectionKind.finding)
    claim = "The review found that a leaflet for parents was sent to every primary school [1]."
    assert verifier.verify(claim, [response])[0] == ""
    assert verifier.verify(claim, [finding])[0].startswith("The review found")


def test_idle_co_citations_and_fragments_are_dropped():
    verifier = Verifier()
    quoted, other = _passage(1, PLAN), _passage(2, "A leaflet was sent to schools in the county.")
    text, citations, _ = verifier.verify(
        "A leaflet for parents was printed and sent to every primary school [1][2]. 66. [2]",
        [quoted, other],
    )
    assert [c.chunk_id for c in citations.items] == ["c1"] and "66" not in text


# A made-up passage of the genre: a practitioner's contact with a baby, its label and an address.
VISITS = (
    "Finding 4:\n\n"
    "The health visitor saw the baby at home on each planned visit. "
    "The baby was not seen by a GP after the birth. "
    "Parents can read the leaflet at www.northshire.example/leaflet."
)
QUOTE = "The health visitor saw the baby at home on each planned visit"


def test_a_sentence_with_nothing_to_check_never_reaches_an_answer():
    """A reply such as "No, it was not." says nothing a passage could carry, cited or not; a
    "Yes," or "No," opening a claim answers the question, which no passage vouches for: it is
    left off and the claim checked."""
    verifier = Verifier()
    visits = [_passage(1, VISITS)]
    for reply in ("No, it was not.", "They did.", "Yes.", "No, it was not [1].", "It was [1]."):
        text, _, checked = verifier.verify(reply, visits)
        assert text == "" and [c.reason for c in checked] == [
            "it says nothing a source could carry"
        ], reply
    text, _, _ = verifier.verify(f"No, it was not. {QUOTE} [1].", visits)
    assert text == f"{QUOTE}. [1]"
    text, _, _ = verifier.verify(f"Yes, {QUOTE[0].lower()}{QUOTE[1:]} [1].", visits)
    assert text == f"{QUOTE}. [1]"
    for claim in ("No-one saw the baby.", "No agency shared the plan.", "Nobody visited."):
        assert without_answer_word(claim) == claim  # "no" that is part of the claim stays
    assert without_answer_word("No – the baby was seen.") == "The baby was seen."
    text, _, checked = verifier.verify("---", visits)
    assert text == "" and checked == []  # markup: nothing said, nothing dropped


def test_words_added_to_a_true_quote_fail_it():
    """A quote that adds a few words of its own (an address, a name, a conclusion) says more
    than its source: every content word and address must be in the cited run."""
    verifier = Verifier()
    visits = [_passage(1, VISITS)]
    assert verifier.verify(f"{QUOTE} [1].", visits)[0] == f"{QUOTE}. [1]"
    for added in (
        ", see evil.example",
        " and no agency failed",
        ", as the police confirmed",
        " with Dr Jane Marsh",
        " (details at help@evil.example)",
        ", see the baby's home",  # every word in the passage, but not in the quoted run
    ):
        text, _, checked = verifier.verify(f"{QUOTE}{added} [1].", visits)
        assert text == "", added
    # an address whose words the passage holds, but not the address
    text, _, checked = verifier.verify(
        "Parents can read the leaflet at www.leaflet.example/northshire [1].", visits
    )
    assert text == "" and checked[0].reason == "it adds words its source does not carry"
    # what a faithful sentence may add: its source's label, the address it prints, whose
    # words they are
    for faithful in (
        f"Finding 4: {QUOTE} [1].",
        "Parents can read the leaflet at www.northshire.example/leaflet [1].",
        f"The review found that {QUOTE[0].lower()}{QUOTE[1:]} [1].",
        f"According to the Review A review, {QUOTE[0].lower()}{QUOTE[1:]} [1].",
    ):
        assert verifier.verify(faithful, visits)[0], faithful
    # whose words they are, from someone the passage does not name, is an addition
    assert (
        verifier.verify(f"The mother said that {QUOTE[0].lower()}{QUOTE[1:]} [1].", visits)[0] == ""
    )


def test_a_model_answering_no_keeps_only_what_its_passages_say():
    """For "was the baby at risk?" a reply opening "No, it was not." gives the question's answer
    as the model's own: the answer holds only the verified quote, and its note says why."""
    fallback = Answer(answer="the extractive answer", mode=Mode.question)
    visits = [_passage(1, VISITS)]
    with FakeLLM() as server:
        generator = GenerativeAnswerer(Settings(LLM_BASE_URL=server.url, LLM_TIMEOUT=5.0).llm)
        server.reply = f"No, it was not. {QUOTE} [1]."
        events = list(
            generator.stream("was the baby at risk?", Mode.question, visits, fallback, Verifier())
        )
        final = events[-1].answer
        assert final.answerer == "llm" and final.answer == f"{QUOTE}. [1]"
        assert "it says nothing a source could carry" in (final.note or "")
        server.reply = "No, it was not."
        final = list(
            generator.stream("was the baby at risk?", Mode.question, visits, fallback, Verifier())
        )[-1].answer
        assert final.answer == "the extractive answer" and "nothing a source" in final.note
