"""Documents and passages built directly, for tests of the register that need no parsing."""

from __future__ import annotations

from review_assistant.ingest.types import Chunk, DocType, ParsedDocument, SectionKind


def document(name: str, texts: list[tuple[str, str | None]], review: str = "child-t"):
    """A document of one passage per (text, recommendation id), and those passages."""
    doc = ParsedDocument(
        doc_id=f"id-{name}", file_name=name, sha256="0" * 64, source_format="text",
        title="T", review=review.title(), review_id=review, doc_type=DocType.other,
        text=" ".join(t for t, _ in texts), pages=[],
    )  # fmt: skip
    chunks = [
        Chunk(
            chunk_id=f"{name}-{i}",
            doc_id=doc.doc_id,
            document=name,
            title="T",
            review=doc.review,
            review_id=review,
            doc_type="other",
            section=SectionKind.response,
            recommendation=rec,
            page_start=1,
            page_end=1,
            start=0,
            end=len(text),
            text=text,
        )  # fmt: skip
        for i, (text, rec) in enumerate(texts)
    ]
    return doc, chunks
