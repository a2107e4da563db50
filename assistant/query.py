"""Query understanding: which review, recommendation and agency a question names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from ingest.agencies import Gazetteer
from ingest.structure import normalise_rec_id

_REC = re.compile(
    r"\brec(?:ommendation)?s?\.?\s*(?:no\.?\s*|number\s*|#\s*)?"
    r"(\d{1,3}(?:\.\d{1,3})*(?:\s?[a-z](?![a-z]))?)(?:\s*\(([a-z])\))?",
    re.I,
)
THESAURUS_PATH = Path(__file__).with_name("thesaurus.yaml")
_GENERIC = {
    "review",
    "reviews",
    "thematic",
    "serious",
    "case",
    "the",
    "of",
    "and",
    "or",
    "a",
    "an",
    "child",
    "children",
    "report",
    "response",
    "government",
    "learning",
    "improvement",
    "now",
    "out",
    "act",
    "lose",
}


class Thesaurus:
    """Groups of phrases that name the same theme (thesaurus.yaml)."""

    def __init__(self, path: Path = THESAURUS_PATH) -> None:
        groups = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        self._groups = [
            [
                (phrase, re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", re.I))
                for phrase in group
            ]
            for group in groups
        ]

    def _matches(self, question: str):
        for group in self._groups:
            for phrase, pattern in group:
                if pattern.search(question):
                    yield pattern, [other for other, _ in group if other != phrase]
                    break

    def variants(self, question: str) -> list[str]:
        """The question, then the question with each matched phrase replaced by its synonyms."""
        out = [question]
        for pattern, others in self._matches(question):
            out.extend(pattern.sub(other, question, count=1) for other in others)
        return out

    def expand(self, question: str) -> str:
        """The question followed by the other names of the themes it mentions (for retrieval)."""
        extra = [other for _, others in self._matches(question) for other in others]
        return " ".join([question, *extra])


@cache
def default_thesaurus() -> Thesaurus:
    return Thesaurus()


@dataclass
class QueryIntent:
    review_ids: list[str] = field(default_factory=list)
    rec_id: str | None = None
    agencies: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def review_aliases(name: str, title: str = "") -> set[str]:
    """Ways people name a review: 'Clare', 'Child M', 'NAI thematic', 'the space economy'."""
    aliases: set[str] = set()
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    aliases.add(name.lower())
    for part in re.split(r"\s*[–—:-]\s+|\s+[–—-]\s*", name):
        part = re.sub(r"^the\s+", "", part.strip(), flags=re.I)
        words = re.findall(r"[A-Za-z]+", part)
        if not words:
            continue
        if len(words) >= 2 or words[0].lower() not in _GENERIC:
            aliases.add(part.lower())
            aliases.add(part.lower().replace("-", " "))
        significant = [w for w in re.split(r"[\s-]+", part) if w and w.lower() not in _GENERIC]
        if len(significant) >= 2:
            aliases.add(
                "".join(w[0] for w in significant).lower()
            )  # "Non-Accidental Injury" -> nai
            aliases.add(" ".join(significant[:2]).lower())  # "Space Economy"
    if re.search(r"\bthematic\b", name + " " + title, re.I):
        aliases.add("thematic")
    return {a for a in aliases if len(a) >= 3 or re.fullmatch(r"child [a-z]", a)}


class QueryParser:
    def __init__(self, reviews: list[dict], gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for review in reviews:
            for alias in review_aliases(review["name"], review.get("title", "")):
                pattern = re.compile(
                    r"(?<![\w-])" + re.escape(alias).replace(r"\ ", r"[\s-]+") + r"(?![\w-])", re.I
                )
                self._patterns.append((pattern, review["id"]))

    def review_ids(self, text: str) -> list[str]:
        return list(dict.fromkeys(rid for pattern, rid in self._patterns if pattern.search(text)))

    def parse(self, query: str) -> QueryIntent:
        intent = QueryIntent()
        intent.review_ids = self.review_ids(query)
        match = _REC.search(query)
        if match:
            intent.rec_id = normalise_rec_id(match.group(1))
        intent.agencies, intent.categories = self.gazetteer.in_query(query)
        return intent
