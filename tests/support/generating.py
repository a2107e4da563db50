"""Answerers over the sample library with a fake model server, and reading the prompts the
model was sent."""

from __future__ import annotations

import re

from review_assistant.answering import Assistant
from review_assistant.generative import GenerativeAnswerer
from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.settings import Settings
from tests.support.fake_llm import FakeLLM
from tests.support.samples import SAMPLE_AGENCIES


def assistant_for(sample_stores, server: FakeLLM, timeout: float = 5.0) -> Assistant:
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=sample_stores.config.data_dir,
        REVIEW_ASSISTANT_AGENCIES=SAMPLE_AGENCIES,
        LLM_BASE_URL=server.url,
        LLM_MODEL="fake-model",
        LLM_TIMEOUT=timeout,
    )
    return Assistant(
        sample_stores,
        generator=GenerativeAnswerer(settings.llm),
        gazetteer=load_gazetteer(SAMPLE_AGENCIES),
    )


def passage_number(body: dict, phrase: str) -> int:
    """The number the prompt gave the passage containing `phrase`."""
    prompt = body["messages"][1]["content"]
    for match in re.finditer(r"^\[(\d+)\] \(.*?\)\n(.*?)(?=\n\n|\Z)", prompt, re.M | re.S):
        if phrase in match.group(2):
            return int(match.group(1))
    raise AssertionError(f"no passage with {phrase!r} in the prompt")
