"""Search on the hand-judged questions: does the passage an answer rests on come back?

    python benchmarks/search_judged.py --data /tmp/judged-lib [--split all|dev|held] [--k 10]

Uses the library judged.py builds (or reuses: the same --data). For every answerable question
with a `source_quote`, the question is searched as typed (no filters) and a returned passage is
a hit when it comes from one of the question's documents and holds the quote's opening or
closing words (compared as judged.py compares: letters and digits, any case) — or, for a quote
that spans passages, when it carries the recommendation the question must cite. Prints hit@1,
hit@5 and MRR over the documents in samples/ (built beside) and over the corpus documents that
are not (unseen while the search was tuned), per user type.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from judged import QUESTIONS, held_out, load, loose, same_document, same_recommendation

from review_assistant import Settings, open_library

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EDGE = 8  # words of the quote's opening or closing a passage must hold


def is_hit(question: dict, passage) -> bool:
    if not any(same_document(passage.document, d) for d in question["documents"]):
        return False
    words = loose(question["source_quote"]).split()
    text = loose(passage.text)
    edges = {" ".join(words[:EDGE]), " ".join(words[-EDGE:])}
    if any(f" {edge} " in text for edge in edges if edge):
        return True
    return any(
        m.get("recommendation")
        and same_document(passage.document, m["document"])
        and same_recommendation(passage.recommendation, m["recommendation"])
        for m in question.get("must_cite") or []
    )


def seen(question: dict) -> bool:
    """Whether the question's documents are among the samples the search was tuned beside."""
    names = {p.name for p in SAMPLES.rglob("*") if p.is_file()}
    return all(Path(d).name in names for d in question["documents"])


def show_miss(question: dict, rank: int | None, passages: list) -> None:
    """A question whose passage is not in the top 5: what was wanted and what came instead."""
    where = "samples" if seen(question) else "unseen"
    print(f"\n## {question['id']} ({where}, rank {rank}) {question['question']}", file=sys.stderr)
    documents = ", ".join(Path(d).name for d in question["documents"])
    print(f"   wanted [{documents}]: {question['source_quote'][:300]}", file=sys.stderr)
    for n, p in enumerate(passages, 1):
        text = " ".join(p.text.split())[:220]
        print(f"   {n}. [{p.document} rec={p.recommendation}] {text}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a library judged.py built")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--split", choices=("all", "dev", "held"), default="all")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument(
        "--misses",
        action="store_true",
        help="print each question not found in the top 5: its quote and the 5 passages found",
    )
    args = parser.parse_args()

    if not args.data.is_dir() or not any(args.data.iterdir()):
        raise SystemExit(f"{args.data} holds no library: build it with judged.py --data")
    library = open_library(Settings(REVIEW_ASSISTANT_DATA_DIR=args.data))
    questions = [
        q
        for q in load(args.questions)
        if not q["abstain"] and q.get("source_quote")
        and (args.split == "all" or held_out(q) == (args.split == "held"))
    ]  # fmt: skip
    ranks: dict[str, list[int | None]] = defaultdict(list)
    missed = []
    for q in questions:
        passages = library.search(q["question"], k=args.k)
        rank = next((n for n, p in enumerate(passages, 1) if is_hit(q, p)), None)
        if rank is None:
            missed.append(q["id"])
        if args.misses and (rank is None or rank > 5):
            show_miss(q, rank, passages[:5])
        where = "samples" if seen(q) else "unseen"
        # by pattern outside the samples: a list's or a count's quote is one item of several
        # right ones, which the answer reads from the register, not from the search
        for group in (
            "all",
            where,
            q["user"],
            f"unseen: {q['pattern']}" if where == "unseen" else "",
        ):
            if not group:
                continue
            ranks[group].append(rank)
    print(f"| questions | n | hit@1 | hit@5 | MRR@{args.k} |")
    print("|---|---|---|---|---|")
    patterns = sorted(g for g in ranks if g.startswith("unseen: "))
    for group in ("all", "samples", "unseen", "practitioner", "trainer", "manager", *patterns):
        found = ranks.get(group, [])
        if not found:
            continue
        n = len(found)
        hit1 = sum(1 for r in found if r == 1) / n
        hit5 = sum(1 for r in found if r and r <= 5) / n
        mrr = sum(1 / r for r in found if r) / n
        print(f"| {group} | {n} | {hit1:.2f} | {hit5:.2f} | {mrr:.3f} |")
    print(f"\nnot in the top {args.k}: {', '.join(missed) or '-'}", file=sys.stderr)


if __name__ == "__main__":
    main()
