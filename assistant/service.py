"""Wiring: the stores of the settings, and the assistant with the answerer they ask for."""

from __future__ import annotations

from assistant.answering import Assistant
from assistant.settings import Settings
from ingest.agencies import load_gazetteer
from store.stores import Stores


def open_stores(settings: Settings) -> Stores:
    return Stores(settings.store)


def build_assistant(stores: Stores, settings: Settings) -> Assistant:
    generator = None
    if settings.llm_base_url:
        from assistant.generative import GenerativeAnswerer

        generator = GenerativeAnswerer(settings)
    return Assistant(
        stores,
        generator=generator,
        candidates=settings.candidates,
        gazetteer=load_gazetteer(settings.agencies_file),
    )
