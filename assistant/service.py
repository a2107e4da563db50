"""Wiring: the assistant with the answerer the settings ask for."""

from __future__ import annotations

from assistant.answering import Assistant
from store.stores import Stores


def build_assistant(stores: Stores) -> Assistant:
    settings = stores.settings
    generator = None
    if settings.llm_base_url:
        from assistant.generative import GenerativeAnswerer

        generator = GenerativeAnswerer(settings)
    return Assistant(stores, generator=generator)
