"""What the register gives back: typed read models of documents, reviews, recommendations,
responses and progress notes, and of what it keeps of conversations (answers, feedback, jobs).
The application layer and every front end read these, never a row's string keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class SourceRef(BaseModel):
    """Where a register text stands in its document: file, pages and character offsets."""

    document: str
    page: int
    page_end: int
    start: int
    end: int


class StoredDocument(BaseModel):
    """A document as the register finds it by name, content or id: enough to replace, remove,
    cite or serve it."""

    doc_id: str
    file_name: str
    sha256: str
    review_id: str
    title: str


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


class AgencyResponse(ResponseDetail):
    """A response as one agency's commitments list it: with the recommendation it answers."""

    review_id: str
    review: str
    rec_id: str


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


class LibraryAgency(BaseModel):
    """A body the library's documents name: as the owner of responses (a response's label or
    heading named it) or only by the shape of its name, with the role it fills (as its
    documents gave it, or as a person set it) and the documents it appears in."""

    name: str
    role: str
    learned_role: str  # the role its documents gave it
    responded: bool  # some document's responses are attributed to it
    documents: list[str]  # file names
    aliases: list[str] = Field(default_factory=list)  # acronyms and short names they use
    merged_into: str | None = None  # another body it is a name of, as a person said


class SavedAnswer(BaseModel):
    """An answer given, kept as JSON data (the assistant's Answer) with its question."""

    question: str
    answer: dict[str, Any]


class Feedback(BaseModel):
    """Someone's feedback on an answer, with the question and answer text it was given on."""

    answer_id: str | None = None
    question: str
    answer: str
    user: str
    value: str
    created_at: str


class JobRecord(BaseModel):
    """A background ingest as the register keeps it; its outcome is JSON data."""

    job_id: str
    document: str
    state: str
    outcome: dict[str, Any] | None = None
    error: str | None = None
    created_at: str
    updated_at: str
