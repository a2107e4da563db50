"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request

from review_assistant.errors import Busy
from review_assistant.http.deps import Lib
from review_assistant.http.models import Health, Ready

router = APIRouter(tags=["health"])
READY_WAIT_SECONDS = 5.0  # /ready waits this long for the start's check, then says 503


@router.get("/health")
async def health() -> Health:
    """The process is up. Touches no store and runs on the event loop, not the worker
    threads, so it answers whatever those are busy with."""
    return Health(status="ok")


@router.get("/ready", responses={503: {"description": "the stores are still being checked"}})
def ready(request: Request, library: Lib) -> Ready:
    """The stores answer and agree: documents, passages and vectors held. While the check
    that runs at start is still going (a large library, after a crash), 503."""
    if not request.app.state.consistent.wait(timeout=READY_WAIT_SECONDS):
        raise Busy("the library's stores are still being checked after the start", 5)
    return Ready(status="ready", **library.status().model_dump())
