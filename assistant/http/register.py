"""The recommendation register: reviews, recommendations, one recommendation in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

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


@router.get(
    "/reviews/{review}/register.{kind}",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/octet-stream": {}}}},
)
def export(
    review: str, kind: str, library: Lib, agency: str = "", status: str = "", q: str = ""
) -> Response:
    """A review's register as CSV or XLSX (the file the web page's export gives)."""
    file = library.export_register(review, kind, agency, status, q)
    disposition = f'attachment; filename="{file.file_name}"'
    return Response(file.data, media_type=file.media_type,
                    headers={"Content-Disposition": disposition})  # fmt: skip
