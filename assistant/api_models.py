"""Bodies of the HTTP API: what each route accepts and returns (and so what /docs shows)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from review_assistant.models import DocumentOutcome, Filters, Mode, Passage


class SearchBody(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(default=5, ge=1, le=50)
    filters: Filters = Field(default_factory=Filters)


class AskBody(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    mode: Mode | None = None
    filters: Filters = Field(default_factory=Filters)
    stream: bool = Field(
        False,
        description="answer as server-sent events: a `sentence` event for each verified "
        "sentence as the model writes it, then one `answer` event with the whole answer",
    )


class SearchResults(BaseModel):
    results: list[Passage]


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    documents: int
    chunks: int
    vectors: int


class Job(BaseModel):
    """A background ingest: queued, running, done (with its outcome) or failed (with why)."""

    job_id: str
    document: str
    state: str
    outcome: DocumentOutcome | None = None
    error: str | None = None
    created_at: str
    updated_at: str


class Review(BaseModel):
    id: str
    name: str
    title: str
    partnership: str | None = None
    doc_types: list[str]
    recommendation_count: int
    doubtful: bool = False  # the register of this review may be incomplete: see problems
    problems: list[str] = Field(default_factory=list)


class Reviews(BaseModel):
    reviews: list[Review]


class RecommendationRow(BaseModel):
    review_id: str
    review: str
    rec_id: str
    finding: str | None = None
    title: str | None = None
    text: str
    agencies: list[str]
    statuses: list[str]
    shared_with: list[str]
    page: int
    document: str


class RecommendationList(BaseModel):
    recommendations: list[RecommendationRow]


class SourceRef(BaseModel):
    """Where a register text stands in its document: file, pages and character offsets."""

    document: str
    page: int
    page_end: int
    start: int
    end: int


class ResponseDetail(BaseModel):
    agency: str
    text: str
    status: str | None = None
    dates: list[str]
    deadline: str | None = None
    citation: SourceRef


class ProgressNoteDetail(BaseModel):
    rec_id: str | None = None
    text: str
    agencies: list[str]
    date: str | None = None
    citation: SourceRef


class RecommendationPartDetail(BaseModel):
    label: str
    text: str


class RecommendationDetail(BaseModel):
    review_id: str
    review: str
    rec_id: str
    heading: str
    finding: str | None = None
    title: str | None = None
    text: str
    parts: list[RecommendationPartDetail]
    shared_with: list[str]
    citation: SourceRef
    responses: list[ResponseDetail]
    progress_notes: list[ProgressNoteDetail]


class Deleted(BaseModel):
    deleted: str
