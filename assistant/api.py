"""The HTTP API (FastAPI): search, cited answers, the recommendation register, documents."""

from __future__ import annotations

import logging
import secrets
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.answering import Assistant
from assistant.api_models import (
    AskBody,
    Deleted,
    Health,
    RecommendationDetail,
    RecommendationList,
    Reviews,
    SearchBody,
    SearchResults,
)
from assistant.library import Ingestor
from assistant.models import Answer, AskRequest, DocumentOutcome
from assistant.service import build_assistant, open_stores
from assistant.settings import Settings, get_settings
from ingest import recids
from ingest.errors import UnreadableDocument
from ingest.status import STATUSES
from store.stores import Stores

log = logging.getLogger(__name__)


@dataclass
class Services:
    stores: Stores
    assistant: Assistant
    ingestor: Ingestor
    # One lock around the stores: SQLite connection and BM25 swap are not shared-thread safe.
    lock: threading.RLock


def services(request: Request) -> Services:
    return request.app.state.services


Svc = Annotated[Services, Depends(services)]


def _error(status: int, message: str, details: object | None = None) -> JSONResponse:
    body: dict = {"error": {"status": status, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(status_code=status, content=body)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    keys = settings.api_key_list

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        stores = open_stores(settings)
        services = Services(
            stores,
            build_assistant(stores, settings),
            Ingestor(stores, settings.ingest),
            threading.RLock(),
        )
        app.state.services = services
        app.state.slack = None
        if settings.slack_bot_token and settings.slack_signing_secret:
            from slack_bolt.adapter.starlette import SlackRequestHandler

            from assistant.slack_bot import SlackBot

            bot = SlackBot(settings, services.assistant, stores.register, services.lock)
            app.state.slack = SlackRequestHandler(bot.app)
        yield
        services.ingestor.close()
        stores.close()

    app = FastAPI(
        title="Review Assistant",
        description="Cited answers about child-safeguarding review documents.",
        version="0.1.0",
        lifespan=lifespan,
    )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail))

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

    def authorised(request: Request) -> None:
        if not keys:
            return
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        if not any(secrets.compare_digest(token, key) for key in keys):
            raise HTTPException(401, "missing or invalid API key (Authorization: Bearer <key>)")

    protected = [Depends(authorised)]

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request):
        # Slack signs its requests (Bolt verifies them); API keys do not apply here.
        handler = request.app.state.slack
        if handler is None:
            raise HTTPException(
                404, "Slack is not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)"
            )
        return await handler.handle(request)

    @app.get("/health")
    def health(svc: Svc) -> Health:
        with svc.lock:
            return Health(
                status="ok",
                documents=len(svc.stores.register.documents()),
                chunks=svc.stores.register.count_chunks(),
            )

    @app.post("/search", dependencies=protected)
    def search(body: SearchBody, svc: Svc) -> SearchResults:
        with svc.lock:
            results = svc.assistant.searcher.search(body.query, body.k, body.filters)
        return SearchResults(results=results)

    @app.post("/ask", dependencies=protected)
    def ask(body: AskBody, svc: Svc) -> Answer:
        request = AskRequest(question=body.question, mode=body.mode, filters=body.filters)
        with svc.lock:
            return svc.assistant.ask(request)

    @app.get("/reviews", dependencies=protected)
    def reviews(svc: Svc) -> Reviews:
        with svc.lock:
            return Reviews.model_validate({"reviews": svc.stores.register.reviews()})

    def review_id(svc: Services, name: str) -> str:
        matches = svc.assistant.searcher.review_ids(name)
        if not matches:
            raise HTTPException(404, f"no review {name!r}; GET /reviews lists them")
        return matches[0]

    @app.get("/recommendations", dependencies=protected)
    def recommendations(
        svc: Svc,
        review: str | None = None,
        agency: str | None = None,
        status: Annotated[
            str | None,
            Query(pattern=f"^(?:{'|'.join(STATUSES)})$"),
        ] = None,
    ) -> RecommendationList:
        with svc.lock:
            rid = review_id(svc, review) if review else None
            name = None
            if agency:
                name = svc.assistant.searcher.gazetteer.resolve(agency) or agency
            rows = svc.stores.register.recommendations(rid, name, status)
        return RecommendationList.model_validate({"recommendations": rows})

    @app.get("/reviews/{review}/recommendations/{rec_id}", dependencies=protected)
    def recommendation(review: str, rec_id: str, svc: Svc) -> RecommendationDetail:
        with svc.lock:
            rid = review_id(svc, review)
            detail = svc.stores.register.recommendation_detail(rid, recids.normalise(rec_id))
            if detail is None:
                raise HTTPException(404, f"review {rid!r} has no recommendation {rec_id!r}")
        return RecommendationDetail.model_validate(detail)

    @app.post("/documents", status_code=201, dependencies=protected)
    def upload(svc: Svc, file: Annotated[UploadFile, File()]) -> DocumentOutcome:
        limit = int(settings.max_upload_mb * 1024 * 1024)
        data = file.file.read(limit + 1)
        if len(data) > limit:
            raise HTTPException(413, f"file larger than {settings.max_upload_mb:g} MB")
        name = Path(file.filename or "upload").name
        with svc.lock:
            try:
                return svc.ingestor.ingest_upload(name, data)
            except UnreadableDocument as exc:
                reason = str(exc)
                status = 415 if reason.startswith(("unsupported", "legacy")) else 400
                raise HTTPException(status, f"{name}: {reason}") from exc

    @app.delete("/documents/{document}", dependencies=protected)
    def delete(document: str, svc: Svc) -> Deleted:
        with svc.lock:
            if not svc.ingestor.remove(document):
                raise HTTPException(404, f"no document {document!r}")
        return Deleted(deleted=document)

    return app
