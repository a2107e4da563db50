"""Bodies of the HTTP API: what each route accepts and returns (and so what /docs shows);
the register's own types come from the application layer."""

from __future__ import annotations

from pydantic import BaseModel, Field

from review_assistant.models import Filters, Mode, Passage, RecommendationRow, Review


class SearchBody(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(default=5, ge=1, le=50)
    filters: Filters = Field(default_factory=Filters)


class AskBody(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    mode: Mode | None = None
    filters: Filters = Field(default_factory=Filters)
    previous: str | None = Field(
        None,
        max_length=2000,
        description="the question asked before in the same conversation: a follow-up that "
        "names no review or recommendation keeps the ones asked about there",
    )
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


class Reviews(BaseModel):
    reviews: list[Review]


class RecommendationList(BaseModel):
    recommendations: list[RecommendationRow]


class Deleted(BaseModel):
    deleted: str
