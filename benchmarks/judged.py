"""Hand-judged answer benchmark: every question graded from facts read in the documents.

    python benchmarks/judged.py [--data DIR] [--questions benchmarks/judged/questions.jsonl]
                                [--out judged-answers.jsonl] [--only ID ...] [--limit N]

Builds a library of the 30 corpus documents (/work/shared/corpus, or --corpus) in a temporary
data dir (embedded stores; local agency names from REVIEW_ASSISTANT_AGENCIES when set), or
reuses DIR when it already holds a library (an empty or new DIR is built and kept, so the next
run can reuse it). Then it asks every question and grades each answer automatically:

- correct: every must_contain group present (one of its phrasings), a citation that satisfies
  must_cite, no must_not_contain phrase, no citation of a must_not_cite_documents document, not
  abstained; for an unanswerable question (abstain true): an abstention that says every
  abstention_must_say phrase, or (false premises) an answer that corrects the premise: every
  must_contain group with a must_cite citation and no must_not_contain phrase;
- partial: cited and some but not all groups, or all of them with a citation of a
  must_not_cite_documents document; an abstention that leaves out an abstention_must_say phrase;
- wrong: anything else answered where an answer was expected (uncited, none of the facts, or a
  must_not_contain phrase);
- false_answer: answered where abstain is true; false_abstain: abstained where it is false.

Prints a table per user type and per pattern (counts of each grade) and writes every answer
with its grade and the reasons to --out (JSON Lines) for reading by hand. See
benchmarks/judged/README.md for how the questions were written.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORPUS = Path("/work/shared/corpus")
QUESTIONS = ROOT / "benchmarks" / "judged" / "questions.jsonl"
GRADES = ("correct", "partial", "wrong", "false_answer", "false_abstain")
DOCUMENT_SUFFIXES = (".txt", ".pdf")


def corpus_files(corpus: Path) -> list[Path]:
    """The corpus's documents: its .txt and .pdf files, not its README or spreadsheets."""
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and p.name != "README.md"
    )


def open_assistant(data_dir: Path, ingest: list[Path]) -> Callable[[str], dict]:
    """The one place that uses the package: open the library in `data_dir`, ingest `ingest`
    (nothing when the library is reused) and return ask(question) -> the answer as a dict
    (answer, abstained, mode, note, citations: document, review, review_id, recommendation,
    agency, page, quote).

    Through the package's Python API, as any script would."""
    from review_assistant import Settings, open_library

    library = open_library(Settings(REVIEW_ASSISTANT_DATA_DIR=data_dir))
    if ingest:
        report_skipped(library.ingest(ingest))
    return lambda question: as_dict(library.ask(question))


def report_skipped(report) -> None:
    for skipped in getattr(report, "skipped", []):
        print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)


def as_dict(answer) -> dict:
    body = answer.model_dump(mode="json") if hasattr(answer, "model_dump") else dict(answer)
    keep = ("document", "review", "review_id", "recommendation", "agency", "page", "quote")
    return {
        "answer": body.get("answer", ""),
        "abstained": bool(body.get("abstained")),
        "mode": body.get("mode"),
        "note": body.get("note"),
        "citations": [{k: c.get(k) for k in keep} for c in body.get("citations", [])],
    }


# --- grading -------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def loose(text: str) -> str:
    """Lower case, letters and digits only, single spaces: 'Recommendation 3b.' and
    'recommendation 3b' match, as do a PDF's odd dashes and quotes."""
    text = text.translate(_QUOTES).lower().replace("'", "")
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


def has(text: str, phrase: str) -> bool:
    return loose(phrase) in text


def as_group(item: str | list[str]) -> list[str]:
    """A phrase, or a list of alternative phrasings any one of which will do."""
    return [item] if isinstance(item, str) else list(item)


def same_document(cited: str | None, wanted: str) -> bool:
    """A question names a document by its corpus path; a citation by its file name."""
    return bool(cited) and Path(cited).name == Path(wanted).name


