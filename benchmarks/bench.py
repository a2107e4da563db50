"""Speed and quality figures on the bundled sample corpus (a benchmark, not a test).

    python benchmarks/bench.py [--corpus samples] [--questions benchmarks/questions.jsonl]

Prints: ingest pages/s (text-layer PDFs and all files) and chunks/s; search latency p50/p95
warm; hit@1, hit@5 and MRR of the hybrid search and of the plain LlamaIndex starter pipeline
(SentenceSplitter defaults, vector top-k, the same embedder) on the same questions; answer
quality (right passage cited, citations from the right review, answered and abstained shares,
with benchmarks/unanswerable.jsonl) and POST /ask latency p50/p95 over HTTP (extractive).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from review_assistant.evaluation import evaluate, load_questions
from review_assistant.ingest.readers import read_document
from review_assistant.ingestion import Ingestor, expand
from review_assistant.library import Library
from review_assistant.search import Searcher
from review_assistant.settings import Settings
from review_assistant.store.stores import Stores

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    """The benchmarks' one percentile: the nearest rank (0.0 of nothing)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def bench_ingest(stores: Stores, corpus: Path, config) -> dict:
    files = list(expand([corpus]))
    pdfs = [f for f in files if f.read_bytes()[:5] == b"%PDF-"]
    others = [f for f in files if f not in pdfs]
    ingestor = Ingestor(stores, config)
    # the reading process's start (a Python interpreter and its imports) is not throughput
    ingestor.worker.parse("warm-up.txt", b"Recommendation 1\n\nAgencies should share records.")
    started = time.perf_counter()
    pdf_report = ingestor.ingest(pdfs, progress=False)
    pdf_seconds = time.perf_counter() - started
    started = time.perf_counter()
    other_report = ingestor.ingest(others, progress=False)
    other_seconds = time.perf_counter() - started
    seconds = pdf_seconds + other_seconds
    chunks = pdf_report.chunks + other_report.chunks
    pages = pdf_report.pages + other_report.pages
    return {
        "files": len(files),
        "pdf_pages": pdf_report.pages,
        "pdf_pages_per_s": pdf_report.pages / pdf_seconds,
        "pages_per_s": pages / seconds,
        "chunks": chunks,
        "chunks_per_s": chunks / seconds,
        "seconds": seconds,
        "skipped": len(pdf_report.skipped) + len(other_report.skipped),
    }


def bench_search(searcher: Searcher, questions: list[str], rounds: int = 3) -> dict:
    searcher.search(questions[0])  # warm: models loaded, caches filled
    timings = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            searcher.search(question, k=5)
            timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95)}


def bench_answers(client, questions, unanswerable: list[str], names_review) -> dict:
    """Answer quality through the HTTP API, and /ask latency."""
    from review_assistant.evaluation import normalise

    timings: list[float] = []

    def ask(question: str) -> dict:
        started = time.perf_counter()
        response = client.post("/ask", json={"question": question})
        timings.append((time.perf_counter() - started) * 1000)
        return response.json()

    ask(questions[0].question)  # warm
    timings.clear()
    answered = cited = from_review = citations = named_right = named_total = 0
    for q in questions:
        body = ask(q.question)
        if body["abstained"]:
            continue
        answered += 1
        phrases = [q.expect] if isinstance(q.expect, str) else q.expect
        texts = [normalise(c["text"]) for c in body["citations"]]
        cited += any(normalise(p) in t for p in phrases for t in texts)
        if q.review:
            right = sum(c["review_id"] == q.review for c in body["citations"])
            citations += len(body["citations"])
            from_review += right
            if names_review(q.question):
                named_total += len(body["citations"])
                named_right += right
    abstained = sum(ask(question)["abstained"] for question in unanswerable)
    return {
        "right_passage_cited": cited / len(questions),
        "citations_from_right_review": from_review / max(citations, 1),
        "citations_from_named_review": named_right / max(named_total, 1),
        "answerable_answered": answered / len(questions),
        "unanswerable_abstained": abstained / max(len(unanswerable), 1),
        "ask_p50_ms": statistics.median(timings),
        "ask_p95_ms": percentile(timings, 0.95),
    }


