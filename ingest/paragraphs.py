"""Split canonical text into paragraphs, including hard-wrapped text with no blank lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from review_assistant.ingest import recids

_TERMINAL = tuple('.!?:;"”’)')
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$")
_STARTS_BLOCK = re.compile(
    r"^(?:- |(?:[A-Z][\w ]{0,40}\s)?Recommendations?\b|R\d{1,3}[a-z]?\s?[:.–-]\s|"
    r"Finding\b|FINDING\b|RECOMMENDATION\b|"
    rf"\(?(?:{recids.SUBPART_LABEL}|\d{{1,3}}[a-z])\)\s|"
    r"\d+(?:\.\d+)+\.?\s+[A-Z]|\d{1,3}[.)]\s+[A-Z])"
)


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    bullet: bool = False

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0]


def _typical_width(lines: list[str]) -> int:
    lengths = sorted(len(line) for line in lines if line.strip())
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def split_paragraphs(
    text: str,
    heading: re.Pattern[str] | None = None,
    opens_paragraph: Callable[[str], bool] | None = None,
) -> list[Paragraph]:
    """Paragraphs with offsets into `text`.

    Breaks at blank lines; before bullets, sub-parts and headings; after headings and bare URLs;
    after a short line that ends a sentence, which is how hard-wrapped text marks a paragraph's
    end; and after any sentence end when the next line opens like a paragraph (an agency name).
    """
    lines = text.split("\n")
    width = _typical_width(lines)
    hard_wrapped = 50 <= width <= 140
    groups: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    offset = 0
    previous = ""
    for line in lines:
        stripped = line.strip()
        position = offset
        offset += len(line) + 1
        if not stripped:
            if current:
                groups.append(current)
                current = []
            previous = ""
            continue
        is_heading = bool(heading and heading.match(stripped))
        starts_block = bool(_STARTS_BLOCK.match(stripped)) or is_heading
        ends_short = hard_wrapped and (
            (previous.endswith(_TERMINAL) and len(previous) < 0.75 * width)
            or (len(previous) < 0.4 * width and stripped[:1].isupper())
            or _URL_LINE.match(previous) is not None
            or (
                previous.endswith(_TERMINAL)
                and opens_paragraph is not None
                and opens_paragraph(stripped)
            )
        )
        previous_heading = bool(heading and previous and heading.match(previous))
        if current and (starts_block or ends_short or previous_heading):
            groups.append(current)
            current = []
        current.append((position, line))
        previous = stripped
    if current:
        groups.append(current)

    paragraphs: list[Paragraph] = []
    for group in groups:
        start = group[0][0]
        end = group[-1][0] + len(group[-1][1])
        body = text[start:end]
        paragraph = Paragraph(start, end, body, bullet=body.startswith("- "))
        if paragraphs and _continues(paragraphs[-1], paragraph, text):
            last = paragraphs[-1]
            paragraphs[-1] = Paragraph(last.start, end, text[last.start : end], last.bullet)
        else:
            paragraphs.append(paragraph)
    return paragraphs


def _continues(previous: Paragraph, paragraph: Paragraph, text: str) -> bool:
    """A paragraph cut by a page break: no sentence end before, lower-case start after."""
    if previous.text.rstrip().endswith(_TERMINAL):
        return False
    gap = text[previous.end : paragraph.start]
    if gap.count("\n") < 2:
        return False
    body = paragraph.text[2:] if paragraph.bullet else paragraph.text
    if paragraph.bullet and not previous.bullet:
        return False
    if previous.text.count("(") > previous.text.count(")") and not paragraph.bullet:
        return True  # "(paragraph" | page break | "4.41)."
    return bool(body) and body[0].islower() and not recids.SUBPART_OPENING.match(paragraph.text)
