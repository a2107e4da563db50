"""Types of the ingest layer: a file's text, its structure, and the chunks cut from it."""

from __future__ import annotations

from bisect import bisect_right
from enum import StrEnum

from pydantic import BaseModel, Field, PrivateAttr


class DocType(StrEnum):
    partnership_response = "partnership response"
    learning_report = "learning/improvement report"
    minutes = "meeting minutes"
    government_response = "government response"
    review_report = "review report"  # the review, inquiry or committee report itself
    inspection = "inspection report"  # a regulator's judgement (Ofsted, CQC, HMICFRS)
    action_plan = "action plan"
    other = "other"


class SectionKind(StrEnum):
    background = "background"
    finding = "finding"
    recommendation = "recommendation"
    response = "response"
    progress = "progress"


class Page(BaseModel):
    number: int
    start: int
    end: int
    ocr: bool = False


class PageIndex:
    """The pages of a text by where they start, to find the page of an offset in O(log n):
    the parser asks for a page for every paragraph, run and chunk, and a document may have
    thousands of pages."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        self.count = len(pages)
        self.starts = [page.start for page in pages]
        self.ordered = all(a <= b for a, b in zip(self.starts, self.starts[1:], strict=False))

    def current(self, pages: list[Page]) -> bool:
        """Whether this index was built from `pages` as they are now."""
        return self.pages is pages and self.count == len(pages)

    def at(self, offset: int) -> int:
        """The number of the page holding `offset`; the last page's when none does."""
        if not self.pages:
            return 1
        if not self.ordered:  # pages not in text order (built by hand): look at each
            found = (p.number for p in self.pages if p.start <= offset < p.end)
            return next(found, self.pages[-1].number)
        # the last page starting at or before the offset: an empty page shares its start with
        # the next one, which is the one that holds the offset
        index = bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.pages[index].end:
            return self.pages[index].number
        return self.pages[-1].number


def page_at(pages: list[Page], offset: int) -> int:
    """The page number holding a character offset (for many offsets, keep a `PageIndex`)."""
    return PageIndex(pages).at(offset)


class _Paged(BaseModel):
    """A text cut into pages, with its page index built once. Each subclass declares its
    `pages` field where it belongs in the order of its fields."""

    _page_index: PageIndex | None = PrivateAttr(default=None)

    def page_at(self, offset: int) -> int:
        index = self._page_index
        if index is None or not index.current(self.pages):
            index = self._page_index = PageIndex(self.pages)
        return index.at(offset)


class RawDocument(_Paged):
    """A file's text as a reader extracted it, before any structure is known."""

    file_name: str
    sha256: str
    source_format: str
    text: str
    pages: list[Page]
    emphasis: list[tuple[int, int]] = Field(default_factory=list)
    ocr_pages: int = 0
    # passages addressed to a reader or a model ("INSTRUCTION: …"), cut from `text` as not
    # the document's own words (directives.py)
    left_out: list[str] = Field(default_factory=list)


class Block(BaseModel):
    """A paragraph (or bullet) of the document with the structure it belongs to."""

    start: int
    end: int
    kind: SectionKind
    rec_id: str | None = None
    finding_id: str | None = None
    agency: str | None = None
    agencies_mentioned: list[str] = Field(default_factory=list)


class RecommendationPart(BaseModel):
    label: str
    text: str


class AgencyResponse(BaseModel):
    agency: str
    text: str
    start: int
    end: int
    page_start: int
    page_end: int
    status: str | None = None  # completed / in progress / planned / accepted / rejected
    dates: list[str] = Field(default_factory=list)
    deadline: str | None = None


class Recommendation(BaseModel):
    rec_id: str
    heading: str
    finding_id: str | None = None
    title: str | None = None
    text: str
    parts: list[RecommendationPart] = Field(default_factory=list)
    start: int
    end: int
    page: int
    response_start: int | None = None
    response_end: int | None = None
    shared_with: list[str] = Field(default_factory=list)
    group_key: str = ""
    numbered_as: str | None = None
    responses: list[AgencyResponse] = Field(default_factory=list)

    @property
    def agencies(self) -> list[str]:
        return sorted({r.agency for r in self.responses})


class Finding(BaseModel):
    finding_id: str
    text: str
    start: int
    end: int
    page: int


class ProgressNote(BaseModel):
    rec_id: str | None
    text: str
    agencies: list[str] = Field(default_factory=list)
    start: int
    end: int
    page: int
    date: str | None = None


class StructureCheck(BaseModel):
    """Whether a document's register looks whole, and the traces that say it may not."""

    doubtful: bool = False
    problems: list[str] = Field(default_factory=list)


class ParsedDocument(_Paged):
    doc_id: str
    file_name: str
    sha256: str
    source_format: str
    title: str
    review: str
    review_id: str
    partnership: str | None = None
    doc_type: DocType
    date: str | None = None
    dates: list[str] = Field(default_factory=list)
    text: str
    pages: list[Page]
    ocr_pages: int = 0
    findings: list[Finding] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    progress_notes: list[ProgressNote] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    check: StructureCheck = Field(default_factory=StructureCheck)


class Chunk(BaseModel):
    """One indexed passage with everything needed to cite it."""

    chunk_id: str
    doc_id: str
    document: str
    title: str
    review: str
    review_id: str
    partnership: str | None = None
    doc_type: str
    section: SectionKind
    finding: str | None = None
    recommendation: str | None = None
    recommendation_text: str | None = None
    agencies: list[str] = Field(default_factory=list)
    headings: list[str] = Field(default_factory=list)  # the headings above it, nearest last
    page_start: int
    page_end: int
    start: int
    end: int
    text: str
