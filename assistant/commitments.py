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
from review_assistant.ingest.status import dates_and_deadline, status_of
from review_assistant.ingest.types import DocType, SectionKind
from review_assistant.models import (
    Answer,
    Mode,
    Passage,
    RecommendationDetail,
    ResponseDetail,
    SourceRef,
)
from review_assistant.search import Searcher, SearchPlan
from review_assistant.store.models import AgencyResponse
from review_assistant.terms import terms, tidy

COMMITMENT_WORDS = re.compile(
    r"\b(commit(?:ted|ments?)?|promised?|agreed to|status|progress|deadlines?|by when|"
    r"(?:which|what) agenc(?:y|ies)|who (?:responded|replied|answered)|respon(?:d|ds|ded|ses?) to|"
    r"what (?:did|has|have|will) .{0,60}\b(?:do|done|doing|agree|promise|commit)|"
    r"who(?:['’]s|\s+is|\s+are|\s+was|\s+will\s+be)\s+responsible|actions? (?:taken|agreed)|"
    r"who(?:['’]s| is| are) doing|where(?:['’]s| is| are) (?:it|they|this) at|"
    r"(?:is|was|has) (?:it|this|that) (?:been )?(?:done|complete[d]?|finished|implemented|"
    r"in place|accepted)|accepted(?=\s*\?)|what(?:['’]s| is| has) (?:been )?happen(?:ing|ed))\b",
    re.I,
)
# Whether a body answered at all ("did probation respond to…?", "has the trust replied?")
ASKS_REPLIED = re.compile(
    r"\b(?:did|has|have)\b.{0,60}\b(?:respon(?:d|ded)|repl(?:y|ied)|answer(?:ed)?)\b", re.I
)
# The kinds of document that hold replies to recommendations (ingest.types.DocType): a
# review, inquiry or inspection report, or an unclassified document, makes them
_RESPONDING = {
    DocType.partnership_response, DocType.government_response, DocType.learning_report,
    DocType.minutes, DocType.action_plan,
}  # fmt: skip
# A question about a named recommendation that asks when: its responses' dates answer it
_ASKS_WHEN = re.compile(r"^\s*when\b|\bwhen(?:['’]s| is| was| will| are| were| did)\b", re.I)
_COMMITMENT_TERMS = set(
    terms(
        "commit committed commitments agree agreed promise status progress do done action actions "
        "inspection report response responses inquiry letter visit"  # what a review is, no topic
    )
)


