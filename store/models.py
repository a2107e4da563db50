"""What the register gives back: typed read models of documents, reviews, recommendations,
responses and progress notes (the application layer and every front end read these, never
a row's string keys)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SourceRef(BaseModel):
    """Where a register text stands in its document: file, pages and character offsets."""

    document: str
    page: int
    page_end: int
    start: int
    end: int


class Document(BaseModel):
    doc_id: str
    file_name: str
    title: str
    review_id: str
    review: str
    partnership: str | None = None
    doc_type: str
    date: str | None = None
    pages: int
    ocr_pages: int
    ingested_at: str
    doubtful: bool = False
    problems: list[str] = Field(default_factory=list)


class Review(BaseModel):
    id: str
    name: str
    title: str
    partnership: str | None = None
    doc_types: list[str]
    recommendation_count: int
    doubtful: bool = False  # the register of this review may be incomplete: see problems
    problems: list[str] = Field(default_factory=list)


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
