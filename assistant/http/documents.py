"""Documents in and out of the library, and the background jobs large uploads become."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from review_assistant.errors import DocumentExists, UnreadableDocument
from review_assistant.http.deps import Lib, writing
from review_assistant.http.models import Deleted
from review_assistant.library import Library
from review_assistant.models import DocumentOutcome, Job

router = APIRouter(tags=["documents"])
UPLOAD_RESPONSES = {
    200: {"model": DocumentOutcome, "description": "the library already holds these bytes"},
    201: {"model": DocumentOutcome, "description": "ingested"},
    202: {"model": Job, "description": "a large file: ingested in the background"},
}


async def _upload(
    request: Request, library: Library, file: UploadFile, replace: bool
) -> JSONResponse:
    """A new document (201), the library's own copy of it (200), a job for a large one or
    a slow one (202), or a refusal: 409 for an existing name unless replacing, 413, 415,
    400, 503 when the queue is full, 507 when the disk is."""
    name = file.filename or ""
    data = await file.read(library.upload_limit + 1)
    try:
        outcome = await writing(request, "upload", lambda: library.upload(name, data, replace))
    except DocumentExists as exc:
        error = HTTPException(409, f"{exc}; upload with ?replace=true or PUT to replace it")
        error.details = {"document": exc.name, "document_id": exc.doc_id}
        raise error from exc
    except UnreadableDocument as exc:
        reason = str(exc)
        status = 415 if reason.startswith(("unsupported", "legacy")) else 400
        raise HTTPException(status, f"{name}: {reason}") from exc
    if isinstance(outcome, Job):
        headers = {"Location": f"/jobs/{outcome.job_id}"}
        return JSONResponse(outcome.model_dump(mode="json"), status_code=202, headers=headers)
    known = outcome.status in ("unchanged", "duplicate")
    return JSONResponse(outcome.model_dump(mode="json"), status_code=200 if known else 201)


@router.post("/documents", status_code=201, response_model=DocumentOutcome,
             responses=UPLOAD_RESPONSES)  # fmt: skip
async def add_document(
    request: Request, library: Lib, file: Annotated[UploadFile, File()], replace: bool = False
) -> JSONResponse:
    return await _upload(request, library, file, replace)


@router.put("/documents/{document}", status_code=201, response_model=DocumentOutcome,
            responses=UPLOAD_RESPONSES)  # fmt: skip
async def replace_document(
    request: Request, document: str, library: Lib, file: Annotated[UploadFile, File()]
):
    file.filename = document  # the path names the document replaced
    return await _upload(request, library, file, replace=True)


@router.get("/jobs/{job_id}")
def job(job_id: str, library: Lib) -> Job:
    return library.job(job_id)


@router.delete("/documents/{document}")
async def delete(request: Request, document: str, library: Lib) -> Deleted:
    await run_in_threadpool(library.document, document)  # a missing one: 404 at once
    await writing(request, "remove", lambda: library.remove(document))
    return Deleted(deleted=document)