class CommitmentsReport:
    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.register = searcher.stores.register

    def wanted(self, question: str, plan: SearchPlan) -> bool:
        """Whether a question the mode did not mark as about commitments is answered by the
        register all the same: it names a recommendation and asks when, names an agency, or
        names one part of a recommendation ("NAI 5(c)")."""
        if not plan.rec_keys or not plan.rec_id:
            return False
        part_asked = any(recids.is_part_of(plan.rec_id, key) for key in plan.rec_keys)
        return part_asked or bool(plan.intent.agencies) or bool(_ASKS_WHEN.search(question))

    def answer(self, plan: SearchPlan) -> Answer | None:
        """The report for the recommendation or agency the plan names; None if it names
        neither."""
        agencies = [plan.agency] if plan.agency else list(dict.fromkeys(plan.intent.agencies))
        agency = agencies[0] if agencies else None
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
            details = self._details(recs, everyone=bool(agencies) and len(recs) > 1)
            lines = self._recommendations(recs, plan, agencies, citations, details)
            if isinstance(lines, str):
                return Answer(answer=lines, abstained=True, mode=Mode.commitments)
            if not lines:
                return None  # the register lost the recommendation since the plan was made
            asked_if = bool(agencies) and bool(ASKS_REPLIED.search(plan.query))
            if asked_if and not any(
                self._responses_for(d.responses, agencies, ())
                for d in self._details(recs, everyone=True, known=details).values()
                if d
            ):
                # "did the Metropolitan Police respond to 49?": no, whatever others said
                return _report(lines, citations).model_copy(update={"abstained": True})
        elif agency:
            review_id = plan.review_ids[0] if len(plan.review_ids) == 1 else None
            lines = []
            for name in agencies:
                responses = self.register.responses_of(name, review_id)
                if responses:
                    lines += self._agency_lines(name, responses, citations)
            if not lines and review_id and self._no_responses_at_all(review_id, plan):
                return None  # a report no agency answered: what it says answers the question
            if not lines:
                return Answer(
                    answer=self._no_response(agency, review_id), abstained=True,
                    mode=Mode.commitments,
                )  # fmt: skip
        else:
            return None
        return _report(lines, citations)

    def about_subject(self, question: str, plan: SearchPlan) -> Answer | None:
        """The report on the recommendation a question names by its subject, not its number
        ("did the government agree to set up a space skills task force?"): the one whose
        words or reply best match it, when nearly all of the question's subject is in them
        (_SUBJECT_SLACK); None when none is clearly the one asked about."""
        if plan.rec_id:
            return None
        subject = set(_subject_terms(question, self.searcher))
        if not subject:
            return None
        sections = (SectionKind.recommendation, SectionKind.response)
        query = _subject(question, self.searcher)
        passages = self.searcher.run(plan, k=5, query=query, sections=sections).passages
        found = []
        for passage in passages:
            rec = self._rec_of(passage.review_id, passage.recommendation)
            detail = self.register.recommendation_detail(*rec) if rec else None
            if detail is None or any(rec == f[0] for f in found):
                continue
            said = set(terms(" ".join([detail.text, *(r.text for r in detail.responses)])))
            if len(subject - said) <= (len(subject) - 1) // _SUBJECT_SLACK:
                found.append((rec, detail))
        if not found:
            return None
        # an answered recommendation first: a report and its response can number the same
        # recommendation apart, and the reply is what is asked for
        rec, detail = min(found, key=lambda f: not (f[1].responses and self._replied(f[0][0])))
        named = [plan.agency] if plan.agency else list(plan.intent.agencies)
        # the bodies of the kind asked about that replied ("the police": the force); every
        # reply where none did or the government is asked about, whose reply a department or
        # an agency a paragraph opens with gives just the same
        kinds = {self._kind(a) for a in named} - {"government"}
        agencies = list(
            dict.fromkeys(r.agency for r in detail.responses if self._kind(r.agency) in kinds)
        )
        asked = replace(plan, rec_id=rec[1])
        if not agencies:
            asked = replace(asked, intent=replace(plan.intent, categories=()))
        citations = Citations()
        lines = self._recommendations([rec], asked, agencies, citations, {rec: detail})
        if isinstance(lines, str) or not lines:
            return None
        return _report(lines, citations)

    def _details(
        self,
        recs: list[tuple[str, str]],
        everyone: bool,
        known: dict[tuple[str, str], RecommendationDetail | None] | None = None,
    ) -> dict[tuple[str, str], RecommendationDetail | None]:
        """The register's detail of each recommendation a report shows (the first three), or of
        every one asked about; each read once."""
        known = dict(known or {})
        for rec in recs if everyone else recs[:3]:
            if rec not in known:
                known[rec] = self.register.recommendation_detail(*rec)
        return known

    def _rec_of(self, review_id: str, key: str | None) -> tuple[str, str] | None:
        """The (review, recommendation) a passage's recommendation key stands for."""
        keys = self.searcher.rec_keys().items()
        return next((pair for pair, k in keys if pair[0] == review_id and k == key), None)

    def replies(self, review_id: str, key: str, citations: Citations) -> list[str]:
        """What was done about a recommendation an answer quotes (by its passage's key): each
        response's first sentences with its status; nothing where its review holds no reply."""
        rec = self._rec_of(review_id, key)
        if rec is None or not self._replied(review_id):
            return []
        detail = self.register.recommendation_detail(*rec)
        if detail is None or not detail.responses:
            return []
        lines = [f"Responses recorded to recommendation {rec[1]} ({detail.review}):"]
        for response in detail.responses[:_MOST_REPLIES]:
            spans = sentence_spans(response.text)[:_REPLY_SENTENCES]
            quoted = self._quote_spans(response.citation, response.text, spans, citations)
            lines.append(f"- **{response.agency}**{_status_label(response)}: {quoted}")
        return lines

    def _kind(self, agency: str) -> str:
        gazetteer = self.searcher.library_gazetteer
        return gazetteer.role_category(gazetteer.role_of(agency))

    def _agency_lines(
        self, agency: str, responses: list[AgencyResponse], citations: Citations
    ) -> list[str]:
        """Every response of one agency, each with its recommendation, status and deadline."""
        lines = [f"**{agency}**"]
        for response in responses[:_MOST_RESPONSES]:
            quoted = self._quote(response.citation, response.text, _MOST_SENTENCES, citations)
            lines.append(
                f"- Recommendation {response.rec_id} ({response.review})"
                f"{_status_label(response)}: {quoted}"
            )
        if len(responses) > _MOST_RESPONSES:
            lines.append(
                f"- {len(responses) - _MOST_RESPONSES} more responses by {agency} are in the "
                "register."
            )
        return lines

    def _recommendations(
        self,
        recs: list[tuple[str, str]],
        plan: SearchPlan,
        agencies: list[str],
        citations: Citations,
        details: dict[tuple[str, str], RecommendationDetail | None],
    ) -> list[str] | str:
        """Each recommendation's words and every response to it (of the agencies asked
        about), or, when the part asked about does not exist, why not; `details` holds the
        register's detail of the first three, or of all when agencies are asked about."""
        lines: list[str] = []
        if agencies and len(recs) > 1:
            # "what did the police commit to on recommendation 1?" with no review named: the
            # reviews where they answered it, not the first three that have a recommendation 1
            answered = [
                rec
                for rec, d in details.items()
                if d and self._responses_for(d.responses, agencies, ())
            ]
            if answered and len(answered) < len(recs):
                names = [details[r].review for r in answered]
                verb = "records" if len(names) == 1 else "record"
                lines.append(
                    f"Of the {len(recs)} reviews with a recommendation "
                    f"{plan.rec_id or recs[0][1]}, {'only ' if len(names) == 1 else ''}"
                    f"{_listed(names)} {verb} a response by {_listed(agencies[:1])}."
                )
                recs = answered
        for review_id, rec_id in recs[:3]:
            detail = details.get((review_id, rec_id))
            if detail is None:
                continue
            label = _part_label(plan.rec_id, rec_id)
            parts = _parts(detail) if label else []
            part = next((p for p in parts if p[0] == label), None)
            if label and not parts and not _names_part(detail, label):
                return (
                    f"There is no recommendation {plan.rec_id}: recommendation {rec_id} of the "
                    f"{detail.review} review has no lettered parts."
                )
            if label and parts and part is None:
                listed = _listed([f"({p[0]})" for p in parts])
                return (
                    f"There is no recommendation {plan.rec_id}: recommendation {rec_id} of the "
                    f"{detail.review} review has parts {listed}, and no part ({label})."
                )
            if part is not None:
                _, offset, text = part
                source = detail.citation.model_copy(
                    update={"start": detail.citation.start + offset}
                )
                quoted = self._quote(source, text, _MOST_SENTENCES, citations)
                lines.append(f"**Recommendation {rec_id}({label}) ({detail.review})**: {quoted}")
            else:
                quoted = self._quote(detail.citation, detail.text, 3, citations)
                lines.append(f"**Recommendation {rec_id} ({detail.review})**: {quoted}")
            if agencies and len(recs) == 1 and not self._replied(review_id):
                return (
                    f"No response by {_listed(agencies[:1])} is recorded for recommendation "
                    f"{rec_id} ({detail.review}): the library holds the report that makes it, "
                    "and no reply to it."
                )
            chosen = self._responses_for(detail.responses, agencies, plan.intent.categories)
            if agencies and not chosen:
                others = sorted({r.agency for r in detail.responses})
                lines.append(
                    f"- No response by {_listed(agencies[:1])} is recorded for this "
                    "recommendation"
                    + (f"; the responses recorded are by {_listed(others)}:" if others else ".")
                )
                chosen = detail.responses
            lines += self._response_lines(chosen, parts, label, citations)
            for note in detail.progress_notes:
                quoted = self._quote(note.citation, note.text, 4, citations)
                lines.append(f"- **Progress reported {note.date or ''}**: {quoted}")
        return lines

    def _response_lines(
        self,
        responses: list[ResponseDetail],
        parts: list[tuple[str, int, str]],
        label: str | None,
        citations: Citations,
    ) -> list[str]:
        """Every sentence of each response; for one part of a recommendation, the sentences
        about that part (when no response says which part it answers, all of them)."""
        spans = {id(r): sentence_spans(r.text)[:_MOST_SENTENCES] for r in responses}
        if label and parts:
            about = {id(r): _about_part(r.text, spans[id(r)], parts, label) for r in responses}
            if any(about.values()):
                spans = about
                responses = [r for r in responses if about[id(r)]]
        lines = []
        for response in responses:
            quoted = self._quote_spans(response.citation, response.text, spans[id(response)],
                                       citations)  # fmt: skip
            lines.append(f"- **{response.agency}**{_status_label(response)}: {quoted}")
        return lines

    def _replied(self, review_id: str) -> bool:
        """Whether a review's documents include one that replies to its recommendations. In a
        report alone, what the register holds as a body's response is the report's own words
        to or about it ("The government should legislate…", "The Northshire council
        published…"), not that body's reply."""
        review = next((r for r in self.searcher.reviews() if r.id == review_id), None)
        return review is None or bool(set(review.doc_types) & _RESPONDING)

    def _no_responses_at_all(self, review_id: str, plan: SearchPlan) -> bool:
        """Whether a review has recommendations but no agency's response to any, and the
        question asks about a subject ("what did the inspectors tell the board to do about
        X"): the report's own words answer it, not a response."""
        recs = self.register.recommendations(review_id)
        return (
            bool(recs)
            and not any(r.agencies for r in recs)
            and _has_topic(plan.query, self.searcher)
        )

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
        self, responses: list[ResponseDetail], agencies: list[str], categories: tuple[str, ...]
    ) -> list[ResponseDetail]:
        """The responses of the agencies asked about, else of the kind asked about
        ("police")."""
        if agencies:
            chosen = [r for r in responses if r.agency in agencies]
            if not chosen and any(self._kind(a) == "government" for a in agencies):
                # a department's reply is the government's
                chosen = [r for r in responses if self._kind(r.agency) == "government"]
            return chosen
        gazetteer = self.searcher.gazetteer
        of_kind = [r for r in responses if gazetteer.category(r.agency) in categories]
        return of_kind or responses

    def _quote(self, source: SourceRef, text: str, count: int, citations: Citations) -> str:
        """The first `count` sentences of a register text, each cited by its own span."""
        return self._quote_spans(source, text, sentence_spans(text)[:count], citations)

    def _quote_spans(
        self, source: SourceRef, text: str, spans: list[tuple[int, int]], citations: Citations
    ) -> str:
        """The given sentences of a register text, each cited by its own span."""
        document, start = source.document, source.start
        pieces = []
        for s, e in spans:
            absolute = start + s
            chunk = self.register.chunk_covering(document, absolute)
            if chunk is None:
                continue
            end = min(start + e, chunk.end)
            cited = citations.cite(Passage.from_chunk(chunk, 1.0), absolute, end)
            pieces.append(f"{tidy(text[s : end - start])} [{cited}]")
        return " ".join(pieces) if pieces else tidy(text)