def same_recommendation(cited: str | None, wanted: str | None) -> bool:
    if wanted is None:
        return True
    norm = lambda r: re.sub(r"[^a-z0-9.]", "", (r or "").lower())  # noqa: E731
    return norm(cited) == norm(wanted)


def grade(question: dict, answer: dict) -> tuple[str, list[str]]:
    """(grade, reasons) for one answer against the question's checkable facts."""
    text = loose(
        " ".join(
            [answer["answer"], answer.get("note") or ""]
            + [c["quote"] or "" for c in answer["citations"]]
        )
    )
    citations = answer["citations"]
    groups = question.get("must_contain") or []
    held = [g for g in groups if any(has(text, p) for p in g)]
    missing = [g[0] for g in groups if g not in held]
    forbidden = [p for p in question.get("must_not_contain") or [] if has(text, p)]
    must_cite = question.get("must_cite") or []
    cited = not must_cite or any(
        same_document(c["document"], m["document"])
        and same_recommendation(c["recommendation"], m.get("recommendation"))
        for c in citations
        for m in must_cite
    )
    off = sorted(
        {
            Path(c["document"]).name
            for c in citations
            for d in question.get("must_not_cite_documents") or []
            if same_document(c["document"], d)
        }
    )
    reasons = []
    if missing:
        reasons.append("missing: " + "; ".join(missing))
    if forbidden:
        reasons.append("says: " + "; ".join(forbidden))
    if not cited:
        reasons.append(
            "no citation of "
            + ", ".join(
                m["document"] + (f" rec {m['recommendation']}" if m.get("recommendation") else "")
                for m in must_cite
            )
        )
    if off:
        reasons.append("cites " + ", ".join(off))

    if question["abstain"]:
        if answer["abstained"]:
            unsaid = [
                alternatives[0]
                for alternatives in map(as_group, question.get("abstention_must_say") or [])
                if not any(has(text, p) for p in alternatives)
            ]
            if unsaid:
                return "partial", ["abstention does not say: " + "; ".join(unsaid)]
            return "correct", ["abstained"]
        if groups and not missing and cited and not forbidden:
            return "correct", ["answered by correcting the premise or saying what is not recorded"]
        return "false_answer", reasons or ["answered"]
    if answer["abstained"]:
        return "false_abstain", reasons or ["abstained"]
    if forbidden:
        return "wrong", reasons
    if cited and not missing and not off:
        return "correct", []
    if cited and (held or not groups):
        return "partial", reasons
    return "wrong", reasons


# --- report --------------------------------------------------------------------------------


def table(title: str, rows: dict[str, Counter]) -> str:
    width = max([len(title)] + [len(k) for k in rows]) + 2
    head = f"{title:<{width}}" + "".join(f"{g:>14}" for g in GRADES) + f"{'total':>8}"
    lines = [head, "-" * len(head)]
    total = Counter()
    for key in sorted(rows):
        counts = rows[key]
        total.update(counts)
        lines.append(
            f"{key:<{width}}"
            + "".join(f"{counts[g]:>14}" for g in GRADES)
            + f"{sum(counts.values()):>8}"
        )
    lines.append(
        f"{'all':<{width}}"
        + "".join(f"{total[g]:>14}" for g in GRADES)
        + f"{sum(total.values()):>8}"
    )
    return "\n".join(lines)


def headline(graded: list[tuple[dict, str]]) -> str:
    """The figures the targets are set in: answerable questions answered correctly, per user;
    unanswerable ones answered anyway; answerable ones refused."""
    answerable = [(q, v) for q, v in graded if not q["abstain"]]
    unanswerable = [(q, v) for q, v in graded if q["abstain"]]
    users = sorted({q["user"] for q, _ in answerable})
    parts = []
    for user in users:
        mine = [v for q, v in answerable if q["user"] == user]
        parts.append(f"{user} {mine.count('correct')}/{len(mine)}")
    answered = sum(v == "false_answer" for _, v in unanswerable)
    refused = sum(v == "false_abstain" for _, v in answerable)
    return (
        f"answerable correct: {', '.join(parts)}; unanswerable answered {answered}/"
        f"{len(unanswerable)}; false abstentions {refused}/{len(answerable)}"
    )


