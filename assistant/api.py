"""The HTTP API (FastAPI): search, cited answers, the recommendation register, documents.

Reads need no lock: each thread has its own register connection and readers never wait for a
writer. Ingest runs one document at a time (`IngestJobs`), large uploads in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import asynccontextmanager
from typing import Annotated

import swagger_ui_bundle
from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from review_assistant.api_models import (
    AskBody,
    Deleted,
    Health,
    Job,
    Ready,
    RecommendationDetail,
    RecommendationList,
    Reviews,
    SearchBody,
    SearchResults,
)
from review_assistant.http_guard import PageAccess, RequestGuard
from review_assistant.jobs import IngestJobs
from review_assistant.ingestion import DocumentExists, Ingestor
from review_assistant.models import Answer, AskRequest, DocumentOutcome
from review_assistant.service import Services, build_assistant, open_stores, services
from review_assistant.settings import Settings, get_settings
from review_assistant.web import OPEN_PAGES, error_page, is_page, page_router
from review_assistant.web_access import WebAccess
from review_assistant.ingest import recids
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.names import safe_name
from review_assistant.ingest.status import STATUSES
from review_assistant.store.consistency import check

log = logging.getLogger(__name__)
OPEN_PATHS = {"/health", "/slack/events"}  # Slack signs its own requests
JSON_BODY_LIMIT = 1_000_000
UPLOAD_OVERHEAD = 1_000_000  # multipart framing around the file


Svc = Annotated[Services, Depends(services)]


def _error(status: int, message: str, details: object | None = None) -> JSONResponse:
    body: dict = {"error": {"status": status, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(status_code=status, content=body)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    upload_limit = int(settings.max_upload_mb * 1_000_000)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        stores = open_stores(settings)
        found = check(stores, repair=True)  # an ingest killed mid-way leaves traces to clear
        if found.repaired:
            log.warning("stores repaired at start: %s", found.summary())
        ingestor = Ingestor(stores, settings.ingest)
        services = Services(
            stores, build_assistant(stores, settings), ingestor, IngestJobs(ingestor),
            upload_limit=upload_limit, background_bytes=int(settings.background_upload_kb * 1000),
        )  # fmt: skip
        app.state.services = services
        app.state.slack = None
        if settings.slack_bot_token and settings.slack_signing_secret:
            from slack_bolt.adapter.starlette import SlackRequestHandler

            from review_assistant.slack_bot import SlackBot

            bot = SlackBot(settings, services.assistant, stores.register)
            app.state.slack = SlackRequestHandler(bot.app)
        yield
        services.jobs.close()
        ingestor.close()
        stores.close()

    app = FastAPI(
        title="Review Assistant",
        description="Cited answers about child-safeguarding review documents.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below from the packaged Swagger UI, not from a CDN
        redoc_url=None,
    )
    access = WebAccess(settings.api_key_list)
    app.add_middleware(
        RequestGuard,
        keys=settings.api_key_list,
        open_paths=OPEN_PATHS | OPEN_PAGES,
        body_limit=lambda path: (
            upload_limit + UPLOAD_OVERHEAD
            if path.startswith(("/documents", "/library/upload"))
            else JSON_BODY_LIMIT
        ),
        page=PageAccess(is_page, access),
    )
    app.include_router(page_router(access))
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if is_page(request.url.path):
            return error_page(request, exc.status_code, str(exc.detail))
        details = getattr(exc, "details", None)
        return _error(exc.status_code, str(exc.detail), details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        details = [
            {"field": ".".join(map(str, e["loc"])), "problem": e["msg"]} for e in exc.errors()
        ]
        return _error(422, "the request is not valid", details)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _error(500, "internal error; the details are in the server log")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="Review Assistant — API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request):
        handler = request.app.state.slack
        if handler is None:
            raise HTTPException(
                404, "Slack is not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)"
            )
        # A signed request is valid for five minutes; one seen before is a replay (Slack's own
        # retries of events are caught by their event id, and it never retries commands).
        signature = request.headers.get("x-slack-signature")
        register = request.app.state.services.stores.register
        if signature and not register.first_sighting(f"signature:{signature}"):
            return JSONResponse({}, status_code=200)
        return await handler.handle(request)

    @app.get("/health")
    def health() -> Health:
        """The process is up. Touches no store, so it answers during any ingest."""
        return Health(status="ok")

    @app.get("/ready")
    def ready(svc: Svc) -> Ready:
        """The stores answer: documents, passages and vectors held."""
        register = svc.stores.register
        return Ready(
            status="ready",
            documents=len(register.documents()),
            chunks=register.count_chunks(),
            vectors=svc.stores.vectors.count(),
        )

    @app.post("/search")
    def search(body: SearchBody, svc: Svc) -> SearchResults:
        return SearchResults(
            results=svc.assistant.searcher.search(body.query, body.k, body.filters)
        )

    @app.post(
        "/ask",
        response_model=Answer,
        responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
    )
    def ask(body: AskBody, svc: Svc):
        request = AskRequest(question=body.question, mode=body.mode, filters=body.filters)
        if not body.stream:
            return svc.assistant.ask(request)

        def events() -> Iterator[str]:
            for event in svc.assistant.stream(request):
                data = event.answer.model_dump_json() if event.answer else event.model_dump_json()
                yield f"event: {event.kind}\ndata: {data}\n\n"

        # a proxy must pass each event on as it comes (nginx reads X-Accel-Buffering)
        headers = {"cache-control": "no-cache", "x-accel-buffering": "no"}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    @app.get("/reviews")
    def reviews(svc: Svc) -> Reviews:
        return Reviews.model_validate({"reviews": svc.stores.register.reviews()})

    def review_id(svc: Services, name: str) -> str:
        matches = svc.assistant.searcher.review_ids(name)
        if not matches:
            raise HTTPException(404, f"no review {name!r}; GET /reviews lists them")
        return matches[0]

    @app.get("/recommendations")
    def recommendations(
        svc: Svc,
        review: str | None = None,
        agency: str | None = None,
        status: Annotated[str | None, Query(pattern=f"^(?:{'|'.join(STATUSES)})$")] = None,
    ) -> RecommendationList:
        rid = review_id(svc, review) if review else None
        name = None
        if agency:
            name = svc.assistant.searcher.gazetteer.resolve(agency) or agency
        rows = svc.stores.register.recommendations(rid, name, status)
        return RecommendationList.model_validate({"recommendations": rows})

    @app.get("/reviews/{review}/recommendations/{rec_id}")
    def recommendation(review: str, rec_id: str, svc: Svc) -> RecommendationDetail:
        rid = review_id(svc, review)
        detail = svc.stores.register.recommendation_detail(rid, recids.normalise(rec_id))
        if detail is None:
            raise HTTPException(404, f"review {rid!r} has no recommendation {rec_id!r}")
        return RecommendationDetail.model_validate(detail)

    def upload(svc: Services, file: UploadFile, replace: bool):
        """A new document (201), the library's own copy of it (200), a job for a large one
        (202), or a refusal: 409 for an existing name unless replacing, 413, 415, 400."""
        data = file.file.read(upload_limit + 1)
        if len(data) > upload_limit:
            raise HTTPException(413, f"file larger than {settings.max_upload_mb:g} MB")
        name = safe_name(file.filename or "")
        try:
            outcome = svc.jobs.accept(name, data, replace, svc.background_bytes)
        except DocumentExists as exc:
            error = HTTPException(409, f"{exc}; upload with ?replace=true or PUT to replace it")
            error.details = {"document": exc.name, "document_id": exc.doc_id}
            raise error from exc
        except UnreadableDocument as exc:
            reason = str(exc)
            status = 415 if reason.startswith(("unsupported", "legacy")) else 400
            raise HTTPException(status, f"{name}: {reason}") from exc
        if isinstance(outcome, str):
            return JSONResponse(
                Job.model_validate(svc.stores.register.job(outcome)).model_dump(mode="json"),
                status_code=202,
                headers={"Location": f"/jobs/{outcome}"},
            )
        known = outcome.status in ("unchanged", "duplicate")
        return JSONResponse(outcome.model_dump(mode="json"), status_code=200 if known else 201)

    upload_responses = {
        200: {"model": DocumentOutcome, "description": "the library already holds these bytes"},
        201: {"model": DocumentOutcome, "description": "ingested"},
        202: {"model": Job, "description": "a large file: ingested in the background"},
    }

    @app.post("/documents", status_code=201, response_model=DocumentOutcome,
              responses=upload_responses)  # fmt: skip
    def add_document(
        svc: Svc, file: Annotated[UploadFile, File()], replace: bool = False
    ) -> JSONResponse:
        return upload(svc, file, replace)

    @app.put("/documents/{document}", status_code=201, response_model=DocumentOutcome,
             responses=upload_responses)  # fmt: skip
    def replace_document(document: str, svc: Svc, file: Annotated[UploadFile, File()]):
        file.filename = document  # the path names the document replaced
        return upload(svc, file, replace=True)

    @app.get("/jobs/{job_id}")
    def job(job_id: str, svc: Svc) -> Job:
        found = svc.stores.register.job(job_id)
        if found is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return Job.model_validate(found)

    @app.delete("/documents/{document}")
    def delete(document: str, svc: Svc) -> Deleted:
        with svc.jobs.writing():
            removed = svc.ingestor.remove(document)
        if not removed:
            raise HTTPException(404, f"no document {document!r}")
        return Deleted(deleted=document)

    return app
