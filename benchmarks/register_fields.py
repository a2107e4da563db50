"""A register's document fields and its statuses and deadlines, per document (a benchmark).

    python benchmarks/register_fields.py [--labels benchmarks/registers] [--corpus ../shared/corpus]

For each labelled corpus document: the title, review name and type as parsed (bundled samples are
marked), and where the labels give a `status` or a `deadline`, how far the parse agrees. A
recommendation is matched to its label by id (or the label's alt_ids). Status: "agree" when a
response of the recommendation carries the label's verdict (the labels' words mapped onto the
register's: agreed and supported are accepted, not agreed and not accepted are rejected), "other"
when it carries another verdict or none. "extra" counts verdicts (accepted…, rejected, noted,
under consideration) parsed where the label states none. Deadline: "agree" when a response's
deadline names a year the label's deadline names, "extra" a deadline parsed where the label has
none. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from check_labels import DEFAULT_CORPUS, DEFAULT_LABELS, label_files, load_label
from registers import _parse

from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.ingest.structure import StructureParser

ROOT = Path(__file__).resolve().parent.parent
_SAMPLES = ROOT / "samples"

# The labels' verdict words, as the register's status words
_STATUS_OF_LABEL = {
    "accepted": "accepted",
    "agreed": "accepted",
    "supported": "accepted",
    "accepted in principle": "accepted in principle",
    "accepted in part": "accepted in part",
    "not accepted": "rejected",
    "not agreed": "rejected",
    "under consideration": "under consideration",
    "noted": "noted",
    "completed": "completed",
}
_VERDICTS = {
    "accepted",
    "accepted in part",
    "accepted in principle",
    "rejected",
    "noted",
    "under consideration",
}


def _years(text: str) -> set[str]:
    return set(re.findall(r"(?:19|20)\d{2}", text or ""))


def field_scores(labels: list[dict], recs: list) -> dict[str, list[int]]:
    """[agree, labelled, extra] for status and for deadline."""
    by_id = {}
    for rec in recs:
        by_id.setdefault(str(rec.rec_id), rec)
    scores = {"status": [0, 0, 0], "deadline": [0, 0, 0]}
    for label in labels:
        ids = [str(label["id"]), *(str(i) for i in label.get("alt_ids") or [])]
        rec = next((by_id[i] for i in ids if i in by_id), None)
        statuses = {r.status for r in rec.responses} if rec else set()
        deadlines = [r.deadline for r in rec.responses if r.deadline] if rec else []
        want = _STATUS_OF_LABEL.get(str(label.get("status") or "").lower())
        if label.get("status"):
            scores["status"][1] += 1
            scores["status"][0] += want in statuses
        elif statuses & _VERDICTS:
            scores["status"][2] += 1
        if label.get("deadline"):
            scores["deadline"][1] += 1
            wanted = _years(str(label["deadline"]))
            scores["deadline"][0] += any(_years(d) & wanted for d in deadlines)
        elif deadlines:
            scores["deadline"][2] += 1
    return scores


def _cell(score: list[int]) -> str:
    agree, labelled, extra = score
    if not labelled:
        return f"- (extra {extra})" if extra else "-"
    return f"{agree}/{labelled} (extra {extra})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--agencies", type=Path, default=ROOT / "examples" / "southampton-hampshire-agencies.yaml"
    )
    parser.add_argument("--only", default="", help="only documents whose path contains this")
    args = parser.parse_args()
    structure = StructureParser(load_gazetteer(args.agencies))
    print("| document | sample | type | review | title | status agree | deadline agree |")
    print("|---|---|---|---|---|---|---|")
    totals = {"status": [0, 0, 0], "deadline": [0, 0, 0]}
    for path in label_files(args.labels):
        label = load_label(path)
        if args.only not in label["document"]:
            continue
        name = Path(label["document"]).name
        sample = "yes" if (_SAMPLES / label["document"]).exists() else ""
        doc, _ = _parse(structure, args.corpus / label["document"])
        if doc is None:
            print(f"| {name} | {sample} | - | not parsed | | | |")
            continue
        scores = field_scores(label["recommendations"], doc.recommendations)
        for key, score in scores.items():
            totals[key] = [a + b for a, b in zip(totals[key], score, strict=True)]
        title = doc.title.replace("|", "/")
        print(
            f"| {name} | {sample} | {doc.doc_type.value} | {doc.review.replace('|', '/')} "
            f"| {title} | {_cell(scores['status'])} | {_cell(scores['deadline'])} |"
        )
    print(
        f"\nall documents: status {_cell(totals['status'])}; deadline {_cell(totals['deadline'])}"
    )


if __name__ == "__main__":
    main()