# A response's sentences and an agency's responses quoted at most: a register entry runs to a
# dozen sentences; a longer text is an undivided page, not one commitment
_MOST_SENTENCES = 12
# A recommendation an answer quotes brings this much of each reply, for so many replies: what
# was done, not the whole commitments report
_REPLY_SENTENCES = 2
_MOST_REPLIES = 4
# The verbs of asking what a body did about a subject, no part of the subject
_ASKING_REPLY = re.compile(
    r"\b(?:decid|agree|accept|reject|respond|repl(?:y|ie)|say|said|support|plan|propos|promis"
    r"|intend|set(?=\s+up\b)|up(?=\s)|set up)\w*",
    re.I,
)
# A recommendation (with its replies) a question names by its subject holds every term of it,
# but one in every so many beyond the first: "county lines drug exploitation" is not a
# recommendation on exploitation whose reply mentions drugs and lines of enquiry
_SUBJECT_SLACK = 4
_MOST_RESPONSES = 25


def _part_label(asked: str | None, rec_id: str) -> str | None:
    """The lettered part a question asks about ("c" of "2c" when the register holds "2")."""
    if not asked or not recids.is_part_of(asked, rec_id):
        return None
    return asked[len(rec_id) :].lstrip(".") or None


def _parts(detail: RecommendationDetail) -> list[tuple[str, int, str]]:
    """A recommendation's lettered parts: (label, offset in its text, the part's words)."""
    found = []
    for line in re.finditer(r"[^\n]+", detail.text):
        match = recids.SUBPART.match(line.group())
        if match:
            found.append((match.group("label").lower(), line.start(), line.end()))
    if not found:
        return []
    ends = [start for _, start, _ in found[1:]] + [len(detail.text)]
    return [
        (label, start, detail.text[start:end].rstrip())
        for (label, start, _), end in zip(found, ends, strict=True)
    ]


