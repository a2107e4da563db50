"""The HTTP API (FastAPI routes, grouped by resource): it translates requests into calls on
the library and its answers into JSON, nothing more."""

from __future__ import annotations

from fastapi import APIRouter

from review_assistant.http import documents, health, questions, register


def api_router() -> APIRouter:
    router = APIRouter()
    for module in (health, questions, register, documents):
        router.include_router(module.router)
    return router
