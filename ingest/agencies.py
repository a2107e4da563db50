"""Agency names: the gazetteer (aliases kept as data in agencies.yaml) and shape-based detection."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

# A body not in the gazetteer is still recognised by the noun that ends its name.
_ORG_NOUNS = (
    "Trust|Council|Constabulary|Police|Service|Services|Board|Partnership|Group|Team|Agency|"
    "Department|Office|Unit|Authority|Diocese|Hospital|Practice|Practices|Academy|College|School|"
    "Schools|Commission|Committee|Ministry|Panel|Centre|Network|Forum|Foundation|Association|"
    "Charity|Probation|Court|Courts|Care|Nursing|Midwifery|Visiting|Executive"
)
_ORG_SHAPE = re.compile(
    r"(?:The\s+)?((?:[A-Z][\w&'’.-]*\s+(?:(?:of|and|for|&|the)\s+)?){1,6}(?:" + _ORG_NOUNS + r"))\b"
)
_LABEL = re.compile(r"^([A-Z][\w&'’(). ,/-]{1,80}?)\s*(?::|\s[-–—]\s)\s*\S")
_SENTENCE_OPENERS = {
    "The",
    "Whilst",
    "While",
    "When",
    "If",
    "As",
    "In",
    "Although",
    "Following",
    "Since",
    "Through",
    "Within",
    "For",
    "From",
    "With",
    "By",
    "On",
    "At",
    "All",
    "Any",
    "Each",
    "Every",
    "Some",
    "Our",
    "Their",
    "This",
    "These",
    "That",
    "Those",
    "There",
    "It",
    "Where",
    "Once",
    "Further",
}
_SUBORDINATE_OPENING = re.compile(
    r"(?:Following|Whilst|While|Although|After|Since|Despite|As part of|In line with|"
    r"In response to)\b[^,]{0,120},\s*"
)
_QUOTES = str.maketrans({"’": "'", "‘": "'"})


@dataclass
class Agency:
    name: str
    category: str
    parent: str | None = None
    responder: bool = True
    aliases: list[str] = field(default_factory=list)
    role: bool = False  # a kind of body ("Youth Offending Service"), not one named body


def _case_sensitive(alias: str) -> bool:
    return " " not in alias and sum(c.isupper() for c in alias) >= 2


class Gazetteer:
    def __init__(self, path: Path | None = None, local: Path | None = None) -> None:
        """The gazetteer in `path` (by default the national one shipped with the package),
        with a partnership's own names from `local` added: a local entry with a national
        entry's name extends it, and a local alias wins over the same national alias."""
        source = path or resources.files(__package__).joinpath("agencies.yaml")
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        self.categories: dict[str, list[str]] = dict(data.get("categories") or {})
        entries: dict[str, dict] = {e["name"]: dict(e) for e in data.get("agencies") or []}
        local_names: set[str] = set()
        if local is not None:
            extra = yaml.safe_load(local.read_text(encoding="utf-8")) or {}
            for category, words in (extra.get("categories") or {}).items():
                self.categories[category] = [*self.categories.get(category, []), *words]
            for entry in extra.get("agencies") or []:
                merged = entries.get(entry["name"], {}) | entry
                merged["aliases"] = [
                    *(entries.get(entry["name"], {}).get("aliases") or []),
                    *(entry.get("aliases") or []),
                ]
                entries[entry["name"]] = merged
                local_names.add(entry["name"])
        self.agencies: dict[str, Agency] = {}
        self._alias_to_name: dict[str, str] = {}
        sensitive: list[str] = []
        insensitive: list[str] = []
        # national entries first, so a local entry claiming the same alias overrides it
        order = sorted(entries.values(), key=lambda e: e["name"] in local_names)
        for entry in order:
            # "the police force" in a partnership's documents is its own force, when its local
            # file names exactly one body of that kind
            own = [n for n in local_names if entries[n].get("category") == entry.get("category")]
            target = own[0] if entry.get("local_role") and len(own) == 1 else entry["name"]
            agency = Agency(
                name=entry["name"],
                category=entry.get("category", "other"),
                parent=entry.get("parent"),
                responder=entry.get("responder", True),
                aliases=list(entry.get("aliases") or []),
                role=bool(entry.get("role")) and entry["name"] not in local_names,
            )
            self.agencies[agency.name] = agency
            for alias in [agency.name, *agency.aliases]:
                alias = alias.translate(_QUOTES)
                if _case_sensitive(alias):
                    self._alias_to_name[alias] = target
                    sensitive.append(alias)
                else:
                    self._alias_to_name[alias.lower()] = target
                    insensitive.append(alias)
        self._category_patterns = {
            category: re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
            )
            for category, words in self.categories.items()
            if words
        }
        self._sensitive = self._compile(sensitive, 0)
        self._insensitive = self._compile(insensitive, re.IGNORECASE)

    @staticmethod
    def _compile(aliases: list[str], flags: int) -> re.Pattern[str] | None:
        if not aliases:
            return None
        ordered = sorted(set(aliases), key=len, reverse=True)
        body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in ordered)
        return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", flags)

    def _lookup(self, matched: str) -> str | None:
        matched = re.sub(r"\s+", " ", matched)
        return self._alias_to_name.get(matched) or self._alias_to_name.get(matched.lower())

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, canonical name) gazetteer matches, longest first.

        Case-sensitive aliases (acronyms) claim their spans first. One pattern's matches never
        overlap each other and come in order, so a case-insensitive match need only be
        compared with the acronyms about where it starts: linear in the matches, however many
        a long text holds."""
        text = text.translate(_QUOTES)
        claimed: list[tuple[int, int, str]] = []
        if self._sensitive is not None:
            for match in self._sensitive.finditer(text):
                name = self._lookup(match.group(0))
                if name is not None:
                    claimed.append((match.start(), match.end(), name))
        found = list(claimed)
        if self._insensitive is not None:
            ahead = 0  # the first claimed span that ends after the current match starts
            for match in self._insensitive.finditer(text):
                name = self._lookup(match.group(0))
                if name is None:
                    continue
                while ahead < len(claimed) and claimed[ahead][1] <= match.start():
                    ahead += 1
                if ahead < len(claimed) and claimed[ahead][0] < match.end():
                    continue  # overlaps an acronym's span
                found.append((match.start(), match.end(), name))
        return sorted(found)

    def resolve(self, name: str) -> str | None:
        """Canonical name of a body named exactly (or as one alias) by `name`."""
        cleaned = re.sub(r"^(?:the|all)\s+", "", name.strip().translate(_QUOTES), flags=re.I)
        cleaned = cleaned.strip(" -–—:,.")
        hit = self._lookup(cleaned)
        if hit:
            return hit
        matches = self.find_all(cleaned)
        if len(matches) == 1 and matches[0][1] - matches[0][0] >= len(cleaned) - 4:
            return matches[0][2]
        return None

    def opens_with_agency(self, line: str) -> bool:
        """Whether a line starts with a responding body's name (a paragraph opening)."""
        head = re.sub(r"^(?:The|All)\s+", "", line[:80])
        return any(start == 0 and self.is_responder(name) for start, _, name in self.find_all(head))

    def is_responder(self, name: str) -> bool:
        agency = self.agencies.get(name)
        return agency.responder if agency else True

    def category(self, name: str) -> str | None:
        agency = self.agencies.get(name)
        return agency.category if agency else None

    def mentions(self, text: str) -> list[str]:
        return list(dict.fromkeys(name for _, _, name in self.find_all(text)))

    def opening_agency(self, text: str, label: str | None = None, window: int = 70) -> str | None:
        """The body a paragraph belongs to: its label, else a body named in its opening words."""
        if label:
            resolved = self.resolve(label)
            if resolved:
                return resolved if self.is_responder(resolved) else None
            if _ORG_SHAPE.fullmatch(label.strip()) or _looks_like_body(label):
                return re.sub(r"\s+", " ", label.strip(" -–—:,."))
        opener = _SUBORDINATE_OPENING.match(text)
        if opener:
            # "Following a review by X, Y has …": Y is the actor, not X.
            text = text[opener.end() :]
        head = text[:window]
        found = [
            (start, end, name)
            for start, end, name in self.find_all(head)
            if self.is_responder(name) and start < window - 10
        ]
        shape = _ORG_SHAPE.match(text.lstrip("- "))
        offset = len(text) - len(text.lstrip("- "))
        if found and shape and _plausible_shape(shape.group(1)):
            start, end, name = found[0]
            agency = self.agencies.get(name)
            # "Northshire Youth Offending Service": a named body, not the national role inside it
            first, last = offset + shape.start(1), offset + shape.end(1)
            inside = first <= start and end <= last and end - start < last - first
            if agency and agency.role and inside:
                return re.sub(r"\s+", " ", shape.group(1))
        candidates = [(start, name) for start, _end, name in found]
        if candidates:
            names = [name for _, name in candidates]
            # "Northshire Council's Children's Services": the department, not the council.
            for name in names:
                parent = self.agencies[name].parent if name in self.agencies else None
                if parent and parent in names:
                    return name
            return candidates[0][1]
        if shape and _plausible_shape(shape.group(1)):
            return re.sub(r"\s+", " ", shape.group(1))
        return None

    def label_of(self, text: str) -> str | None:
        """A 'Name:' or 'Name – ' label opening a paragraph, if it names a body."""
        match = _LABEL.match(text.lstrip("- "))
        if not match:
            return None
        label = match.group(1).strip()
        if len(label.split()) > 9 or label.lower().startswith(("note", "action", "status")):
            return None
        if self.resolve(label) or _ORG_SHAPE.fullmatch(label) or _looks_like_body(label):
            return label
        return None

    def categories_in(self, text: str) -> list[str]:
        """Kinds of agency ('police', 'health'…) a text talks about, by their keywords."""
        text = text.translate(_QUOTES)
        return [c for c, pattern in self._category_patterns.items() if pattern.search(text)]

    def in_query(self, query: str) -> tuple[list[str], list[str]]:
        """Agencies named in a question, and categories of agency it asks about."""
        names = [n for n in self.mentions(query) if n in self.agencies]
        return names, self.categories_in(query)


def _plausible_shape(name: str) -> bool:
    words = name.split()
    return words[0] not in _SENTENCE_OPENERS and len(words) >= 2


def _looks_like_body(label: str) -> bool:
    words = label.split()
    if not 1 <= len(words) <= 8:
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or w in {"&", "and", "of", "for", "the"})
    return capitals == len(words) and bool(_ORG_SHAPE.search(label) or label.isupper())


@cache
def load_gazetteer(local: Path | None = None) -> Gazetteer:
    """The national gazetteer with a partnership's local file (REVIEW_ASSISTANT_AGENCIES)."""
    return Gazetteer(local=local)


def default_gazetteer() -> Gazetteer:
    return load_gazetteer(None)
