"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from review_assistant.http.deps import Lib
from review_assistant.http.models import Health, Ready

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> Health:
    """The process is up. Touches no store and runs on the event loop, not the worker
    threads, so it answers whatever those are busy with."""
    return Health(status="ok")


@router.get("/ready")
def ready(library: Lib) -> Ready:
    """The stores answer: documents, passages and vectors held."""
    return Ready(status="ready", **library.status().model_dump())
