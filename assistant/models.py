"""Typed data models shared by ingest, store and assistant: documents, passages, results."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class DocType(StrEnum):
    partnership_response = "partnership response"
    learning_report = "learning/improvement report"
    minutes = "meeting minutes"
    government_response = "government response"
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

    def to_passage(self, score: float, similarity: float | None = None) -> Passage:
        shared = self.model_dump(
            include={
                "chunk_id", "text", "document", "title", "review", "review_id", "recommendation",
                "recommendation_text", "agencies", "section", "start", "end",
            }
        )  # fmt: skip
        owner = self.agencies[0] if self.section == SectionKind.response and self.agencies else None
        return Passage(
            **shared,
            agency=owner,
            page=self.page_start,
            page_end=self.page_end,
            score=round(score, 6),
            similarity=None if similarity is None else round(similarity, 4),
        )


class Passage(BaseModel):
    """A search result: a chunk's citation fields and its score."""

    chunk_id: str
    text: str
    document: str
    title: str
    review: str
    review_id: str
    recommendation: str | None = None
    recommendation_text: str | None = None
    agency: str | None = None
    agencies: list[str] = Field(default_factory=list)
    section: SectionKind
    page: int
    page_end: int
    start: int
    end: int
    score: float
    similarity: float | None = None  # cosine similarity of the passage to the query

    def location(self) -> str:
        """Review · recommendation · agencies · page, as a citation line shows it."""
        parts = (
            self.review,
            f"Recommendation {self.recommendation}" if self.recommendation else self.section.value,
            ", ".join(self.agencies[:3]) if self.agencies else None,
            f"p. {self.page}" if self.page == self.page_end else f"pp. {self.page}-{self.page_end}",
        )
        return " · ".join(x for x in parts if x)


class Mode(StrEnum):
    question = "question"
    learning_points = "learning_points"
    commitments = "commitments"


class Citation(Passage):
    """A numbered source of an answer; the quote is the exact span of the document it cites."""

    n: int
    quote: str
    quote_start: int
    quote_end: int


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    mode: Mode = Mode.question
    answerer: str = "extractive"
    note: str | None = None


class SkippedFile(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    documents: int = 0
    unchanged: int = 0
    replaced: int = 0
    reviews: int = 0
    recommendations: int = 0
    chunks: int = 0
    pages: int = 0
    ocr_pages: int = 0
    skipped: list[SkippedFile] = Field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.skipped)


# -- HTTP API bodies ---------------------------------------------------------------------------
class Filters(BaseModel):
    review: str | None = None
    recommendation: str | None = None
    agency: str | None = None


class SearchBody(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(default=5, ge=1, le=50)
    filters: Filters = Field(default_factory=Filters)


class AskBody(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    mode: Mode | None = None
    filters: Filters = Field(default_factory=Filters)


class SearchResults(BaseModel):
    results: list[Passage]


class UploadResult(BaseModel):
    document: str
    status: str  # ingested / replaced / unchanged
    recommendations: int
    chunks: int
    pages: int
    ocr_pages: int
