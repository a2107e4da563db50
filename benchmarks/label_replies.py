"""Candidate labels for recorded model replies, for a reader to finish.

    python benchmarks/label_replies.py tests/fixtures/model_replies/MODEL.jsonl \
        tests/fixtures/model_replies/labels.jsonl

Every sentence of a reply that makes a claim gets a label. A sentence copied word for word from
a passage is faithful, with every passage that says it in nearly the same words as its source.
Any other sentence gets "faithful": null and is listed: read it against its passages and set
"faithful", "source" (passage numbers) and "why" by hand. Judgements already in the labels
file are kept; the replay tests refuse a label left null.
"""

from __future__ import annotations

import argparse
import json
import re
from difflib import SequenceMatcher
from pathlib import Path

from review_assistant.generative import NOT_FOUND
from review_assistant.terms import terms, tidy
from review_assistant.verifier import makes_a_claim, reply_sentences, strip_citations

NEAR = 0.9  # share of a sentence's characters another passage must match to be a source too


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", tidy(text).lower()).strip()


def _sources(sentence: str, passages: list[str]) -> list[int]:
    key = _plain(sentence)
    if not any(key in _plain(p) for p in passages):
        return []
    return [
        n
        for n, p in enumerate(passages, 1)
        if sum(b.size for b in SequenceMatcher(None, key, _plain(p), False).get_matching_blocks())
        >= NEAR * len(key)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("replies", type=Path)
    parser.add_argument("labels", type=Path)
    args = parser.parse_args()
    old = {}
    if args.labels.exists():
        for line in args.labels.read_text().splitlines():
            row = json.loads(line)
            old[(row["question"], row["sentence"])] = row
    labels, to_judge = [], []
    seen: set[tuple[str, str]] = set()
    for line in args.replies.read_text().splitlines():
        record = json.loads(line)
        if NOT_FOUND in record["reply"]:
            continue
        passages = [p["text"] for p in record["passages"]]
        for sentence in reply_sentences(record["reply"]):
            claim = strip_citations(sentence)
            key = (record["question"], claim)
            if not makes_a_claim(terms(claim)) or key in seen:
                continue  # not a claim, or already labelled
            seen.add(key)
            row = old.get(key) or {"question": record["question"], "sentence": claim}
            row["as_written"] = sentence.strip()
            if "faithful" not in row:
                source = _sources(claim, passages)
                row.update(
                    faithful=True if source else None,
                    source=source,
                    why="verbatim from its source" if source else "",
                )
            if row["faithful"] is None:
                to_judge.append(row)
            labels.append(row)
    args.labels.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labels))
    print(f"{len(labels)} labels, {len(to_judge)} to judge by hand:")
    for row in to_judge:
        print(f"- {row['question']}: {row['sentence']}")


if __name__ == "__main__":
    main()
