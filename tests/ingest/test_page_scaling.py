"""Work that must not grow faster than a document: page lookups, a shared response, dense
PDF pages. Asserted on lines of Python run (tests/support/work.py), not on seconds; the
figures in seconds are `benchmarks/pages_scale.py`'s."""

from __future__ import annotations

import sys

from review_assistant.ingest import building, layout, types
from review_assistant.ingest.agencies import default_gazetteer
from review_assistant.ingest.layout import Fragment, paragraphs_text
from review_assistant.ingest.structure import StructureParser
from review_assistant.ingest.types import Page, PageIndex, RawDocument, page_at
from tests.support.work import lines_run

PAGES = 2000


def _pages(count: int, size: int = 40) -> list[Page]:
    return [Page(number=n + 1, start=n * size, end=(n + 1) * size) for n in range(count)]


def _raw(text: str, pages: list[Page]) -> RawDocument:
    return RawDocument(file_name="r.txt", sha256="x", source_format="text", text=text, pages=pages)


def _linear(pages: list[Page], offset: int) -> int:
    """The page lookup's meaning: the first page holding the offset, else the last page."""
    return next((p.number for p in pages if p.start <= offset < p.end), pages[-1].number)


def test_a_page_lookup_gives_the_page_holding_the_offset():
    # empty pages (a blank page, a page of furniture only) and a gap between pages
    pages = [
        Page(number=1, start=0, end=10),
        Page(number=2, start=10, end=10),
        Page(number=3, start=10, end=25),
        Page(number=4, start=25, end=25),
        Page(number=5, start=30, end=40),
    ]
    for offset in range(-2, 45):
        assert page_at(pages, offset) == _linear(pages, offset), offset
        assert PageIndex(pages).at(offset) == _linear(pages, offset), offset
    unordered = [pages[2], pages[0], pages[4]]
    assert [PageIndex(unordered).at(o) for o in (5, 12, 35, 27)] == [1, 3, 5, 5]
    assert page_at([], 3) == 1


def test_page_lookups_do_not_walk_the_pages():
    """The parser looks up a page for every paragraph, run and chunk: on a document of
    thousands of pages each lookup must not look at every page."""
    pages = _pages(PAGES)
    raw = _raw("x" * pages[-1].end, pages)
    offsets = range(0, pages[-1].end, 97)
    numbers: list[int] = []
    work = lines_run(
        lambda: numbers.extend(raw.page_at(o) for o in offsets), [types], 40 * len(offsets)
    )
    assert numbers == [o // 40 + 1 for o in offsets]
    assert work <= 20 * len(offsets)  # a walk over the pages runs about a thousand a lookup
    end = raw.pages[-1].end
    raw.pages.append(Page(number=PAGES + 1, start=end, end=end + 40))
    assert raw.page_at(end) == PAGES + 1  # a page added later is seen


def test_a_response_shared_by_a_group_is_read_once():
    """Recommendations answered together share one response: its agencies, status and
    deadlines are read once for the group, not once for each member."""
    text = (
        "Northshire Safeguarding Children Partnership\n\n"
        "Response to the Serious Case Review of Child Q\n\n"
        "Recommendations 1 to 3: All agencies should check that every baby is registered "
        "with a GP.\n\n"
        "Northshire Police accepted these recommendations in March 2024.\n\n"
        "The CCG will keep a log of births by June 2025.\n"
    )
    read: list[str] = []
    original = building.dates_and_deadline

    def counted(response: str):
        read.append(response)
        return original(response)

    building.dates_and_deadline = counted
    try:
        doc = StructureParser(default_gazetteer()).parse(_raw(text, _pages(1, len(text))))
    finally:
        building.dates_and_deadline = original
    assert [r.rec_id for r in doc.recommendations] == ["1", "2", "3"]
    answers = [[(a.agency, a.deadline) for a in r.responses] for r in doc.recommendations]
    assert answers[0] == answers[1] == answers[2] and ("Northshire Police", None) in answers[0]
    assert len(read) == len(answers[0])  # once per response, not once per recommendation
    first, second = doc.recommendations[0].responses[0], doc.recommendations[1].responses[0]
    assert first == second and first is not second  # each its own copy


class _Run(Fragment):
    """A text run whose comparisons with other runs are counted as work (lines of this file)."""

    __hash__ = None

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other)


def test_a_dense_pdf_page_is_laid_out_in_linear_work():
    """A page of thousands of text runs (a dense table, a hostile file): grouping runs into
    lines and columns compares each run with its line's bounds, not with every run of its
    line or its page."""

    def grid(rows: int, columns: int) -> list[Fragment]:
        return [
            _Run(c * 30.0, r * 12.0, c * 30.0 + 10, r * 12.0 + 10, "ab")
            for r in range(rows)
            for c in range(columns)
        ]

    width = 2 * 30.0 * 80  # one column
    small, large = grid(20, 20), grid(80, 80)
    text = paragraphs_text(small, width)
    assert text.splitlines() == [" ".join(["ab"] * 20)] * 20
    here = sys.modules[__name__]
    work_small = lines_run(lambda: paragraphs_text(small, width), [layout, here], 10**6)
    work_large = lines_run(lambda: paragraphs_text(large, width), [layout, here], 40 * work_small)
    assert work_large <= 24 * work_small  # sixteen times the runs, four times as many a line
