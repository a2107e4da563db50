"""Lists from the register: a review's recommendations, each with its id, the status its
responses' own words give and a quote, optionally only those at one progress ("which are
complete?"), only those addressed to the body the question names ("the board's") or only
those under the part of the report it names ("the priority and immediate actions"); and how
many there are ("how many recommendations did X make?"), with their ids.

A list question is answered from the register, not from the passages nearest the question:
those are whichever paragraphs mention recommendations, not the recommendations themselves.
"""

from __future__ import annotations

import re

from review_assistant.commitments import ASKS_REPLIED
from review_assistant.extractive import Citations
from review_assistant.ingest import recids
from review_assistant.ingest.candidates import REC_SECTION
from review_assistant.ingest.chunking import section_headings
from review_assistant.ingest.sentences import sentence_spans
from review_assistant.ingest.status import progress, status_of
from review_assistant.models import Answer, Mode, Passage, RecommendationDetail
from review_assistant.register_views import merged_rows
from review_assistant.search import Searcher, SearchPlan
from review_assistant.terms import terms, tidy

# A kind of recommendation a list question names, which a report may call otherwise (a
# regulator's letter sets "priority actions" or only "areas for improvement"), and which names
# a part of a report that sets several kinds (an inspection's "Priority and immediate action"
# and "Areas for improvement", for the authority and again for the board)
_KIND = re.compile(
    r"\b(?:(?:areas? for )?(?:priority|immediate|recommended)(?: and immediate)? actions?"
    r"|areas? for (?:improvement|development))\b",
    re.I,
)
# "list the recommendations of …", "which … recommendations are complete?", "X recommendations?",
# "how many recommendations did X make?", "what are X's areas for improvement?"
_ASKS_LIST = re.compile(
    rf"\b(?:list|which|what are|how many|all (?:the |of the )?)\b.{{0,80}}"
    rf"(?:\brecommendations\b|{_KIND.pattern})"
    rf"|\bwhat (?:recommendations\b|{_KIND.pattern})"
    r"|\brecommendations\s*\??\s*$",
    re.I,
)
# A report's strengths stand as a part of their own: they end the part of recommendations
# above them (which headings open such a part is the ingest's rule, REC_SECTION)
_STRENGTHS = re.compile(r"\bstrengths?\b", re.I)
# A body the question leaves out ("for the council, not counting the board's"): not whom the
# list is about
_EXCEPT = re.compile(
    r"\b(?:not counting|not including|excluding|except(?: for)?|other than|apart from|besides)"
    r"\b[^,;?]*",
    re.I,
)
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
        "planned ongoing status many"
    )
)
# A count asked for, and the words of asking for one of a document's recommendations ("how
# many recommendations did the inspection make?", "did the committee set"): no body's, and any
# other word qualifies what is counted
_COUNTS = re.compile(r"\bhow many\b", re.I)
_COUNT_WORDS = set(
    terms(
        "make made makes set sets give gave given issue issued got there total number "
        "altogether review reviews inspection inspections report reports visit visits inquiry "
        "letter response responses document documents committee panel author"
    )
)
_YEAR = re.compile(r"(?:19|20)\d\d")
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
        if _COUNTS.search(question) and self._qualified(self._asked_of(question)):
            return None  # "how many actions from the earlier visit were not met?": not all
        review_id = plan.review_ids[0]
        agencies = [plan.agency] if plan.agency else plan.intent.agencies
        if agencies and ASKS_REPLIED.search(question):
            return None  # whether a body answered: its responses, or that it gave none
        if any(self.register.responses_of(a, review_id) for a in agencies):
            return None  # "which recommendations did the police answer": their responses
        details = [
            detail
            for row in merged_rows(self.register.recommendations(review_id))  # one per id
            if (detail := self.register.recommendation_detail(review_id, row.rec_id))
            and not _CONTENTS_LINE.match(tidy(detail.text))
        ]
        headings = self._headings({d.citation.document for d in details})
        # a heading the register took for a recommendation ("What needs to improve") is none
        details = [d for d in details if not _is_heading(d, headings)]
        if not details:
            return None
        name, total = details[0].review, len(details)
        details, in_part = _in_part(question, details, headings)
        narrowed = len(details)
        details = self._addressed(details, self._asked_of(question), headings)
        addressed = len(details) < narrowed
        part = _part_named(question, details[0], headings) if in_part else None
        if addressed or part:
            where = ["the section the question names"] if addressed else []
            where += [f"under “{part}”"] if part else []
            name += f", {', '.join(where)} ({len(details)} of {total})"
        wanted = next((col for col, words in _ASKS_PROGRESS if words.search(question)), None)
        citations = Citations()
        lines: list[str] = []
        chosen = [d for d in details if wanted is None or _at(d, wanted)]
        unnamed = self._kind_unnamed(question, review_id, details[0], headings)
        if unnamed:
            lines.append(f"**{name}**: {unnamed}")
        if wanted is None:
            counted = f"{len(details)} recommendations in the register ({_ids(details)})."
            lines.append(counted if unnamed else f"**{name}**: {counted}")
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
        self,
        question: str,
        review_id: str,
        first: RecommendationDetail,
        headings: dict[str, list[tuple[int, str]]],
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
        part = _part_heading(headings.get(first.citation.document, []), first.citation.start)
        if part:
            stands = [piece for piece in part.split(" / ") if _opens_part(piece)][-1]
            return f"{said}; its recommendations stand under “{stands}”."
        return said + "."

    def _asked_of(self, question: str) -> str:
        """The words naming whom the list is about ("the safeguarding board"): the question
        without the review's name, the kind of recommendation asked for and a body it leaves
        out."""
        return _EXCEPT.sub(" ", _KIND.sub(" ", self.searcher.topic(question)))

    def _qualified(self, asked_of: str) -> bool:
        """Whether the words of a question, besides the bodies it names and the words of
        asking for a count, qualify what is counted ("from the March visit", "about neglect"):
        the number of all a document's recommendations is then not the answer."""
        text = asked_of
        for start, end, _ in sorted(self.searcher.gazetteer.find_all(text), reverse=True):
            text = text[:start] + " " + text[end:]
        words = re.findall(r"[\w’']+", text)
        for i, word in enumerate(words):
            if not set(terms(word)) - _LIST_WORDS - _COUNT_WORDS or _YEAR.fullmatch(word):
                continue  # the year of the one document asked about says which, not what
            # a word of a body's name ("safeguarding board", "the council")
            near = [word, *(" ".join(words[j : j + 2]) for j in (i - 1, i) if j >= 0)]
            if not any(self._bodies(phrase) for phrase in near):
                return True
        return False

    def _bodies(self, text: str) -> set[str]:
        """The kinds of body a text names ("the LSCB", "the local authority": partnership,
        local authority), by the gazetteer's bodies and category words."""
        gazetteer = self.searcher.gazetteer
        named = {gazetteer.category(name) for name in gazetteer.mentions(text)}
        return (set(gazetteer.categories_in(text)) | named) - {None}

    def _headings(self, documents: set[str]) -> dict[str, list[tuple[int, str]]]:
        """Each document's headings with their offsets, as chunking reads them."""
        out: dict[str, list[tuple[int, str]]] = {}
        for name in documents:
            document = self.register.find_document(name)
            text = self.register.document_text(document.doc_id) if document else None
            out[name] = section_headings(text) if text else []
        return out

    def _addressed(
        self,
        details: list[RecommendationDetail],
        asked_of: str,
        headings: dict[str, list[tuple[int, str]]],
    ) -> list[RecommendationDetail]:
        """Of a report that numbers its recommendations in runs under sections (the local
        authority's, then the board's), the runs whose heading names the kind of body the
        question names ("What does the LSCB need to improve?" for "the Northshire LSCB's"), else
        the run whose section speaks most of the question's words; all of them when no run
        does, or the question names no one."""
        subject = set(terms(asked_of)) - _LIST_WORDS - _COUNT_WORDS
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
        windows, previous_end = [], 0
        for run in runs:
            start = run[0].citation.start
            windows.append((max(previous_end, start - 6000), start))
            previous_end = run[-1].citation.end
        # the body a run is for, as its section's heading names it (an inspection has no
        # marked levels: the nearest heading above the run that names a body)
        bodies = self._bodies(asked_of)
        found = headings[details[0].citation.document]
        named = [
            bool(bodies & self._bodies(_naming_heading(found, low, high, self._bodies)))
            for low, high in windows
        ]
        if any(named) and not all(named):
            return [d for run, hit in zip(runs, named, strict=True) if hit for d in run]
        scores = []
        for low, high in windows:
            words = terms(text[low:high])
            scores.append(sum(w in subject for w in words) / max(len(words), 1))
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


