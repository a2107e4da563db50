"""The HTTP server: the API, the web page and Slack's endpoint composed into one FastAPI
app over one library. Only this module knows all three; none of them knows another."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

import swagger_ui_bundle
from anyio import CapacityLimiter
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from review_assistant import pages
from review_assistant.errors import (
    Busy,
    DocumentExists,
    NotFound,
    StorageFull,
    TooLarge,
    Unsupported,
)
from review_assistant.http import api_router
from review_assistant.library import Library, session_secret
from review_assistant.pages.access import WebAccess
from review_assistant.server.guard import KeyFailures, PageAccess, RequestGuard
from review_assistant.settings import Settings, get_settings
from review_assistant.slack import events

log = logging.getLogger(__name__)
OPEN_PATHS = {"/health", "/slack/events"}  # Slack signs its own requests
JSON_BODY_LIMIT = 1_000_000
UPLOAD_OVERHEAD = 1_000_000  # multipart framing around the file
# Writes wait for the one writer; only this many threads wait, so writes piled up behind a
# long ingest never take the threads that reads answer on
WRITE_THREADS = 4
WRITES = ("upload", "remove")
# what each refusal of the application layer is in HTTP
STATUS_OF = {
    NotFound: 404, Unsupported: 404, DocumentExists: 409, TooLarge: 413, Busy: 503,
    StorageFull: 507,
}  # fmt: skip


def _error(status: int, message: str, details: object | None = None) -> JSONResponse:
    body: dict = {"error": {"status": status, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(status_code=status, content=body)


def _refusal(request: Request, status: int, message: str, details: object | None = None):
    if pages.is_page(request.url.path):
        return pages.error_page(request, status, message)
    return _error(status, message, details)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    upload_limit = int(settings.api.max_upload_mb * 1_000_000)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        library = Library(settings)
        app.state.library = library
        app.state.slack = events.endpoint(settings.slack, library)
        app.state.write_threads = {kind: CapacityLimiter(WRITE_THREADS) for kind in WRITES}
        app.state.consistent = threading.Event()
        # an ingest killed mid-way leaves traces to clear: the check runs beside the server,
        # which answers /health at once and /ready once the stores agree
        threading.Thread(
            target=_repair, args=(library, app.state.consistent), name="repair", daemon=True
        ).start()
        library.jobs  # noqa: B018 - the uploads thread starts with the server, not on demand
        yield
        library.close()

    app = FastAPI(
        title="Review Assistant",
        description="Cited answers about child-safeguarding review documents.",
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # served below from the packaged Swagger UI, not from a CDN
        redoc_url=None,
    )
    access = WebAccess(
        settings.api.key_list,
        secret=session_secret(settings.store.data_dir),
        secure=settings.api.secure_cookies,
        ended=lambda sid: app.state.library.session_ended(sid),
    )
    app.state.web_access = access
    app.add_middleware(
        RequestGuard,
        keys=settings.api.key_list,
        open_paths=OPEN_PATHS | pages.OPEN_PAGES,
        body_limit=lambda path: (
            upload_limit + UPLOAD_OVERHEAD
            if path.startswith(("/documents", "/library/upload"))
            else JSON_BODY_LIMIT
        ),
        page=PageAccess(pages.is_page, access),
        allowed_hosts=settings.api.host_list,
        failures=KeyFailures(settings.api.failed_keys_per_minute),
    )
    app.include_router(pages.page_router())
    app.include_router(api_router())
    app.include_router(events.router)
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs")
    _handle_errors(app)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="Review Assistant — API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )

    return app


def _repair(library: Library, done: threading.Event) -> None:
    try:
        found = library.check(repair=True)
        if found.repaired:
            log.warning("stores repaired at start: %s", found.summary())
    except Exception:
        log.exception("the stores could not be checked at start")
    finally:
        done.set()


def _handle_errors(app: FastAPI) -> None:
    """Every refusal as JSON `{"error": …}` on the API, and as a page on the web page."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _refusal(request, exc.status_code, str(exc.detail), getattr(exc, "details", None))

    for kind, status in STATUS_OF.items():

        async def refused(request: Request, exc: Exception, status: int = status):
            response = _refusal(request, status, str(exc))
            if isinstance(exc, Busy):
                response.headers["Retry-After"] = str(exc.retry_after)
            return response

        app.add_exception_handler(kind, refused)

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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("review-assistant")
    except PackageNotFoundError:  # a checkout run without installing
        return "0"
