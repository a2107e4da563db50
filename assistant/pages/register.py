"""The register: every review's progress, one review's recommendations, one recommendation
with each agency's response and the progress noted since."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from review_assistant.pages.rendering import PageContext

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/", response_class=HTMLResponse)
def register_page(page: PageContext):
    return page.render("register.html", reviews=page.library.overview())


@router.get("/review/{review}", response_class=HTMLResponse)
def review_page(
    page: PageContext, review: str, agency: str = "", status: str = "", q: str = "",
    sort: str = "order", number: Annotated[int, Query(alias="page")] = 1,
):  # fmt: skip
    found = page.library.register(review, agency, status, q, sort)
    pages = max(1, -(-len(found.rows) // PAGE_SIZE))
    number = min(max(number, 1), pages)
    filters = {"agency": agency, "status": status, "q": q}
    return page.render(
        "review.html", review=found.review, total=len(found.rows), page=number, pages=pages,
        recs=found.rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE], sort=sort,
        filters=filters, query=urlencode(filters), agencies=found.agencies,
    )  # fmt: skip


@router.get("/review/{review}/{rec_id}", response_class=HTMLResponse)
def recommendation_page(page: PageContext, review: str, rec_id: str):
    rec = page.library.recommendation_view(review, rec_id)
    return page.render("recommendation.html", review=page.library.review(review), rec=rec)
