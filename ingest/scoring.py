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

from review_assistant.ingest import recids
from review_assistant.ingest.features import FEATURES, Candidate, candidates
from review_assistant.ingest.headings import Heading
from review_assistant.ingest.paragraphs import Paragraph

MODEL_FILE = "register_scorer.json"
# how low the model may put a printed heading that the next one of its series still keeps
_SERIES_FLOOR = 0.1
_LIST_GAP = 10  # paragraphs between two items of one list at most (conclusions between)
_LIST_ITEMS = 4  # items a list has at least for its items to be kept together


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
        chances = self.scores(found)
        keep = [
            chance >= (self.rule_threshold if candidate.by_rule else self.threshold)
            for candidate, chance in zip(found, chances, strict=True)
        ]
        _complete_series(found, chances, keep)
        _keep_lists(found, chances, keep, self.rule_threshold)
        return number([candidate for candidate, kept in zip(found, keep, strict=True) if kept])


def _complete_series(found: list[Candidate], chances: np.ndarray, keep: list[bool]) -> None:
    """Keep a heading a hand-written tier offers that the model doubts (not below
    `_SERIES_FLOOR`) when the next heading of its kind is kept and carries the next id:
    "Recommendation 1a" before a kept "Recommendation 1b" opens the same printed series."""
    following: dict[str, int] = {}  # by source: the next candidate's position
    for position in range(len(found) - 1, -1, -1):
        candidate = found[position]
        heading = candidate.heading
        after = following.get(heading.source)
        following[heading.source] = position
        if keep[position] or not candidate.by_rule or heading.assigned or after is None:
            continue
        if chances[position] >= _SERIES_FLOOR and keep[after] and not heading.toc:
            keep[position] = recids.printed_next(heading.rec_id, found[after].heading.rec_id)


def _keep_lists(
    found: list[Candidate], chances: np.ndarray, keep: list[bool], rule_threshold: float
) -> None:
    """The items of one list a hand-written tier offers (one source, each within
    `_LIST_GAP` paragraphs of the last) are recommendations together: where the model keeps
    the list as a whole (its median item), it keeps each item it does not rule out."""
    runs: dict[str, list[int]] = {}  # by source: the positions of the open run
    lists: list[list[int]] = []
    for position, candidate in enumerate(found):
        if not candidate.by_rule:
            continue
        run = runs.get(candidate.heading.source)
        if run and candidate.heading.index - found[run[-1]].heading.index <= _LIST_GAP:
            run.append(position)
        else:
            runs[candidate.heading.source] = [position]
            lists.append(runs[candidate.heading.source])
    for run in lists:
        if len(run) >= _LIST_ITEMS and float(np.median(chances[run])) >= rule_threshold:
            for position in run:
                keep[position] = keep[position] or bool(chances[position] >= _SERIES_FLOOR)


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