def baseline_retriever(corpus: Path, stores: Stores):
    """The LlamaIndex starter: documents -> SentenceSplitter() -> VectorStoreIndex -> top-k."""
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from review_assistant.store.embedding import MiniLMEmbedding

    documents = []
    for path in expand([corpus]):
        raw = read_document(path)
        documents.append(Document(text=raw.text, metadata={"file_name": raw.file_name}))
    index = VectorStoreIndex.from_documents(
        documents,
        embed_model=MiniLMEmbedding(stores.model),
        transformations=[SentenceSplitter()],
    )
    return index.as_retriever(similarity_top_k=10)


def load_questions_loose(path: Path):
    """Unanswerable questions have no expected phrase."""
    import json
    from types import SimpleNamespace

    lines = path.read_text(encoding="utf-8").splitlines()
    return [SimpleNamespace(**json.loads(line)) for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "samples")
    parser.add_argument("--questions", type=Path, default=ROOT / "benchmarks" / "questions.jsonl")
    parser.add_argument(
        "--unanswerable", type=Path, default=ROOT / "benchmarks" / "unanswerable.jsonl"
    )
    parser.add_argument(
        "--agencies",
        type=Path,
        default=ROOT / "examples" / "southampton-hampshire-agencies.yaml",
        help="the corpus's local agency names (REVIEW_ASSISTANT_AGENCIES)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ra-bench-") as data_dir:
        settings = Settings(
            REVIEW_ASSISTANT_DATA_DIR=Path(data_dir), REVIEW_ASSISTANT_AGENCIES=args.agencies
        )
        library = Library(settings)
        stores = library.stores
        stores.model.embed(["warm up"])  # model load is not ingest throughput
        ingest = bench_ingest(stores, args.corpus, settings.ingest)
        print(
            f"ingest: {ingest['files']} files, {ingest['chunks']} chunks in "
            f"{ingest['seconds']:.1f} s; text-layer PDFs {ingest['pdf_pages_per_s']:.1f} pages/s "
            f"({ingest['pdf_pages']} pages); all files {ingest['pages_per_s']:.1f} pages/s; "
            f"{ingest['chunks_per_s']:.1f} chunks/s; skipped {ingest['skipped']}"
        )
        questions = load_questions(args.questions)
        searcher = library.assistant.searcher
        latency = bench_search(searcher, [q.question for q in questions])
        p50, p95 = latency["p50_ms"], latency["p95_ms"]
        print(f"search latency (warm, k=5): p50 {p50:.1f} ms, p95 {p95:.1f} ms")

        hybrid = evaluate(questions, lambda q: [p.text for p in searcher.search(q, k=10)])
        print(f"hybrid search      : {hybrid.as_dict()}")
        retriever = baseline_retriever(args.corpus, stores)
        baseline = evaluate(
            questions, lambda q: [n.node.get_content() for n in retriever.retrieve(q)]
        )
        print(f"llama-index starter: {baseline.as_dict()}")

        from fastapi.testclient import TestClient

        from review_assistant.server import create_app

        unanswerable = [q.question for q in load_questions_loose(args.unanswerable)]
        with TestClient(create_app(settings), base_url="http://localhost") as client:
            answers = bench_answers(
                client,
                questions,
                unanswerable,
                lambda q: bool(searcher.plan(q).review_ids),
            )
        print(
            "answers (extractive): "
            f"right passage cited {answers['right_passage_cited']:.3f}, "
            f"citations from the expected review {answers['citations_from_right_review']:.3f} "
            f"(from the review the question names {answers['citations_from_named_review']:.3f}), "
            f"answerable answered {answers['answerable_answered']:.3f}, "
            f"unanswerable abstained {answers['unanswerable_abstained']:.3f} "
            f"({len(questions)} answerable, {len(unanswerable)} unanswerable)"
        )
        p50, p95 = answers["ask_p50_ms"], answers["ask_p95_ms"]
        print(f"/ask latency (warm): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
