"""Page timings of the web page (a benchmark, not a test).

    python benchmarks/pages.py [--data DIR] [--rounds 20]

Without --data, ingests samples/ into a temporary library first. Times each page in-process
through FastAPI's test client (server time: routing, queries, templates), warm, and prints
p50/p95 per page: the register, the review with the most recommendations (first page of 50),
one of its recommendations, a source view, and a question.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench import percentile
from fastapi.testclient import TestClient

from review_assistant.ingestion import Ingestor
from review_assistant.server import create_app
from review_assistant.settings import Settings
from review_assistant.store.stores import Stores

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = ROOT / "examples" / "southampton-hampshire-agencies.yaml"


def timed(client: TestClient, url: str, rounds: int) -> tuple[float, float]:
    client.get(url)  # warm
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), percentile(timings, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="an existing library's data directory")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    data = Path(args.data) if args.data else Path(tempfile.mkdtemp()) / "data"
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=data, REVIEW_ASSISTANT_AGENCIES=AGENCIES)
    if not args.data:
        stores = Stores(settings.store)
        with Ingestor(stores, settings.ingest) as ingestor:
            ingestor.ingest([ROOT / "samples"], progress=False)
        stores.close()
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        register = client.app.state.library.stores.register
        reviews = register.reviews()
        largest = max(reviews, key=lambda r: r.recommendation_count)
        rec = register.recommendations(largest.id)[0]
        detail = register.recommendation_detail(largest.id, rec.rec_id)
        assert detail is not None  # a recommendation the register just listed
        cited = detail.citation
        source = f"/source/{cited.document}?start={cited.start}&end={cited.end}"
        pages = {
            "register (/)": "/",
            "a review, first 50 recommendations": f"/review/{largest.id}",
            "a recommendation": f"/review/{largest.id}/{rec.rec_id}",
            "a source view": source,
            "a question": "/question?q=what+was+learned+about+unseen+men+in+the+household",
        }
        print(f"{len(register.documents())} documents, {len(reviews)} reviews, "
              f"{register.count_chunks()} passages")  # fmt: skip
        print("| page | p50 | p95 |\n|---|---|---|")
        for label, url in pages.items():
            p50, p95 = timed(client, url, args.rounds)
            print(f"| {label} | {p50:.1f} ms | {p95:.1f} ms |")


if __name__ == "__main__":
    main()
