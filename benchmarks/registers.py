"""Register quality per document (a benchmark, not a test).

    python benchmarks/registers.py [--corpus samples] [--expected benchmarks/registers.yaml]

For each document with an expected list of recommendation ids: how many were found (recall),
how many found ids are right (precision), pages, OCRed pages, reading speed, whether the
structure check doubts it, and the ids missed or invented. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import yaml

from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.ingest.readers import read_document
from review_assistant.ingest.structure import StructureParser

ROOT = Path(__file__).resolve().parent.parent


def expand_ids(spec: list[str]) -> list[str]:
    out: list[str] = []
    for item in spec:
        match = re.fullmatch(r"((?:\d+\.)*)(\d+)-(?:\1)(\d+)", str(item))
        if match:
            prefix, low, high = match.group(1), int(match.group(2)), int(match.group(3))
            out += [f"{prefix}{n}" for n in range(low, high + 1)]
        else:
            out.append(str(item))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "samples")
    parser.add_argument("--expected", type=Path, default=ROOT / "benchmarks" / "registers.yaml")
    parser.add_argument(
        "--agencies", type=Path, default=ROOT / "examples" / "southampton-hampshire-agencies.yaml"
    )
    args = parser.parse_args()
    expected = yaml.safe_load(args.expected.read_text(encoding="utf-8"))
    structure = StructureParser(load_gazetteer(args.agencies))
    print("| document | type | expected | found | recall | precision | pages | OCR | pages/s "
          "| doubtful | missed / invented |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    totals = [0, 0, 0]
    for name, spec in expected.items():
        started = time.perf_counter()
        doc = structure.parse(read_document(args.corpus / name))
        seconds = time.perf_counter() - started
        want = expand_ids(spec)
        found = [r.rec_id for r in doc.recommendations]
        right = len(set(found) & set(want))
        recall = right / len(want) if want else 1.0
        precision = right / len(found) if found else (1.0 if not want else 0.0)
        totals[0] += right
        totals[1] += len(want)
        totals[2] += len(found)
        missed = [i for i in want if i not in found][:4]
        invented = [i for i in found if i not in want][:4]
        print(
            f"| {Path(name).name} | {doc.doc_type.value} | {len(want)} | {len(found)} | "
            f"{recall:.2f} | {precision:.2f} | {len(doc.pages)} | {doc.ocr_pages} | "
            f"{len(doc.pages) / seconds:.0f} | {'yes' if doc.check.doubtful else 'no'} | "
            f"{', '.join(missed) or '-'} / {', '.join(invented) or '-'} |"
        )
    right, want, found = totals
    print(f"\nall documents: recall {right / want:.3f}, precision {right / found:.3f} "
          f"({right} of {want} expected, {found} found)")  # fmt: skip


if __name__ == "__main__":
    main()