def _naming_heading(headings: list[tuple[int, str]], low: int, high: int, bodies) -> str:
    """The nearest heading between `low` and `high` that names a body (`bodies` of it not
    empty), or "" when none does."""
    within = [h for start, h in headings if low <= start < high]
    return next((h for h in reversed(within) if bodies(h)), "")


def _is_heading(detail: RecommendationDetail, headings: dict[str, list[tuple[int, str]]]) -> bool:
    """Whether the recommendation's text is one of its document's headings (one of a stack)."""
    found = headings.get(detail.citation.document, [])
    return tidy(detail.text) in {piece for _, h in found for piece in h.split(" / ")}


def _opens_part(heading: str) -> bool:
    """Whether a heading opens a part of a report: its recommendations or its strengths."""
    heading = " ".join(heading.split())
    return bool(REC_SECTION.match(heading) or _STRENGTHS.search(heading))


def _part_heading(headings: list[tuple[int, str]], offset: int) -> str | None:
    """The heading of the part of a report's recommendations that the text at `offset` stands
    in: the nearest heading above it that opens a part ("Areas for improvement"), past any
    themed headings within the part ("Quality of practice")."""
    above = [heading for start, heading in headings if start < offset]
    return next((h for h in reversed(above) if any(map(_opens_part, h.split(" / ")))), None)


