"""Lists from the register: a review's recommendations, each with its id, the status its
responses' own words give and a quote, optionally only those at one progress ("which are
complete?") or only those addressed to the body the question names ("the board's").

A list question is answered from the register, not from the passages nearest the question:
those are whichever paragraphs mention recommendations, not the recommendations themselves.
"""

from __future__ import annotations

import re

from review_assistant.extractive import Citations
from review_assistant.ingest import recids
from review_assistant.ingest.sentences import sentence_spans
from review_assistant.ingest.status import progress, status_of
from review_assistant.models import Answer, Mode, Passage, RecommendationDetail
from review_assistant.register_views import merged_rows
from review_assistant.search import Searcher, SearchPlan
from review_assistant.terms import terms, tidy

# "list the recommendations of …", "which … recommendations are complete?", "X recommendations?"
_ASKS_LIST = re.compile(
    r"\b(?:list|which|what are|all (?:the |of the )?)\b.{0,80}"
    r"\b(?:recommendations|(?:priority|recommended) actions)\b"
    r"|\bwhat (?:recommendations|(?:priority|recommended) actions)\b"
    r"|\brecommendations\s*\??\s*$",
    re.I,
)
# A kind of recommendation a list question names, which a report may call otherwise (a
# regulator's letter sets "priority actions" or only "areas for improvement")
_KIND = re.compile(r"\b(?:priority|recommended) actions?\b", re.I)
# A heading: a short line of words with no closing stop ("Areas for improvement")
_HEADING = re.compile(r"^[ \t]*([A-Z][A-Za-z’' ,-]{3,60}?)[ \t]*:?[ \t]*$", re.M)
# The progress a list question asks for, in a tracker's columns (ingest.status.PROGRESS)
_ASKS_PROGRESS = [
    ("open", re.compile(r"\b(?:outstanding|open|not (?:yet )?(?:done|complete)|still to)", re.I)),
    ("completed", re.compile(r"\b(?:complete[d]?|done|finished|implemented|closed)\b", re.I)),
    ("in progress", re.compile(r"\b(?:in progress|under ?way|ongoing)\b", re.I)),
    ("planned", re.compile(r"\b(?:planned|not started)\b", re.I)),
]  # fmt: skip
# The words of asking for a list, left out when reading what body a list is about
_LIST_WORDS = set(
    terms(
        "list which what are all recommendations recommendation actions action priority "
        "complete completed done finished implemented closed outstanding open progress "
        "planned ongoing status"
    )
)
# A contents line the register took for a recommendation: a heading and its page number
_CONTENTS_LINE = re.compile(r"^[^.;:!?]*\s\d{1,3}$")
_MOST = 40