def _about_part(
    text: str, spans: list[tuple[int, int]], parts: list[tuple[str, int, str]], label: str
) -> list[tuple[int, int]]:
    """The sentences of a response about one part of its recommendation: those sharing more
    of that part's words than of any other part's (a word in several parts counts for
    less), and a sentence naming no part's words that follows one kept ("This continues…")."""
    words = {name: set(terms(words)) for name, _, words in parts}
    shared = {w: sum(w in ws for ws in words.values()) for ws in words.values() for w in ws}
    kept: list[tuple[int, int]] = []
    previous = False
    for s, e in spans:
        sentence = set(terms(text[s:e]))
        scores = {name: sum(1 / shared[w] for w in sentence & ws) for name, ws in words.items()}
        best = max(scores.values(), default=0.0)
        keep = scores.get(label, 0.0) >= best and best > 0 if best else previous
        if keep:
            kept.append((s, e))
        previous = keep
    return kept


def _names_part(detail: RecommendationDetail, label: str) -> bool:
    """Whether a recommendation's words or its replies name a part by its letter ("(c)",
    "2c"), in a shape the part reader does not take apart."""
    pattern = re.compile(
        rf"\(\s*{re.escape(label)}\s*\)|\b{re.escape(detail.rec_id)}\s*{re.escape(label)}\b", re.I
    )
    texts = [detail.text, *(r.text for r in detail.responses)]
    return any(pattern.search(text) for text in texts)