def _in_part(
    question: str, details: list[RecommendationDetail], headings: dict[str, list[tuple[int, str]]]
) -> tuple[list[RecommendationDetail], bool]:
    """Of the recommendations, those under the part of the report the question names ("the
    priority and immediate actions": those under "Priority and immediate action"), and
    whether it names one; all of them when it names no part, or every one or none stands
    under the part it names."""
    chosen = [d for d in details if _part_named(question, d, headings)]
    if not chosen or len(chosen) == len(details):
        return details, False
    return chosen, True


def _part_named(
    question: str, detail: RecommendationDetail, headings: dict[str, list[tuple[int, str]]]
) -> str | None:
    """The heading of the part of the report the recommendation stands in, when it is the
    part the question names ("areas for improvement"); None when it is another or the question
    names none."""
    kind = _KIND.search(question)
    part = _part_heading(headings.get(detail.citation.document, []), detail.citation.start)
    if not kind or not part:
        return None
    asked = set(terms(kind.group(0)))
    # of headings stacked into one ("Areas for improvement / Quality of practice"), the one
    # that names the part
    return next((p for p in part.split(" / ") if asked <= set(terms(p))), None)


def _ids(details: list[RecommendationDetail]) -> str:
    """The recommendations' ids, a numbered run of three or more as its first and last
    ("27–35"), so a count can be checked against the report."""
    runs: list[list[str]] = []
    for detail in details:
        if runs and recids.same_series(runs[-1][-1], detail.rec_id):
            runs[-1].append(detail.rec_id)
        else:
            runs.append([detail.rec_id])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(r) for r in runs)


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
