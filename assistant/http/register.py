"""The recommendation register: reviews, recommendations, one recommendation in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from review_assistant.http.deps import Lib
from review_assistant.http.models import RecommendationList, Reviews
from review_assistant.models import STATUSES, RecommendationDetail

router = APIRouter(tags=["register"])
StatusWord = Annotated[str | None, Query(pattern=f"^(?:{'|'.join(STATUSES)})$")]


@router.get("/reviews")
def reviews(library: Lib) -> Reviews:
    return Reviews(reviews=library.reviews())


@router.get("/recommendations")
def recommendations(
    library: Lib, review: str | None = None, agency: str | None = None, status: StatusWord = None
) -> RecommendationList:
    return RecommendationList(recommendations=library.recommendations(review, agency, status))


@router.get("/reviews/{review}/recommendations/{rec_id}")
def recommendation(review: str, rec_id: str, library: Lib) -> RecommendationDetail:
    return library.recommendation(review, rec_id)
