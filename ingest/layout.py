"""Turn positioned text fragments (from a PDF text layer or OCR) into lines and paragraphs.

PDF content streams often store text out of reading order (boxed recommendations drawn after
the response that follows them), so order comes from geometry, not from the stream.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class Fragment:
    """A run of text on one line; y grows downwards (top < bottom)."""

    left: float
    top: float
    right: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass
class Line:
    """Fragments at one height, with their bounds kept as fragments are added (a dense page's
    line may hold thousands)."""

    fragments: list[Fragment]
    top: float = field(init=False)
    bottom: float = field(init=False)
    left: float = field(init=False)
    right: float = field(init=False)

    def __post_init__(self) -> None:
        self.top = min(f.top for f in self.fragments)
        self.bottom = max(f.bottom for f in self.fragments)
        self.left = min(f.left for f in self.fragments)
        self.right = max(f.right for f in self.fragments)

    def add(self, frag: Fragment) -> None:
        self.fragments.append(frag)
        self.top, self.bottom = min(self.top, frag.top), max(self.bottom, frag.bottom)
        self.left, self.right = min(self.left, frag.left), max(self.right, frag.right)

    def text(self) -> str:
        parts: list[str] = []
        previous: Fragment | None = None
        for frag in sorted(self.fragments, key=lambda f: f.left):
            piece = frag.text.strip()
            if not piece:
                continue
            if previous is not None and frag.left - previous.right > 1.0:
                parts.append(" ")
            parts.append(piece)
            previous = frag
        return "".join(parts).strip()


def _group_lines(fragments: list[Fragment]) -> list[Line]:
    lines: list[Line] = []
    for frag in sorted(fragments, key=lambda f: (f.top, f.left)):
        centre = (frag.top + frag.bottom) / 2
        for line in reversed(lines[-3:]):
            if line.top <= centre <= line.bottom and not _overlaps_horizontally(line, frag):
                line.add(frag)
                break
        else:
            lines.append(Line([frag]))
    return lines


def _overlaps_horizontally(line: Line, frag: Fragment) -> bool:
    if frag.left >= line.right - 1 or frag.right - 1 <= line.left:
        return False  # beside the whole line: the usual case, fragments come left to right
    return any(f.left < frag.right - 1 and frag.left < f.right - 1 for f in line.fragments)


def _columns(fragments: list[Fragment], page_width: float) -> list[list[Fragment]]:
    """Split a two-column page into its columns; a single-column page is one column.

    Decided on fragments, not lines: runs side by side at one height are one line only on a
    single-column page.
    """
    middle = page_width / 2
    left = [f for f in fragments if f.right < middle + 5]
    right = [f for f in fragments if f.left > middle - 5]
    spanning = [f for f in fragments if not f.right < middle + 5 and not f.left > middle - 5]
    if len(left) >= 6 and len(right) >= 6 and len(spanning) <= 0.15 * len(fragments):
        return [spanning + left, right]
    return [fragments]


def _read_once(fragments: list[Fragment]) -> list[Fragment]:
    """Fragments without the copies of a text set again over itself: OCR boxes of one word
    found twice, a text layer's overlapping text boxes. A copy covers most of the box of the
    same text already kept."""
    kept: dict[tuple[str, int, int], list[Fragment]] = {}  # by text and cell of the page
    out: list[Fragment] = []
    for frag in fragments:
        text = " ".join(frag.text.split())
        if not text:
            continue
        x, y = int(frag.left // _CELL), int((frag.top + frag.bottom) / 2 // _CELL)
        near = (kept.get((text, x + dx, y + dy), ()) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        if any(_covers(other, frag) for others in near for other in others):
            continue
        kept.setdefault((text, x, y), []).append(frag)
        out.append(frag)
    return out


_CELL = 20.0  # units of the page: a copy starts, and is centred, within a cell of its original


def _covers(a: Fragment, b: Fragment) -> bool:
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return False
    smaller = min((a.right - a.left) * a.height, (b.right - b.left) * b.height)
    return width * height >= 0.6 * smaller


def paragraphs_text(fragments: list[Fragment], page_width: float) -> str:
    """Lines in reading order, with a blank line wherever the vertical gap says a paragraph ends."""
    fragments = _read_once(fragments)
    if not fragments:
        return ""
    out: list[str] = []
    for column_fragments in _columns(fragments, page_width):
        column = sorted(_group_lines(column_fragments), key=lambda ln: ln.top)
        pitches = [b.top - a.top for a, b in zip(column, column[1:], strict=False) if b.top > a.top]
        heights = [ln.bottom - ln.top for ln in column]
        typical_height = statistics.median(heights) if heights else 0.0
        # The line pitch is the tightest spacing between real lines (not superscripts);
        # paragraph gaps only widen it.
        real = [p for p in pitches if p >= 0.8 * typical_height]
        pitch = min(real) if real else (statistics.median(pitches) if pitches else 0.0)
        # Lines further apart than normal line spacing start a new paragraph.
        threshold = max(pitch * 1.45, typical_height * 1.8)
        previous: Line | None = None
        for line in column:
            text = line.text()
            if not text:
                continue
            if previous is not None and line.top - previous.top > threshold and out:
                out.append("")
            out.append(text)
            previous = line
        out.append("")
    return "\n".join(out).strip("\n")
