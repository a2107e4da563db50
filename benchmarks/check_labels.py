"""Check the hand-written expected registers (a tool for the labels, not a test).

    python benchmarks/check_labels.py [--labels benchmarks/registers] [--corpus ../shared/corpus]

Loads every label file under --labels (one YAML per corpus document, named after its path), checks
its schema, that ids are unique, that every page is within the document, and that each item's first
words (and each repeat's) are found verbatim, whitespace-insensitive, in the text extracted from the
page it names. Prints per document the number of labelled recommendations and any failures; exits 1
if any. The text is extracted independently of the product's readers: pdftotext (poppler) where it
is installed, otherwise pypdfium2; a .txt file is split into pages at form feeds.
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LABELS = ROOT / "benchmarks" / "registers"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

KINDS = {
    "review-response", "minutes", "committee-report", "inquiry-report", "government-response",
    "inspection", "focused-visit", "summary", "statement",
}  # fmt: skip
NUMBERING = {"printed", "assigned", "mixed", "none"}
STATUSES = {
    "accepted", "accepted in principle", "accepted in part", "supported", "agreed", "not agreed",
    "not accepted", "under consideration", "noted", "completed",
}  # fmt: skip
DOC_KEYS = {"document", "kind", "pages", "numbering", "note", "not_counted", "recommendations"}
REC_KEYS = {
    "id", "assigned", "printed_as", "alt_ids", "title", "first_words", "page", "section", "finding",
    "parts", "report_ref", "answers", "status", "status_by", "deadline", "answered_with",
    "answered_by", "summarises", "repeats", "note",
}  # fmt: skip
STRING_KEYS = {
    "id", "printed_as", "title", "first_words", "section", "finding", "report_ref", "answers",
    "status", "status_by", "deadline", "answered_by", "note",
}  # fmt: skip
LIST_KEYS = {"alt_ids", "parts", "answered_with", "summarises"}

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2017": "'",
    "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u2015": '"',
    "\u2016": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\u00ad": None, "\uf06e": None, "\u25fc": None, "\u25aa": None, "\u2022": None,
    "\uf0b7": None, "*": None,
})  # fmt: skip


def fold(text: str) -> str:
    """The form first words are compared in: NFKC, quotes, dashes and bullet glyphs folded, no
    whitespace (so line breaks, hyphenated line ends and letter-spacing do not matter)."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return re.sub(r"\s+", "", text)


