"""Which candidates open a recommendation: a small trained model, and the ids it gives.

The model is gradient-boosted trees trained from the labelled corpus by
`benchmarks/train_register.py` and shipped as `register_scorer.json` beside this module;
it is read here with numpy alone, so nothing of scikit-learn runs at ingest. A new shape of
document is taught by labelling one and retraining, not by writing a rule. What the
scorer keeps goes to the walk as headings; the decision over the whole document (one id
once, repeats linked to the heading that carries the words) stays in `decision.py`.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import numpy as np

from review_assistant.ingest.features import FEATURES, Candidate, candidates
from review_assistant.ingest.headings import Heading
from review_assistant.ingest.paragraphs import Paragraph

MODEL_FILE = "register_scorer.json"


class Scorer:
    """A trained model's trees: the chance that each candidate opens a recommendation."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.model = model
        self.threshold = float(model["threshold"])
        # a candidate a hand-written tier offers is kept unless the model is sure it is not
        self.rule_threshold = float(model.get("rule_threshold", self.threshold))
        self._columns = [FEATURES.index(name) if name in FEATURES else -1
                         for name in model["features"]]  # fmt: skip
        keys = ("feature", "threshold", "left", "right", "value")
        self._trees = [tuple(np.asarray(tree[key]) for key in keys) for tree in model["trees"]]

    def scores(self, found: list[Candidate]) -> np.ndarray:
        """The probability of each candidate, in order."""
        if not found:
            return np.zeros(0)
        table = np.asarray([candidate.vector() for candidate in found], dtype=float)
        # the model's columns, by name: a feature it was not trained on reads as 0
        x = np.column_stack([
            table[:, column] if column >= 0 else np.zeros(len(found)) for column in self._columns
        ])  # fmt: skip
        raw = np.full(len(found), float(self.model["init"]))
        rows = np.arange(len(found))
        rate = float(self.model["learning_rate"])
        for feature, threshold, left, right, value in self._trees:
            node = np.zeros(len(found), dtype=int)
            while True:
                inner = left[node] >= 0
                if not inner.any():
                    break
                goes_left = x[rows, np.maximum(feature[node], 0)] <= threshold[node]
                node = np.where(inner, np.where(goes_left, left[node], right[node]), node)
            raw += rate * value[node]
        return 1.0 / (1.0 + np.exp(-raw))

    def select(self, paras: list[Paragraph], emphasised: set[int]) -> dict[int, Heading]:
        """The headings of the candidates the model keeps, by paragraph index."""
        found = candidates(paras, emphasised)
        kept = [
            candidate
            for candidate, chance in zip(found, self.scores(found), strict=True)
            if chance >= (self.rule_threshold if candidate.by_rule else self.threshold)
        ]
        return number(kept)


def number(kept: list[Candidate]) -> dict[int, Heading]:
    """Headings for the kept candidates, by paragraph index. Those the document does not
    number take their place in order for now; `decision.number_unprinted` gives them their
    ids once the walk has seen every printed one."""
    headings: dict[int, Heading] = {}
    place = 0
    for candidate in kept:
        heading = candidate.heading
        if candidate.unnumbered and heading.source != "section_marked":
            place += 1
            heading.rec_id, heading.assigned, heading.numbered = str(place), True, True
            heading.heading = (
                f"Recommendation {place} (in prose)"
                if heading.source == "prose"
                else f"{heading.heading.rsplit(' (', 1)[0]} ({place})"
            )
        headings[heading.index] = heading
    return headings


@functools.cache
def default_scorer() -> Scorer:
    """The model shipped with the package."""
    text = resources.files("review_assistant.ingest").joinpath(MODEL_FILE).read_text("utf-8")
    return Scorer(json.loads(text))