def load(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: {exc}") from exc
    return rows


def held_out(question: dict) -> bool:
    """Whether a question is in the held-out quarter: answer-layer changes are developed on
    the rest, so the held-out figures say how the changes carry to questions not tuned on."""
    return int(re.sub(r"\D", "", question["id"]) or 0) % 4 == 0


def answers_from(path: Path) -> dict[str, dict]:
    """The answers of an earlier run (its --out file), by question id."""
    keys = ("answer", "abstained", "mode", "note", "citations")
    return {row["id"]: {k: row.get(k) for k in keys} for row in load(path)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--data", type=Path, help="a library to reuse (built here when empty or new)"
    )
    parser.add_argument("--out", type=Path, default=Path("judged-answers.jsonl"))
    parser.add_argument("--only", action="append", default=[], metavar="ID")
    parser.add_argument("--limit", type=int)
    parser.add_argument(
        "--split",
        choices=("all", "dev", "held"),
        default="all",
        help="dev: the questions to develop against; held: the quarter kept out of development "
        "(every id whose number is a multiple of 4), read only to report the figures",
    )
    parser.add_argument(
        "--regrade",
        type=Path,
        metavar="ANSWERS",
        help="grade an earlier run's answers (its --out file) against the questions as they "
        "are now, asking nothing: for revising the facts after reading the answers",
    )
    args = parser.parse_args()

    questions = load(args.questions)
    if args.only:
        questions = [q for q in questions if q["id"] in set(args.only)]
    if args.split != "all":
        questions = [q for q in questions if held_out(q) == (args.split == "held")]
    if args.limit:
        questions = questions[: args.limit]
    if not questions:
        raise SystemExit("no questions")

    with ExitStack() as stack:
        if args.regrade:
            earlier = answers_from(args.regrade)
            questions = [q for q in questions if q["id"] in earlier]
            ask = None
        else:
            if args.data:
                data_dir = args.data
                built = data_dir.is_dir() and any(data_dir.iterdir())
            else:
                temporary = tempfile.TemporaryDirectory(prefix="ra-judged-")
                data_dir = Path(stack.enter_context(temporary))
                built = False
            data_dir.mkdir(parents=True, exist_ok=True)
            files = [] if built else corpus_files(args.corpus)
            if files:
                agencies = os.environ.get("REVIEW_ASSISTANT_AGENCIES", "none")
                print(f"ingesting {len(files)} documents into {data_dir} (agencies: {agencies})")
            started = time.perf_counter()
            ask = open_assistant(data_dir, files)
            if files:
                print(f"ingested in {time.perf_counter() - started:.0f} s")

        by_user: dict[str, Counter] = defaultdict(Counter)
        by_pattern: dict[str, Counter] = defaultdict(Counter)
        graded: list[tuple[dict, str]] = []
        seconds = []
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", encoding="utf-8") as out:
            for q in questions:
                started = time.perf_counter()
                answer = earlier[q["id"]] if ask is None else ask(q["question"])
                seconds.append(time.perf_counter() - started)
                verdict, reasons = grade(q, answer)
                by_user[q["user"]][verdict] += 1
                by_pattern[q["pattern"]][verdict] += 1
                graded.append((q, verdict))
                row = {
                    "id": q["id"],
                    "user": q["user"],
                    "pattern": q["pattern"],
                    "question": q["question"],
                    "grade": verdict,
                    "reasons": reasons,
                    "expected": q["expected"],
                    **answer,
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                if len(questions) <= 10:
                    print(f"{q['id']}: {verdict} {'; '.join(reasons)}")

    print()
    print(table("user", by_user))
    print()
    print(table("pattern", by_pattern))
    print()
    print(headline(graded))
    timing = ""
    if ask is not None:
        from bench import percentile  # here, not at the top: bench loads the whole package

        p50, p95 = statistics.median(seconds), percentile(seconds, 0.95)
        timing = f"; seconds per answer p50 {p50:.2f}, p95 {p95:.2f}"
    print(f"\n{len(questions)} questions{timing}; answers in {args.out}")


if __name__ == "__main__":
    main()
