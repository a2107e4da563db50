"""The paragraph walk: one pass in order that says what each paragraph of a document is.

A finding runs to the next heading; a recommendation's heading takes its own text (a title,
the words under it, its sub-parts and bullets); what follows, up to the next heading, is its
response. The walk records findings in the document and returns a `Layout`: the kind, the
recommendation and the finding of every paragraph, and the recommendations in order.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from review_assistant.ingest import recids
from review_assistant.ingest.candidates import find_findings, find_headings
from review_assistant.ingest.headings import REC_LABEL, Heading, is_subheading, numbered
from review_assistant.ingest.paragraphs import Paragraph
from review_assistant.ingest.scoring import Scorer
from review_assistant.ingest.sentences import GOES_ON, HEADING_TITLE, is_heading
from review_assistant.ingest.types import DocType, Finding, ParsedDocument, RawDocument, SectionKind

_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_END_MARK = re.compile(r"^(?:[-*=_ ]*)(?:ENDS?|End of (?:document|report))(?:[-*=_ ]*)$", re.I)
# a report or an inspection states recommendations; nobody answers them in it
_UNANSWERED = {DocType.review_report, DocType.inspection}


def answered(doc_type: DocType) -> bool:
    """Whether a document of this type answers recommendations (a response, an action plan)."""
    return doc_type not in _UNANSWERED


@dataclass
class Rec:
    """A recommendation's heading with the text the walk gave it."""

    heading: Heading
    finding_id: str | None
    title: str | None = None
    text_paragraphs: list[Paragraph] = field(default_factory=list)
    text_start: int = 0
    group: int = 0
    # the paragraph after its words where nothing answers it (a report's list item that runs
    # on to a second paragraph ends there, perhaps with its tag "(Conclusion, Paragraph 6)")
    tail: Paragraph | None = None

    def own_text(self, raw: RawDocument) -> str:
        """The recommendation's own words, as printed."""
        if not self.text_paragraphs:
            return ""
        return raw.text[self.text_start : self.text_paragraphs[-1].end]

    def in_list(self) -> bool:
        """Whether its words introduce a list ("…the board should:")."""
        return any(p.text.rstrip().endswith(":") for p in self.text_paragraphs)


class Layout:
    """What each paragraph is: its kind, the recommendation it belongs to, its finding."""

    def __init__(self, paras: list[Paragraph]) -> None:
        self.recs: list[Rec] = []
        self.kinds: list[SectionKind] = [SectionKind.background] * len(paras)
        self.owner_rec: list[Rec | None] = [None] * len(paras)
        self.finding_of: list[str | None] = [None] * len(paras)

    def mark(self, indices, kind: SectionKind, rec: Rec | None, finding: str | None) -> None:
        for index in indices:
            self.kinds[index] = kind
            self.owner_rec[index] = rec
            self.finding_of[index] = finding

    def last_index(self, rec: Rec) -> int:
        """The index of the last paragraph holding a recommendation's heading or words."""
        last = rec.heading.index
        for index in range(rec.heading.index, len(self.kinds)):
            if self.owner_rec[index] is not rec or self.kinds[index] != SectionKind.recommendation:
                break
            last = index
        return last


def walk(
    doc: ParsedDocument, raw: RawDocument, paras: list[Paragraph], scorer: Scorer | None = None
) -> Layout:
    """Walk the paragraphs once: findings (added to `doc`), recommendations with their own
    text, and the response paragraphs that follow each recommendation. The headings are the
    candidates `scorer` keeps; without one, those the hand-written tiers find."""
    return _Walk(doc, raw, paras, scorer).run()


def emphasised_paragraphs(paras: list[Paragraph], emphasis: list[tuple[int, int]]) -> set[int]:
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


def _below_heading(para: Paragraph) -> int | None:
    """Where text on a heading paragraph's next lines begins ("Recommendation 1: Title\n
    Agencies should…"), if it has any."""
    newline = para.text.find("\n")
    if newline == -1 or not para.text[newline:].strip():
        return None
    after = para.text[newline + 1 :]
    return para.start + newline + 1 + len(after) - len(after.lstrip())