def _report(lines: list[str], citations: Citations) -> Answer:
    return Answer(
        answer="\n".join(lines),
        citations=citations.items,
        mode=Mode.commitments,
        answerer="extractive",
    )


def _subject(question: str, searcher: Searcher) -> str:
    """A question's subject: without the reviews and bodies it names and the words of asking
    about commitments or a reply."""
    text = searcher.topic(question)
    for start, end, _ in sorted(searcher.gazetteer.find_all(text), reverse=True):
        text = text[:start] + text[end:]
    text = _ASKING_REPLY.sub(" ", COMMITMENT_WORDS.sub(" ", text))
    return " ".join(w for w in text.split() if terms(w) and terms(w)[0] not in _COMMITMENT_TERMS)


def _subject_terms(question: str, searcher: Searcher) -> list[str]:
    return terms(_subject(question, searcher))


def _has_topic(question: str, searcher: Searcher) -> bool:
    """Whether a question asks about something besides who committed what."""
    return bool(_subject_terms(question, searcher))


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


def _status_label(response: ResponseDetail) -> str:
    """The status the response's own words give and its deadline, each or that none is."""
    status = status_of(response.text)
    deadline = dates_and_deadline(response.text)[1]
    parts = [status or "no status stated"]
    parts.append(f"by {deadline}" if deadline else "no deadline is recorded")
    return f" ({'; '.join(parts)})"
