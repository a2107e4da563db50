"""Documents parsed from plain text, as the structure tests write them."""

from __future__ import annotations

import hashlib

from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.ingest.normalize import assemble
from review_assistant.ingest.structure import StructureParser
from review_assistant.ingest.types import RawDocument
from tests.support.samples import SAMPLE_AGENCIES

HEAD = """Northshire Safeguarding Children Partnership

Response to the Serious Case Review of Child Q

This document provides the responses of the partnership and its agencies.

"""


def parse_text(text: str, name: str = "doc.txt"):
    pages = [(page, False) for page in text.split("\f")]
    canonical, page_models, emphasis = assemble(pages)
    raw = RawDocument(
        file_name=name,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        source_format="text",
        text=canonical,
        pages=page_models,
        emphasis=emphasis,
    )
    # the traps name some bodies by their local abbreviations (UHSFT): configured names
    return StructureParser(load_gazetteer(SAMPLE_AGENCIES)).parse(raw)


def recs(doc) -> dict:
    return {r.rec_id: r for r in doc.recommendations}
