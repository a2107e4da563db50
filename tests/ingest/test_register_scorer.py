"""The trained candidate scorer: shipped as package data, read without scikit-learn, keeping a
numbered directive and dropping a contents line; the trainer deterministic; a
leave-one-document-out run on tiny labelled documents."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.ingest.features import FEATURES, candidates
from review_assistant.ingest.headings import ANY_HEADING
from review_assistant.ingest.normalize import assemble
from review_assistant.ingest.paragraphs import split_paragraphs
from review_assistant.ingest.scoring import MODEL_FILE, Scorer, default_scorer
from review_assistant.ingest.types import RawDocument
from review_assistant.ingest.walk import emphasised_paragraphs
from tests.support.samples import SAMPLE_AGENCIES

ROOT = Path(__file__).resolve().parents[2]

REPORT = """Northshire Safeguarding Children Partnership

Serious Case Review of Child Q

Contents

1. Introduction .......... 2

2. Recommendations .......... 14

Introduction

The review looked at the work of agencies with Child Q and the family over two years.

Recommendations

1. The partnership should ensure that practitioners share information about unborn babies.

2. Northshire Council should review its supervision policy for every social worker.

3. The police should train officers in professional curiosity when they attend domestic incidents.
"""


def raw_of(text: str) -> RawDocument:
    canonical, pages, emphasis = assemble([(page, False) for page in text.split("\f")])
    return RawDocument(
        file_name="doc.txt", sha256=hashlib.sha256(text.encode()).hexdigest(),
        source_format="text", text=canonical, pages=pages, emphasis=emphasis,
    )  # fmt: skip


def kept_and_offered(text: str, scorer: Scorer) -> tuple[set[str], set[str]]:
    """The opening words of the candidates the scorer keeps, and of all it was offered."""
    raw = raw_of(text)
    paras = split_paragraphs(raw.text, heading=ANY_HEADING)
    emphasised = emphasised_paragraphs(paras, raw.emphasis)
    offered = {paras[c.heading.index].text[:30] for c in candidates(paras, emphasised)}
    kept = {paras[index].text[:30] for index in scorer.select(paras, emphasised)}
    return kept, offered


def test_the_model_is_package_data_read_without_scikit_learn():
    scorer = default_scorer()
    assert scorer.model["features"] == list(FEATURES), "retrain: the features changed"
    assert scorer.model["trees"] and 0 < scorer.threshold < 1
    assert (ROOT / "ingest" / MODEL_FILE).is_file()
    text = (ROOT / "ingest" / "scoring.py").read_text(encoding="utf-8")
    assert "sklearn" not in text.split('"""', 2)[2]  # only the docstring names it


def test_a_numbered_directive_is_kept_and_a_contents_line_is_not():
    kept, offered = kept_and_offered(REPORT, default_scorer())
    directives = {opening for opening in offered if "should" in opening}
    contents = {opening for opening in offered if "....." in opening}
    assert len(directives) == 3 and contents, offered  # both are candidates
    # the list's first item opens it; the walk takes the numbers that follow it
    assert "1. The partnership should ensu" in kept, kept
    assert not contents & kept, kept


def test_the_parser_takes_what_the_scorer_keeps():
    from review_assistant.ingest.structure import StructureParser

    doc = StructureParser(load_gazetteer(SAMPLE_AGENCIES)).parse(raw_of(REPORT))
    assert [r.rec_id for r in doc.recommendations] == ["1", "2", "3"]
    assert doc.recommendations[0].text.startswith("The partnership should ensure")
    # a model that keeps nothing leaves the same document with no recommendations
    nothing = dict(default_scorer().model, init=-50.0)
    empty = StructureParser(load_gazetteer(SAMPLE_AGENCIES), Scorer(nothing)).parse(raw_of(REPORT))
    assert empty.recommendations == []


def _trainer():
    pytest.importorskip("sklearn")
    benchmarks = str(ROOT / "benchmarks")
    if benchmarks not in sys.path:
        sys.path.insert(0, benchmarks)
    path = ROOT / "benchmarks" / "train_register.py"
    spec = importlib.util.spec_from_file_location("train_register", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tiny_corpus() -> list[tuple[Path, dict, RawDocument]]:
    """Three tiny labelled documents: a contents page, numbered background paragraphs, then
    numbered recommendations under their heading."""
    docs = []
    agencies = ["The partnership", "Northshire Council", "The police", "The health trust"]
    for n in range(3):
        items = [f"{i}. {agencies[(i + n) % 4]} should ensure that practitioners record "
                 f"decision number {i} of review {n}." for i in range(1, 4)]  # fmt: skip
        background = [f"{i}. The family moved house {i + n} times in the period the review "
                      f"covers; the school knew of {i}." for i in range(1, 4)]  # fmt: skip
        text = (f"Review {n}\n\nContents\n\n1. Background .......... 2\n\n"
                f"2. Recommendations .......... 5\n\nBackground\n\n" + "\n\n".join(background)
                + "\n\nRecommendations\n\n" + "\n\n".join(items) + "\n")  # fmt: skip
        label = {
            "document": f"tiny/{n}.txt",
            "recommendations": [
                {"id": str(i), "first_words": item.split(" ", 1)[1][:40]}
                for i, item in enumerate(items, 1)
            ],
        }
        docs.append((Path(f"tiny/{n}.yaml"), label, raw_of(text)))
    return docs


def test_the_trainer_is_deterministic():
    trainer = _trainer()
    gazetteer = load_gazetteer(SAMPLE_AGENCIES)
    rows = []
    for _, label, raw in _tiny_corpus():
        found, paras = trainer.document_candidates(raw, gazetteer)
        wanted = trainer.targets(found, paras, label)
        assert sum(wanted) == 3  # each labelled item is a positive, nothing else
        rows.append((found, wanted))
    first, second = trainer.train(rows), trainer.train(rows)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_leave_one_document_out_on_tiny_documents(capsys):
    trainer = _trainer()
    trainer.leave_one_out(_tiny_corpus(), load_gazetteer(SAMPLE_AGENCIES))
    out = capsys.readouterr().out
    assert "3 of 3 documents >= 0.95/0.95" in out, out
