"""Agency names: the gazetteer (aliases kept as data in agencies.yaml) and shape-based detection.

A library learns its own bodies from its documents (`Gazetteer.learn`: its responses' owners
and the bodies its text names by a role's shape, each with its role, acronyms and short names)
and reads questions with them added (`with_library`): "the police", "the trust", "the ICB" are
then the partnership's own bodies of that role (`bodies_of`, `resolve_all`). A partnership's
local file still wins where it names a body.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
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
_ASKING = {
    "did", "does", "do", "has", "have", "had", "is", "are", "was", "were", "will", "would",
    "can", "could", "should", "what", "which", "who", "why", "how", "when", "where", "list",
    "show", "tell",
}  # fmt: skip
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
    local_role: bool = False  # a role that means the partnership's own body of that kind


@dataclass(frozen=True)
class Role:
    """A role a body fills (agencies.yaml's `roles`): its category, the words of a name that
    give it, the words a question uses for the library's own bodies of it, and the words a
    learned body's short name drops ("NHS Foundation Trust")."""

    name: str
    category: str
    shapes: re.Pattern[str] | None
    called: re.Pattern[str] | None
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class LearnedAgency:
    """A body a document names: as the owner of responses (its label or heading: `how` is
    "label") or only by the shape of its name in the text ("shape"), with the role it fills and
    the short names and acronyms the document calls it by."""

    name: str
    role: str
    how: str = "label"
    aliases: tuple[str, ...] = ()


UNATTRIBUTED = "Unattributed"
OTHER_ROLE = "other"


def _case_sensitive(alias: str) -> bool:
    return " " not in alias and sum(c.isupper() for c in alias) >= 2


class Gazetteer:
    def __init__(
        self,
        path: Path | None = None,
        local: Path | None = None,
        library: Iterable[LearnedAgency] = (),
        merges: Mapping[str, str] | None = None,
    ) -> None:
        """The gazetteer in `path` (by default the national one shipped with the package),
        with a partnership's own names from `local` added: a local entry with a national
        entry's name extends it, and a local alias wins over the same national alias. A
        library's own bodies (`library`, learned from its documents; see `with_library`) come
        last: a name or alias the files give keeps the meaning they give it."""
        self._sources = (path, local)
        source = path or resources.files(__package__).joinpath("agencies.yaml")
        data = _read(source)
        self.categories: dict[str, list[str]] = dict(data.get("categories") or {})
        roles: dict[str, dict] = dict(data.get("roles") or {})
        entries: dict[str, dict] = {e["name"]: dict(e) for e in data.get("agencies") or []}
        local_names: set[str] = set()
        if local is not None:
            extra = _read(local)
            for category, words in (extra.get("categories") or {}).items():
                self.categories[category] = [*self.categories.get(category, []), *words]
            for role, spec in (extra.get("roles") or {}).items():
                roles[role] = roles.get(role, {}) | spec
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
                local_role=bool(entry.get("local_role")),
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
        self.local_names = frozenset(local_names)
        self.roles = {name: _role(name, spec) for name, spec in roles.items()}
        shape_words = {
            w
            for spec in roles.values()
            for shape in spec.get("shapes") or []
            for w in shape.split()
        }
        self._generic = _GENERIC_NAME_WORDS | {w.translate(_QUOTES).lower() for w in shape_words}
        # the library's own bodies (with_library): each with its role, the ones that responded
        # to something, and the register's names merged into each
        self.library: dict[str, str] = {}
        self._responders: set[str] = set()
        self._merged: dict[str, list[str]] = {}
        self._add_library(list(library), dict(merges or {}), sensitive, insensitive)
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
            # "Northshire Council's Children's Services": the department, not the council (its
            # parent, or a body the document names of the department's category).
            for name in names:
                agency = self.agencies.get(name)
                if agency is None:
                    continue
                if agency.parent and agency.parent in names:
                    return name
                if agency.role and any(
                    other in self.library and self.category(other) == agency.category
                    for other in names
                    if other != name
                ):
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
        """Agencies named in a question, and categories of agency it asks about. A role it
        names ("the police", "the trust", "the ICB") stands for the partnership's own bodies of
        that role (`bodies_of`) where there are any."""
        found = self.find_all(query)
        plain = query.translate(_QUOTES)
        names = [
            body
            for start, end, name in found
            if name in self.agencies
            for body in (
                self._named_with_role(plain, start, end, self.role_of(name)) or self.expand(name)
            )
        ]
        for role in self.roles.values():
            for match in role.called.finditer(plain) if role.called is not None else ():
                if not any(s < match.end() and match.start() < e for s, e, _ in found):
                    # where the library has no body of the role, the role itself: "did
                    # probation respond?" asks of a body, whether or not one answered
                    names.extend(
                        self._named_with_role(plain, match.start(), match.end(), role.name)
                        or self.bodies_of(role.name)
                        or self._role_entries(role.name)
                    )
                    break
        return list(dict.fromkeys(names)), self.categories_in(query)

    def _named_with_role(self, text: str, start: int, end: int, role: str) -> tuple[str, ...]:
        """A body a question names with a role's word, or another body's alias, at the end of
        its name ("the Metropolitan Police", "Westvale Youth Offending Service"): that body,
        not the partnership's own of the role. The gazetteer's or the library's body it is where one
        is named so, or shares its place word and role; else the name as asked."""
        shaped = next(
            (
                m
                for m in _ORG_SHAPE.finditer(text)
                if m.start(1) < start and m.end(1) >= end and text[m.start(1)].isupper()
            ),
            None,
        )
        if shaped is None:
            return ()
        words = shaped.group(1).split()
        while words and (words[0] in _SENTENCE_OPENERS or words[0].lower() in _ASKING):
            words.pop(0)  # "Did Police respond?": a question's first word, no name
        if len(words) < 2:
            return ()
        asked = " ".join(words)
        known = self.resolve(asked)
        if known is not None:
            return (known,)
        place = asked.split()[0].lower()
        same = [
            body
            for body in (*self.local_names, *self.library)
            if self.role_of(body) == role and body.split()[0].lower() == place
        ]
        return tuple(dict.fromkeys(same)) or (asked,)

    def _role_entries(self, role: str) -> list[str]:
        """The gazetteer's entries for a kind of body that means the partnership's own
        ("Probation Service"), of one role."""
        return [
            name
            for name, agency in self.agencies.items()
            if agency.role and agency.local_role and self.role_of(name) == role
        ]

    # -- roles, and the bodies a library learns from its documents ----------------------------
    def role_of(self, name: str) -> str:
        """The role a body fills: the one a person set or its documents gave it (for a body
        the library learned), else the first role whose shape its name holds, among the roles
        of its category where the gazetteer lists it, else its category's role."""
        if name in self.library and name not in self.local_names:
            return self.library[name]
        agency = self.agencies.get(name)
        category = agency.category if agency is not None else None
        plain = name.translate(_QUOTES)
        for role in self.roles.values():
            fits = role.shapes is not None and category in (None, role.category)
            if fits and role.shapes.search(plain):
                return role.name
        if category is None:
            return OTHER_ROLE
        same = [r.name for r in self.roles.values() if r.category == category]
        return category if category in self.roles or not same else same[0]

    def role_category(self, role: str) -> str:
        found = self.roles.get(role)
        return found.category if found is not None else role

    def bodies_of(self, role: str) -> tuple[str, ...]:
        """The partnership's own bodies of a role, as the register names them (each with the
        names merged into it): the ones its local file names, else the ones the library learned
        (those that responded to something, else any its documents name). A role named after a
        category (police, health, local authority) takes in every body of that category."""

        def fills(name: str) -> bool:
            filled = self.role_of(name)
            return filled == role or (
                role in self.categories and self.role_category(filled) == role
            )

        local = sorted(n for n in self.local_names if not self.agencies[n].role and fills(n))
        learned = [name for name in self.library if fills(name)]
        responders = [name for name in learned if name in self._responders]
        chosen = local or sorted(responders or learned)
        return tuple(spelt for name in chosen for spelt in (name, *self._merged.get(name, ())))

    def expand(self, name: str) -> tuple[str, ...]:
        """The names in the register a canonical name stands for: a role that means the
        partnership's own body of its kind (`local_role`) its own bodies where there are any;
        a body itself and the names merged into it."""
        agency = self.agencies.get(name)
        if agency is not None and agency.role and agency.local_role:
            bodies = self.bodies_of(self.role_of(name))
            if bodies:
                return bodies
        return (name, *self._merged.get(name, ()))

    def merged_into(self, name: str) -> str | None:
        """The body a register's name counts as, where it is another name of one (a person
        merged it, the local file names it so, or it is another spelling)."""
        return next((body for body, names in self._merged.items() if name in names), None)

    def resolve_all(self, name: str) -> tuple[str, ...]:
        """Every body a name stands for, as the register names them: a body, with the names
        merged into it; a role ("the police", "the trust", "health") as the partnership's own
        bodies of that role. Empty when it names no body and no role."""
        hit = self.resolve(name)
        if hit is not None:
            return self.expand(hit)
        plain = re.sub(r"\s+", " ", name.strip().translate(_QUOTES)).strip(" -–—:,.?")
        bare = re.sub(r"^(?:the|all|our)\s+", "", plain, flags=re.I)
        for role in self.roles.values():
            if role.called is not None and (
                role.called.fullmatch(plain) or role.called.fullmatch(bare)
            ):
                return self.bodies_of(role.name)
        return ()

    def learn(self, text: str, owners: Iterable[str]) -> list[LearnedAgency]:
        """The bodies a document names: the owners its responses were attributed to (by their
        labels, headings and opening words; `how` "label") and the bodies its text names by the
        shape of a role ("Northshire Constabulary", "… NHS Foundation Trust"; "shape"), each
        with its role and the acronyms and short names the text calls it by."""
        plain = text.translate(_QUOTES)
        found: dict[str, LearnedAgency] = {}
        for owner in owners:
            if owner and owner != UNATTRIBUTED and owner not in found:
                found[owner] = LearnedAgency(owner, self.role_of(owner), "label")
        for name, role in self._shaped(plain).items():
            if name not in found:
                found[name] = LearnedAgency(name, role, "shape")
        acronyms = self._parenthesised(plain, list(found))
        capitals = set(_CAPITALS.findall(plain))
        learned = []
        for name, body in found.items():
            aliases = acronyms.get(name, set()) | self._called(plain, capitals, name, body.role)
            aliases = {a for a in aliases if a != name and self._lookup(a) is None}
            learned.append(replace(body, aliases=tuple(sorted(aliases))))
        return learned

    def with_library(
        self, bodies: Iterable[LearnedAgency], merged: Mapping[str, str] | None = None
    ) -> Gazetteer:
        """This gazetteer with a library's own bodies: each known by its name and its aliases
        (an alias two bodies claim names neither), with its role; `merged` maps a name to the
        body it is another name of. The files' names win: a learned name the local file gives
        to a body is merged into that body."""
        return Gazetteer(*self._sources, library=bodies, merges=merged)

    def _add_library(
        self,
        bodies: list[LearnedAgency],
        merged: dict[str, str],
        sensitive: list[str],
        insensitive: list[str],
    ) -> None:
        def final(name: str) -> str:
            seen: set[str] = set()
            while name in merged and name not in seen:
                seen.add(name)
                name = merged[name]
            return name

        def alias(text: str, name: str) -> None:
            text = text.translate(_QUOTES)
            if _case_sensitive(text):
                self._alias_to_name[text] = name
                sensitive.append(text)
            else:
                self._alias_to_name[text.lower()] = name
                insensitive.append(text)

        known = self._lookup
        # a spelling of a body the files name, or of another learned body ("Northshire
        # Council's", "Children’s Service"), is that body; a label's plainest spelling names it
        files = {_variant(a.name): a.name for a in self.agencies.values() if not a.role}
        chosen: dict[str, str] = {}
        claims: dict[str, set[str]] = {}
        plainest = sorted(
            bodies, key=lambda b: (b.how != "label", "'" in b.name.translate(_QUOTES), len(b.name))
        )
        for body in plainest:
            name = final(body.name)
            listed = known(name.translate(_QUOTES)) or files.get(_variant(name))
            canonical = listed or chosen.setdefault(_variant(name), name)
            if canonical != body.name:
                self._merged.setdefault(canonical, []).append(body.name)
            if listed is None and canonical not in self.agencies:
                self.agencies[canonical] = Agency(
                    name=canonical, category=self.role_category(body.role)
                )
                alias(canonical, canonical)
            if body.name == canonical or canonical not in self.library:
                self.library[canonical] = body.role
            if body.how == "label":
                self._responders.add(canonical)
            shorts = set(body.aliases)
            if listed is None:  # initials a question may use ("NHFT") though no document does
                shorts |= {i for i in self._initials(canonical, body.role) if len(i) >= 3}
            for short in shorts:
                claims.setdefault(short, set()).add(canonical)
        for name, target in merged.items():
            target = final(target)
            if known(name.translate(_QUOTES)) is None and target in self.agencies:
                alias(name, target)
        for short, names in claims.items():
            if len(names) == 1 and short not in merged and known(short.translate(_QUOTES)) is None:
                alias(short, next(iter(names)))

    def _shaped(self, plain: str) -> dict[str, str]:
        """Bodies a text names by a role's shape, with that role. A name only ever seen opening
        a sentence, whose shorter form is seen too, is that body after a sentence's first word
        ("Historically Northshire Council")."""
        seen: dict[str, bool] = {}  # name -> seen inside a sentence
        for match in _ORG_SHAPE.finditer(plain):
            words = match.group(1).split()
            # the name starts after a sentence's end or a number ("SSCP. Northshire Police")
            cut = max(
                (i + 1 for i, w in enumerate(words) if w.endswith(".") or _DIGIT.search(w)),
                default=0,
            )
            name = " ".join(words[cut:])
            if not name or not _plausible_shape(name) or not self._distinctive(name):
                continue
            if _NAME_GOES_ON.match(plain, match.end()) or _ENDS_JOINED.search(name):
                continue  # "… Department for Education", "Education and Department": cut short
            before = plain[max(0, match.start() - 3) : match.start()]
            inside = cut == 0 and bool(re.search(r"[a-z,;(]\s*$", before))
            seen[name] = seen.get(name, False) or inside
        shaped: dict[str, str] = {}
        for name, inside in seen.items():
            words = name.split()
            if not inside and any(" ".join(words[i:]) in seen for i in range(1, len(words) - 1)):
                continue
            # "Chair of the Northshire Partnership", "Northshire Police and Northshire Council":
            # a part of one body, or two bodies
            joined = re.match(r"(.+?)\s+(?:of|and|&)\s+(?:the\s+)?(.+)$", name)
            if joined and (joined.group(2) in seen or _ORG_SHAPE.fullmatch(joined.group(1))):
                continue
            canonical = self.resolve(name)
            agency = self.agencies.get(canonical) if canonical else None
            if agency is not None:
                if not agency.role and agency.responder:
                    shaped[canonical] = self.role_of(canonical)
                continue
            role = self._shape_role(name)
            if role is not None:
                shaped[name] = role
        return shaped

    def is_body(self, name: str) -> bool:
        """Whether a name is an agency of its own: one the gazetteer lists, or a name with a
        role's shape ("Northshire Constabulary", "Northshire Borough Council"), not a team."""
        return name in self.agencies or self._shape_role(name) is not None

    def _shape_role(self, name: str) -> str | None:
        plain = name.translate(_QUOTES)
        for role in self.roles.values():
            if role.shapes is not None and role.shapes.search(plain):
                return role.name
        return None

    def _distinctive(self, name: str) -> bool:
        """Whether a name has a word of its own, beyond the words every body of its kind has."""
        return any(
            re.sub(r"'s$", "", w.lower()) not in self._generic
            for w in name.translate(_QUOTES).split()
        )

    def _parenthesised(self, plain: str, names: list[str]) -> dict[str, set[str]]:
        """Acronyms a text defines after a body's name ("Northshire Health Trust (NHT)")."""
        ordered = sorted(names, key=len, reverse=True)
        tidy = {name: re.sub(r"\s+", " ", name.translate(_QUOTES)) for name in ordered}
        found: dict[str, set[str]] = {}
        for match in _DEFINED_ACRONYM.finditer(plain):
            acronym = match.group(1)
            before = re.sub(
                r"\s+", " ", plain[max(0, match.start() - 160) : match.start()]
            ).rstrip()
            for name in ordered:
                if before.endswith(tidy[name]) and _abbreviates(acronym, tidy[name]):
                    found.setdefault(name, set()).add(acronym)
                    break
        return found

    def _short_name(self, name: str, role: str) -> str | None:
        """A body's name without its role's words ("Northshire" of "Northshire NHS Trust"), for a
        role whose bodies are called so."""
        tidy = re.sub(r"\s+", " ", name.translate(_QUOTES))
        spec = self.roles.get(role)
        for suffix in spec.short if spec is not None else ():
            if tidy.lower().endswith(" " + suffix.lower()):
                short = tidy[: -len(suffix)].strip()
                return short if short[:1].isupper() and self._distinctive(short) else None
        return None

    def _initials(self, name: str, role: str) -> list[str]:
        """The initials of a body's name, of its name without "NHS", and of its short name."""
        tidy = re.sub(r"\s+", " ", name.translate(_QUOTES))
        sources = (tidy, re.sub(r"\bNHS\s+", "", tidy), self._short_name(name, role))
        return list(
            dict.fromkeys(
                "".join(w[0] for w in re.split(r"[\s-]+", source) if w[:1].isupper())
                for source in sources
                if source
            )
        )

    def _called(self, plain: str, capitals: set[str], name: str, role: str) -> set[str]:
        """Short names a text uses for a body: its initials, as a word of their own, and its
        short name, where the text uses it without the role's words."""
        called: set[str] = set()
        short = self._short_name(name, role)
        if short:
            spec = self.roles[role]
            tail = "|".join(re.escape(w) for w in {w for s in spec.short for w in s.split()})
            standalone = re.compile(
                r"(?<![\w-])" + re.escape(short).replace(r"\ ", r"\s+") + r"(?![\w-])"
                r"(?!\s+(?:" + tail + r")\b)"
            )
            if standalone.search(plain):
                called.add(short)
        called.update(i for i in self._initials(name, role) if len(i) >= 3 and i in capitals)
        return called


def _read(source) -> dict:
    """A gazetteer file's data (read once: a library's gazetteer is made again as it learns)."""
    return copy.deepcopy(_parsed(str(source), source.read_text(encoding="utf-8")))


@cache
def _parsed(_name: str, text: str) -> dict:
    return yaml.safe_load(text) or {}


def _variant(name: str) -> str:
    """A name as its spellings share it: quotes, a possessive, "Childrens", "Services"."""
    key = re.sub(r"'s\b|'", "", name.translate(_QUOTES).lower())
    key = re.sub(r"\bservices\b", "service", re.sub(r"[^\w&]+", " ", key))
    return " ".join(key.split())


_DIGIT = re.compile(r"\d")
_NAME_GOES_ON = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?[A-Z]")
_ENDS_JOINED = re.compile(r"\s(?:and|&)\s+\S+$")
_CAPITALS = re.compile(r"(?<![\w-])[A-Z]{3,}(?![\w-])")
_DEFINED_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z&]{1,9})\s*\)")
# words most bodies' names share, which name none of them alone
_GENERIC_NAME_WORDS = {
    "nhs", "the", "of", "and", "for", "&", "local", "national", "safeguarding", "children",
    "child", "city", "county", "borough", "district", "metropolitan", "health", "care", "social",
    "primary", "secondary", "services", "service", "hm", "uk", "england", "public", "community",
    "integrated", "university", "general", "royal", "partnership", "board", "team", "unit",
}  # fmt: skip
# words after a role's word that make it part of another noun ("health visitors", "police officers")
_COMPOUND_HEADS = (
    "visitors?|visiting|professionals?|practitioners?|staff|colleagues|services?|care|settings?|"
    "needs|partners?|workers?|teams?|checks?|records?|officers?|and|or|education|nurses?|"
    "providers?|systems?|policy|policies|outcomes|inequalities|trusts?"
)


def _role(name: str, spec: dict) -> Role:
    """A role of agencies.yaml's `roles`, its words compiled."""

    def words(items: Iterable[str], tail: str = "") -> re.Pattern[str] | None:
        items = sorted({w.translate(_QUOTES) for w in items}, key=len, reverse=True)
        if not items:
            return None
        body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)
        return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])" + tail, re.IGNORECASE)

    return Role(
        name=name,
        category=spec.get("category", name),
        shapes=words(spec.get("shapes") or []),
        called=words(spec.get("called") or [], r"(?!\s+(?:" + _COMPOUND_HEADS + r")\b)"),
        short=tuple(sorted(spec.get("short") or [], key=len, reverse=True)),
    )


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether an acronym's capitals are the initials of a name's words, in order."""
    capitals = [c for c in acronym if c.isupper()]
    initials = iter(w[0].upper() for w in re.split(r"[\s-]+", name) if w[:1].isalpha())
    first = next(initials, None)
    if len(capitals) < 2 or first != capitals[0]:
        return False
    return all(c in initials for c in capitals[1:])


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
