"""Minutes of a meeting: progress notes on the recommendations of a review held elsewhere.

A paragraph that opens with a recommendation's heading or names one ("Recs 4 …") is a note
on it; every paragraph becomes a block.
"""

from __future__ import annotations

from review_assistant.ingest.agencies import Gazetteer
from review_assistant.ingest.headings import progress_reference, rec_heading
from review_assistant.ingest.paragraphs import Paragraph
from review_assistant.ingest.types import (
    Block,
    ParsedDocument,
    ProgressNote,
    RawDocument,
    SectionKind,
)


def parse_minutes(
    doc: ParsedDocument, raw: RawDocument, paras: list[Paragraph], gazetteer: Gazetteer
) -> None:
    """Add the progress notes and the blocks of minutes to `doc`."""
    for para in paras:
        heading = rec_heading(0, para) or progress_reference(para)
        kind = SectionKind.background
        rec_id = None
        if heading is not None:
            kind = SectionKind.progress
            rec_id = heading.rec_id
            doc.progress_notes.append(
                ProgressNote(
                    rec_id=rec_id,
                    text=para.text.lstrip("- "),
                    agencies=gazetteer.mentions(para.text),
                    start=para.start + (2 if para.bullet else 0),
                    end=para.end,
                    page=raw.page_at(para.start),
                    date=doc.date,
                )
            )
        doc.blocks.append(
            Block(
                start=para.start,
                end=para.end,
                kind=kind,
                rec_id=rec_id,
                agency=gazetteer.opening_agency(para.text.lstrip("- ")) if rec_id else None,
                agencies_mentioned=gazetteer.mentions(para.text),
            )
        )
