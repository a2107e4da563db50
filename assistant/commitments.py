"""Commitments: what was committed to a recommendation, or by an agency, from the register.

The recommendation's own text, each agency's response with its status word and deadline, and
the progress notes later minutes recorded; every sentence quoted from its document and cited.
"""

from __future__ import annotations

import re
from dataclasses import replace

from review_assistant.extractive import Citations
from review_assistant.ingest import recids
from review_assistant.ingest.sentences import sentence_spans
from review_assistant.models import Answer, Mode, Passage, ResponseDetail, SourceRef
from review_assistant.search import Searcher, SearchPlan
from review_assistant.terms import terms, tidy

COMMITMENT_WORDS = re.compile(
    r"\b(commit(?:ted|ments?)?|promised?|agreed to|status|progress|deadlines?|by when|"
    r"(?:which|what) agenc(?:y|ies)|who (?:responded|replied|answered)|respon(?:ded|ses?) to|"
    r"what (?:did|has|have|will) .{0,60}\b(?:do|done|doing|agree|promise|commit)|"
    r"who (?:will|is|was) responsible|actions? (?:taken|agreed))\b",
    re.I,
)
_COMMITMENT_TERMS = set(
    terms(
        "commit committed commitments agree agreed promise status progress do done action actions"
    )
)


class CommitmentsReport:
    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.register = searcher.stores.register

    def answer(self, plan: SearchPlan) -> Answer | None:
        """The report for the recommendation or agency the plan names; None if it names
        neither."""
        agency = plan.agency or (plan.intent.agencies[0] if plan.intent.agencies else None)
        wanted = set(plan.rec_keys)
        recs = [
            (review_id, rec_id)
            for (review_id, rec_id), key in self.searcher.rec_keys().items()
            if key in wanted and (not plan.review_ids or review_id in plan.review_ids)
        ]
        # of a group that shares one response, only the recommendation(s) asked about
        asked = [r for r in recs if plan.rec_id and recids.related(r[1], plan.rec_id)]
        recs = asked or recs
        if not recs and agency and _has_topic(plan.query, self.searcher):
            recs = self._agency_recommendations(plan, agency)
        citations = Citations()
        if recs:
            lines = self._recommendations(recs, agency, plan.intent.categories, citations)
        elif agency:
            review_id = plan.review_ids[0] if len(plan.review_ids) == 1 else None
            responses = self.register.responses_of(agency, review_id)
            if not responses:
                return Answer(
                    answer=self._no_response(agency, review_id), abstained=True,
                    mode=Mode.commitments,
                )  # fmt: skip
            lines = [f"**{agency}**"]
            for response in responses[:8]:
                quoted = self._quote(response.citation, response.text, 1, citations)
                lines.append(
                    f"- Recommendation {response.rec_id} ({response.review})"
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

    def _recommendations(
        self,
        recs: list[tuple[str, str]],
        agency: str | None,
        categories: tuple[str, ...],
        citations: Citations,
    ) -> list[str]:
        lines: list[str] = []
        for review_id, rec_id in recs[:3]:
            detail = self.register.recommendation_detail(review_id, rec_id)
            if detail is None:
                continue
            quoted = self._quote(detail.citation, detail.text, 2, citations)
            lines.append(f"**Recommendation {rec_id} ({detail.review})**: {quoted}")
            chosen = self._responses_for(detail.responses, agency, categories)
            if agency and not chosen:
                others = sorted({r.agency for r in detail.responses})
                lines.append(
                    f"- No response by {agency} is recorded for this recommendation"
                    + (f"; responses came from {_listed(others)}." if others else ".")
                )
            for response in chosen:
                quoted = self._quote(response.citation, response.text, 2, citations)
                lines.append(f"- **{response.agency}**{_status_label(response)}: {quoted}")
            for note in detail.progress_notes:
                quoted = self._quote(note.citation, note.text, 2, citations)
                lines.append(f"- **Progress reported {note.date or ''}**: {quoted}")
        return lines

    def _no_response(self, agency: str, review_id: str | None) -> str:
        """Why there is nothing to report, and what the library does hold instead."""
        if review_id is None:
            return f"The library records no response by {agency} in any review."
        recs = self.register.recommendations(review_id)
        name = next((r.name for r in self.searcher.reviews() if r.id == review_id), review_id)
        others = sorted({a for rec in recs for a in rec.agencies})
        if not others:
            return f"No response by {agency} is recorded for the {name} review, nor by any agency."
        return (
            f"No response by {agency} is recorded for the {name} review. "
            f"Responses to its {len(recs)} recommendations came from {_listed(others)}."
        )

    def _agency_recommendations(self, plan: SearchPlan, agency: str) -> list[tuple[str, str]]:
        """The recommendations whose responses by `agency` best match the question."""
        agency_plan = replace(plan, rec_keys=(), rec_id=None, agency=agency)
        keys = self.searcher.rec_keys()
        found: list[tuple[str, str]] = []
        retrieval = self.searcher.run(agency_plan, k=8)
        passages = retrieval.passages
        top = max((p.similarity or 0.0 for p in passages[:1]), default=0.0)
        for passage in passages:
            if passage is not passages[0] and (passage.similarity or 0.0) < 0.95 * top:
                continue  # only the recommendations the question is clearly about
            if retrieval.relaxed or agency not in passage.agencies or not passage.recommendation:
                continue
            for (review_id, rec_id), key in keys.items():
                matches = review_id == passage.review_id and key == passage.recommendation
                if matches and (review_id, rec_id) not in found:
                    found.append((review_id, rec_id))
        return found[:3]

    def _responses_for(
        self, responses: list[ResponseDetail], agency: str | None, categories: tuple[str, ...]
    ) -> list[ResponseDetail]:
        """The responses of the agency asked about, else of the kind asked about ("police")."""
        if agency:
            return [r for r in responses if r.agency == agency]
        gazetteer = self.searcher.gazetteer
        of_kind = [r for r in responses if gazetteer.category(r.agency) in categories]
        return of_kind or responses

    def _quote(self, source: SourceRef, text: str, count: int, citations: Citations) -> str:
        """The first `count` sentences of a register text, each cited by its own span."""
        document, start = source.document, source.start
        pieces = []
        for s, e in sentence_spans(text)[:count]:
            absolute = start + s
            chunk = self.register.chunk_covering(document, absolute)
            if chunk is None:
                continue
            end = min(start + e, chunk.end)
            cited = citations.cite(Passage.from_chunk(chunk, 1.0), absolute, end)
            pieces.append(f"{tidy(text[s : end - start])} [{cited}]")
        return " ".join(pieces) if pieces else tidy(text)


def _has_topic(question: str, searcher: Searcher) -> bool:
    """Whether a question asks about something besides who committed what."""
    text = question
    for start, end, _ in sorted(searcher.gazetteer.find_all(text), reverse=True):
        text = text[:start] + text[end:]
    text = COMMITMENT_WORDS.sub(" ", text)
    return bool(set(terms(text)) - _COMMITMENT_TERMS)


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


def _status_label(response: ResponseDetail) -> str:
    parts = [response.status] if response.status else []
    if response.deadline:
        parts.append(f"by {response.deadline}")
    return f" ({', '.join(parts)})" if parts else ""
