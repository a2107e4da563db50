"""The register keeps the agencies each document names, written in the document's own
transaction, and a person's edits of them; a register an older version wrote learns them when
it is upgraded. On each back end (SQLite, and PostgreSQL when it is installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant.store.config import StoreConfig
from review_assistant.store.database import open_database
from review_assistant.store.register import SCHEMA_VERSION, Register
from review_assistant.store.schema import schema_version
from tests.support.partnerships import KESTREL, WENDOVER, parse


@pytest.fixture
def config(tmp_path: Path, database_url) -> StoreConfig:
    return StoreConfig(tmp_path, database_url=database_url)


def agencies(register: Register) -> dict[str, tuple]:
    return {a.name: (a.role, a.responded, tuple(a.documents)) for a in register.library_agencies()}


def test_a_document_brings_its_agencies_and_takes_them_away(config):
    register = Register(open_database(config))
    wendover, kestrel = parse(WENDOVER, "wendover.txt"), parse(KESTREL, "kestrel.txt")
    register.replace_document(wendover, [], None)
    register.replace_document(kestrel, [], None)
    found = agencies(register)
    assert found["Wendover Constabulary"] == ("police", True, ("wendover.txt",))
    assert found["Kestrel Police"] == ("police", True, ("kestrel.txt",))
    assert found["Wendover Safeguarding Children Partnership"][:2] == ("partnership", False)
    trust = next(a for a in register.library_agencies() if a.name.startswith("Marsh Vale"))
    assert trust.aliases == ["MVFT", "Marsh Vale"] and trust.learned_role == "health trust"

    register.remove_document(kestrel.doc_id)
    assert "Kestrel Police" not in agencies(register)
    register.replace_document(wendover, [], wendover.doc_id)  # again: rows not doubled
    assert agencies(register)["Wendover Constabulary"] == ("police", True, ("wendover.txt",))
    register.close()


def test_edits_are_kept_by_name_and_count_as_a_change(config):
    register = Register(open_database(config))
    doc = parse(KESTREL, "kestrel.txt")
    register.replace_document(doc, [], None)
    before = register.generation()
    register.set_agency_role("Kestrel Borough Council", "education")
    register.merge_agencies("KBC", "Kestrel Borough Council")
    assert register.generation() > before  # every process reloads what it knows
    council = {a.name: a for a in register.library_agencies()}["Kestrel Borough Council"]
    assert (council.role, council.learned_role) == ("education", "local authority")
    assert register.agency_merges() == {"KBC": "Kestrel Borough Council"}

    register.remove_document(doc.doc_id)
    register.replace_document(doc, [], None)  # the edits outlive the document
    council = {a.name: a for a in register.library_agencies()}["Kestrel Borough Council"]
    assert council.role == "education"
    register.set_agency_role("Kestrel Borough Council", None)
    register.merge_agencies("KBC", None)
    council = {a.name: a for a in register.library_agencies()}["Kestrel Borough Council"]
    assert council.role == "local authority" and register.agency_merges() == {}
    register.close()


def test_a_register_of_schema_6_learns_its_documents_agencies_when_upgraded(config):
    register = Register(open_database(config))
    register.replace_document(parse(WENDOVER, "wendover.txt"), [], None)
    written = agencies(register)
    with register._transaction() as db:  # as version 6 wrote it: no agencies' tables
        db.execute("DROP TABLE document_agencies")
        db.execute("DROP TABLE agency_edits")
        db.execute("UPDATE meta SET value = 6 WHERE key = 'schema'")
    register.close()

    upgraded = Register(open_database(config))
    assert schema_version(upgraded.database) == SCHEMA_VERSION == 8
    assert agencies(upgraded) == written  # learned from its responses and text
    assert upgraded.document("wendover.txt") is not None
    upgraded.set_agency_role("Wendover City Council", "education")  # and kept as any other
    upgraded.close()
    again = Register(open_database(config))  # an upgraded register opens as it is
    assert agencies(again)["Wendover City Council"][0] == "education"
    again.close()
