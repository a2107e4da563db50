"""The library's own agencies, learned from its documents with no file of local names: "the
police" in a question or a filter reaches the partnership's force, a second force makes it name
both, a person's edits are kept in the register for every process, and a local agencies file
still wins where it names a body. Every name here is made up."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant.errors import NotFound
from review_assistant.library import Library
from review_assistant.models import Filters, Mode
from review_assistant.settings import Settings
from tests.support.partnerships import KESTREL, WENDOVER, WENDOVER_FILE, write


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("partnerships")
    write(folder / "docs", wendover=WENDOVER, kestrel=KESTREL)
    return folder


def open_library(data: Path, agencies: Path | None = None) -> Library:
    return Library(Settings(REVIEW_ASSISTANT_DATA_DIR=data, REVIEW_ASSISTANT_AGENCIES=agencies))


@pytest.fixture(scope="module")
def wendover(folder) -> Library:
    """A library of the Wendover response alone."""
    library = open_library(folder / "wendover-only")
    assert library.ingest([folder / "docs" / "wendover.txt"]).documents == 1
    yield library
    library.close()


def test_labels_become_the_librarys_agencies_with_their_roles(wendover):
    found = {a.name: a for a in wendover.learned_agencies()}
    assert (found["Wendover Constabulary"].role, found["Wendover Constabulary"].documents) == (
        "police",
        ["wendover.txt"],
    )
    assert found["Marsh Vale NHS Foundation Trust"].role == "health trust"
    assert found["Wendover City Council"].role == "local authority"
    assert found["Wendover Constabulary"].responded
    assert not found["Wendover Safeguarding Children Partnership"].responded


def test_the_police_reaches_the_partnerships_force(wendover):
    assert wendover.agency("the police") == "Wendover Constabulary"
    assert wendover.agency("MVFT") == "Marsh Vale NHS Foundation Trust"
    rows = wendover.recommendations(agency="the police")
    assert [(r.review_id, r.rec_id) for r in rows] == [(rows[0].review_id, "1")]
    assert "Wendover Constabulary" in rows[0].agencies
    police = Filters(agency="police")
    passages = wendover.search("who records adults at an incident", filters=police)
    assert passages and all("Wendover Constabulary" in p.agencies for p in passages)

    answer = wendover.ask("what did the police commit to?")
    assert answer.mode == Mode.commitments and not answer.abstained
    assert "Wendover Constabulary" in answer.answer
    assert any("every adult present" in c.quote for c in answer.citations)


def test_a_second_force_makes_the_police_name_both(folder):
    with open_library(folder / "both") as library:
        library.ingest([folder / "docs"])
        assert library.agency_names("the police") == ["Kestrel Police", "Wendover Constabulary"]
        assert library.agency("the police") == "the police"  # no one body: say which
        rows = library.recommendations(agency="the police")
        assert {r.review for r in rows} == {"Child W", "Child K"}
        plan = library.assistant.searcher.plan("what did the police do about moves?")
        assert set(plan.intent.agencies) == {"Kestrel Police", "Wendover Constabulary"}
        assert library.recommendations(agency="Kestrel Police")[0].review == "Child K"


def test_edits_are_kept_for_every_process(folder):
    data = folder / "edited"
    with open_library(data) as library:
        library.ingest([folder / "docs"])
        library.set_agency_role("Kestrel Borough Council", "education")
        library.merge_agencies("Kestrel Police", "Wendover Constabulary")
        with pytest.raises(NotFound):
            library.set_agency_role("Northmoor Fire Service", "police")
        with pytest.raises(ValueError):
            library.set_agency_role("Kestrel Police", "wizards")
        with pytest.raises(ValueError):
            library.merge_agencies("Wendover Constabulary", "Kestrel Police")  # a loop
    with open_library(data) as other:  # another process, the same register
        assert other.agency_names("Wendover Constabulary") == [
            "Wendover Constabulary",
            "Kestrel Police",
        ]
        assert other.agency_names("the police") == ["Wendover Constabulary", "Kestrel Police"]
        found = {a.name: a for a in other.learned_agencies()}
        assert found["Kestrel Police"].merged_into == "Wendover Constabulary"
        assert found["Kestrel Borough Council"].role == "education"
        assert "Kestrel Borough Council" not in other.agency_names("the council")
        rows = other.recommendations(agency="Wendover Constabulary")
        assert {r.review for r in rows} == {"Child W", "Child K"}


def test_the_local_file_still_wins_where_it_names_a_body(folder):
    local = folder / "wendover-agencies.yaml"
    local.write_text(WENDOVER_FILE)
    with open_library(folder / "with-file", local) as library:
        library.ingest([folder / "docs"])
        # the file's name for the force, the documents' for the rest
        assert library.agency("the police") == "Wendover and Marsh Police"
        assert library.recommendations(agency="the police")[0].review == "Child W"
        assert library.agency("the trust") == "Marsh Vale NHS Foundation Trust"
        roles = {a.name: a.role for a in library.learned_agencies()}
        assert roles["Wendover and Marsh Police"] == "police"
        assert roles["Kestrel Police"] == "police"  # learned, but not the partnership's own
