"""The documents of the library: the list, uploads (large ones as jobs) and removals."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from review_assistant.errors import (
    Busy,
    DocumentExists,
    NotFound,
    StorageFull,
    TooLarge,
    UnreadableDocument,
)
from review_assistant.models import Job
from review_assistant.pages.rendering import PageContext, writing

router = APIRouter(include_in_schema=False)


@router.get("/library", response_class=HTMLResponse)
def library_page(page: PageContext, job: str = "", message: str = ""):
    try:
        found = page.library.job(job) if job else None
    except NotFound:
        found = None
    return page.render("library.html", documents=page.library.documents(), job=found,
                       message=message, error=None)  # fmt: skip


@router.post("/library/upload", response_class=HTMLResponse)
async def upload(
    request: Request, page: PageContext, csrf: Annotated[str, Form()],
    file: Annotated[UploadFile, Form()], replace: Annotated[bool, Form()] = False,
):  # fmt: skip
    page.check_csrf(csrf)
    name = file.filename or ""

    def refused(status: int, error: str) -> HTMLResponse:
        return page.render("library.html", status, documents=page.library.documents(), job=None,
                           message="", error=f"{name or 'The file'}: {error}")  # fmt: skip

    data = await file.read(page.library.upload_limit + 1)
    try:
        outcome = await writing(request, "upload", lambda: page.library.upload(name, data, replace))
    except TooLarge:
        return refused(413, "the file is larger than the upload limit")
    except DocumentExists:
        return refused(409, "a different document of that name is in the library; tick "
                       "“replace” to replace it")  # fmt: skip
    except UnreadableDocument as exc:
        return refused(400, str(exc))
    except Busy as exc:
        return refused(503, str(exc))
    except StorageFull as exc:
        return refused(507, str(exc))
    if isinstance(outcome, Job):
        return RedirectResponse(f"/library?job={outcome.job_id}", 303)
    if outcome.status in ("unchanged", "duplicate"):
        same = f" as {outcome.same_as}" if outcome.same_as else ""
        message = f"{outcome.document}: {outcome.status}, already in the library{same}"
    else:
        message = f"{outcome.document}: {outcome.status}, {outcome.recommendations} recommendations"
    return RedirectResponse(f"/library?{urlencode({'message': message})}", 303)


@router.post("/library/remove")
async def remove(
    request: Request, page: PageContext, csrf: Annotated[str, Form()],
    document: Annotated[str, Form()],
):  # fmt: skip
    page.check_csrf(csrf)
    try:
        await writing(request, "remove", lambda: page.library.remove(document))
        message = f"{document}: removed"
    except NotFound:
        message = f"{document}: not in the library"
    except Busy as exc:
        message = f"{document}: not removed, {exc}"
    return RedirectResponse(f"/library?{urlencode({'message': message})}", 303)
