"""Train the register's candidate scorer from the labelled corpus, or measure it held out.

    python benchmarks/train_register.py              # retrain: writes ingest/register_scorer.json
    python benchmarks/train_register.py --loo        # leave-one-document-out table

Each labelled document (benchmarks/registers, see its README) is read once and cut into the
candidates `ingest/features.py` offers. A candidate is a positive when its own words open with
a label's first words (or a label's title, or a repeat's first words: the decision links a
repeat to its recommendation), whitespace- and case-insensitive, and prints no number or the
label's own; every other candidate is a negative. Each document's candidates weigh 1/sqrt(how
many it has), so that one numbering thousands of paragraphs does not drown the rest. The
model is scikit-learn's gradient-boosted trees, fixed seed, written as plain trees that
`ingest/scoring.py` reads with numpy. With --loo each document is scored by the full parser
with a model trained on all the others; printed per document, per family (folder), and as
"N of M documents >= 0.95/0.95".
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from check_labels import DEFAULT_CORPUS, fold, label_files, load_label
from registers import few, score_ids, score_words
from sklearn.ensemble import GradientBoostingClassifier

from review_assistant.ingest.agencies import Gazetteer, load_gazetteer
from review_assistant.ingest.features import FEATURES, Candidate
from review_assistant.ingest.paragraphs import Paragraph
from review_assistant.ingest.readers import read_document
from review_assistant.ingest.scoring import MODEL_FILE, Scorer
from review_assistant.ingest.structure import StructureParser
from review_assistant.ingest.types import RawDocument

ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = ROOT / "ingest" / MODEL_FILE
AGENCIES = ROOT / "examples" / "southampton-hampshire-agencies.yaml"
_WINDOW = 60  # characters past a label's first words that a candidate's opening may run on
_TITLE_WORDS = 12  # a heading's words up to this many may be a title over the text below
PARAMETERS = {
    "n_estimators": 150, "max_depth": 3, "learning_rate": 0.1, "min_samples_leaf": 10,
    "random_state": 0,
}  # fmt: skip
THRESHOLD = 0.85  # a candidate no hand-written tier offers needs the model this sure
# what a hand-written tier offers is kept unless the model is this sure it is not
RULE_THRESHOLD = 0.3
DOCUMENT_WEIGHT = 0.5  # a document's candidates weigh 1/sqrt(how many it has)


def document_candidates(
    raw: RawDocument, gazetteer: Gazetteer
) -> tuple[list[Candidate], list[Paragraph]]:
    """The candidates of one document, cut into paragraphs as the parser cuts them."""
    return StructureParser(gazetteer).candidates(raw)


def targets(found: list[Candidate], paras: list[Paragraph], label: dict) -> list[int]:
    """1 for a candidate whose own words open with a labelled recommendation's, else 0. A
    candidate printing a number counts only under the recommendation's own ids (its id, the
    misprint, alt_ids), for its repeats too, since the decision links repeats by id: a body
    paragraph that a summary repeats under another number is not the recommendation. A
    candidate whose words are the text below the candidate before it is that one's text, not
    a recommendation of its own."""
    openings: list[tuple[str, set[str]]] = []
    for rec in label["recommendations"]:
        ids = {str(rec["id"]), str(rec.get("printed_as", rec["id"]))}
        ids |= {str(i) for i in rec.get("alt_ids") or []}
        words = [rec["first_words"], rec.get("title") or ""]
        words += [r.get("first_words") or "" for r in rec.get("repeats") or []]
        openings += [(fold(w), ids) for w in words if w]
    out: list[int] = []
    below_of: int | None = None  # the paragraph the last positive took as its text
    offered = {candidate.heading.index for candidate in found}
    for candidate in found:
        heading = candidate.heading
        rest = fold(heading.rest)
        below = ""
        # a line with no id over a candidate of its own is a heading over that one, which is
        # the recommendation: "What needs to improve" over its first bullet
        titles = not (candidate.unnumbered and heading.index + 1 in offered)
        if titles and len(heading.rest.split()) <= _TITLE_WORDS and heading.index + 1 < len(paras):
            below = fold(paras[heading.index + 1].text)
        usable = [words for words, ids in openings
                  if candidate.unnumbered or heading.rec_id in ids]  # fmt: skip
        own = any(words in rest[: len(words) + _WINDOW] for words in usable)
        under = not own and any(words in below[: len(words) + _WINDOW] for words in usable)
        out.append(int((own or under) and heading.index != below_of))
        if under and out[-1]:
            below_of = heading.index + 1
    return out


def train(rows: list[tuple[list[Candidate], list[int]]]) -> dict:
    """A model (plain trees) from the candidates and targets of some documents."""
    x = np.asarray([c.vector() for found, _ in rows for c in found], dtype=float)
    y = np.asarray([t for _, wanted in rows for t in wanted], dtype=int)
    # a document that numbers thousands of paragraphs must not drown one that numbers ten
    weight = np.asarray([len(found) ** -DOCUMENT_WEIGHT for found, _ in rows for _ in found])
    weight *= len(weight) / weight.sum()
    model = GradientBoostingClassifier(**PARAMETERS).fit(x, y, sample_weight=weight)
    prior = float(np.clip(model.init_.class_prior_[1], 1e-6, 1 - 1e-6))
    trees = []
    for (estimator,) in model.estimators_:
        tree = estimator.tree_
        trees.append({
            "feature": tree.feature.tolist(),
            "threshold": [round(float(t), 6) for t in tree.threshold],
            "left": tree.children_left.tolist(),
            "right": tree.children_right.tolist(),
            "value": [round(float(v), 6) for v in tree.value[:, 0, 0]],
        })  # fmt: skip
    exported = {
        "kind": "gradient-boosted trees (scikit-learn), read by ingest/scoring.py",
        "trained_on": len(rows),
        "candidates": len(y),
        "positives": int(y.sum()),
        "parameters": PARAMETERS,
        "features": list(FEATURES),
        "threshold": THRESHOLD,
        "rule_threshold": RULE_THRESHOLD,
        "init": round(float(np.log(prior / (1 - prior))), 6),
        "learning_rate": PARAMETERS["learning_rate"],
        "trees": trees,
    }
    # the exported trees must score as scikit-learn does
    sample = [c for found, _ in rows[:3] for c in found][:500]
    if sample:
        ours = Scorer(exported).scores(sample)
        theirs = model.predict_proba(np.asarray([c.vector() for c in sample]))[:, 1]
        assert np.allclose(ours, theirs, atol=1e-3), "exported trees disagree with the model"
    return exported


def load_corpus(labels_dir: Path, corpus: Path) -> list[tuple[Path, dict, RawDocument]]:
    return [
        (path, label, read_document(corpus / label["document"]))
        for path in label_files(labels_dir)
        for label in [load_label(path)]
    ]


def leave_one_out(documents, gazetteer: Gazetteer) -> None:
    """Each document parsed with a model trained on all the others; a Markdown table."""
    rows = []
    for _, label, raw in documents:
        found, paras = document_candidates(raw, gazetteer)
        rows.append((found, targets(found, paras, label)))
    print("| family | document | labelled | found | id recall | id precision | words recall "
          "| words precision | ids missed / invented |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    good = 0
    families: dict[str, list[bool]] = {}
    for held, (path, label, raw) in enumerate(documents):
        model = train([row for other, row in enumerate(rows) if other != held])
        doc = StructureParser(gazetteer, Scorer(model)).parse(raw)
        labels = label["recommendations"]
        ids = [str(r.rec_id) for r in doc.recommendations]
        recall, precision, scheme, missed, invented = score_ids(labels, ids)
        w_recall, w_precision, _ = score_words(labels, doc.recommendations)
        ok = recall >= 0.95 and precision >= 0.95
        good += ok
        family = path.parent.name
        families.setdefault(family, []).append(ok)
        mark = f" ({scheme})" if scheme else ""
        print(f"| {family} | {Path(label['document']).name} | {len(labels)} | {len(ids)} | "
              f"{recall:.2f}{mark} | {precision:.2f}{mark} | {w_recall:.2f} | {w_precision:.2f} | "
              f"{few(missed)} / {few(invented)} |")  # fmt: skip
    print("\n| family | documents | >= 0.95/0.95 |\n|---|---|---|")
    for family, oks in families.items():
        print(f"| {family} | {len(oks)} | {sum(oks)} |")
    print(f"\n{good} of {len(documents)} documents >= 0.95/0.95 (ids, leave-one-document-out)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=ROOT / "benchmarks" / "registers")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--loo", action="store_true", help="leave-one-document-out table")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    gazetteer = load_gazetteer(AGENCIES)
    started = time.perf_counter()
    documents = load_corpus(args.labels, args.corpus)
    if args.loo:
        leave_one_out(documents, gazetteer)
    else:
        rows = []
        for _, label, raw in documents:
            found, paras = document_candidates(raw, gazetteer)
            rows.append((found, targets(found, paras, label)))
        model = train(rows)
        args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"{args.out}: {model['candidates']} candidates, {model['positives']} positive, "
              f"{len(documents)} documents")  # fmt: skip
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
