"""Wiring: the stores of the settings, the assistant with the answerer they ask for, and the
running services the HTTP routes (API and page) reach through a dependency."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from review_assistant.answering import Assistant
from review_assistant.jobs import IngestJobs
from review_assistant.ingestion import Ingestor
from review_assistant.settings import Settings
from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.store.stores import Stores


@dataclass
class Services:
    stores: Stores
    assistant: Assistant
    ingestor: Ingestor
    jobs: IngestJobs
    upload_limit: int  # bytes
    background_bytes: int  # uploads larger than this become background jobs


def services(request: Request) -> Services:
    """The running app's services (a FastAPI dependency)."""
    return request.app.state.services


def open_stores(settings: Settings) -> Stores:
    return Stores(settings.store)


def build_assistant(stores: Stores, settings: Settings) -> Assistant:
    generator = None
    if settings.llm_base_url:
        from review_assistant.generative import GenerativeAnswerer

        generator = GenerativeAnswerer(settings)
    return Assistant(
        stores,
        generator=generator,
        candidates=settings.candidates,
        gazetteer=load_gazetteer(settings.agencies_file),
    )
