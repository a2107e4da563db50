"""Checks benchmarks/judged/questions.jsonl against the corpus text (run after editing it).

    python benchmarks/judged/check_questions.py [--corpus /work/shared/corpus]

Every question must have the fields the runner reads, a known user, a unique id; every
document it names must be a corpus file; its source_quote must occur in one of its documents
(compared as the runner compares: letters and digits only, any case); and every must_contain
group of an answerable question must have a phrasing that occurs in one of them. Phrases that
describe the answer's behaviour rather than the documents' words ("no deadline", "No response
by … is recorded") are exempt: TARGET_PHRASES below, and the groups of unanswerable questions;
so are counts of the register's items ("8 recommendations"), which a document need not state.
PDF text comes from `pdftotext -layout` (poppler-utils).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from judged import CORPUS, QUESTIONS, corpus_files, loose  # noqa: E402

FIELDS = (
    "id", "user", "pattern", "question", "documents", "must_cite", "must_contain",
    "must_not_contain", "must_not_cite_documents", "abstain", "abstention_must_say",
    "expected", "source_quote",
)  # fmt: skip
USERS = {"practitioner", "trainer", "manager"}
TARGET_PHRASES = {"no deadline"}
# A count the answer gives ("12 recommendations", "nine priority actions"): the number of the
# items the register lists, not a phrase of the document
COUNT = re.compile(
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+ty(?:-[a-z]+)?)"
    r" (?:recommendations|priority|areas|actions)\b.*"
)


def document_text(path: Path) -> str:
    if path.suffix.lower() != ".pdf":
        return path.read_text(encoding="utf-8", errors="replace")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()

    texts = {
        str(p.relative_to(args.corpus)): loose(document_text(p)) for p in corpus_files(args.corpus)
    }
    rows = [json.loads(line) for line in args.questions.read_text().splitlines() if line.strip()]
    problems: list[str] = []
    seen: set[str] = set()
    for row in rows:
        qid = row.get("id", "?")
        missing = [f for f in FIELDS if f not in row]
        if missing:
            problems.append(f"{qid}: missing fields {missing}")
            continue
        if qid in seen:
            problems.append(f"{qid}: repeated id")
        seen.add(qid)
        if row["user"] not in USERS:
            problems.append(f"{qid}: unknown user {row['user']!r}")
        documents = row["documents"] + [c["document"] for c in row["must_cite"]]
        for doc in documents + row["must_not_cite_documents"]:
            if doc not in texts:
                problems.append(f"{qid}: {doc} is not a corpus document")
        documents = [d for d in documents if d in texts]
        quote = row["source_quote"]
        if quote and not any(loose(quote) in texts[d] for d in documents):
            problems.append(f"{qid}: source_quote not found: {quote[:70]!r}")
        if row["abstain"]:
            continue
        for group in row["must_contain"]:
            if set(group) <= TARGET_PHRASES or all(COUNT.fullmatch(p) for p in group):
                continue
            if not any(loose(p) in texts[d] for p in group for d in documents):
                problems.append(f"{qid}: no phrasing of {group} in its documents")
    for problem in problems:
        print(problem)
    print(f"{len(rows)} questions, {len(problems)} problems")
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
