"""Types of the ingest layer: a file's text, its structure, and the chunks cut from it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


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


def page_at(pages: list[Page], offset: int) -> int:
    """The page number holding a character offset."""
    for page in pages:
        if page.start <= offset < page.end:
            return page.number
    return pages[-1].number if pages else 1


class RawDocument(BaseModel):
    """A file's text as a reader extracted it, before any structure is known."""

    file_name: str
    sha256: str
    source_format: str
    text: str
    pages: list[Page]
    emphasis: list[tuple[int, int]] = Field(default_factory=list)
    ocr_pages: int = 0

    def page_at(self, offset: int) -> int:
        return page_at(self.pages, offset)


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


class ParsedDocument(BaseModel):
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

    def page_at(self, offset: int) -> int:
        return page_at(self.pages, offset)


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
    page_start: int
    page_end: int
    start: int
    end: int
    text: str
