"""The register as managers read it: one row per recommendation of a review (merged across
the review's documents), filtered, sorted, with progress, and the library's overview of
progress per review. Computed once per library generation."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from review_assistant.ingest.status import PROGRESS, overall_progress, progress
from review_assistant.models import (
    AgencyProgress,
    AgencyRegister,
    AgencyRow,
    RecommendationRow,
    RegisterRow,
    Review,
    ReviewProgress,
)
from review_assistant.store.stores import Stores

T = TypeVar("T")


class ViewCache:
    """What the register views compute from the whole library, kept until the library
    changes: reading 25k recommendations and 50k responses takes 150 ms at 2,700 documents,
    rendering a page a tenth of that."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self._generation: int | None = None
        self._values: dict = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        generation = self.stores.sync()
        with self._lock:
            if generation != self._generation:
                self._values, self._generation = {}, generation
            values = self._values  # a change elsewhere swaps the dict, never half-fills it
        if key not in values:
            values[key] = compute()
        return values[key]


def overview(stores: Stores, reviews: list[Review]) -> list[ReviewProgress]:
    """Each review with how many of its recommendations stand at each progress."""
    register = stores.register
    statuses = register.statuses_by_review()
    dates = register.review_dates()
    rows = []
    for review in reviews:
        counts = dict.fromkeys(PROGRESS, 0)
        for words in statuses.get(review.id, []):
            counts[overall_progress(words)] += 1
        rows.append(
            ReviewProgress(**review.model_dump(), counts=counts, date=dates.get(review.id, ""))
        )
    return rows


def merged_rows(recs: list[RecommendationRow]) -> list[RegisterRow]:
    """A review's report and its response both list recommendation 3: one row, with the
    agencies and statuses of both, and the words of the first that has responses."""
    merged: dict[str, dict] = {}
    for rec in recs:
        seen = merged.get(rec.rec_id)
        if seen is None:
            merged[rec.rec_id] = rec.model_dump()
            continue
        if rec.agencies and not seen["agencies"]:
            seen.update(rec.model_dump(include={"text", "title", "page", "document", "finding"}))
        seen["agencies"] = sorted({*seen["agencies"], *rec.agencies})
        seen["statuses"] = sorted({*seen["statuses"], *rec.statuses})
    return [
        RegisterRow(**row, progress=overall_progress(row["statuses"])) for row in merged.values()
    ]


def filtered(rows: list[RegisterRow], agency: str, status: str, text: str) -> list[RegisterRow]:
    """The rows an agency responded to, with a status word or progress, holding some words."""
    words = text.lower()
    return [
        row
        for row in rows
        if (not agency or agency in row.agencies)
        and (not status or status in row.statuses or status == row.progress)
        and (not words or words in f"{row.rec_id} {row.title or ''} {row.text}".lower())
    ]


SORTS: dict[str, Callable[[RegisterRow], object] | None] = {
    "order": None,
    "id": lambda r: r.rec_id,
    "progress": lambda r: PROGRESS.index(r.progress),
    "agencies": lambda r: len(r.agencies),
    "page": lambda r: r.page,
}


def ordered(rows: list[RegisterRow], sort: str) -> list[RegisterRow]:
    """Rows in document order, or by a column of SORTS ("-page": descending)."""
    key = SORTS.get(sort.lstrip("-"))
    return sorted(rows, key=key, reverse=sort.startswith("-")) if key else rows


def agency_register(stores: Stores, agency: str) -> AgencyRegister:
    """Every response of one agency across the library, the oldest review first, with the
    count at each progress and the oldest review it has something open on."""
    dates = stores.register.review_dates()
    rows = [
        AgencyRow(
            review_id=r.review_id,
            review=r.review,
            review_date=dates.get(r.review_id, ""),
            rec_id=r.rec_id,
            status=r.status,
            progress=progress(r.status),
            deadline=r.deadline,
            text=r.text,
            citation=r.citation,
        )  # fmt: skip
        for r in stores.register.responses_of(agency)
    ]
    rows.sort(key=lambda row: (row.review_date or "9999", row.review_id))  # undated last
    counts = dict.fromkeys(PROGRESS, 0)
    for row in rows:
        counts[row.progress] += 1
    open_rows = [row for row in rows if row.progress != "completed"]
    oldest = open_rows[0] if open_rows else None
    summary = AgencyProgress(
        agency=agency, counts=counts, reviews=len({row.review_id for row in rows}),
        oldest_open=oldest.review if oldest else None,
        oldest_open_date=(oldest.review_date or None) if oldest else None,
    )  # fmt: skip
    return AgencyRegister(summary=summary, rows=rows)
