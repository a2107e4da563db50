"""Who responded: the agency each sentence of a response is about.

A partnership response answers each recommendation with paragraphs by or about agencies:
labelled ("Police:"), opened by the body ("Northshire NHS Trust has…"), as bullets of a list of
agencies, or as action-plan rows ("Lead agency: …"). Text naming no body continues the account
of the body before it; a response naming none at all belongs to the body the recommendation
addressed, else to the partnership that wrote the response. The bodies the document names by
shape, and the acronyms and short names it gives them, count as known bodies while it is read.
"""

from __future__ import annotations

import re

from review_assistant.ingest.agencies import Gazetteer
from review_assistant.ingest.paragraphs import Paragraph
from review_assistant.ingest.sentences import spans
from review_assistant.ingest.types import RawDocument

_OWNER_LABEL = re.compile(
    r"^(?:lead(?: agency| organisation| partner)?|agency|agencies|owner|organisation|partner|"
    r"responsible(?: agency| lead| organisation| officer)?)\s*:\s*(?P<value>[^\n]+)",
    re.I,
)

Run = tuple[int, int, str | None]


class ResponseAttributor:
    """Walks a document's response paragraphs in order, remembering whose account is running."""

    def __init__(self, gazetteer: Gazetteer, raw: RawDocument, fallback: str) -> None:
        # the bodies the document names by shape, and the acronyms and short names it gives
        # them, are known while its responses are read: "Northshire NHS Trust (NT): …" and
        # later "Northshire has …" or "NT will …". A name holding a body the gazetteer knows
        # is left to it ("Northshire Council's Children's Services": the department).
        shaped = gazetteer.learn(raw.text, ())
        self.gazetteer = gazetteer.with_library(b for b in shaped if not gazetteer.find_all(b.name))
        self.raw = raw
        self.fallback = fallback
        self._owner: str | None = None
        self._introduced = False  # the owner was named by a paragraph that is not a bullet
        self._response_of: object = None

    def recommendation_text(self) -> None:
        """A recommendation's own text ends whatever account was running."""
        self._owner = None

    def response(self, para: Paragraph, response_of: object, addressed: str) -> list[Run]:
        """The runs of a response paragraph, each with its agency. `response_of` identifies the
        recommendation answered; `addressed` is that recommendation's own text."""
        if response_of != self._response_of:
            self._owner = None
        self._response_of = response_of
        runs = self._runs(para, self._owner, self._introduced)
        if runs[-1][2] != self._owner:
            self._introduced = not para.bullet
        self._owner = runs[-1][2]
        default = self.addressee(addressed) or self.fallback
        return [(start, end, agency or default) for start, end, agency in runs]

    def addressee(self, text: str) -> str | None:
        """The known body a recommendation opens by addressing ("Southern Health should…")."""
        text = text.lstrip("- ")
        if not text:
            return None
        agency = self.gazetteer.opening_agency(text, window=45)
        return agency if agency in self.gazetteer.agencies else None

    def _label(self, para: Paragraph, offset: int, body: str) -> str | None:
        for start, end in self.raw.emphasis:
            if para.start + offset <= start <= para.start + offset + 2 and end - start < 90:
                return self.raw.text[start:end]
        return self.gazetteer.label_of(body)

    def _runs(self, para: Paragraph, previous: str | None, introduced: bool) -> list[Run]:
        """Split a paragraph into runs of sentences, each with the agency it is about.

        The owner is the paragraph's label or opening body; a later sentence that opens with
        another body starts that body's run; a paragraph naming no body continues the previous
        one's account (sub-bullets, quotes, "The constabulary has…"). `introduced` says the
        previous owner was named by a paragraph that is not a bullet: bullets after it naming an
        unknown body are its teams ("- Child Protection Conference Team:"), while bullets after
        a bullet are siblings, each its own agency.
        """
        offset = 2 if para.bullet else 0
        body = para.text[offset:]
        label = self._label(para, offset, body)
        owner = self.gazetteer.opening_agency(body, label=label)
        lead = _OWNER_LABEL.match(body)
        if lead:  # "Lead agency: Northshire NHS Trust, ICB" (action-plan tables)
            named = self.gazetteer.find_all(lead.group("value"))
            owner = named[0][2] if named else lead.group("value").split(",")[0].strip()
        if (
            owner is not None
            and previous is not None
            and not self.gazetteer.is_body(owner)
            and (para.bullet or label)
            and introduced
        ):
            owner = previous  # a team or topic bullet inside an agency's own account
        if owner is None:
            owner = previous
        runs: list[Run] = []
        run_start = para.start
        current = owner
        for sentence_start, _ in spans(body)[1:]:
            start = para.start + offset + sentence_start
            agency = self.gazetteer.opening_agency(self.raw.text[start : para.end], window=45)
            if agency and agency != current and self.gazetteer.category(agency) is not None:
                runs.append((run_start, start, current))
                run_start, current = start, agency
        runs.append((run_start, para.end, current))
        return [(s, e, a) for s, e, a in runs if self.raw.text[s:e].strip()]
