"""The printed headings of recommendations and findings, one paragraph at a time.

"Recommendation 3b: Title", "Recommendations 7b-7e", "R1 –", "8.12 We recommend…" (a numbered
paragraph, a heading where a label or a section says so), "Finding one:". Each recogniser
reads one paragraph and returns a `Heading`, or None; which of them a document's
recommendations are is decided over the whole document (`candidates.py`, `decision.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from review_assistant.ingest import recids
from review_assistant.ingest.paragraphs import Paragraph
from review_assistant.ingest.sentences import SUBHEADING, is_heading

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
FINDING_HEADING = re.compile(
    r"^(?:- )?(?:Key\s+)?(?:Finding|FINDING)[ \t]*(?:No\.?[ \t]*)?(?P<id>\d{1,2}|"
    + recids.WORDS
    + r")\b[ \t]*[:.\-–—]?[ \t]*(?P<rest>[^\n]*)",
    re.I,
)
# Heading shapes used to keep headings on a line of their own when splitting paragraphs.
ANY_HEADING = re.compile(
    r"^(?:- )?(?:(?:[A-Z][\w]*\s+){0,3}(?:Recommendations?|RECOMMENDATIONS?)[ \t]*(?:No\.?[ \t]*)?"
    r"(?:" + recids.ID + r")?[ \t]*[.:)\-–—]?[ \t]*$|(?:Key\s+)?Finding[ \t]+\w+[ \t]*[:.]?[ \t]*$)"
)
# A note in minutes on a recommendation: "Recommendation 3: the panel noted…", "Recs 4…"
_PROGRESS_REFERENCE = re.compile(
    r"^(?:- )?(?:Recommendation|Rec\.?)s?\s*(" + recids.ID + r")\b", re.I
)
_RANGE_END = re.compile(recids.RANGE_END)
_AFTER_ID = re.compile(r"[ \t]*(?P<sep>[.:)\-–—]?)[ \t]*(?P<rest>[^\n]*)")
_TOC = re.compile(r"(?:\.{3,}|…{2,}|\s\.\s\.\s)|\s\d{1,3}$")
_BAD_PREFIX = {"This", "The", "Our", "In", "Under", "See", "As", "For", "Each", "Any", "That"}


@dataclass
class Heading:
    index: int  # paragraph index
    rec_id: str
    heading: str
    rest: str  # text after the id on the heading paragraph ('' if none)
    body_start: int  # offset where the recommendation's own text begins, if on the heading
    toc: bool = False
    numbered: bool = False
    assigned: bool = False  # the document does not number it; the id is its place in order
    members: list[str] = field(default_factory=list)  # a range heading's ids ("7b-7e")
    source: str = ""  # which generator offered it (`features.SOURCES`)


def rec_heading(index: int, para: Paragraph) -> Heading | None:
    """A heading that names its recommendation: "Recommendation 3b: …", "Recommendations
    7b-7e", "R1 –"; not a cross-reference in a sentence."""
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
    return Heading(index, rec_id, heading, rest, body_start, toc=toc, members=members)


def numbered(index: int, para: Paragraph) -> Heading | None:
    """A numbered paragraph as a heading of its own words: "8.12 We recommend that…"."""
    match = recids.NUMBERED.match(para.text)
    if not match:
        return None
    rec_id = match.group("id")
    rest = (match.group("rest") or "").strip()
    body_start = para.start + match.start("rest") if rest else para.end
    return Heading(index, recids.normalise(rec_id), rec_id, rest, body_start, numbered=True)


def numbered_below_title(index: int, para: Paragraph) -> Heading | None:
    """A numbered paragraph printed straight under its subheading, with no gap:
    "Change4Life\n8.23. It appears that…"."""
    first, newline, rest = para.text.partition("\n")
    if not newline or len(first.split()) > 10 or first.rstrip().endswith((".", ":", ";")):
        return None
    match = recids.NUMBERED.match(rest)
    if not match or not match.group("rest"):
        return None
    below = para.start + len(first) + 1
    return Heading(
        index, recids.normalise(match.group("id")), match.group("id"),
        match.group("rest").strip(), below + match.start("rest"), numbered=True,
    )  # fmt: skip


def progress_reference(para: Paragraph) -> Heading | None:
    """A paragraph of minutes that opens by naming a recommendation: "Recs 4 …"."""
    match = _PROGRESS_REFERENCE.match(para.text)
    if not match:
        return None
    return Heading(0, recids.normalise(match.group(1)), match.group(0), "", para.end)


def finding_heading(para: Paragraph) -> tuple[str, str] | None:
    """(finding id, text after the heading) of a paragraph that opens a finding."""
    match = FINDING_HEADING.match(para.text)
    if not match or match.group("rest")[:1].islower():
        return None
    fid = match.group("id").lower()
    return recids.WORD_NUMBERS.get(fid, fid), match.group("rest").strip()


def is_subheading(para: Paragraph) -> bool:
    """A paragraph that is a document's subheading (not a bullet): "Early help"."""
    return not para.bullet and is_heading(para.text, SUBHEADING)
