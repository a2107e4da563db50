"""Parse a document's structure from its text: findings, recommendations, responses by agency.

Works on the canonical text of any reader. The signals are generic: numbered headings
("Recommendation 3b", "Finding one:", "8.12 We recommend…" under a "Recommendation" label),
paragraph shape, emphasis, sub-parts and agency names; nothing depends on a file name.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from dataclasses import dataclass, field, replace

from review_assistant.ingest import recids
from review_assistant.ingest.agencies import Gazetteer, default_gazetteer
from review_assistant.ingest.attribution import ResponseAttributor
from review_assistant.ingest.checks import check_structure
from review_assistant.ingest.metadata import document_facts, slug
from review_assistant.ingest.paragraphs import Paragraph, split_paragraphs
from review_assistant.ingest.status import dates_and_deadline, status_of, verdict
from review_assistant.ingest.types import (
    AgencyResponse,
    Block,
    DocType,
    Finding,
    ParsedDocument,
    ProgressNote,
    RawDocument,
    Recommendation,
    RecommendationPart,
    SectionKind,
)

REC_HEADING = re.compile(
    r"^(?:- )?(?P<prefix>(?:[A-Z][\w]*\s+){0,3}?)"
    r"(?P<kw>Recommendations?|RECOMMENDATIONS?|Rec\.?|R(?=\d))"
    r"[ \t]*(?:No\.?[ \t]*|Number[ \t]*)?(?P<id>"
    + recids.ID
    + r"|(?i:"
    + recids.WORDS
    + r")\b)(?![\d.]*\d)"
    r"[ \t]*(?P<sep>[.:)\-–—]?)[ \t]*(?P<rest>[^\n]*)"
)
REC_LABEL = re.compile(
    r"^(?:[A-Z][\w]*\s+){0,4}(?:Recommendations?|RECOMMENDATIONS?)[ \t]*:?[ \t]*$"
)
NUMBERED = re.compile(
    r"^(?P<id>\d{1,3}(?:\.\d{1,3})+|\d{1,3})(?:\.(?=[A-Z])|[.)]?(?=\s|$))"
    r"(?:(?:[ \t]*|[ \t]*\n)(?P<rest>[A-Z(‘'\"“].*))?$",
    re.S,
)
FINDING_HEADING = re.compile(
    r"^(?:- )?(?:Key\s+)?(?:Finding|FINDING)[ \t]*(?:No\.?[ \t]*)?(?P<id>\d{1,2}|"
    + recids.WORDS
    + r")\b[ \t]*[:.\-–—]?[ \t]*(?P<rest>[^\n]*)",
    re.I,
)
_SUBPART = re.compile(r"^(?:- )?\(?(?P<label>[a-h]|[ivx]{1,4})\)[ \t]+(?P<text>.+)", re.S)
_RANGE_END = re.compile(recids.RANGE_END)
_AFTER_ID = re.compile(r"[ \t]*(?P<sep>[.:)\-–—]?)[ \t]*(?P<rest>[^\n]*)")
# An item of a range heading's list, labelled by its id or by the id's last part:
# "7b) Schools should…", "(iv) Each administration should…"
_ITEM = re.compile(
    rf"^(?:- )?\(?(?P<label>{recids.LABEL}|[a-z]|[ivx]{{1,4}})[.)][ \t]+(?P<text>\S.*)",
    re.S,
)
_TOC = re.compile(r"(?:\.{3,}|…{2,}|\s\.\s\.\s)|\s\d{1,3}$")
# A contents entry's end, once its wrapped lines are joined: leader dots, then a page number
_LEADERS = re.compile(r"(?:\.{3,}|…{2,}|(?:\s?\.){4,})\s*\d{0,4}\s*$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_UNANSWERED = {DocType.review_report, DocType.inspection}
# A heading that opens the list of recommendations of a report or an inspection
REC_SECTION = re.compile(
    r"^(?:(?:chapter|section|part)\s+\w+\s*[:.–—-]\s*)?(?:"
    r"summary of (?:the )?(?:conclusions and )?recommendations|(?:conclusions and )?recommendations"
    r"|key recommendations|recommendations (?:for|to) [\w ’']{1,50}"
    r"|areas? for (?:improvement|development)|what needs to improve"
    r"|what (?:does|do|should) (?:the )?[\w ’']{1,50} need to (?:improve|do)"
    r")\s*[?:.]?$",
    re.I,
)
# A recommendation made in a sentence, not under a heading: its subject and the verb
_PROSE_RECOMMENDATION = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:(?:[A-Z][\w’']*\s+){0,5}|We\s+|I\s+)(?:also\s+|further\s+)?"
    r"recommend(?:s|ed)?\s+(?:that|the)\b"
)
# What ends such a list: the next part of the document
_SECTION_END = re.compile(
    r"^(?:appendix|annex|annexe|chapter|section|part|glossary|references|information about|"
    r"the experiences and progress|the effectiveness)\b",
    re.I,
)
_END_MARK = re.compile(r"^(?:[-*=_ ]*)(?:ENDS?|End of (?:document|report))(?:[-*=_ ]*)$", re.I)
_BAD_PREFIX = {"This", "The", "Our", "In", "Under", "See", "As", "For", "Each", "Any", "That"}
# Heading shapes used to keep headings on a line of their own when splitting paragraphs.
_ANY_HEADING = re.compile(
    r"^(?:- )?(?:(?:[A-Z][\w]*\s+){0,3}(?:Recommendations?|RECOMMENDATIONS?)[ \t]*(?:No\.?[ \t]*)?"
    r"(?:" + recids.ID + r")?[ \t]*[.:)\-–—]?[ \t]*$|(?:Key\s+)?Finding[ \t]+\w+[ \t]*[:.]?[ \t]*$)"
)


@dataclass
class _Heading:
    index: int  # paragraph index
    rec_id: str
    heading: str
    rest: str  # text after the id on the heading paragraph ('' if none)
    body_start: int  # offset where the recommendation's own text begins, if on the heading
    toc: bool = False
    numbered: bool = False
    assigned: bool = False  # the document does not number it; the id is its place in order
    members: list[str] = field(default_factory=list)  # a range heading's ids ("7b-7e")


@dataclass
class _Rec:
    heading: _Heading
    finding_id: str | None
    title: str | None = None
    text_paragraphs: list[Paragraph] = field(default_factory=list)
    text_start: int = 0
    group: int = 0


class _Layout:
    """What each paragraph is: its kind, the recommendation it belongs to, its finding."""

    def __init__(self, paras: list[Paragraph]) -> None:
        self.recs: list[_Rec] = []
        self.kinds: list[SectionKind] = [SectionKind.background] * len(paras)
        self.owner_rec: list[_Rec | None] = [None] * len(paras)
        self.finding_of: list[str | None] = [None] * len(paras)

    def mark(self, indices, kind: SectionKind, rec: _Rec | None, finding: str | None) -> None:
        for index in indices:
            self.kinds[index] = kind
            self.owner_rec[index] = rec
            self.finding_of[index] = finding


class StructureParser:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()

    # -- heading recognition -------------------------------------------------------------
    def _rec_heading(self, index: int, para: Paragraph) -> _Heading | None:
        match = REC_HEADING.match(para.text)
        if not match:
            return None
        prefix = match.group("prefix").split()
        if prefix and prefix[0] in _BAD_PREFIX:
            return None
        keyword = match.group("kw")
        rec_id = recids.normalise(match.group("id"))
        members: list[str] = []
        span = _RANGE_END.match(para.text, match.end("id"))
        if span:
            named = recids.expand(rec_id, span.group("last"))
            if len(named) > 1 and all(m[:1].isdigit() for m in named):
                members = named
                match = _AFTER_ID.match(para.text, span.end())
        rest = match.group("rest").strip()
        if rest and (rest[0].islower() or rest.startswith(("of ", "and "))):
            return None  # a cross-reference ("Recommendation 5 of the Second Interim Report")
        if keyword == "R" and rest and not match.group("sep"):
            return None  # "R1" alone is an id only as a label ("R1:", "R1 –"), not in a sentence
        heading = para.text[: match.end("sep")].strip().lstrip("- ").strip()
        toc = bool(rest and _TOC.search(rest) and len(rest.split()) <= 20)
        body_start = para.start + match.start("rest") if rest else para.end
        return _Heading(index, rec_id, heading, rest, body_start, toc=toc, members=members)

    def _numbered(self, index: int, para: Paragraph) -> _Heading | None:
        match = NUMBERED.match(para.text)
        if not match:
            return None
        rec_id = match.group("id")
        rest = (match.group("rest") or "").strip()
        body_start = para.start + match.start("rest") if rest else para.end
        return _Heading(index, recids.normalise(rec_id), rec_id, rest, body_start, numbered=True)

    def _numbered_below_title(self, index: int, para: Paragraph) -> _Heading | None:
        """A numbered paragraph printed straight under its subheading, with no gap:
        "Change4Life\n8.23. It appears that…"."""
        first, newline, rest = para.text.partition("\n")
        if not newline or len(first.split()) > 10 or first.rstrip().endswith((".", ":", ";")):
            return None
        match = NUMBERED.match(rest)
        if not match or not match.group("rest"):
            return None
        below = para.start + len(first) + 1
        return _Heading(
            index, recids.normalise(match.group("id")), match.group("id"),
            match.group("rest").strip(), below + match.start("rest"), numbered=True,
        )  # fmt: skip

    # -- main entry ------------------------------------------------------------------------
    def parse(self, raw: RawDocument) -> ParsedDocument:
        facts = document_facts(raw.text)
        paragraphs = split_paragraphs(
            raw.text, heading=_ANY_HEADING, opens_paragraph=self.gazetteer.opens_with_agency
        )
        review_id = slug(facts.review) or slug(raw.file_name)
        doc = ParsedDocument(
            # content and name: the same file under two names is two documents
            doc_id=hashlib.sha256(f"{raw.file_name}\0{raw.sha256}".encode()).hexdigest()[:16],
            file_name=raw.file_name,
            sha256=raw.sha256,
            source_format=raw.source_format,
            title=facts.title,
            review=facts.review,
            review_id=review_id,
            partnership=facts.partnership,
            doc_type=facts.doc_type,
            date=facts.date,
            dates=facts.dates,
            text=raw.text,
            pages=raw.pages,
            ocr_pages=raw.ocr_pages,
        )
        if facts.doc_type == DocType.minutes:
            self._parse_minutes(doc, raw, paragraphs)
        else:
            self._parse_response(doc, raw, paragraphs)
        doc.check = check_structure(doc)
        return doc

    # -- minutes: progress notes on an existing review ------------------------------------
    def _parse_minutes(self, doc: ParsedDocument, raw: RawDocument, paras: list[Paragraph]) -> None:
        for para in paras:
            heading = self._rec_heading(0, para) or self._progress_reference(para)
            kind = SectionKind.background
            rec_id = None
            if heading is not None:
                kind = SectionKind.progress
                rec_id = heading.rec_id
                doc.progress_notes.append(
                    ProgressNote(
                        rec_id=rec_id,
                        text=para.text.lstrip("- "),
                        agencies=self._mentions(para.text),
                        start=para.start + (2 if para.bullet else 0),
                        end=para.end,
                        page=raw.page_at(para.start),
                        date=doc.date,
                    )
                )
            doc.blocks.append(
                Block(
                    start=para.start,
                    end=para.end,
                    kind=kind,
                    rec_id=rec_id,
                    agency=self.gazetteer.opening_agency(para.text.lstrip("- "))
                    if rec_id
                    else None,
                    agencies_mentioned=self._mentions(para.text),
                )
            )

    @staticmethod
    def _progress_reference(para: Paragraph) -> _Heading | None:
        match = re.match(
            r"^(?:- )?(?:Recommendation|Rec\.?)s?\s*(" + recids.ID + r")\b", para.text, re.I
        )
        if not match:
            return None
        return _Heading(0, recids.normalise(match.group(1)), match.group(0), "", para.end)

    def _mentions(self, text: str) -> list[str]:
        return self.gazetteer.mentions(text)

    # -- responses: recommendations and what each agency did -------------------------------
    def _find_headings(
        self, paras: list[Paragraph], emphasised: set[int] | None = None
    ) -> dict[int, _Heading]:
        headings: dict[int, _Heading] = {}
        index = 0
        while index < len(paras):
            para = paras[index]
            heading = self._rec_heading(index, para)
            items = self._range_items(paras, heading) if heading and heading.members else {}
            if items:  # the range heading is a title over its items, which are the recs
                headings.update(items)
                index = max(items) + 1
                continue
            if heading:
                headings[index] = heading
                index += 1
                continue
            if REC_LABEL.match(para.text.strip()):
                # "Committee Recommendation" then, within a few short lines, "8.12 We recommend…"
                for ahead in range(index + 1, min(index + 6, len(paras))):
                    numbered = self._numbered(ahead, paras[ahead])
                    if numbered:
                        numbered.heading = f"{para.text.strip()} {numbered.heading}"
                        headings[ahead] = numbered
                        index = ahead
                        break
                    if len(paras[ahead].text.split()) > 15 or REC_LABEL.match(paras[ahead].text):
                        break
            index += 1
        self._section_headings(paras, headings, emphasised or set())
        if not headings:
            self._prose_headings(paras, headings)
        return headings

    @staticmethod
    def _range_items(paras: list[Paragraph], heading: _Heading) -> dict[int, _Heading]:
        """The items under a range heading ("Recommendations 7b-7d" then "7b) …", "7c) …"),
        when each of its ids is labelled in turn: each item is that recommendation."""
        items: dict[int, _Heading] = {}
        for ahead, member in enumerate(heading.members, heading.index + 1):
            match = _ITEM.match(paras[ahead].text) if ahead < len(paras) else None
            label = match.group("label").lower() if match else ""
            if not match or label not in (member, member.rsplit(".", 1)[-1], member[-1]):
                return {}
            items[ahead] = _Heading(
                ahead, member, f"{heading.heading} ({label})", match.group("text").strip(),
                paras[ahead].start + match.start("text"),
            )  # fmt: skip
        return items

    def _prose_headings(self, paras: list[Paragraph], headings: dict[int, _Heading]) -> None:
        """A document that numbers nothing but recommends in prose ("The Ombudsman
        recommended that…", "We recommend that…"): each such paragraph is a recommendation,
        numbered in order and marked as such. Its own text starts at the recommending words."""
        for index, para in enumerate(paras):
            match = _PROSE_RECOMMENDATION.search(para.text)
            if match is None or len(para.text.split()) < 8:
                continue
            number = str(len(headings) + 1)
            headings[index] = _Heading(
                index, number, f"Recommendation {number} (in prose)", para.text[match.start():],
                para.start + match.start(), numbered=True, assigned=True,
            )  # fmt: skip

    def _section_headings(
        self, paras: list[Paragraph], headings: dict[int, _Heading], emphasised: set[int]
    ) -> None:
        """Recommendations listed under a heading that names them ("Summary of conclusions and
        recommendations", "What does the local authority need to improve?"): numbered
        paragraphs take their printed numbers; an unnumbered list of bullets is numbered in
        order and marked as assigned."""
        unnumbered: list[tuple[str, list[int]]] = []
        for index, para in enumerate(paras):
            title = re.sub(r"\b([A-Z]) (?=[A-Z]{2,})", r"\1", " ".join(para.text.split()))
            if len(title.split()) > 15 or not REC_SECTION.match(title):
                continue
            numbered: dict[int, _Heading] = {}
            bullets: list[int] = []
            # "Conclusions and recommendations" is a chapter whose subheadings group the list;
            # under "Areas for improvement" a subheading starts the next part of the report
            chapter = bool(re.search(r"conclusions|summary", title, re.I))
            for ahead in range(index + 1, len(paras)):
                text = paras[ahead].text.strip()
                if ahead in headings or (_SECTION_END.match(text) and len(text.split()) <= 12):
                    break
                if REC_SECTION.match(" ".join(text.split())):
                    break
                found = self._numbered(ahead, paras[ahead]) or self._numbered_below_title(
                    ahead, paras[ahead]
                )
                if found is not None and found.rest:
                    numbered[ahead] = found
                elif paras[ahead].bullet and len(text.split()) >= 4:
                    if not numbered:
                        bullets.append(ahead)
                elif (numbered or bullets) and not chapter and (
                    len(text.split()) > 30
                    or (_is_section_title(paras[ahead])
                        and not _continues_list(paras, ahead, self._numbered))
                ):  # fmt: skip
                    break  # the narrative resumes: the list has ended
            marked = [ahead for ahead in numbered if ahead in emphasised]
            if chapter and len(marked) >= 3 and len(numbered) - len(marked) >= 3:
                # a summary that sets its recommendations apart from its conclusions by type
                # (bold or italic) counts only those, in order: "Recommendation 1" is the
                # first set apart, whatever paragraph number it is printed with
                for number, ahead in enumerate(marked, 1):
                    found = numbered[ahead]
                    headings.setdefault(
                        ahead,
                        _Heading(
                            ahead, str(number), f"{title.rstrip('?:.')} {found.heading}",
                            found.rest, found.body_start, numbered=True, assigned=True,
                        ),
                    )  # fmt: skip
                continue
            if numbered:
                for ahead, found in numbered.items():
                    found.heading = f"{title.rstrip('?:.')} {found.heading}"
                    headings.setdefault(ahead, found)
            elif bullets:
                unnumbered.append((title.rstrip("?:."), bullets))
        # unnumbered lists are numbered in order, after any number the document prints, so
        # that no id is taken twice
        printed = [int(h.rec_id) for h in headings.values() if h.rec_id.isdigit()]
        assigned = max(printed, default=0)
        for title, bullets in unnumbered:
            for ahead in bullets:
                assigned += 1
                bullet = paras[ahead]
                headings.setdefault(
                    ahead,
                    _Heading(
                        ahead, str(assigned), f"{title} ({assigned})",
                        bullet.text[2:].strip(), bullet.start + 2, numbered=True, assigned=True,
                    ),
                )  # fmt: skip

    def _parse_response(
        self, doc: ParsedDocument, raw: RawDocument, paras: list[Paragraph]
    ) -> None:
        layout = self._sections(doc, raw, paras)
        recs = _choose(layout, raw)
        self._repair_duplicates(recs)
        _regroup(recs, layout, answered=doc.doc_type not in _UNANSWERED)
        by_group: dict[int, list[_Rec]] = {}
        for rec in recs:
            by_group.setdefault(rec.group, []).append(rec)
        responses = self._blocks_and_responses(doc, raw, paras, layout, by_group)
        for rec in recs:
            members = by_group[rec.group]
            runs = responses.get(rec.group, [])
            numbered = _numbered_answers(members, runs, raw) if len(members) > 1 else None
            if numbered is not None:  # "Responses" then "1. …", "2. …": each answers its own
                runs = numbered.get(rec.heading.rec_id, [])
            built = self._build_recommendation(rec, members, runs, raw)
            if numbered is not None:
                # the passages still carry the group's key; only the answers are apart
                built.shared_with = []
            doc.recommendations.append(built)

    def _find_findings(
        self, paras: list[Paragraph], headings: dict[int, _Heading]
    ) -> dict[int, tuple[str, str]]:
        """Paragraphs that open a finding: index -> (finding id, text after the heading)."""
        findings: dict[int, tuple[str, str]] = {}
        for index, para in enumerate(paras):
            if index in headings:
                continue
            match = FINDING_HEADING.match(para.text)
            if match and not (match.group("rest")[:1].islower()):
                fid = match.group("id").lower()
                findings[index] = (recids.WORD_NUMBERS.get(fid, fid), match.group("rest").strip())
        return findings

    def _sections(self, doc: ParsedDocument, raw: RawDocument, paras: list[Paragraph]) -> _Layout:
        """Walk the paragraphs once: findings (added to `doc`), recommendations with their own
        text, and the response paragraphs that follow each recommendation."""
        emphasised = _emphasised_paragraphs(paras, raw.emphasis)
        headings = self._find_headings(paras, emphasised)
        findings = self._find_findings(paras, headings)
        layout = _Layout(paras)
        # a report or an inspection states recommendations; nobody answers them in it
        answered = doc.doc_type not in _UNANSWERED
        current_finding: str | None = None
        current: _Rec | None = None
        group = 0
        in_response = False
        index = 0
        while index < len(paras):
            para = paras[index]
            if _END_MARK.match(para.text.strip()):
                current = None
                index += 1
                continue
            if index in findings:
                current_finding, current = findings[index][0], None
                index = self._take_finding(doc, raw, paras, index, findings, headings, layout)
                continue
            if index in headings:
                heading = headings[index]
                # A heading straight after another recommendation's text (no response between)
                # joins its group: the response that follows answers them all.
                if (
                    not answered
                    or not (current is not None and not in_response and current.text_paragraphs)
                    or heading.numbered != current.heading.numbered
                ):
                    group += 1
                rec = _Rec(heading=heading, finding_id=current_finding, group=group)
                index = self._collect_rec_text(rec, paras, index, headings, findings, emphasised)
                layout.mark(range(heading.index, index), SectionKind.recommendation, rec,
                            current_finding)  # fmt: skip
                layout.recs.append(rec)
                for member in heading.members[1:]:  # "Recommendations 6 and 7: …" share it
                    layout.recs.append(replace(rec, heading=replace(heading, rec_id=member)))
                current = rec
                in_response = False
                continue
            if current is not None and answered:
                if _is_section_title(para) and (index + 1 in headings or index + 1 in findings):
                    current = None
                    index += 1
                    continue
                layout.mark([index], SectionKind.response, current, current.finding_id)
                in_response = True
            index += 1
        return layout

    @staticmethod
    def _take_finding(
        doc: ParsedDocument,
        raw: RawDocument,
        paras: list[Paragraph],
        index: int,
        findings: dict[int, tuple[str, str]],
        headings: dict[int, _Heading],
        layout: _Layout,
    ) -> int:
        """Record the finding opened at `index`; return the index of the paragraph after it."""
        fid, rest = findings[index]
        para = paras[index]
        end = index + 1
        while (
            end < len(paras)
            and end not in headings
            and end not in findings
            and not REC_LABEL.match(paras[end].text.strip())
        ):
            end += 1
        body = paras[index + (0 if rest else 1) : end]
        layout.mark(range(index, end), SectionKind.finding, None, fid)
        if body:
            text_start = para.start + para.text.find(rest) if rest else body[0].start
            doc.findings.append(
                Finding(
                    finding_id=fid,
                    text=raw.text[text_start : body[-1].end].strip(),
                    start=text_start,
                    end=body[-1].end,
                    page=raw.page_at(para.start),
                )
            )
        return end

    def _blocks_and_responses(
        self,
        doc: ParsedDocument,
        raw: RawDocument,
        paras: list[Paragraph],
        layout: _Layout,
        by_group: dict[int, list[_Rec]],
    ) -> dict[int, list[tuple[int, int, str]]]:
        """Add every paragraph to `doc` as blocks (response paragraphs split by agency); return
        the attributed response runs of each group of recommendations."""
        fallback = (
            self.gazetteer.resolve(doc.partnership) or doc.partnership
            if doc.partnership
            else "Unattributed"
        )
        attributor = ResponseAttributor(self.gazetteer, raw, fallback)
        responses: dict[int, list[tuple[int, int, str]]] = {}
        for index, para in enumerate(paras):
            rec, kind = layout.owner_rec[index], layout.kinds[index]
            segments: list[tuple[int, int, str | None]] = [(para.start, para.end, None)]
            if kind == SectionKind.response and rec is not None:
                own = _own_text(by_group[rec.group][0], raw)
                segments = attributor.response(para, id(rec), own)
                responses.setdefault(rec.group, []).extend(segments)
            elif kind == SectionKind.recommendation:
                attributor.recommendation_text()
            group_key = self._group_key(by_group, rec) if rec else None
            for start, end, agency in segments:
                doc.blocks.append(
                    Block(
                        start=start,
                        end=end,
                        kind=kind,
                        rec_id=group_key,
                        finding_id=layout.finding_of[index],
                        agency=agency,
                        agencies_mentioned=self._mentions(raw.text[start:end]),
                    )
                )
        return responses

    @staticmethod
    def _group_key(by_group: dict[int, list[_Rec]], rec: _Rec) -> str:
        return ", ".join(r.heading.rec_id for r in by_group[rec.group])

    def _collect_rec_text(
        self,
        rec: _Rec,
        paras: list[Paragraph],
        index: int,
        headings: dict[int, _Heading],
        findings: dict[int, tuple[str, str]],
        emphasised: set[int],
    ) -> int:
        """Attach the recommendation's own text; return the index of the paragraph after it."""
        heading = rec.heading
        rest = heading.rest
        nxt = index + 1

        def is_boundary(j: int) -> bool:
            return j >= len(paras) or j in headings or j in findings

        para = paras[index]
        newline = para.text.find("\n")
        # Text on the heading paragraph's next lines ("Recommendation 1: Title\nAgencies…").
        below: int | None = None
        if newline != -1 and para.text[newline:].strip():
            after = para.text[newline + 1 :]
            below = para.start + newline + 1 + len(after) - len(after.lstrip())
        if heading.toc:
            return nxt
        if rest:
            is_title = (
                len(rest.split()) <= 12
                and not rest.rstrip().endswith((".", ";", ","))
                and not heading.numbered
                and (
                    below is not None
                    or (not is_boundary(nxt) and not _SUBPART.match(paras[nxt].text))
                )
            )
            if is_title:
                rec.title = rest.strip()
                if below is not None:
                    rec.text_start, rec.text_paragraphs = below, [para]
                else:
                    rec.text_start, rec.text_paragraphs = paras[nxt].start, [paras[nxt]]
                    nxt += 1
            else:
                rec.text_start = heading.body_start
                rec.text_paragraphs = [para]
        elif below is not None:
            rec.text_start, rec.text_paragraphs = below, [para]
        elif is_boundary(nxt):
            return nxt
        else:
            rec.text_start = paras[nxt].start
            rec.text_paragraphs = [paras[nxt]]
            nxt += 1

        first_emphasised = any(paras.index(p) in emphasised for p in rec.text_paragraphs)
        while not is_boundary(nxt):
            last = rec.text_paragraphs[-1].text.rstrip()
            candidate = paras[nxt]
            body = candidate.text.lstrip("- ")
            introduces = last.endswith(":")
            if (
                _SUBPART.match(candidate.text)
                or (introduces and (candidate.bullet or _SUBPART.match(body)))
                or (candidate.bullet and rec.text_paragraphs[-1].bullet and _in_list(rec))
                or (first_emphasised and nxt in emphasised)
                or _URL.match(candidate.text.strip())
            ):
                rec.text_paragraphs.append(candidate)
                nxt += 1
                continue
            break
        # Grouped recommendations under one label: "8.3 …" then "8.4 …", one response.
        if heading.numbered and not is_boundary(nxt):
            follow = self._numbered(nxt, paras[nxt])
            if follow and recids.same_series(heading.rec_id, follow.rec_id):
                headings[nxt] = follow
        return nxt

    @staticmethod
    def _repair_duplicates(recs: list[_Rec]) -> None:
        """A number used twice for different text: a typo for the next number, if that is free."""
        seen: dict[str, _Rec] = {}
        for rec in recs:
            rec_id = rec.heading.rec_id
            if rec_id not in seen:
                seen[rec_id] = rec
                continue
            successor = recids.successor(rec_id)
            if (
                successor
                and successor not in seen
                and all(r.heading.rec_id != successor for r in recs)
            ):
                new_id = successor
            else:
                n = 2
                while f"{rec_id} ({n})" in seen:
                    n += 1
                new_id = f"{rec_id} ({n})"
            rec.heading.heading = f"{rec.heading.heading} [numbered {rec_id} in the source]"
            rec.heading.rec_id = new_id
            seen[new_id] = rec

    def _build_recommendation(
        self,
        rec: _Rec,
        members: list[_Rec],
        responses: list[tuple[int, int, str]],
        raw: RawDocument,
    ) -> Recommendation:
        heading = rec.heading
        text = ""
        end = rec.text_start
        if rec.text_paragraphs:
            end = rec.text_paragraphs[-1].end
            text = raw.text[rec.text_start : end].strip()
        parts = [
            RecommendationPart(label=m.group("label"), text=" ".join(m.group("text").split()))
            for p in rec.text_paragraphs
            if (m := _SUBPART.match(p.text))
        ]
        agency_responses: list[AgencyResponse] = []
        for seg_start, seg_end, agency in responses:
            last = agency_responses[-1] if agency_responses else None
            if last is not None and last.agency == agency and seg_start - last.end <= 3:
                last.end = seg_end
                last.text = raw.text[last.start : seg_end].strip()
                last.page_end = raw.page_at(max(seg_end - 1, seg_start))
                continue
            agency_responses.append(
                AgencyResponse(
                    agency=agency,
                    text=raw.text[seg_start:seg_end].strip(),
                    start=seg_start,
                    end=seg_end,
                    page_start=raw.page_at(seg_start),
                    page_end=raw.page_at(max(seg_end - 1, seg_start)),
                )
            )
        for response in agency_responses:
            response.status = status_of(response.text)
            response.dates, response.deadline = dates_and_deadline(response.text)
        return Recommendation(
            rec_id=heading.rec_id,
            heading=heading.heading,
            finding_id=rec.finding_id,
            title=rec.title,
            text=text,
            parts=parts,
            start=rec.text_start,
            end=end,
            page=raw.page_at(rec.text_start),
            response_start=responses[0][0] if responses else None,
            response_end=responses[-1][1] if responses else None,
            shared_with=[m.heading.rec_id for m in members if m is not rec],
            group_key=", ".join(m.heading.rec_id for m in members),
            numbered_as=(
                "not numbered in the document: numbered in order"
                if heading.assigned
                else heading.heading
                if "[numbered" in heading.heading
                else None
            ),
            responses=agency_responses,
        )


def _numbered_answers(
    members: list[_Rec], runs: list[tuple[int, int, str]], raw: RawDocument
) -> dict[str, list[tuple[int, int, str]]] | None:
    """A list of recommendations answered by a list numbered the same way: the runs of each
    member's own item, or None when the response is not such a list."""
    ids = [m.heading.rec_id for m in members]
    owner: str | None = None
    split: dict[str, list[tuple[int, int, str]]] = {}
    for start, end, agency in runs:
        text = raw.text[start:end].lstrip("- ")
        label = re.match(rf"^\(?({recids.LABEL})[.):]\s", text)
        if label and recids.normalise(label.group(1)) in ids:
            owner = recids.normalise(label.group(1))
        if owner is not None:
            split.setdefault(owner, []).append((start, end, agency))
    return split if len(split) >= max(2, len(ids) - 1) else None


def _role(rec: _Rec, raw: RawDocument) -> str:
    """What a heading with its text is: "contents" (an entry of a contents page, its leaders
    perhaps on a wrapped line), "verdict" (a summary table's row: the id and a status),
    "empty" (a heading with no words) or "own" (a recommendation in its own words)."""
    own = " ".join(_own_text(rec, raw).split())
    joined = " ".join(f"{rec.title or ''} {own}".split())
    if rec.heading.toc or (len(joined.split()) <= 30 and _LEADERS.search(joined)):
        return "contents"
    if not own:
        return "empty"
    return "verdict" if verdict(own) else "own"


def _lend_words(
    candidates: list[_Rec], layout: _Layout, raw: RawDocument, responded: set[int]
) -> _Rec | None:
    """A list of recommendations in full, then the same ids again as headings over their
    answers ("Recommendation 1" / "Northshire Police: The force has…"): the first heading with
    a recommendation's wording lends its words to the first whose "text" is an answer, and
    that text becomes the answer it is. Returns the heading that now has words and answer."""

    def directive(rec: _Rec) -> bool:
        return bool(_DIRECTIVE.search(_own_text(rec, raw)[:300]))

    worded = next((r for r in candidates if r.text_paragraphs and directive(r)), None)
    answer = next(
        (r for r in candidates
         if worded is not None and r.heading.index > worded.heading.index
         and r.text_paragraphs and not directive(r) and id(r) not in responded
         and _role(r, raw) == "own"),
        None,
    )  # fmt: skip
    if worded is None or answer is None or worded is answer:
        return None
    for index in _indices(answer, layout)[1:]:
        layout.kinds[index] = SectionKind.response
    answer.text_paragraphs, answer.text_start = worded.text_paragraphs, worded.text_start
    answer.title = answer.title or worded.title
    return answer


def _indices(rec: _Rec, layout: _Layout) -> list[int]:
    """The heading's paragraph index, then those of the words under it."""
    last = _last_index(rec, layout)
    return list(range(rec.heading.index, last + 1))


def _echoes(text: str, original: str) -> bool:
    """Whether a repeated list's entry gives the same words as the recommendation itself."""
    a, b = " ".join(text.lower().split())[:400], " ".join(original.lower().split())[:400]
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _choose(layout: _Layout, raw: RawDocument) -> list[_Rec]:
    """Decide, for the whole document, which heading of each id is the recommendation.

    An id printed more than once (a contents page, a summary list or table at the front, an
    annex repeating the list) has one heading that owns its words and response; the others
    point to it: a summary row's status becomes a response of the recommendation it names, a
    repeated entry is a passage about it, a contents entry is background. Headings whose words
    differ are real repeats and all kept (their ids repaired later)."""
    responded = {id(rec) for rec, kind in zip(layout.owner_rec, layout.kinds, strict=True)
                 if rec is not None and kind == SectionKind.response}  # fmt: skip
    by_id: dict[str, list[_Rec]] = {}
    for rec in layout.recs:
        by_id.setdefault(rec.heading.rec_id, []).append(rec)
    kept: list[_Rec] = []
    pointers: dict[int, tuple[_Rec | None, SectionKind]] = {}
    for candidates in by_id.values():
        lent = _lend_words(candidates, layout, raw, responded) if len(candidates) > 1 else None
        if lent is not None:
            responded = responded | {id(lent)}
        roles = {id(rec): _role(rec, raw) for rec in candidates}
        worded = [rec for rec in candidates if roles[id(rec)] == "own"]
        owner = next((rec for rec in worded if id(rec) in responded), worded[0] if worded else None)
        for rec in candidates:
            role = roles[id(rec)]
            if role == "contents" or (role == "empty" and len(candidates) > 1):
                pointers[id(rec)] = (None, SectionKind.background)
            elif owner is not None and role == "verdict":
                pointers[id(rec)] = (owner, SectionKind.response)
            elif (
                owner is not None
                and rec is not owner
                and id(rec) not in responded
                and _echoes(_own_text(rec, raw), _own_text(owner, raw))
            ):
                pointers[id(rec)] = (owner, SectionKind.recommendation)
            else:
                kept.append(rec)
    order = {id(rec): position for position, rec in enumerate(layout.recs)}
    kept.sort(key=lambda rec: order[id(rec)])
    for index, rec in enumerate(layout.owner_rec):
        if rec is None or id(rec) not in pointers:
            continue
        owner, kind = pointers[id(rec)]
        heading_or_text = layout.kinds[index] == SectionKind.recommendation
        if owner is None or not heading_or_text:
            layout.owner_rec[index], layout.kinds[index] = None, SectionKind.background
        else:
            layout.owner_rec[index], layout.kinds[index] = owner, kind
    return kept


def _regroup(recs: list[_Rec], layout: _Layout, answered: bool) -> None:
    """Recommendations printed one after another with nothing between (no response, no other
    paragraph) share the response that follows them; so do the ids of one range heading."""
    group = 0
    previous: _Rec | None = None
    for rec in recs:
        joins = previous is not None and (
            previous.heading.index == rec.heading.index
            or (
                answered
                and bool(previous.text_paragraphs)
                and previous.heading.numbered == rec.heading.numbered
                and _last_index(previous, layout) + 1 == rec.heading.index
            )
        )
        if not joins:
            group += 1
        rec.group = group
        previous = rec


def _last_index(rec: _Rec, layout: _Layout) -> int:
    """The index of the last paragraph holding a recommendation's heading or words."""
    last = rec.heading.index
    for index in range(rec.heading.index, len(layout.kinds)):
        if layout.owner_rec[index] is not rec or layout.kinds[index] != SectionKind.recommendation:
            break
        last = index
    return last


# How an improvement or a recommendation is worded: an instruction ("Ensure that…") or a
# statement of what should happen ("The board should…", "We recommend…")
_DIRECTIVE = re.compile(
    r"^(?:ensure|undertake|recruit|develop|strengthen|establish|improve|increase|accelerate|"
    r"review|consider|provide|make|set|publish|introduce|implement|reduce|embed|continue|"
    r"monitor|agree|clarify|prioritise|secure|extend|evaluate|commission|appoint|create|share|"
    r"raise|identify|take|work|use|put|give|promote|support|audit|update|revise|record|assess|"
    r"address|tackle|enable|deliver|ask|build|check|confirm|define|engage|involve|seek|train)\b"
    r"|\b(?:should|must|needs? to|ought to|recommend|urge)\b",
    re.I,
)


def _continues_list(paras: list[Paragraph], index: int, numbered) -> bool:
    """Whether the numbered paragraph after a subheading still reads as a recommendation."""
    for ahead in range(index + 1, min(index + 4, len(paras))):
        found = numbered(ahead, paras[ahead])
        if found is not None and found.rest:
            return bool(_DIRECTIVE.search(found.rest[:200]))
        if paras[ahead].bullet:
            return bool(_DIRECTIVE.search(paras[ahead].text[2:200]))
        if not _is_section_title(paras[ahead]):
            return False
    return False


def _own_text(rec: _Rec, raw: RawDocument) -> str:
    if not rec.text_paragraphs:
        return ""
    return raw.text[rec.text_start : rec.text_paragraphs[-1].end]


def _in_list(rec: _Rec) -> bool:
    return any(p.text.rstrip().endswith(":") for p in rec.text_paragraphs)


def _is_section_title(para: Paragraph) -> bool:
    text = para.text.strip()
    return (
        "\n" not in text
        and len(text.split()) <= 10
        and text[:1].isupper()
        and not text.endswith((".", ":", ";", ","))
        and not para.bullet
    )


def _emphasised_paragraphs(paras: list[Paragraph], emphasis: list[tuple[int, int]]) -> set[int]:
    """Paragraphs that are mostly bold (a recommendation's own text is often set in bold)."""
    merged: list[list[int]] = []
    for start, end in sorted(emphasis):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    # disjoint and sorted, so both starts and ends ascend: each paragraph finds its spans by
    # bisection instead of scanning them all
    starts = [start for start, _ in merged]
    ends = [end for _, end in merged]
    marked: set[int] = set()
    for index, para in enumerate(paras):
        first, last = bisect.bisect_right(ends, para.start), bisect.bisect_left(starts, para.end)
        covered = sum(
            min(ends[i], para.end) - max(starts[i], para.start) for i in range(first, last)
        )
        if covered >= 0.6 * len(para.text.strip()):
            marked.add(index)
    return marked
