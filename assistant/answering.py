"""Cited answers: choose the mode, retrieve, answer (extractively or with a model), or abstain.

Every sentence of an answer is a verbatim sentence of a cited passage; when the library does not
hold the answer — or the question names a review, recommendation or agency it does not have —
the answer says so plainly, with `abstained` set.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from review_assistant import answer_types
from review_assistant.commitments import COMMITMENT_WORDS, CommitmentsReport
from review_assistant.extractive import (
    Citations,
    TermWeights,
    attach_context,
    candidates,
    is_verdict,
    neighbours,
    one_review,
    quote,
    render,
    select,
    spread,
    with_opening,
)
from review_assistant.ingest import recids
from review_assistant.ingest.agencies import Gazetteer
from review_assistant.ingest.status import progress, status_of
from review_assistant.ingest.types import SectionKind
from review_assistant.listing import ListingReport
from review_assistant.models import Answer, AnswerEvent, AskRequest, Mode, Passage
from review_assistant.query import default_thesaurus
from review_assistant.scope import Scope
from review_assistant.search import Searcher, SearchPlan
from review_assistant.store.register import Register
from review_assistant.store.stores import Stores
from review_assistant.verifier import Verifier

log = logging.getLogger(__name__)

_LEARNING = re.compile(
    r"\b(learning points?|lessons?( learned| learnt)?|learning on|learning about|themes?|"
    r"what (?:can|should|must|do|did) (?:we|practitioners|trainers|staff|professionals) learn|"
    r"(?:the|any|key|main) learning|training (?:points|material))\b|[-–—:]\s*learning\b",
    re.I,
)
_ASKS_RECOMMENDATION = re.compile(
    r"\brecommend(?:ed|s|ing)?\b|\bwhat (?:is|was|does|did|says?) (?:the )?recommendation\b"
    # what a report's author asked for: "what did the inspectors want?"
    r"|\bwhat (?:did|does) (?:the )?\w+ (?:want|ask for|require)\b",
    re.I,
)
# A question asking for causes, not facts: what went wrong and why (after a topic: "X - why…")
_EXPLAIN = re.compile(
    r"(?:^|[-–—:;,]\s)\s*(?:why\b|how come\b|what went wrong\b|what (?:led|contributed) to\b"
    r"|what (?:were|was) the (?:reasons?|causes?|failings?|failures?|problems?|gaps?)\b"
    r"|how (?:was|were|did|could)\b.{0,80}\b(?:missed|happen(?:ed)?|fail(?:ed)?|overlooked)\b)",
    re.I,
)
# How findings carry causes: a reason, a consequence, or something not done
_CAUSAL = re.compile(
    r"\b(?:because|due to|as a result|result(?:ed|s)? in|led to|caused|meant that|therefore"
    r"|failed|failure|lack(?:ed|ing)?|missed|without|not|no|never|unaware|despite|insufficient"
    r"|inadequate|limited|excessive(?:ly)?|overwhelm(?:s|ed|ing)?)\b|n['’]t\b",
    re.I,
)
# A cause said outright, not only a failing: a reason, or what one thing did to another
_REASON = re.compile(
    r"\b(?:because|due to|owing to|as a result of|caused by|result(?:ed|s|ing)? in|led to"
    r"|leads? to|mean(?:s|t) that|which means|prevent(?:s|ed|ing)?|limit(?:s|ed)?|hinder(?:s|ed)?"
    r"|compound(?:s|ed)?|contribut(?:es|ed) to|stem(?:s|med|ming)? from|aris(?:es|ing) from"
    r"|driven by)\b",
    re.I,
)
# The share of a why-question's terms a sentence holding its premise covers
_RESTATES = 0.75
# A question that surveys the reviews ("anything on X?"), not one about a case
_SURVEY = re.compile(
    r"^\s*(?:is there\s+)?anything\b|\bwhat do (?:the )?(?:reviews|documents) say\b"
    r"|\bacross (?:the |all )?reviews\b",
    re.I,
)
# A trainer who asks what agencies did wants actions among the learning points
_ASKS_ACTIONS = re.compile(r"\b(?:actions?|did|done|changes? made|implemented|response)\b", re.I)
# How training is reported: its events, counts, circulars and funding, not its lesson
_LOGISTICS = re.compile(
    r"\b(?:attend(?:ed|ees?|ance)|participants?|delegates?|cascaded|rolled out|webinars?"
    r"|workshops?|seminars?|bulletins?|newsletters?|briefings?|business case|e-?learning"
    r"|(?:courses?|sessions?|events?|training) (?:(?:has|have) been|was|were|is|are) "
    r"(?:held|delivered|run|provided|commissioned|attended|offered|planned)|fully subscribed)\b",
    re.I,
)
# How a lesson is worded: what practitioners should recognise, do or avoid
_LESSON = re.compile(
    r"\b(?:should|need(?:s|ed)? to|must|important|learn(?:ing|t)?|lessons?|recognis|"
    r"understand|consider)\w*",
    re.I,
)
# A question on a responder's position ("did the government agree to…", "has the council
# decided…", "what did the trust say about…", "the government's response on…"): who is asked
# about, then what they did. Whether `who` is a responder, not an author, is the gazetteer's
_ASKS_REPLY = re.compile(
    r"\b(?:did|does|do|has|have|had|will|is|are|was|were)\s+(?:the\s+)?"
    r"(?P<who>[\w'’&-]+(?:\s+[\w'’&-]+){0,4}?)\s+(?:(?:already|actually|now|yet|ever)\s+)?"
    r"(?:agree|accept|reject|decide|respond|repl(?:y|ie)|say|said|commit|support|plan|propos"
    r"|promis|intend|do\b|doing|done|go(?:ing)? to)\w*"
    r"|\b(?P<owner>[\w'’&-]+(?:\s+[\w'’&-]+){0,3}?)['’]s?\s+(?:response|reply|position|decision)\b",
    re.I,
)
# How much a sentence giving the kind of answer asked for (a time, a number) outranks one
# that does not
_FITS_BONUS = 0.2
# How much a responder's own sentence outranks the report's account of the same subject
_REPLY_BONUS = 0.3
NOT_ANSWERED = "The review documents in the library do not answer this question."


@dataclass
class Thresholds:
    """Relevance = best passage similarity + half the best sentence's coverage of the question.

    Calibrated on benchmarks/questions.jsonl and unanswerable.jsonl: every answerable question
    that reaches this check scored at least 0.85, and every unanswerable one that names nothing
    missing at most 0.765; the threshold sits between the two.
    """

    relevance: float = 0.80


class _LibraryWeights(TermWeights):
    """The library's term weights with the document frequencies the keyword index holds
    (Register.document_frequencies), each read when a term is first weighed: a change to the
    library no longer means reading and stemming every passage again."""

    def __init__(self, register: Register) -> None:  # TermWeights' counts, from the index
        self._register = register
        self._total = max(register.count_chunks(), 1)
        self._df: dict[str, int] = {}

    def __call__(self, term: str) -> float:
        if term not in self._df:
            self._df.update(self._register.document_frequencies([term]))
        return super().__call__(term)


def infer_mode(question: str) -> Mode:
    if _LEARNING.search(question):
        return Mode.learning_points
    if COMMITMENT_WORDS.search(question):
        return Mode.commitments
    return Mode.question


class Assistant:
    def __init__(
        self,
        stores: Stores,
        generator=None,
        thresholds: Thresholds | None = None,
        candidates: int = 30,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.stores = stores
        self.searcher = Searcher(stores, candidates=candidates, gazetteer=gazetteer)
        self.commitments = CommitmentsReport(self.searcher)
        self.scope = Scope(self.searcher, stores.register)
        self.listing = ListingReport(self.searcher)
        self.generator = generator
        self.thresholds = thresholds or Thresholds()
        self._weights: TermWeights | None = None
        self._weights_generation = -1

    def _term_weights(self) -> TermWeights:
        generation = self.stores.register.generation()
        if self._weights is None or generation != self._weights_generation:
            self._weights = _LibraryWeights(self.stores.register)
            self._weights_generation = generation
        return self._weights

    # -- entry points -----------------------------------------------------------------------
    def ask(self, request: AskRequest) -> Answer:
        final: Answer | None = None
        for event in self.stream(request):
            final = event.answer or final
        assert final is not None  # a stream always ends with its answer
        return final

    def stream(self, request: AskRequest) -> Iterator[AnswerEvent]:
        """The answer as it is written: a model's verified sentences one by one, then the whole
        answer (at once when no model is configured)."""
        prepared = self._prepare(request)
        if isinstance(prepared, Answer):
            yield AnswerEvent(kind="answer", answer=prepared)
            return
        question, mode, passages, extractive = prepared
        if self.generator is None:
            yield AnswerEvent(kind="answer", answer=extractive)
            return
        yield from self.generator.stream(question, mode, passages, extractive, self.verifier)

    @property
    def verifier(self) -> Verifier:
        return Verifier(
            mentions=self.searcher.gazetteer.mentions,
            reviews_named=self.searcher.review_ids,
        )

    def _prepare(self, request: AskRequest) -> Answer | tuple[str, Mode, list[Passage], Answer]:
        """A finished answer (an abstention, a commitments report), or what an answerer needs:
        the question as searched, the mode, the passages and the extractive answer."""
        mode = request.mode or infer_mode(request.question)
        plan = self.searcher.plan(request.question, request.filters)
        if (
            mode == Mode.question
            and not request.mode
            and self.commitments.wanted(request.question, plan)
        ):
            mode = Mode.commitments  # a named recommendation's when, agency or part: register
        missing = self._missing_entity(request, plan)
        if missing:
            return Answer(answer=missing, abstained=True, mode=mode)
        # what the question is about, checked against the reviews it names before anything
        # near is quoted (a commitments report reads the register, not the subject)
        scoped = None if mode == Mode.commitments else self.scope.answer(request.question, plan)
        if scoped is not None:
            return scoped.model_copy(update={"mode": mode})
        listed = None if request.mode else self.listing.answer(request.question, plan)
        if listed is not None:
            return listed  # "list the board's recommendations": from the register
        replying = mode == Mode.question and _asks_reply(request.question, self.searcher)
        if mode == Mode.commitments:
            answer = self.commitments.answer(plan)
            if answer is not None:
                return answer
            mode, replying = Mode.question, True  # neither a recommendation nor an agency
        if replying:
            # a recommendation named by its subject ("did the government agree to set up a
            # task force?"): its report, the reply with it
            answer = self.commitments.about_subject(request.question, plan)
            if answer is not None:
                return answer
        question, k = request.question, 6
        if mode == Mode.learning_points:
            k = 40  # a theme runs through many reviews: 20 passages left their own lessons out
            # "learning points on X", "X - what's the learning?": X is the theme, the question's
            # subject (an agency it names is part of the theme: "lessons for housing
            # associations"); the asking words and the review named would match noise
            theme = self.scope.subject(question, agencies=True)
            question = theme.phrase if theme is not None else question
        passages = self.searcher.run(plan, k, query=question).passages
        if replying:
            # the report's account of a subject outscores the reply's few words on it; the
            # reply is what the question asks for, so its passages are searched for apart
            replies = self.searcher.run(plan, 3, query=question, sections=_REPLY_SECTIONS)
            seen = {p.chunk_id for p in passages}
            passages += [p for p in replies.passages if p.chunk_id not in seen]
        # within a review the question names, its name says nothing about which sentence answers
        topic = self.searcher.topic(question)
        variants = default_thesaurus().variants(topic)
        if not plan.review_ids or not topic.strip():
            variants = [question, *variants[1:]]
        found = candidates(question, passages, self._term_weights(), variants)
        answered = self._answered_by_named(request.question)
        if answered:
            # "hampshire police - are safe and well checks still a thing?" is about the reviews
            # that body answered, not another area's inspection on the same subject
            found = [c for c in found if c.passage.review_id in answered] or found
        attach_context(found, neighbours(self.stores.register))
        explain = bool(_EXPLAIN.search(question))
        if explain:
            _prefer_causes(found)
        if mode == Mode.learning_points and not _ASKS_ACTIONS.search(request.question):
            _prefer_lessons(found, self.searcher.gazetteer)
        if replying:
            for candidate in found:
                if candidate.passage.section in _REPLY_SECTIONS:
                    candidate.score += _REPLY_BONUS
        gives = answer_types.asked(request.question)
        for candidate in found if gives is not None else ():
            if gives(candidate.text):
                candidate.score += _FITS_BONUS
        if _ASKS_RECOMMENDATION.search(question):
            # "what did the review recommend": the recommendation's own words come first
            for candidate in found:
                if candidate.passage.section == SectionKind.recommendation:
                    candidate.score += 0.5
        # a recommendation the question names is relevant by definition; so are the causes a
        # review it names gives
        named_causes = explain and bool(plan.review_ids) and any(c.causal for c in found)
        if not passages or not (
            plan.rec_keys
            or named_causes
            or self._relevant(passages, found)
            or self.scope.present_in_named(request.question, plan)
        ):
            looked_for = self.scope.looked_for(request.question, plan)
            return Answer(answer=NOT_ANSWERED + looked_for, abstained=True, mode=mode)
        survey = bool(_SURVEY.search(request.question))
        return question, mode, passages, self._extractive(mode, found, explain, survey)

    # -- abstention -------------------------------------------------------------------------
    def _relevant(self, passages: list[Passage], found) -> bool:
        best_similarity = max((p.similarity or 0.0) for p in passages)
        best_coverage = max((c.reach for c in found), default=0.0)
        return best_similarity + 0.5 * best_coverage >= self.thresholds.relevance

    def _missing_entity(self, request: AskRequest, plan: SearchPlan) -> str | None:
        """A plain statement when the question names something the library does not have."""
        reviews = self.searcher.reviews()
        names = ", ".join(r.name for r in reviews)
        if plan.unknown_review or not plan.review_ids:
            asked = plan.unknown_review or self.searcher.named_review(request.question)
            if asked:
                return (
                    f"There is no review called “{asked}” in the library. "
                    f"The library holds: {names}."
                )
        if plan.rec_id and not plan.rec_keys:
            asked = [r for r in reviews if not plan.review_ids or r.id in plan.review_ids]
            doubtful = [r for r in asked if r.doubtful]
            if doubtful:
                # a register that may have missed it cannot say it does not exist; the
                # passages can, when none of them names it either
                if self._named_in_passages(plan.rec_id, [r.id for r in asked]):
                    return None
                problems = "; ".join(p for r in doubtful for p in r.problems)
                where = " or ".join(r.name for r in asked) if plan.review_ids else "the library"
                return (
                    f"Recommendation {plan.rec_id} could not be found in {where}: the register "
                    f"read from it does not list it, and no passage names it. The register may "
                    f"be incomplete ({problems}), so this does not show that it does not exist."
                )
            if len(plan.review_ids) == 1:
                review = next(r for r in reviews if r.id == plan.review_ids[0])
                ids = [r.rec_id for r in self.stores.register.recommendations(review.id)]
                span = f"{ids[0]}–{ids[-1]}" if len(ids) > 1 else (ids[0] if ids else "none")
                return (
                    f"The {review.name} review has recommendations {span}; "
                    f"there is no recommendation {plan.rec_id}."
                )
            return f"No review in the library has a recommendation {plan.rec_id}."
        if plan.unknown_agency:
            return f"No passage in the library is attributed to {plan.unknown_agency}."
        return None

    def _answered_by_named(self, question: str) -> set[str]:
        """The reviews whose recommendations a body the question names by its own name (not
        a role's word: "Hampshire Police", not "the police") answered."""
        gazetteer = self.searcher.library_gazetteer
        named = {
            name
            for _, _, name in gazetteer.find_all(question)
            if name in gazetteer.agencies and not gazetteer.agencies[name].role
        }
        register = self.stores.register
        return {r.review_id for name in named for r in register.responses_of(name)}

    def _replies_to_quoted(self, chosen, citations: Citations) -> list[str]:
        """A recommendation's words answering a question ("is info shared between the
        schools?" – "It is recommended that a formal procedure is developed…") are half the
        answer: what was done about it follows, where no chosen sentence already says."""
        best = max(chosen, key=lambda c: c.score, default=None)
        if best is None or best.passage.section != SectionKind.recommendation:
            return []
        key, review_id = best.passage.recommendation, best.passage.review_id
        if not key or any(
            c.passage.section in _REPLY_SECTIONS and c.passage.recommendation == key for c in chosen
        ):
            return []
        return self.commitments.replies(review_id, key, citations)

    def _named_in_passages(self, rec_id: str, review_ids: list[str]) -> bool:
        register = self.stores.register
        hits = register.keyword_search(f"recommendation {rec_id}", 40, {"review_id": review_ids})
        chunks = register.chunks_by_id([chunk_id for chunk_id, _ in hits])
        return any(rec_id in recids.referenced(chunk.text) for chunk in chunks.values())

    # -- modes ------------------------------------------------------------------------------
    def _extractive(self, mode: Mode, found, explain: bool = False, survey: bool = False) -> Answer:
        citations = Citations()
        if mode == Mode.learning_points:
            found = [c for c in found if not c.action] or found
            # a point names the whole theme (in one of its names); only when too few do,
            # points that name part of it are taken
            # a trainer asking about one review wants all its lessons, not three
            per_review = 8 if len({c.passage.review for c in found}) == 1 else 3
            chosen = spread(found, limit=8, per_review=per_review, floor=0.5, min_coverage=0.99)
            if len(chosen) < 2:
                chosen = spread(found, limit=8, per_review=per_review, floor=0.5, min_coverage=0.34)
            if not chosen:
                return Answer(answer=NOT_ANSWERED, abstained=True, mode=mode)
            for c in chosen:
                with_opening(c)
            lines, said = [], set()
            for review in dict.fromkeys(c.passage.review for c in chosen):
                lines.append(f"**{review}**")
                for c in sorted(
                    (c for c in chosen if c.passage.review == review),
                    key=lambda c: (c.rank, c.start),
                ):
                    point = quote(c, citations, said)
                    if point:
                        lines.append(f"- {point}")
            text = "\n".join(lines)
        elif explain:
            # causes read best as a paragraph in the review's own order
            chosen = select([c for c in found if c.causal] or found, limit=4, floor=0.6)
            for c in chosen:
                c.follows.clear()  # what followed is no cause
            if chosen and chosen[0].after and chosen[0].text.rstrip().endswith(":"):
                # the review's own list of reasons ("…is inadequate because:") answers; only
                # what scores near it joins
                chosen = [c for c in chosen if c.score >= 0.9 * chosen[0].score]
            text = render(chosen, citations, document_order=True)
        else:
            chosen = select(found, limit=3)
            chosen = chosen if survey else one_review(chosen)
            text = render(chosen, citations)
            text = "\n".join([text, *self._replies_to_quoted(chosen, citations)])
        return Answer(answer=text, citations=citations.items, mode=mode, answerer="extractive")


_REPLY_SECTIONS = (SectionKind.response, SectionKind.progress)


def _asks_reply(question: str, searcher: Searcher) -> bool:
    """Whether a question asks what a responding body said, decided or did: one the
    gazetteer takes for a responder (the government, a council, the police), not a report's
    author ("what did Ofsted say…")."""
    gazetteer = searcher.library_gazetteer
    for match in _ASKS_REPLY.finditer(question):
        who = match.group("who") or match.group("owner")
        bodies = gazetteer.mentions(who) or gazetteer.resolve_all(who)
        if bodies:
            if any(gazetteer.is_responder(b) for b in bodies):
                return True
        elif gazetteer.categories_in(who):
            return True
    return False


def _prefer_lessons(found, gazetteer: Gazetteer) -> None:
    """For learning points: what reviews found and recommend, worded as lessons, rank first;
    what an agency reports doing is marked, to be left out while lessons remain (a trainer
    teaches the lesson, not the business case, the attendance figures or the bulletin), and a
    judgement's banner or a grade's definition is no lesson."""
    bonus = {SectionKind.finding: 0.25, SectionKind.recommendation: 0.15}
    for candidate in found:
        lesson = bool(_LESSON.search(candidate.text))
        candidate.score += bonus.get(candidate.passage.section, 0.0) + (0.1 if lesson else 0.0)
        if is_verdict(candidate.text):
            candidate.score -= 1.0
        if candidate.passage.section in bonus:
            continue  # what a review found or recommends is its lesson, however it is worded
        # an account of what was done or will be, wherever it sits (a response also restates
        # what the review found, and that part is a lesson), or an agency's account of itself
        # ("Northshire NHS Trust delivers…"), or of the training it ran
        candidate.action = (
            progress(status_of(candidate.text)) != "not stated"
            or bool(_LOGISTICS.search(candidate.text))
            or (not lesson and gazetteer.opening_agency(candidate.text) is not None)
        )


def _prefer_causes(found) -> None:
    """For a why-question: sentences that give a cause or a failing, from findings and
    accounts of the case, rank above agencies' actions, which say what changed after; a
    sentence that states the effect with its cause before it ("…therefore…", "This meant…")
    ranks higher still, and a judgement's banner or a grade's definition, which only restate
    what is asked about, never answers."""
    for candidate in found:
        if is_verdict(candidate.text):
            candidate.causal = False
            candidate.score -= 1.0
            continue
        text = candidate.full_text
        reason = bool(_REASON.search(text))
        # a reason said outright is a cause ("caseloads are high, which prevents visits"); a
        # consequence of the sentence before ("This means…") gives its cause only with a failing
        candidate.causal = bool(_CAUSAL.search(text)) or (reason and not candidate.consequence)
        if candidate.passage.section == SectionKind.recommendation and not reason:
            # a recommendation says what should change; its "not" ("even if the criteria are
            # not met") is a condition of the remedy, no failing that explains anything
            candidate.causal = False
        if candidate.causal and candidate.passage.section != SectionKind.response:
            candidate.score += 0.3 + (0.15 if reason else 0.0)
            if candidate.consequence and candidate.coverage > 0:
                candidate.score += 0.2
        elif candidate.passage.section == SectionKind.response:
            candidate.score -= 0.2
        if candidate.coverage >= _RESTATES and not (reason or candidate.consequence):
            # nearly the whole question in one sentence, and no reason: the question's premise
            # as the document states it ("children are not seen often enough"), not its cause
            candidate.score -= 0.3
