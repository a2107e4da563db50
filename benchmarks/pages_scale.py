"""Reading and parsing time against page count (a benchmark, not a test).

    python benchmarks/pages_scale.py [--pages 250 500 1000 2000] [--shape recommendations]
                                     [--profile]

Typesets a text-layer PDF of many tiny pages (a few lines each, like a slide deck or a
label-sized print, the shape that makes per-page work dominate) with reportlab, then times
`read_document` (pdfium, layout, normalisation), `StructureParser.parse` (structure,
per-offset page lookups) and chunking, and prints pages/s for each size. Work that grows
faster than the page count shows as pages/s falling with size. Shapes: `recommendations`
(a numbered recommendation and a response on every page; past 999 the numbers are no longer
read as ids, so the rest of the document is one long response shared by them all) and
`prose` (two sentences of findings a page). `--profile` prints the costliest functions of
the largest size.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.ingest.chunking import chunk_document, count_tokens
from review_assistant.ingest.readers import read_document
from review_assistant.ingest.structure import StructureParser

TINY = (288, 144)  # points: 4 × 2 inches
SHAPES = {
    "recommendations": (
        "Recommendation {n}",
        "Agencies should record every adult in the household.",
        "The partnership accepted this in part.",
    ),
    "prose": (
        "On visit {n} the health visitor saw the baby at home.",
        "No adult in the household was asked about.",
    ),
}


def tiny_pdf(path: Path, pages: int, shape: str = "recommendations") -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=TINY)
    pdf.setFont("Helvetica", 8)
    for n in range(1, pages + 1):
        y = TINY[1] - 30
        for line in SHAPES[shape]:
            pdf.drawString(18, y, line.format(n=n))
            y -= 12
        pdf.showPage()
    pdf.save()
    return path


def measure(path: Path, parser: StructureParser) -> dict[str, float]:
    started = time.perf_counter()
    raw = read_document(path)
    read = time.perf_counter()
    doc = parser.parse(raw)
    parsed = time.perf_counter()
    chunks = chunk_document(doc)
    chunked = time.perf_counter()
    return {
        "pages": len(raw.pages),
        "read_s": read - started,
        "parse_s": parsed - read,
        "chunk_s": chunked - parsed,
        "total_s": chunked - started,
        "recommendations": len(doc.recommendations),
        "chunks": len(chunks),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[250, 500, 1000, 2000])
    ap.add_argument("--shape", choices=sorted(SHAPES), default="recommendations")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    parser = StructureParser(load_gazetteer(None))
    count_tokens("warm")  # the encoder loads once, outside the timings
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'pages':>6} {'read s':>8} {'parse s':>8} {'chunk s':>8} {'pages/s':>8}  recs")
        for pages in args.pages:
            path = tiny_pdf(Path(folder) / f"tiny-{pages}.pdf", pages, args.shape)
            if args.profile and pages == max(args.pages):
                profile = cProfile.Profile()
                profile.enable()
            row = measure(path, parser)
            if args.profile and pages == max(args.pages):
                profile.disable()
            print(
                f"{row['pages']:>6} {row['read_s']:>8.2f} {row['parse_s']:>8.2f} "
                f"{row['chunk_s']:>8.2f} {row['pages'] / row['total_s']:>8.1f}  "
                f"{row['recommendations']}"
            )
        if args.profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
