"""Types of the application layer: requests, search results, cited answers, ingest outcomes,
and the views of the register every front end renders (the register's own read models come
from the store and are re-exported here, so front ends never import the store)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from review_assistant.ingest.status import PROGRESS as PROGRESS
from review_assistant.ingest.status import STATUSES as STATUSES
from review_assistant.ingest.types import Chunk, SectionKind
from review_assistant.store.models import Document as Document
from review_assistant.store.models import LibraryAgency as LibraryAgency
from review_assistant.store.models import ProgressNoteDetail as ProgressNoteDetail
from review_assistant.store.models import (
    RecommendationDetail,
    RecommendationRow,
    ResponseDetail,
    Review,
)
from review_assistant.store.models import RecommendationPartDetail as RecommendationPartDetail
from review_assistant.store.models import SourceRef as SourceRef


class Mode(StrEnum):
    question = "question"
    learning_points = "learning_points"
    commitments = "commitments"


# The longest filter a request may give: a review's or an agency's name is a few words
# ("Northshire Hospitals NHS Foundation Trust", about 40 characters); each filter is matched
# against the whole gazetteer and every review, so an unbounded one is unbounded work
FILTER_CHARS = 200


class Filters(BaseModel):
    """What a request is restricted to: a review, a recommendation, an agency (names as asked)."""

    review: str | None = Field(default=None, max_length=FILTER_CHARS)
    recommendation: str | None = Field(default=None, max_length=FILTER_CHARS)
    agency: str | None = Field(default=None, max_length=FILTER_CHARS)


class AskRequest(BaseModel):
    question: str
    mode: Mode | None = None
    filters: Filters = Field(default_factory=Filters)


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

    @classmethod
    def from_chunk(cls, chunk: Chunk, score: float, similarity: float | None = None) -> Passage:
        shared = chunk.model_dump(
            include={
                "chunk_id", "text", "document", "title", "review", "review_id", "recommendation",
                "recommendation_text", "agencies", "section", "start", "end",
            }
        )  # fmt: skip
        # a response chunk speaks for its first agency; other sections only mention agencies
        owner = (
            chunk.agencies[0] if chunk.section == SectionKind.response and chunk.agencies else None
        )
        return cls(
            **shared,
            agency=owner,
            page=chunk.page_start,
            page_end=chunk.page_end,
            score=round(score, 6),
            similarity=None if similarity is None else round(similarity, 4),
        )

    def location(self) -> str:
        """Review · recommendation · agencies · page, as a citation line shows it."""
        parts = (
            self.review,
            f"Recommendation {self.recommendation}" if self.recommendation else self.section.value,
            ", ".join(self.agencies[:3]) if self.agencies else None,
            f"p. {self.page}" if self.page == self.page_end else f"pp. {self.page}-{self.page_end}",
        )
        return " · ".join(x for x in parts if x)


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


class AnswerEvent(BaseModel):
    """A step of a streamed answer: each verified sentence as it is ready ("sentence"), then
    the whole answer with its citations ("answer")."""

    kind: Literal["sentence", "answer"]
    text: str = ""
    answer: Answer | None = None


class DocumentOutcome(BaseModel):
    """What ingesting one file did. `duplicate`: the library already holds the same bytes
    under another name (`same_as`), so nothing was added."""

    document: str
    status: Literal["ingested", "replaced", "unchanged", "duplicate"]
    same_as: str | None = None
    review_id: str | None = None
    recommendations: int = 0
    chunks: int = 0
    pages: int = 0
    ocr_pages: int = 0


class SkippedFile(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    """What ingesting a batch did: one outcome per file read, and the files skipped."""

    outcomes: list[DocumentOutcome] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)

    def _changed(self) -> list[DocumentOutcome]:
        return [o for o in self.outcomes if o.status in ("ingested", "replaced")]

    @computed_field
    @property
    def documents(self) -> int:
        return len(self._changed())

    @computed_field
    @property
    def unchanged(self) -> int:
        return len(self.outcomes) - len(self._changed())

    @computed_field
    @property
    def replaced(self) -> int:
        return sum(o.status == "replaced" for o in self.outcomes)

    @computed_field
    @property
    def reviews(self) -> int:
        return len({o.review_id for o in self._changed() if o.review_id})

    @computed_field
    @property
    def recommendations(self) -> int:
        return sum(o.recommendations for o in self.outcomes)

    @computed_field
    @property
    def chunks(self) -> int:
        return sum(o.chunks for o in self.outcomes)

    @computed_field
    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes)

    @computed_field
    @property
    def ocr_pages(self) -> int:
        return sum(o.ocr_pages for o in self.outcomes)

    @property
    def failed(self) -> bool:
        return bool(self.skipped)


class Job(BaseModel):
    """A background ingest: queued, running, done (with its outcome) or failed (with why)."""

    job_id: str
    document: str
    state: str
    outcome: DocumentOutcome | None = None
    error: str | None = None
    created_at: str
    updated_at: str


class LibraryStatus(BaseModel):
    """What the library holds: documents, passages in the register, vectors."""

    documents: int
    chunks: int
    vectors: int


class ReviewProgress(Review):
    """A review on the register's overview: how many recommendations stand at each
    progress (completed, in progress, planned, not stated) and its earliest date."""

    counts: dict[str, int]
    date: str = ""


class RegisterRow(RecommendationRow):
    """One row of a review's register: a recommendation the review's documents list, merged
    across them, with the progress its responses' status words add up to."""

    progress: str


class ReviewRegister(BaseModel):
    """A review's register as asked for: the rows that pass the filters, in the order asked,
    and every agency that responded to any recommendation of the review."""

    review: Review
    rows: list[RegisterRow]
    agencies: list[str]


class ResponseView(ResponseDetail):
    progress: str


class RecommendationView(RecommendationDetail):
    """A recommendation with each response's progress, as a manager reads it."""

    responses: list[ResponseView]


class SourceView(BaseModel):
    """A cited passage in its document: the text before, the passage, the text after."""

    document: str
    title: str
    before: str
    passage: str
    after: str
    cut_before: bool
    cut_after: bool
    chunk: Passage | None = None  # the indexed passage holding the cited text
    has_original: bool


class Download(BaseModel):
    """A file for the user to take away."""

    data: bytes
    file_name: str
    media_type: str


class AgencyProgress(BaseModel):
    """An agency across the library: how many of its responses stand at each progress, and
    the oldest review it still has something open on."""

    agency: str
    counts: dict[str, int]
    reviews: int
    oldest_open: str | None = None  # the review's name
    oldest_open_date: str | None = None


class AgencyRow(BaseModel):
    """One response an agency gave, as its page lists them."""

    review_id: str
    review: str
    review_date: str = ""
    rec_id: str
    status: str | None = None
    progress: str
    deadline: str | None = None
    text: str
    citation: SourceRef


class AgencyRegister(BaseModel):
    """Everything one agency owns across the library's reviews, oldest review first."""

    summary: AgencyProgress
    rows: list[AgencyRow]
