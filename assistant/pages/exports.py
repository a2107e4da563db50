"""A review's register as a file: CSV or XLSX, with the filters of the page."""

from __future__ import annotations

from fastapi import APIRouter

from review_assistant.pages.rendering import PageContext, download

router = APIRouter(include_in_schema=False)


@router.get("/export/{review}.{kind}")
def export(page: PageContext, review: str, kind: str, agency: str = "", status: str = "",
           q: str = ""):  # fmt: skip
    return download(page.library.export_register(review, kind, agency, status, q))
