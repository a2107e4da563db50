# ruff: noqa: E501 (the responses are written as their paragraphs are, a line each)
"""Responses of made-up partnerships, for the agencies a library learns from its documents:
each names its agencies only in its own labels, headings and sentences, never in a file of
local names."""

from __future__ import annotations

import hashlib
from pathlib import Path

from review_assistant.ingest.agencies import Gazetteer, default_gazetteer
from review_assistant.ingest.normalize import assemble
from review_assistant.ingest.structure import StructureParser
from review_assistant.ingest.types import ParsedDocument, RawDocument

WENDOVER = """Wendover Safeguarding Children Partnership

Response to the Serious Case Review of Child W

This document sets out how the partnership's agencies have answered each recommendation.

Recommendation 1
All agencies should make sure that every adult living in a household is known to the practitioners working with the family.

Wendover Constabulary: Officers attending a domestic abuse incident now record every adult present in the home and pass the record to the front door within a day.

Marsh Vale NHS Foundation Trust (MVFT): Health visitors ask at every contact who lives in the household and write it in the child's record.

Recommendation 2
The partnership should audit how fathers are included in child protection plans.

Wendover City Council: The council will audit twenty child protection plans by March 2025 and report what it finds to the partnership.

Marsh Vale has added fathers to the questions of its supervision audit, and MVFT safeguarding leads will check the audit each quarter.
"""

KESTREL = """Kestrel Safeguarding Children Partnership

Response to the Child Safeguarding Practice Review of Child K

This document sets out how the partnership's agencies have answered each recommendation.

Recommendation 1
Agencies should share what they know of a family's moves between areas.

Kestrel Police: The force now sends a notification to the receiving area's front door whenever a family known to it moves away.

Kestrel Borough Council: The council's children's services will ask the family's previous area for its records within five working days.
"""

# a local agencies file for the Wendover documents: it names the force, and calls the trust
# by a name of its own
WENDOVER_FILE = """
agencies:
  - name: Wendover and Marsh Police
    category: police
    aliases: [Wendover Constabulary, WMP]
"""


def raw(text: str, name: str) -> RawDocument:
    canonical, pages, emphasis = assemble([(text, False)])
    return RawDocument(
        file_name=name, sha256=hashlib.sha256(text.encode()).hexdigest(), source_format="text",
        text=canonical, pages=pages, emphasis=emphasis,
    )  # fmt: skip


def parse(text: str, name: str = "response.txt", gazetteer: Gazetteer | None = None):
    """A response parsed with the national gazetteer (or `gazetteer`) only."""
    return StructureParser(gazetteer or default_gazetteer()).parse(raw(text, name))


def owners(doc: ParsedDocument) -> list[str]:
    return list(dict.fromkeys(r.agency for rec in doc.recommendations for r in rec.responses))


def write(folder: Path, **texts: str) -> list[Path]:
    """Each text as a file of that name (.txt) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
