"""Documents in and out of the library, and the background jobs large uploads become."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, UploadFile
from fastapi.responses import JSONResponse

from review_assistant.errors import DocumentExists, UnreadableDocument
from review_assistant.http.deps import Lib
from review_assistant.http.models import Deleted
from review_assistant.library import Library
from review_assistant.models import DocumentOutcome, Job

router = APIRouter(tags=["documents"])
UPLOAD_RESPONSES = {
    200: {"model": DocumentOutcome, "description": "the library already holds these bytes"},
    201: {"model": DocumentOutcome, "description": "ingested"},
    202: {"model": Job, "description": "a large file: ingested in the background"},
}


def _upload(library: Library, file: UploadFile, replace: bool) -> JSONResponse:
    """A new document (201), the library's own copy of it (200), a job for a large one
    (202), or a refusal: 409 for an existing name unless replacing, 413, 415, 400."""
    name = file.filename or ""
    try:
        outcome = library.upload(name, file.file.read(library.upload_limit + 1), replace)
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
def add_document(
    library: Lib, file: Annotated[UploadFile, File()], replace: bool = False
) -> JSONResponse:
    return _upload(library, file, replace)


@router.put("/documents/{document}", status_code=201, response_model=DocumentOutcome,
            responses=UPLOAD_RESPONSES)  # fmt: skip
def replace_document(document: str, library: Lib, file: Annotated[UploadFile, File()]):
    file.filename = document  # the path names the document replaced
    return _upload(library, file, replace=True)


@router.get("/jobs/{job_id}")
def job(job_id: str, library: Lib) -> Job:
    return library.job(job_id)


@router.delete("/documents/{document}")
def delete(document: str, library: Lib) -> Deleted:
    library.remove(document)
    return Deleted(deleted=document)
