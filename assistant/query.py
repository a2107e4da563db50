"""Query understanding: which review, recommendation and agency a question names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol

import yaml
from bm25s.stopwords import STOPWORDS_EN_PLUS

from review_assistant.ingest import recids
from review_assistant.ingest.agencies import Gazetteer
from review_assistant.ingest.metadata import ANONYMISED_NAME
from review_assistant.models import Review

# A child or family named as reviews name them: "Child T", "Baby R", "Family W"
_CHILD_NAME = re.compile(r"\b" + ANONYMISED_NAME)
# A name: capitalised words, hyphenated or with an apostrophe ("Arthur Labinjo-Hughes",
# "O'Neill"), before the word review (or a kind of review)
_NAME = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)*"
_NAMED_REVIEW = re.compile(
    r"\b(" + _NAME + r"(?:\s+" + _NAME + r"){0,2})\s+(?:serious case |safeguarding practice |"
    r"thematic |learning |rapid |practice )?(?:review|SCR|CSPR|LCSPR)\b"
)
# Capitalised words that open a question or name a kind of review, never a review's name
_NOT_NAMES = {
    "Serious", "Case", "Thematic", "Practice", "The", "This", "That", "Which", "Each", "Learning",
    "Safeguarding", "Child", "Children", "Independent", "Local", "National", "What", "Any",
    "Every", "Whole", "Government", "Department", "Partnership", "Board", "Police", "Council",
    "Annual", "Audit", "Internal", "Policy", "Strategic", "Multi", "Agency", "Management",
    "Quality", "Spending", "Rapid", "Domestic", "Homicide", "Adult", "Joint", "Family",
    "Recent", "Latest", "Last", "Previous", "Other", "Our", "Their", "Your", "Did", "Does",
    "Has", "Have", "Were", "Was", "Is", "Are", "How", "Why", "When", "Where", "Who", "Tell",
    "Show", "List", "Find", "Give", "All", "Some", "Many", "Most", "Both", "Such", "Another",
}  # fmt: skip
_LITTLE_WORDS = {
    "in", "of", "the", "and", "for", "on", "to", "a", "an", "with", "from", "into", "upon",
}  # fmt: skip
# Words of a name that say what kind of document or body it is, not which
GENRE_WORDS = _GENERIC = {
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
    # how reports and inspections are titled
    "inspection",
    "services",
    "service",
    "council",
    "county",
    "city",
    "borough",
    "local",
    "authority",
    "committee",
    "inquiry",
}


class Thesaurus:
    """Groups of phrases that name the same theme (thesaurus.yaml)."""

    def __init__(self, path: Path | None = None) -> None:
        """The thesaurus in `path`, or the one shipped with the package."""
        source = path or resources.files(__package__).joinpath("thesaurus.yaml")
        groups = yaml.safe_load(source.read_text(encoding="utf-8")) or []
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

    def expand(self, question: str, topic: str | None = None) -> str:
        """The question followed by the other names of the themes its topic mentions."""
        extra = [other for _, others in self._matches(topic or question) for other in others]
        return " ".join([question, *extra])


@cache
def default_thesaurus() -> Thesaurus:
    return Thesaurus()


@dataclass(frozen=True)
class QueryIntent:
    """What a question names: reviews (ids), a recommendation, agencies and kinds of agency."""

    review_ids: tuple[str, ...] = ()
    rec_id: str | None = None
    agencies: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


# A place in how local authorities and inspections are named: "Northshire County Council",
# "Inspection of Northshire local authority", "Kingsford upon Avon" (said "Avon")
_PLACE = re.compile(
    r"\b((?:[A-Z][a-z]+\s+(?:upon|on|under)\s+)?[A-Z][a-z]+"
    r"(?:\s+(?!(?:City|County|Borough|District|Metropolitan)\b)[A-Z][a-z]+)?)\s+"
    r"(?:(?:City|County|Borough|Metropolitan Borough|District)\s+)?Council\b"
    r"|\bInspection of ((?:[A-Z][a-z]+\s+){0,2}?[A-Z][a-z]+)\s+local authority\b"
    r"|^((?:[A-Z][a-z]+\s+(?:upon|on|under)\s+)[A-Z][a-z]+)\b"
    # a regulator's report named by its place: "Westshire children's services inspection"
    r"|^((?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)\s+children['’]s\s+services\b"
)


def _places(name: str) -> set[str]:
    places: set[str] = set()
    for match in _PLACE.finditer(name):
        place = next(g for g in match.groups() if g)
        places.add(place.lower())
        upon = re.search(r"\b(?:upon|on|under)\s+([A-Z][a-z]+)$", place)
        if upon:
            places.add(upon.group(1).lower())
        places |= _shortened(place.lower())
    return places


_COMPASS = {"north": "n", "south": "s", "east": "e", "west": "w"}


def _shortened(place: str) -> set[str]:
    """How people shorten a county's name: a '-shire' cut to its first letters and an s
    ('Northshire' -> 'norths'), compass words to their initials ('North East Northshire' ->
    'ne northshire', 'ne norths')."""
    words = place.split()
    lead = ""
    while len(words) > 1 and words[0] in _COMPASS:
        lead += _COMPASS[words.pop(0)]
    last = words[-1] if words else ""
    stems = {" ".join(words)}
    if last.endswith("shire") and len(last) > 8:
        stems |= {" ".join([*words[:-1], last[:n] + "s"]) for n in (4, 5)}
    out = {f"{lead} {stem}" for stem in stems} if lead else stems
    return out - {place}


def review_aliases(name: str, title: str = "") -> set[str]:
    """Ways people name a review: 'Hartley', 'Child T', 'NAI thematic', 'the housing inquiry',
    and an inspection by its place ('Northshire', 'Avon')."""
    aliases: set[str] = _places(name)
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    aliases.add(name.lower())
    for part in re.split(r"\s*[–—:-]\s+|\s+[–—-]\s*", name):
        part = re.sub(r"^the\s+", "", part.strip(), flags=re.I)
        words = re.findall(r"[A-Za-z]+", part)
        significant = [
            w
            for w in re.split(r"[\s-]+", re.sub(r"['’]s\b", "", part))
            if w and w.lower() not in _GENERIC and w.lower() not in _LITTLE_WORDS
            and w.lower() not in STOPWORDS_EN_PLUS
        ]  # fmt: skip
        # a part people would say: a few words, one of them more than a genre word
        # ("children's services" or a long descriptive subtitle names no review)
        if not significant or len(words) > 6:
            continue
        aliases |= _genre_pairs(part, significant)
        aliases.add(part.lower())
        aliases.add(part.lower().replace("-", " "))
        if len(significant) >= 2:
            aliases.add(
                "".join(w[0] for w in significant).lower()
            )  # "Non-Accidental Injury" -> nai
            aliases.add(" ".join(significant[:2]).lower())  # "Temporary Housing"
            # and the subject a name ends with: "… to the 2024 summer disorder"
            closing = [w for w in significant if w.isalpha()][-2:]
            if len(closing) == 2:
                aliases.add(" ".join(closing).lower())
    if re.search(r"\bthematic\b", name + " " + title, re.I):
        aliases.add("thematic")
    return {a for a in aliases if len(a) >= 3 or re.fullmatch(r"child [a-z]", a)}


# The kinds of body or document a name ends its subject with: "the Northshire Floods
# Inquiry" is said "the floods inquiry", "the Northshire inquiry"
_GENRE_NOUN = re.compile(r"\b(inquiry|review|report|committee)\b", re.I)


def _genre_pairs(part: str, significant: list[str]) -> set[str]:
    """Each word of a name's subject with the genre noun the name closes with ("Harbour
    Fire Inquiry" -> "harbour inquiry", "fire inquiry"): how people shorten an inquiry's name
    while still saying what it is."""
    genre = _GENRE_NOUN.search(part)
    if not genre:
        return set()
    noun = genre.group(1).lower()
    before = set(re.findall(r"[A-Za-z]+", part[: genre.start()]))
    return {
        f"{w.lower()} {noun}" for w in significant if w in before and w.isalpha() and len(w) >= 3
    }


# The place a partnership or board is named after: "Northshire Safeguarding Children
# Partnership", "Westshire Local Safeguarding Children Board"
_PARTNERSHIP_PLACE = re.compile(
    r"^((?:[A-Z][a-z]+\s+){0,2}?[A-Z][a-z]+)\s+(?:Local\s+)?(?:Safeguarding|Children)"
)


def partnership_place(partnership: str | None) -> str | None:
    """The place a partnership is named after ("Northshire"), lower-cased; None when its name
    starts with no place."""
    match = _PARTNERSHIP_PLACE.match(partnership or "")
    if not match or match.group(1).split()[0] in _NOT_NAMES:
        return None
    return match.group(1).lower()


def partnership_aliases(partnership: str | None) -> set[str]:
    """How people name every review of one partnership together: "the Northshire reviews".
    The place alone is an alias only outside a body's name (QueryParser.places)."""
    place = partnership_place(partnership)
    return {f"{place} review", f"{place} reviews"} if place else set()