class ListingReport:
    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.register = searcher.stores.register

    def answer(self, question: str, plan: SearchPlan) -> Answer | None:
        """The list a question asks for, or None when it asks for no list of one review's
        recommendations."""
        if plan.rec_id or len(plan.review_ids) != 1 or not _ASKS_LIST.search(question):
            return None
        review_id = plan.review_ids[0]
        agencies = [plan.agency] if plan.agency else plan.intent.agencies
        if any(self.register.responses_of(a, review_id) for a in agencies):
            return None  # "which recommendations did the police answer": their responses
        details = [
            detail
            for row in merged_rows(self.register.recommendations(review_id))  # one per id
            if (detail := self.register.recommendation_detail(review_id, row.rec_id))
            and not _CONTENTS_LINE.match(tidy(detail.text))
        ]
        if not details:
            return None
        name, total = details[0].review, len(details)
        details = self._addressed(details, self._subject(question, plan))
        if len(details) < total:
            name += f", the section the question names ({len(details)} of {total})"
        wanted = next((col for col, words in _ASKS_PROGRESS if words.search(question)), None)
        citations = Citations()
        lines: list[str] = []
        chosen = [d for d in details if wanted is None or _at(d, wanted)]
        unnamed = self._kind_unnamed(question, review_id, details[0])
        if unnamed:
            lines.append(f"**{name}**: {unnamed}")
        if wanted is None:
            lines.append(
                f"{len(details)} recommendations in the register."
                if unnamed
                else f"**{name}**: {len(details)} recommendations in the register."
            )
        elif chosen and wanted == "open":
            lines.append(
                f"**{name}**: {len(chosen)} of its {len(details)} recommendations are not "
                "reported completed by every agency that gives a status."
            )
        elif chosen and wanted == "completed":
            lines.append(
                f"**{name}**: {len(chosen)} of its {len(details)} recommendations are reported "
                "completed by every agency that gives a status."
            )
        elif chosen:
            lines.append(
                f"**{name}**: {len(chosen)} of its {len(details)} recommendations have a "
                f"response whose words say it is {_said(wanted)}."
            )
        else:
            lines.append(
                f"**{name}**: no response to any of its {len(details)} recommendations says "
                f"it is {_said(wanted)}."
            )
        if not any(d.responses for d in details):
            lines.append("The documents record no response or status for these recommendations.")
        for detail in chosen[:_MOST]:
            lines.append(self._line(detail, wanted, citations))
        if len(chosen) > _MOST:
            lines.append(f"- {len(chosen) - _MOST} more are in the register.")
        others = [d for d in details if d not in chosen]
        if wanted is not None and others:
            lines.append(
                "Not reported " + _said(wanted) + ": "
                + "; ".join(f"{d.rec_id} ({_statuses(d)})" for d in others) + "."
            )  # fmt: skip
        return Answer(
            answer="\n".join(lines),
            citations=citations.items,
            mode=Mode.commitments,
            answerer="extractive",
        )

    def _kind_unnamed(
        self, question: str, review_id: str, first: RecommendationDetail
    ) -> str | None:
        """When the question asks for a kind of recommendation ("priority actions") that the
        review's passages never name, that it sets none so called, and the heading its
        recommendations stand under; None when it names that kind, or the question none."""
        kind = _KIND.search(question)
        if not kind:
            return None
        asked = kind.group(0).lower()
        # named in a line of its own words ("Priority and immediate action" is that kind)
        words = set(terms(asked))
        ids = self.register.chunk_ids_matching({"review_id": [review_id]})
        for chunk in self.register.chunks_by_id(ids).values():
            if any(words <= set(terms(line)) for line in chunk.text.splitlines()):
                return None
        said = f"it sets no {asked} (no line of its documents names any)"
        document = self.register.find_document(first.citation.document)
        text = self.register.document_text(document.doc_id) if document else None
        headings = (
            _HEADING.findall(text[max(0, first.citation.start - 3000) : first.citation.start])
            if text
            else []
        )
        if headings:
            return f"{said}; its recommendations stand under “{headings[-1].strip()}”."
        return said + "."

    def _subject(self, question: str, plan: SearchPlan) -> set[str]:
        """The words naming whom the list is about ("the safeguarding board"), without the
        review's name and the words of asking."""
        topic = self.searcher.topic(question)
        return set(terms(topic)) - _LIST_WORDS

    def _addressed(
        self, details: list[RecommendationDetail], subject: set[str]
    ) -> list[RecommendationDetail]:
        """Of a report that numbers its recommendations in runs under sections (the local
        authority's, then the board's), the run whose section speaks most of the subject;
        all of them when no run does, or the subject is not named."""
        runs: list[list[RecommendationDetail]] = []
        for detail in details:
            if runs and recids.same_series(runs[-1][-1].rec_id, detail.rec_id):
                runs[-1].append(detail)
            else:
                runs.append([detail])
        if not subject or len(runs) < 2 or len({d.citation.document for d in details}) > 1:
            return details  # sections are read in one document's text
        document = self.register.find_document(details[0].citation.document)
        text = self.register.document_text(document.doc_id) if document else None
        if not text:
            return details
        scores = []
        previous_end = 0
        for run in runs:
            start = run[0].citation.start
            preamble = text[max(previous_end, start - 6000) : start]
            words = terms(preamble)
            scores.append(sum(w in subject for w in words) / max(len(words), 1))
            previous_end = run[-1].citation.end
        best = max(scores)
        if best == 0:
            return details
        return [d for run, score in zip(runs, scores, strict=True) if score == best for d in run]

    def _line(self, detail: RecommendationDetail, wanted: str | None, citations: Citations) -> str:
        """A recommendation's id, its status by agency and its words; asked for a progress,
        the words of the responses that say so."""
        quoted = self._quote(detail, detail.text, detail.citation, 2, citations)
        line = f"- **{detail.rec_id}** ({_statuses(detail)}): {quoted}"
        if wanted is None:
            return line
        for response in detail.responses:
            if _matches(progress(status_of(response.text)), wanted):
                said = self._quote(detail, response.text, response.citation, 3, citations)
                line += f"\n  - **{response.agency}**: {said}"
        return line

    def _quote(self, detail, text: str, source, count: int, citations: Citations) -> str:
        pieces = []
        for s, e in sentence_spans(text)[:count]:
            absolute = source.start + s
            chunk = self.register.chunk_covering(source.document, absolute)
            if chunk is None:
                continue
            end = min(source.start + e, chunk.end)
            cited = citations.cite(Passage.from_chunk(chunk, 1.0), absolute, end)
            pieces.append(f"{tidy(text[s : end - source.start])} [{cited}]")
        return " ".join(pieces) if pieces else tidy(text)


def _matches(column: str, wanted: str) -> bool:
    """Whether a response's column is the one asked for ("open": a stated status short of
    completed; a response that states none is shown by its status alone)."""
    if wanted == "open":
        return column not in ("completed", "not stated")
    return column == wanted


def _at(detail: RecommendationDetail, wanted: str) -> bool:
    """Whether the recommendation stands at `wanted`: completed only when every response that
    states a status says completed (one agency's part done leaves the rest open); "open" when
    it is not completed so; another stage when any response says it is there."""
    columns = [progress(status_of(r.text)) for r in detail.responses]
    stated = [c for c in columns if c != "not stated"]
    completed = bool(stated) and all(c == "completed" for c in stated)
    if wanted == "completed":
        return completed
    if wanted == "open":
        return not completed
    return wanted in columns


def _statuses(detail: RecommendationDetail) -> str:
    """Each responding agency's status as its words give it, or that none is recorded."""
    if not detail.responses:
        return "no status recorded"
    said = [f"{r.agency}: {status_of(r.text) or 'no status stated'}" for r in detail.responses]
    return "; ".join(said)


def _said(column: str) -> str:
    return "not completed" if column == "open" else column
