"""Register quality per document (a benchmark, not a test).

    python benchmarks/registers.py [--corpus samples] [--expected benchmarks/registers.yaml]
    python benchmarks/registers.py --labels benchmarks/registers [--corpus ../shared/corpus]

For each document with an expected list of recommendation ids: how many were found (recall),
how many found ids are right (precision), pages, OCRed pages, reading speed, whether the
structure check doubts it, and the ids missed or invented. Prints a Markdown table.

With --labels, the expected registers are the hand-written label files (one YAML per corpus
document, checked by benchmarks/check_labels.py) and the corpus defaults to ../shared/corpus. Ids
are scored as printed; where a label gives alt_ids (another numbering of the same items, such as
the government response's "Recommendation 1" for a report's summary item 4) the better of the two
numberings is scored and marked "alt". First words are scored as well: a found recommendation
matches a label when the label's first words open its title and text (whitespace-insensitive),
each label and each found recommendation matched at most once. The summary counts the documents
whose id recall and precision are both at least 0.95.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import yaml
from check_labels import DEFAULT_CORPUS, fold, label_files, load_label

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


def _rates(right: int, want: int, found: int) -> tuple[float, float]:
    recall = right / want if want else 1.0
    precision = right / found if found else (1.0 if not want else 0.0)
    return recall, precision


def score_ids(
    labels: list[dict], found: list[str]
) -> tuple[float, float, str, list[str], list[str]]:
    """Id recall and precision against the printed ids, or against alt_ids where the labels give
    them and that numbering scores better; the scheme used, ids missed and ids invented."""
    schemes = [("", [str(r["id"]) for r in labels])]
    if any(r.get("alt_ids") for r in labels):
        schemes.append(("alt", [(r.get("alt_ids") or [None])[0] for r in labels]))
    best = None
    for scheme, want in schemes:
        wanted = {i for i in want if i is not None}
        right = len(set(found) & wanted)
        recall, precision = _rates(right, len(want), len(found))
        missed = [i if i is not None else f"({r['id']})" for i, r in zip(want, labels, strict=True)
                  if i not in found]  # fmt: skip
        invented = [i for i in found if i not in wanted]
        if best is None or recall + precision > best[0] + best[1]:
            best = (recall, precision, scheme, missed, invented)
    return best


_WINDOW = 150  # characters of a found recommendation's opening searched for a label's first words


def score_words(labels: list[dict], found: list) -> tuple[float, float, list[str]]:
    """First-words recall and precision, matching each label and each found recommendation at
    most once; the ids of the labels no found recommendation opens with. A found recommendation's
    opening is its title, text and lettered parts, in that order."""
    heads = [
        fold(" ".join([rec.title or "", rec.text, *(part.text for part in rec.parts)]))
        for rec in found
    ]
    used: set[int] = set()
    missed: list[str] = []
    for label in labels:
        words = fold(label["first_words"])
        hit = next(
            (i for i, head in enumerate(heads)
             if i not in used and words in head[: len(words) + _WINDOW]),
            None,
        )  # fmt: skip
        if hit is None:
            missed.append(str(label["id"]))
        else:
            used.add(hit)
    recall, precision = _rates(len(used), len(labels), len(found))
    return recall, precision, missed


def _parse(structure: StructureParser, path: Path, retries: int = 3):
    """Read and parse one document, retrying once a minute while others' refactoring has an
    import or attribute broken; (document, seconds) or (None, the error)."""
    for attempt in range(retries):
        started = time.perf_counter()
        try:
            doc = structure.parse(read_document(path))
            return doc, time.perf_counter() - started
        except (ImportError, AttributeError) as exc:
            if attempt + 1 == retries:
                return None, f"{type(exc).__name__}: {exc}"
            time.sleep(60)
        except Exception as exc:  # one broken document must not stop the table
            return None, f"{type(exc).__name__}: {exc}"
    return None, "not parsed"


def main_labels(labels_dir: Path, corpus: Path, structure: StructureParser) -> None:
    files = label_files(labels_dir)
    print("| document | type | labelled | found | id recall | id precision | words recall "
          "| words precision | pages | s | ids missed / invented | words missed |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    good = good_words = 0
    totals = [0, 0, 0, 0]  # labelled, found, ids right, words right
    for path in files:
        label = load_label(path)
        labels = label["recommendations"]
        name = Path(label["document"]).name
        doc, seconds = _parse(structure, corpus / label["document"])
        if doc is None:
            print(f"| {name} | - | {len(labels)} | - | 0.00 | 0.00 | 0.00 | 0.00 | - | - "
                  f"| not parsed: {seconds} | |")  # fmt: skip
            totals[0] += len(labels)
            continue
        found = [str(r.rec_id) for r in doc.recommendations]
        recall, precision, scheme, missed, invented = score_ids(labels, found)
        w_recall, w_precision, w_missed = score_words(labels, doc.recommendations)
        good += recall >= 0.95 and precision >= 0.95
        good_words += w_recall >= 0.95 and w_precision >= 0.95
        totals[0] += len(labels)
        totals[1] += len(found)
        totals[2] += round(recall * len(labels))
        totals[3] += round(w_recall * len(labels))
        mark = f" ({scheme})" if scheme else ""
        print(
            f"| {name} | {doc.doc_type.value} | {len(labels)} | {len(found)} | "
            f"{recall:.2f}{mark} | {precision:.2f}{mark} | {w_recall:.2f} | {w_precision:.2f} | "
            f"{len(doc.pages)} | {seconds:.1f} | {few(missed)} / {few(invented)} | "
            f"{few(w_missed)} |"
        )
    labelled, found, ids_right, words_right = totals
    print(f"\n{good} of {len(files)} documents with recall ≥ 0.95 and precision ≥ 0.95 (ids); "
          f"{good_words} of {len(files)} on first words")  # fmt: skip
    print(f"all documents: {labelled} labelled, {found} found; recall {ids_right / labelled:.3f} "
          f"on ids, {words_right / labelled:.3f} on first words")  # fmt: skip


def few(ids: list[str], limit: int = 5) -> str:
    if not ids:
        return "-"
    return ", ".join(ids[:limit]) + (f" +{len(ids) - limit}" if len(ids) > limit else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="samples/ by default; ../shared/corpus with --labels")  # fmt: skip
    parser.add_argument("--expected", type=Path, default=ROOT / "benchmarks" / "registers.yaml")
    parser.add_argument("--labels", type=Path, default=None,
                        help="a folder of label files (benchmarks/registers)")  # fmt: skip
    parser.add_argument(
        "--agencies", type=Path, default=ROOT / "examples" / "southampton-hampshire-agencies.yaml"
    )
    args = parser.parse_args()
    structure = StructureParser(load_gazetteer(args.agencies))
    if args.labels is not None:
        main_labels(args.labels, args.corpus or DEFAULT_CORPUS, structure)
        return
    args.corpus = args.corpus or ROOT / "samples"
    expected = yaml.safe_load(args.expected.read_text(encoding="utf-8"))
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
