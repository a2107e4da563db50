"""Cited answers: choose the mode, retrieve, answer (extractively or with a model), or abstain.

Every sentence of an answer is a verbatim sentence of a cited passage; when the library does not
hold the answer — or the question names a review, recommendation or agency it does not have —
the answer says so plainly, with `abstained` set.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from assistant.extractive import Citations, TermWeights, candidates, render, select
from assistant.models import Answer, Mode, Passage, SectionKind
from assistant.query import default_thesaurus
from assistant.search import Searcher, SearchPlan, SearchRequest
from assistant.sentences import sentence_spans, terms, tidy
from ingest.agencies import default_gazetteer
from store.stores import Stores

log = logging.getLogger(__name__)

_LEARNING = re.compile(
    r"\b(learning points?|lessons?( learned| learnt)?|learning on|learning about|themes?|"
    r"what can (?:we|practitioners|trainers) learn|training (?:points|material))\b",
    re.I,
)
_COMMITMENTS = re.compile(
    r"\b(commit(?:ted|ments?)?|promised?|agreed to|status|progress|deadlines?|by when|"
    r"(?:which|what) agenc(?:y|ies)|who (?:responded|replied|answered)|respon(?:ded|ses?) to|"
    r"what (?:did|has|have|will) .{0,60}\b(?:do|done|doing|agree|promise|commit)|"
    r"who (?:will|is|was) responsible|actions? (?:taken|agreed))\b",
    re.I,
)
_ASKS_RECOMMENDATION = re.compile(
    r"\brecommend(?:ed|s|ing)?\b|\bwhat (?:is|was|does|did|says?) (?:the )?recommendation\b", re.I
)
_CHILD_NAME = re.compile(r"\b(?:Child|Baby)\s+[A-Z]\b")
_NAMED_REVIEW = re.compile(
    r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:serious case |safeguarding practice |thematic )?"
    r"(?:review|SCR|CSPR)\b"
)
_NOT_NAMES = {
    "Serious", "Case", "Thematic", "Practice", "The", "This", "That", "Which", "Each", "Learning",
    "Safeguarding", "Child", "Independent", "Local", "National", "What", "Any", "Every", "Whole",
    "Government", "Department", "Partnership", "Board", "Police", "Council", "Annual", "Audit",
    "Internal", "Policy", "Strategic", "Multi", "Agency", "Management", "Quality", "Spending",
}  # fmt: skip


@dataclass
class AskRequest:
    question: str
    mode: Mode | None = None
    review: str | None = None
    agency: str | None = None
    recommendation: str | None = None


@dataclass
class Thresholds:
    """Relevance = best passage similarity + half the best sentence's coverage of the question.

    Calibrated on benchmarks/questions.jsonl and unanswerable.jsonl: every answerable question
    that reaches this check scored at least 0.85, and every unanswerable one that names nothing
    missing at most 0.765; the threshold sits between the two.
    """

    relevance: float = 0.80


def infer_mode(question: str) -> Mode:
    if _LEARNING.search(question):
        return Mode.learning_points
    if _COMMITMENTS.search(question):
        return Mode.commitments
    return Mode.question


class Assistant:
    def __init__(self, stores: Stores, generator=None, thresholds: Thresholds | None = None):
        self.stores = stores
        self.searcher = Searcher(stores)
        self.generator = generator
        self.thresholds = thresholds or Thresholds()
        self._weights: TermWeights | None = None
        self._weights_generation = -1

    def _term_weights(self) -> TermWeights:
        generation = self.stores.register.generation()
        if self._weights is None or generation != self._weights_generation:
            self._weights = TermWeights([c.text for c in self.stores.register.all_chunks()])
            self._weights_generation = generation
        return self._weights

    # -- entry point ------------------------------------------------------------------------
    def ask(self, request: AskRequest) -> Answer:
        mode = request.mode or infer_mode(request.question)
        search = SearchRequest(
            request.question,
            k=6,
            review=request.review,
            agency=request.agency,
            recommendation=request.recommendation,
        )
        plan = self.searcher.plan(search)
        missing = self._missing_entity(request, plan)
        if missing:
            return Answer(answer=missing, abstained=True, mode=mode)
        if mode == Mode.commitments:
            answer = self._commitments(plan)
            if answer is not None:
                return answer
            mode = Mode.question  # neither a recommendation nor an agency to report on
        question = request.question
        if mode == Mode.learning_points:
            search.k = 20
            # "learning points on X": X is the theme; the mode's own words would match noise
            theme = " ".join(_LEARNING.sub(" ", question).split()).strip(" ?.")
            theme = re.sub(r"^(?:on|about|for|around|re|regarding)\s+", "", theme, flags=re.I)
            if theme:
                question = search.query = theme
        passages = self.searcher.run(search, plan)
        found = candidates(
            question, passages, self._term_weights(), default_thesaurus().variants(question)
        )
        if _ASKS_RECOMMENDATION.search(question):
            # "what did the review recommend": the recommendation's own words come first
            for candidate in found:
                if candidate.passage.section == SectionKind.recommendation:
                    candidate.score += 0.5
        # a recommendation the question names is relevant by definition
        if not passages or (not plan.rec_keys and not self._relevant(passages, found)):
            return Answer(
                answer="The review documents in the library do not answer this question.",
                abstained=True,
                mode=mode,
            )
        extractive = self._extractive(mode, found)
        if self.generator is None:
            return extractive
        return self.generator.answer(question, mode, passages, fallback=extractive)

    # -- abstention -------------------------------------------------------------------------
    def _relevant(self, passages: list[Passage], found) -> bool:
        best_similarity = max((p.similarity or 0.0) for p in passages)
        best_coverage = max((c.coverage for c in found), default=0.0)
        return best_similarity + 0.5 * best_coverage >= self.thresholds.relevance

    def _missing_entity(self, request: AskRequest, plan: SearchPlan) -> str | None:
        """A plain statement when the question names something the library does not have."""
        reviews = self.stores.register.reviews()
        names = ", ".join(r["name"] for r in reviews)
        text = request.question
        if not plan.review_ids:
            asked = request.review or _asked_review(text)
            if asked:
                return (
                    f"There is no review called “{asked}” in the library. "
                    f"The library holds: {names}."
                )
        if plan.intent.rec_id or request.recommendation:
            rec_id = request.recommendation or plan.intent.rec_id
            if not plan.rec_keys:
                if len(plan.review_ids) == 1:
                    review = next(r for r in reviews if r["id"] == plan.review_ids[0])
                    ids = [r["rec_id"] for r in self.stores.register.recommendations(review["id"])]
                    span = f"{ids[0]}–{ids[-1]}" if len(ids) > 1 else (ids[0] if ids else "none")
                    return (
                        f"The {review['name']} review has recommendations {span}; "
                        f"there is no recommendation {rec_id}."
                    )
                return f"No review in the library has a recommendation {rec_id}."
        if request.agency and plan.relaxed and "agency" in plan.relaxed:
            return f"No passage in the library is attributed to {plan.agency}."
        return None

    # -- modes ------------------------------------------------------------------------------
    def _extractive(self, mode: Mode, found) -> Answer:
        citations = Citations()
        if mode == Mode.learning_points:
            chosen = select(
                found, limit=8, per_passage=1, per_review=3, floor=0.5, min_coverage=0.34
            )
            lines = []
            for review in dict.fromkeys(c.passage.review for c in chosen):
                lines.append(f"**{review}**")
                for c in sorted(
                    (c for c in chosen if c.passage.review == review),
                    key=lambda c: (c.rank, c.start),
                ):
                    lines.append(f"- {tidy(c.text)} [{citations.cite(c.passage, c.start, c.end)}]")
            text = "\n".join(lines)
        else:
            text = render(select(found, limit=3), citations)
        return Answer(answer=text, citations=citations.items, mode=mode, answerer="extractive")

    def _agency_recommendations(self, plan: SearchPlan, agency: str) -> list[tuple[str, str]]:
        """The recommendations whose responses by `agency` best match the question."""
        request = SearchRequest(plan.query, k=8, agency=agency)
        agency_plan = SearchPlan(plan.query, plan.intent, plan.review_ids, [], agency, [])
        keys = self.stores.register.rec_keys()
        found: list[tuple[str, str]] = []
        passages = self.searcher.run(request, agency_plan)
        top = max((p.similarity or 0.0 for p in passages[:1]), default=0.0)
        for passage in passages:
            if passage is not passages[0] and (passage.similarity or 0.0) < 0.95 * top:
                continue  # only the recommendations the question is clearly about
            if agency_plan.relaxed or agency not in passage.agencies or not passage.recommendation:
                continue
            for (review_id, rec_id), key in keys.items():
                matches = review_id == passage.review_id and key == passage.recommendation
                if matches and (review_id, rec_id) not in found:
                    found.append((review_id, rec_id))
        return found[:3]

    def _commitments(self, plan: SearchPlan) -> Answer | None:
        """What was committed to a recommendation, or by an agency: text, responses by agency
        with status words and dates, and later progress notes, each sentence cited."""
        register = self.stores.register
        agency = plan.agency or (plan.intent.agencies[0] if plan.intent.agencies else None)
        wanted = set(plan.rec_keys)
        recs = [
            (review_id, rec_id)
            for (review_id, rec_id), key in register.rec_keys().items()
            if key in wanted and (not plan.review_ids or review_id in plan.review_ids)
        ]
        # of a group that shares one response, only the recommendation(s) asked about
        asked = [r for r in recs if plan.rec_id and _same_or_part(r[1], plan.rec_id)]
        recs = asked or recs
        if not recs and agency and _has_topic(plan.query):
            recs = self._agency_recommendations(plan, agency)
        citations = Citations()
        lines: list[str] = []
        if recs:
            for review_id, rec_id in recs[:3]:
                detail = register.recommendation_detail(review_id, rec_id)
                if detail is None:
                    continue
                document = detail["citation"]["document"]
                quoted = self._quote(
                    document, detail["citation"]["start"], detail["text"], 2, citations
                )
                lines.append(f"**Recommendation {rec_id} ({detail['review']})**: {quoted}")
                responses = self._responses_for(detail["responses"], agency, plan.intent.categories)
                for response in responses:
                    label = _status_label(response)
                    quoted = self._quote(
                        document, response["citation"]["start"], response["text"], 2, citations
                    )
                    lines.append(f"- **{response['agency']}**{label}: {quoted}")
                for note in detail["progress_notes"]:
                    quoted = self._quote(
                        note["citation"]["document"], note["citation"]["start"], note["text"], 2,
                        citations,
                    )  # fmt: skip
                    lines.append(f"- **Progress reported {note['date'] or ''}**: {quoted}")
        elif agency:
            review_id = plan.review_ids[0] if len(plan.review_ids) == 1 else None
            responses = register.responses_of(agency, review_id)
            if not responses:
                where = " in that review" if review_id else ""
                return Answer(
                    answer=f"The library records no response by {agency}{where}.",
                    abstained=True,
                    mode=Mode.commitments,
                )
            lines.append(f"**{agency}**")
            for response in responses[:8]:
                quoted = self._quote(
                    response["citation"]["document"], response["citation"]["start"],
                    response["text"], 1, citations,
                )  # fmt: skip
                lines.append(
                    f"- Recommendation {response['rec_id']} ({response['review']})"
                    f"{_status_label(response)}: {quoted}"
                )
        else:
            return None
        return Answer(
            answer="\n".join(lines),
            citations=citations.items,
            mode=Mode.commitments,
            answerer="extractive",
        )

    def _responses_for(
        self, responses: list[dict], agency: str | None, categories: list[str]
    ) -> list[dict]:
        """The responses of the agency asked about, else of the kind asked about ("police")."""
        if agency:
            return [r for r in responses if r["agency"] == agency]
        gazetteer = self.searcher.gazetteer
        of_kind = [r for r in responses if gazetteer.category(r["agency"]) in categories]
        return of_kind or responses

    def _quote(self, document: str, start: int, text: str, count: int, citations: Citations) -> str:
        """The first `count` sentences of a register text, each cited by its own span."""
        pieces = []
        for s, e in sentence_spans(text)[:count]:
            absolute = start + s
            chunk = self.stores.register.chunk_covering(document, absolute)
            if chunk is None:
                continue
            passage = chunk.to_passage(1.0)
            end = min(start + e, chunk.end)
            pieces.append(
                f"{tidy(text[s : end - start])} [{citations.cite(passage, absolute, end)}]"
            )
        return " ".join(pieces) if pieces else tidy(text)


def _same_or_part(rec_id: str, asked: str) -> bool:
    """'3a' answers '3a'; '1a' and '1b' answer '1'; '2' answers '2b' (parts (a)-(c))."""
    return (
        rec_id == asked
        or (rec_id.startswith(asked) and rec_id[len(asked) :].isalpha())
        or (asked.startswith(rec_id) and asked[len(rec_id) :].isalpha())
    )


def _has_topic(question: str) -> bool:
    """Whether a question asks about something besides who committed what."""
    text = question
    for start, end, _ in sorted(default_gazetteer().find_all(text), reverse=True):
        text = text[:start] + text[end:]
    text = _COMMITMENTS.sub(" ", text)
    return bool(set(terms(text)) - _COMMITMENT_TERMS)


_COMMITMENT_TERMS = set(
    terms(
        "commit committed commitments agree agreed promise status progress do done action actions"
    )
)


def _status_label(response: dict) -> str:
    parts = [response["status"]] if response["status"] else []
    if response["deadline"]:
        parts.append(f"by {response['deadline']}")
    return f" ({', '.join(parts)})" if parts else ""


def _asked_review(text: str) -> str | None:
    child = _CHILD_NAME.search(text)
    if child:
        return child.group(0)
    for match in _NAMED_REVIEW.finditer(text):
        name = match.group(1)
        if name.split()[0] not in _NOT_NAMES and not default_gazetteer().mentions(name):
            return name
    return None
