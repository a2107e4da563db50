"""Parse a document's structure from its text: findings, recommendations, responses by agency.

Works on the canonical text of any reader. The signals are generic: numbered headings
("Recommendation 3b", "Finding one:", "8.12 We recommend…" under a "Recommendation" label),
paragraph shape, emphasis, sub-parts and agency names; nothing depends on a file name.

The parse runs in phases, each a module: the headings one paragraph shows (`headings.py`)
and those the whole document offers (`candidates.py`); one walk over the paragraphs that
says what each is (`walk.py`); the decisions over the whole document, such as which heading
of a repeated id is the recommendation (`decision.py`); and the output (`building.py`).
Minutes are read as progress notes instead (`minutes.py`).
"""

from __future__ import annotations

import hashlib

from review_assistant.ingest.agencies import Gazetteer, default_gazetteer
from review_assistant.ingest.building import build
from review_assistant.ingest.checks import check_structure
from review_assistant.ingest.decision import (
    choose,
    number_unprinted,
    regroup,
    repair_duplicates,
)
from review_assistant.ingest.features import Candidate, candidates
from review_assistant.ingest.headings import ANY_HEADING
from review_assistant.ingest.metadata import DocumentFacts, document_facts, slug
from review_assistant.ingest.minutes import parse_minutes
from review_assistant.ingest.paragraphs import Paragraph, split_paragraphs
from review_assistant.ingest.scoring import Scorer, default_scorer
from review_assistant.ingest.types import DocType, ParsedDocument, RawDocument
from review_assistant.ingest.walk import answered, emphasised_paragraphs, walk


class StructureParser:
    """`scorer` decides which candidates are recommendations: the shipped model unless one is
    given (a model trained without the document, to measure how well it generalises)."""

    def __init__(self, gazetteer: Gazetteer | None = None, scorer: Scorer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.scorer = scorer or default_scorer()

    def paragraphs(self, raw: RawDocument) -> list[Paragraph]:
        """The document's paragraphs, as every phase reads them."""
        return split_paragraphs(
            raw.text, heading=ANY_HEADING, opens_paragraph=self.gazetteer.opens_with_agency
        )

    def candidates(self, raw: RawDocument) -> tuple[list[Candidate], list[Paragraph]]:
        """Every unit that could open a recommendation, with its features (what the scorer
        is trained on), and the paragraphs they index."""
        paras = self.paragraphs(raw)
        return candidates(paras, emphasised_paragraphs(paras, raw.emphasis)), paras

    def parse(self, raw: RawDocument) -> ParsedDocument:
        facts = document_facts(raw.text)
        paragraphs = self.paragraphs(raw)
        doc = _document(raw, facts)
        if facts.doc_type == DocType.minutes:
            parse_minutes(doc, raw, paragraphs, self.gazetteer)
        else:
            self._parse_response(doc, raw, paragraphs)
        doc.check = check_structure(doc)
        return doc

    def _parse_response(
        self, doc: ParsedDocument, raw: RawDocument, paras: list[Paragraph]
    ) -> None:
        """Recommendations and what each agency did: walk, decide, build."""
        layout = walk(doc, raw, paras, self.scorer)
        number_unprinted(layout)
        recs = choose(layout, raw)
        repair_duplicates(recs)
        regroup(recs, layout, answered=answered(doc.doc_type))
        build(doc, raw, paras, layout, recs, self.gazetteer)


def _document(raw: RawDocument, facts: DocumentFacts) -> ParsedDocument:
    """The document with its facts, before any structure."""
    return ParsedDocument(
        # content and name: the same file under two names is two documents
        doc_id=hashlib.sha256(f"{raw.file_name}\0{raw.sha256}".encode()).hexdigest()[:16],
        file_name=raw.file_name,
        sha256=raw.sha256,
        source_format=raw.source_format,
        title=facts.title,
        review=facts.review,
        review_id=slug(facts.review) or slug(raw.file_name),
        partnership=facts.partnership,
        doc_type=facts.doc_type,
        date=facts.date,
        dates=facts.dates,
        text=raw.text,
        pages=raw.pages,
        ocr_pages=raw.ocr_pages,
    )
