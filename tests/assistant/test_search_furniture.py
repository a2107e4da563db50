"""Furniture the library holds in several documents never outranks what answers."""

from __future__ import annotations

from pathlib import Path

from review_assistant.ingestion import Ingestor
from review_assistant.search import Searcher
from review_assistant.settings import Settings
from review_assistant.store.stores import Stores

# the same closing paragraph in every report of one publisher, worded like the question
FURNITURE = (
    "You may copy this report about babies, health visitors and GP registration free of "
    "charge for training, provided the source is acknowledged and it is not sold."
)
SUBJECTS = {
    "child-a": "Health visitors should confirm at the first visit that every baby is "
    "registered with a GP.",
    "child-b": "Schools should record every exclusion of a pupil in care.",
    "child-c": "The police should share every domestic abuse notification with the school.",
}


def test_a_paragraph_every_report_repeats_ranks_below_the_answer(tmp_path: Path):
    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data").store)
    try:
        paths = []
        for name, recommendation in SUBJECTS.items():
            path = tmp_path / f"{name}.txt"
            path.write_text(
                f"Serious Case Review of {name.title()}\n\nRecommendation 1\n{recommendation}\n\n"
                f"Copyright\n\n{FURNITURE}\n"
            )
            paths.append(path)
        with Ingestor(stores) as ingestor:
            ingestor.ingest(paths, progress=False)
        found = Searcher(stores).search("babies registered with a GP by health visitors?", k=3)
        assert found and "first visit" in found[0].text
        assert all("free of charge" not in p.text for p in found[:2])
    finally:
        stores.close()