class PassageIndex(Protocol):
    """The keyword index, as the register searches it."""

    def keyword_search(
        self, query: str, top_k: int, filters: dict[str, list[str]] | None = None
    ) -> list[tuple[str, float]]: ...


# A word of a name that may name the review on its own: capitalised, a word, not too short
_NAME_WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]{3,}(?![\w'’-])")
_NOT_NAME_WORDS = {w.lower() for w in _NOT_NAMES}


def distinctive_words(
    review: Review, others: list[str], index: PassageIndex, gazetteer: Gazetteer
) -> set[str]:
    """The words of a review's name or title that name it alone: what its passages say and no
    other review's passage does ("the Harbourside inquiry" is "Harbourside" to everyone who
    works on it). A word other reviews use too ("Flooding", "Housing") names a subject, not the
    review; a word of asking, of a genre or of an agency ("Police") is no name either."""
    if not others:
        return set()
    found = set()
    for word in dict.fromkeys(_NAME_WORD.findall(f"{review.name} {review.title}")):
        lower = word.lower()
        if (
            lower in _GENERIC
            or lower in _NOT_NAME_WORDS
            or lower in STOPWORDS_EN_PLUS
            or gazetteer.mentions(word)
        ):
            continue
        if index.keyword_search(word, 1, {"review_id": [review.id]}) and not (
            index.keyword_search(word, 1, {"review_id": others})
        ):
            found.add(lower)
    return found


def _words_of_name(text: str) -> set[str]:
    """The words that could tell one review's name from another's ("Covid-19" gives "covid"):
    no genre word, little word or word of asking."""
    return {
        w
        for w in re.findall(r"[a-z]{4,}", text.lower())
        if w not in _GENERIC and w not in _NOT_NAME_WORDS and w not in STOPWORDS_EN_PLUS
    }


class QueryParser:
    def __init__(
        self, reviews: list[Review], gazetteer: Gazetteer, index: PassageIndex | None = None
    ) -> None:
        """The parser of questions about `reviews`; with the keyword `index`, a review is
        also named by a word of its name no other review's passages use."""
        self.gazetteer = gazetteer
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        ids = list(dict.fromkeys(r.id for r in reviews))
        self._name_words: dict[str, set[str]] = {}
        for review in reviews:
            for word in _words_of_name(f"{review.name} {review.title}"):
                self._name_words.setdefault(word, set()).add(review.id)
        for review in reviews:
            aliases = review_aliases(review.name, review.title) | partnership_aliases(
                review.partnership
            )
            if index is not None:
                others = [i for i in ids if i != review.id]
                aliases |= distinctive_words(review, others, index, gazetteer)
            for alias in aliases:
                pattern = re.compile(
                    r"(?<![\w-])" + re.escape(alias).replace(r"\ ", r"[\s-]+") + r"(?![\w-])", re.I
                )
                self._patterns.append((pattern, review.id))
        self._places: list[tuple[re.Pattern[str], str]] = []
        for review in reviews:
            place = partnership_place(review.partnership)
            if place:
                pattern = re.compile(r"(?<![\w-])" + re.escape(place).replace(r"\ ", r"[\s-]+")
                                     + r"(?![\w-])", re.I)  # fmt: skip
                self._places.append((pattern, review.id))

    def review_ids(self, text: str) -> list[str]:
        named = [rid for pattern, rid in self._patterns if pattern.search(text)]
        named += [rid for _, _, rid in self._place_spans(text)]
        return list(dict.fromkeys(named))

    def _place_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Where a partnership's place stands alone in `text`: "southampton - why are CAMHS
        waits so long?" asks of the Southampton partnership's reviews, where "Northshire
        Constabulary" names a body, which other areas' reviews may name too, and "Hull" an
        inspection as well as a board."""
        if not self._places:
            return []
        # a place that is also a review's own name ("Hull" of an inspection) names that one
        taken = self.gazetteer.find_all(text) + [
            (match.start(), match.end(), rid)
            for pattern, rid in self._patterns
            for match in pattern.finditer(text)
        ]
        return [
            (match.start(), match.end(), rid)
            for pattern, rid in self._places
            for match in pattern.finditer(text)
            if not any(start < match.end() and match.start() < end for start, end, _ in taken)
        ]

    def topic(self, text: str) -> str:
        """The text without the reviews it names: "NAI" naming a review is not the theme.
        The longest names go first: "the Harbour Fire inquiry" leaves nothing of itself, where
        "Harbour" alone would leave "Fire inquiry"; and again until none is left, as removing
        one name can join the words of another ("the Northshire NAI review")."""
        patterns = sorted(self._patterns, key=lambda p: -len(p[0].pattern))
        previous = None
        while previous != text:
            previous = text
            for pattern, _ in patterns:
                text = pattern.sub(" ", text)
        return self.without_places(text)

    def without_places(self, text: str) -> str:
        """The text without the partnership places it names outside a body's name."""
        for start, end in sorted({(s, e) for s, e, _ in self._place_spans(text)}, reverse=True):
            text = text[:start] + " " + text[end:]
        return " ".join(text.split())

    def parse(self, query: str) -> QueryIntent:
        agencies, categories = self.gazetteer.in_query(query)
        rec_id = recids.in_text(query)
        review_ids = self.review_ids(query)
        if rec_id and not review_ids:
            review_ids = self._named_by_a_word(query)
        return QueryIntent(
            review_ids=tuple(review_ids),
            rec_id=rec_id,
            agencies=tuple(agencies),
            categories=tuple(categories),
        )

    def _named_by_a_word(self, text: str) -> list[str]:
        """The one review a word of the question names: a question asking for a numbered
        recommendation ("harbourside module 2 recommendation 4" of "The Harbourside-7 Inquiry
        — Modules 2 and 3") names the document it means, if loosely. A word of one review's
        name alone, and no body's name, is that review; a word in several names names none."""
        named = {
            review_id
            for word in _words_of_name(text)
            if len(self._name_words.get(word, ())) == 1 and not self.gazetteer.mentions(word)
            for review_id in self._name_words[word]
        }
        return list(named) if len(named) == 1 else []

    def named_review(self, text: str) -> str | None:
        """A review the question names by shape ("the Hartley review", "Child T"), whether or
        not the library has it; the caller checks."""
        child = _CHILD_NAME.search(text)
        if child:
            return child.group(0)
        for match in _NAMED_REVIEW.finditer(text):
            words = match.group(1).split()
            while words and words[0] in _NOT_NAMES:  # "Any Rapid review": no name at all
                words.pop(0)
            name = " ".join(words)
            if name and not self.gazetteer.mentions(name):
                return name
        return None
