"""Property-based tests: random and mutated bytes never crash a reader (they are read or
refused with a reason), and any text gives a well-formed structure. Bounded in examples."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.readers import read_document
from review_assistant.ingest.structure import StructureParser
from review_assistant.ingest.types import RawDocument
from tests.support.documents import HTML, RESPONSE_TEXT, docx_file, text_pdf

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@cache
def seeds(folder: str) -> dict[str, bytes]:
    """Small valid files of every format, to mutate."""
    base = Path(folder)
    return {
        "pdf": text_pdf(
            base / "a.pdf", [["Recommendation 1", "Agencies should meet."]]
        ).read_bytes(),
        "docx": docx_file(base / "a.docx").read_bytes(),
        "html": HTML.encode(),
        "txt": RESPONSE_TEXT.encode(),
    }


def read_or_refuse(name: str, data: bytes) -> RawDocument | None:
    try:
        raw = read_document(Path(name), data=data)
    except UnreadableDocument as exc:
        assert str(exc)  # a reason for the user
        return None
    assert raw.pages and raw.text.strip()
    for page in raw.pages:
        assert 0 <= page.start <= page.end <= len(raw.text)
    return raw


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["x.pdf", "x.docx", "x.html", "x.txt", "x"]))
def test_random_bytes_are_read_or_refused(data, name):
    read_or_refuse(name, data)


@FUZZ
@given(
    kind=st.sampled_from(["pdf", "docx", "html", "txt"]),
    edits=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=6),
    cut=st.floats(0.05, 1.0),
)
def test_mutated_files_are_read_or_refused(tmp_path_factory, kind, edits, cut):
    data = bytearray(seeds(str(tmp_path_factory.getbasetemp()))[kind])
    for where, piece in edits:
        at = int(where * (len(data) - 1))
        data[at : at + len(piece)] = piece
    read_or_refuse(f"x.{kind}", bytes(data[: max(1, int(len(data) * cut))]))


LINES = st.sampled_from([
    "Recommendation 1", "Recommendation 1a", "Recommendation 2:", "Finding 1", "1.", "2.3",
    "Recommendations", "The partnership will review the protocol.", "Police: officers trained.",
    "- Health visitors check registration.", "(a) share records", "Contents ....... 4",
    "Recommendation 3 of the earlier report was accepted.", "", "Minutes of the panel",
])  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(LINES, st.text(max_size=60)), max_size=40))
def test_any_text_gives_a_well_formed_structure(lines):
    text = "\n\n".join(lines)
    if len(text.strip()) < 20:
        return
    raw = read_or_refuse("x.txt", text.encode())
    if raw is None:
        return
    doc = StructureParser().parse(raw)
    ids = [r.rec_id for r in doc.recommendations]
    assert len(ids) == len(set(ids))
    for rec in doc.recommendations:
        assert 0 <= rec.start <= rec.end <= len(doc.text)
        for response in rec.responses:
            assert doc.text[response.start : response.end].strip() == response.text
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(doc.text)
