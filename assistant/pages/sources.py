"""The source of every citation: the cited span in its document, and the original file."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from review_assistant.pages.rendering import PageContext

router = APIRouter(include_in_schema=False)


@router.get("/source/{document}", response_class=HTMLResponse)
def source_page(page: PageContext, document: str, start: int = 0, end: int = 0):
    return page.render("source.html", **page.library.source(document, start, end).model_dump())


@router.get("/original/{document}")
def original(page: PageContext, document: str):
    path, name, kind = page.library.original(document)
    return FileResponse(path, media_type=kind, filename=name)