@functools.lru_cache(maxsize=64)
def page_texts(path: Path) -> tuple[str, ...]:
    """The text of each page of a corpus document, 1-based page n at index n-1."""
    if path.suffix.lower() != ".pdf":
        return tuple(path.read_text(encoding="utf-8").split("\f"))
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = out.split("\f")
        if pages and not pages[-1].strip():
            pages = pages[:-1]  # pdftotext ends every page, the last too, with a form feed
        return tuple(pages)
    import pypdfium2  # the product's own PDF library, when poppler is absent

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return tuple(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def label_files(labels: Path) -> list[Path]:
    return sorted(p for p in labels.rglob("*.yaml") if p.is_file())


def load_label(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _words(text: str) -> int:
    return len(text.split())


def check_label(label: dict, corpus: Path, name: str = "") -> list[str]:
    """Every problem with one label file, as messages; [] when it is sound."""
    errors: list[str] = []
    if not isinstance(label, dict):
        return ["not a mapping"]
    for key in sorted(set(label) - DOC_KEYS):
        errors.append(f"unknown key {key!r}")
    for key in ("document", "kind", "pages", "numbering", "recommendations"):
        if key not in label:
            errors.append(f"missing {key!r}")
    if errors:
        return errors
    if label["kind"] not in KINDS:
        errors.append(f"kind {label['kind']!r} not one of {sorted(KINDS)}")
    if label["numbering"] not in NUMBERING:
        errors.append(f"numbering {label['numbering']!r} not one of {sorted(NUMBERING)}")
    path = corpus / label["document"]
    if name and Path(label["document"]).with_suffix(".yaml").as_posix() != name:
        errors.append(f"file name does not follow the document path ({label['document']})")
    if not path.is_file():
        return errors + [f"document not found: {path}"]
    texts = page_texts(path)
    if label["pages"] != len(texts):
        errors.append(f"pages: {label['pages']} stated, the document has {len(texts)}")
    for item in label.get("not_counted") or []:
        if not {"what", "pages", "why"} <= set(item):
            errors.append(f"not_counted entry lacks what/pages/why: {item}")
        elif any(not 1 <= p <= len(texts) for p in item["pages"]):
            errors.append(f"not_counted {item['what']!r}: page out of range")
    recs = label["recommendations"]
    if not isinstance(recs, list):
        return errors + ["recommendations is not a list"]
    ids = [str(r.get("id")) for r in recs if isinstance(r, dict)]
    for rec_id in sorted({i for i in ids if ids.count(i) > 1}):
        errors.append(f"id {rec_id} is used {ids.count(rec_id)} times")
    alts = [a for r in recs if isinstance(r, dict) for a in r.get("alt_ids") or []]
    for alt in sorted({a for a in alts if alts.count(a) > 1}):
        errors.append(f"alt id {alt} is used {alts.count(alt)} times")
    numbered = {"printed": lambda r: not r.get("assigned"), "assigned": lambda r: r.get("assigned")}
    for index, rec in enumerate(recs, 1):
        if not isinstance(rec, dict):
            errors.append(f"item {index} is not a mapping")
            continue
        where = f"{rec.get('id', f'item {index}')}"
        errors += [f"{where}: {e}" for e in _check_rec(rec, texts, set(ids))]
        rule = numbered.get(label["numbering"])
        if rule and not rule(rec):
            errors.append(f"{where}: 'assigned' disagrees with numbering {label['numbering']!r}")
    if label["numbering"] == "none" and recs:
        errors.append("numbering 'none' but there are recommendations")
    return errors


def _check_rec(rec: dict, texts: tuple[str, ...], ids: set[str]) -> list[str]:
    errors = [f"unknown key {key!r}" for key in sorted(set(rec) - REC_KEYS)]
    for key in ("id", "first_words", "page"):
        if key not in rec:
            errors.append(f"missing {key!r}")
    if errors:
        return errors
    for key in STRING_KEYS & set(rec):
        if not isinstance(rec[key], str) or not rec[key].strip():
            errors.append(f"{key} must be a non-empty string")
    for key in LIST_KEYS & set(rec):
        if not isinstance(rec[key], list) or not all(isinstance(v, str) for v in rec[key]):
            errors.append(f"{key} must be a list of strings")
    if "assigned" in rec and not isinstance(rec["assigned"], bool):
        errors.append("assigned must be true or false")
    if errors:
        return errors
    if not 3 <= _words(rec["first_words"]) <= 20:
        errors.append(f"first_words has {_words(rec['first_words'])} words (want about 8)")
    if rec.get("status") and rec["status"] not in STATUSES:
        errors.append(f"status {rec['status']!r} not one of {sorted(STATUSES)}")
    for key in ("answered_with", "answered_by"):
        targets = rec.get(key) or []
        for target in [targets] if isinstance(targets, str) else targets:
            if target not in ids:
                errors.append(f"{key} names {target}, which is not an id here")
    errors += _found(rec["first_words"], rec["page"], texts, "first_words")
    for repeat in rec.get("repeats") or []:
        if not isinstance(repeat, dict) or not {"page", "kind"} <= set(repeat):
            errors.append(f"repeat needs page and kind: {repeat}")
            continue
        if set(repeat) - {"page", "kind", "first_words"}:
            errors.append(f"repeat has unknown keys: {sorted(set(repeat) - {'page', 'kind'})}")
        if repeat["page"] == rec["page"]:
            errors.append(f"repeat on the item's own page {repeat['page']}")
        words = repeat.get("first_words", rec["first_words"])
        errors += _found(words, repeat["page"], texts, f"repeat ({repeat['kind']})")
    return errors


def _found(words: str, page: object, texts: tuple[str, ...], what: str) -> list[str]:
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= len(texts):
        return [f"{what}: page {page!r} out of range 1-{len(texts)}"]
    if fold(words) not in fold(texts[page - 1]):
        return [f"{what} not found on p. {page}: {words!r}"]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    files = label_files(args.labels)
    print(f"extracting with {'pdftotext' if shutil.which('pdftotext') else 'pypdfium2'}")
    print("| document | labelled | assigned | repeats | failures |")
    print("|---|---|---|---|---|")
    failed = total = 0
    for path in files:
        name = path.relative_to(args.labels).as_posix()
        try:
            label = load_label(path)
            errors = check_label(label, args.corpus, name)
        except (yaml.YAMLError, OSError, subprocess.CalledProcessError) as exc:
            label, errors = {}, [f"cannot load: {exc}"]
        recs = label.get("recommendations") or [] if isinstance(label, dict) else []
        recs = [r for r in recs if isinstance(r, dict)]
        total += len(recs)
        failed += bool(errors)
        assigned = sum(bool(r.get("assigned")) for r in recs)
        repeats = sum(len(r.get("repeats") or []) for r in recs)
        print(f"| {name} | {len(recs)} | {assigned} | {repeats} | {len(errors) or '-'} |")
        for error in errors:
            print(f"|   | | | | {error} |")
    documents = sorted(
        p.relative_to(args.corpus).as_posix()
        for p in args.corpus.rglob("*")
        if p.is_file() and p.suffix.lower() in {".pdf", ".txt"}
    )
    labelled = {p.relative_to(args.labels).with_suffix("").as_posix() for p in files}
    missing = [d for d in documents if Path(d).with_suffix("").as_posix() not in labelled]
    print(f"\n{len(files)} label files, {total} recommendations; {failed} with failures; "
          f"{len(missing)} corpus documents without labels{': ' if missing else ''}"
          f"{', '.join(missing)}")  # fmt: skip
    sys.exit(1 if failed or missing else 0)


if __name__ == "__main__":
    main()