def _wraps_title(line: str, title: str = "") -> bool:
    """Whether the line under a heading's title goes on with the title ("Recommendation 2:
    Attendance of the members\nat its meetings"): one short line with no stop, in lower case
    or after a title left open on a word no title ends with ("… Code in\nNorthshire")."""
    line = line.strip()
    words = title.split()
    left_open = bool(words) and words[-1].lower() in GOES_ON
    return (
        bool(line)
        and "\n" not in line
        and (line[0].islower() or left_open)
        and len(line.split()) <= 8
        and not line.endswith(".")
    )


class _Walk:
    """The walk's state: the finding and the recommendation it is in, and the group of
    recommendations that one response answers."""

    def __init__(
        self, doc: ParsedDocument, raw: RawDocument, paras: list[Paragraph], scorer: Scorer | None
    ) -> None:
        self.doc, self.raw, self.paras = doc, raw, paras
        self.emphasised = emphasised_paragraphs(paras, raw.emphasis)
        self.headings = (
            scorer.select(paras, self.emphasised)
            if scorer is not None
            else find_headings(paras, self.emphasised)
        )
        self.findings = find_findings(paras, self.headings)
        self.layout = Layout(paras)
        self.answered = answered(doc.doc_type)
        self.finding: str | None = None
        self.current: Rec | None = None
        self.group = 0
        self.in_response = False
        # a numbered paragraph that continues the last recommendation's list ("8.3 …" then
        # "8.4 …" under one label): the heading of the paragraph the walk takes next
        self.follow: Heading | None = None

    def run(self) -> Layout:
        index = 0
        while index < len(self.paras):
            index = self._step(index)
        return self.layout

    def _step(self, index: int) -> int:
        """Take the paragraph at `index` (and any that belong with it); return the next."""
        para = self.paras[index]
        if _END_MARK.match(para.text.strip()):
            self.current = None
            return index + 1
        if index in self.findings:
            self.finding, self.current = self.findings[index][0], None
            return self._take_finding(index)
        heading = self._heading_at(index)
        if heading is not None:
            return self._take_recommendation(heading)
        if self.current is not None and self.answered:
            if is_subheading(para) and (index + 1 in self.headings or index + 1 in self.findings):
                self.current = None
            else:
                self.layout.mark(
                    [index], SectionKind.response, self.current, self.current.finding_id
                )
                self.in_response = True
        return index + 1

    def _heading_at(self, index: int) -> Heading | None:
        if self.follow is not None and self.follow.index == index:
            return self.follow
        return self.headings.get(index)

    def _boundary(self, index: int) -> bool:
        """Whether a recommendation's text cannot run on to the paragraph at `index`."""
        return index >= len(self.paras) or index in self.headings or index in self.findings

    def _take_finding(self, index: int) -> int:
        """Record the finding opened at `index`; return the index of the paragraph after it."""
        fid, rest = self.findings[index]
        paras = self.paras
        para = paras[index]
        end = index + 1
        while (
            end < len(paras)
            and end not in self.headings
            and end not in self.findings
            and not REC_LABEL.match(paras[end].text.strip())
        ):
            end += 1
        body = paras[index + (0 if rest else 1) : end]
        self.layout.mark(range(index, end), SectionKind.finding, None, fid)
        if body:
            text_start = para.start + para.text.find(rest) if rest else body[0].start
            self.doc.findings.append(
                Finding(
                    finding_id=fid,
                    text=self.raw.text[text_start : body[-1].end].strip(),
                    start=text_start,
                    end=body[-1].end,
                    page=self.raw.page_at(para.start),
                )
            )
        return end

    def _take_recommendation(self, heading: Heading) -> int:
        """A recommendation with its own text; return the index of the paragraph after it."""
        current = self.current
        # A heading straight after another recommendation's text (no response between)
        # joins its group: the response that follows answers them all.
        if (
            not self.answered
            or not (current is not None and not self.in_response and current.text_paragraphs)
            or heading.numbered != current.heading.numbered
        ):
            self.group += 1
        rec = Rec(heading=heading, finding_id=self.finding, group=self.group)
        end = self._collect_text(rec)
        self.layout.mark(range(heading.index, end), SectionKind.recommendation, rec, self.finding)
        self.layout.recs.append(rec)
        for member in heading.members[1:]:  # "Recommendations 6 and 7: …" share it
            self.layout.recs.append(replace(rec, heading=replace(heading, rec_id=member)))
        self.current = rec
        self.in_response = False
        return end

    def _collect_text(self, rec: Rec) -> int:
        """Attach the recommendation's own text; return the index of the paragraph after it."""
        self.follow = None
        after, first = self._first_text(rec)
        if first is None:
            return after
        end = self._more_text(rec, after, first in self.emphasised)
        if not self.answered and not self._boundary(end):
            rec.tail = self.paras[end]
        if rec.heading.numbered and not self._boundary(end):
            follow = numbered(end, self.paras[end])
            if follow and recids.same_series(rec.heading.rec_id, follow.rec_id):
                self.follow = follow
        return end

    def _first_text(self, rec: Rec) -> tuple[int, int | None]:
        """The first paragraph of a recommendation's text: its title and words on the heading
        or the next paragraph. Returns the index after it, and its index (None: no text)."""
        heading, index = rec.heading, rec.heading.index
        para, nxt = self.paras[index], index + 1
        below = _below_heading(para)
        if heading.toc:
            return nxt, None
        if heading.rest:
            if self._is_title(heading, below, nxt):
                rec.title = heading.rest.strip()
                wrapped = self.raw.text[below : para.end] if below is not None else ""
                if _wraps_title(wrapped, rec.title):  # the title's second line, the words below it
                    rec.title, below = " ".join(f"{rec.title} {wrapped}".split()), None
                    if self._boundary(nxt):
                        return nxt, None
                if below is None:
                    rec.text_start, rec.text_paragraphs = self.paras[nxt].start, [self.paras[nxt]]
                    return nxt + 1, nxt
                rec.text_start, rec.text_paragraphs = below, [para]
            else:
                rec.text_start, rec.text_paragraphs = heading.body_start, [para]
            return nxt, index
        if below is not None:
            rec.text_start, rec.text_paragraphs = below, [para]
            return nxt, index
        if self._boundary(nxt):
            return nxt, None
        rec.text_start, rec.text_paragraphs = self.paras[nxt].start, [self.paras[nxt]]
        return nxt + 1, nxt

    def _is_title(self, heading: Heading, below: int | None, nxt: int) -> bool:
        """Whether the words after a heading's id title the recommendation, its own words
        below them ("Recommendation 1: Early help")."""
        para = self.paras[heading.index]
        wrapped = self.raw.text[below : para.end].strip() if below is not None else ""
        # a sentence that wraps on in lower case past a title's length ("Recommendation 1:
        # That the council bring together all\nthe services that …") is the text, not a title
        runs_on = bool(wrapped) and wrapped[0].islower() and not _wraps_title(wrapped, heading.rest)
        return (
            is_heading(heading.rest, HEADING_TITLE)
            and not heading.numbered
            and not runs_on
            and (
                below is not None
                or (not self._boundary(nxt) and not recids.SUBPART.match(self.paras[nxt].text))
            )
        )

    def _more_text(self, rec: Rec, nxt: int, first_emphasised: bool) -> int:
        """Add the paragraphs that continue a recommendation's text from `nxt`: sub-parts,
        the items of a list it introduces, more emphasised text, a link. Returns the index
        after them."""
        while not self._boundary(nxt):
            candidate = self.paras[nxt]
            last = rec.text_paragraphs[-1]
            introduces = last.text.rstrip().endswith(":")
            if not (
                recids.SUBPART.match(candidate.text)
                or (
                    introduces
                    and (candidate.bullet or recids.SUBPART.match(candidate.text.lstrip("- ")))
                )
                or (candidate.bullet and last.bullet and rec.in_list())
                or (first_emphasised and nxt in self.emphasised)
                or _URL.match(candidate.text.strip())
            ):
                break
            rec.text_paragraphs.append(candidate)
            nxt += 1
        return nxt
