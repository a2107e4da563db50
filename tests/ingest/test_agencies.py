"""The agency gazetteer as a mechanism (on a gazetteer the test writes) and shape detection."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from review_assistant.ingest.agencies import Gazetteer, default_gazetteer
from tests.support.samples import SAMPLE_AGENCIES

LOCAL = """
categories:
  police: [police, constabulary]
  health: [nhs, health visitor]
agencies:
  - name: Northshire Police
    category: police
    aliases: [NSP, Northshire Constabulary]
  - name: Northshire Council
    category: local authority
    aliases: [NC]
  - name: Family Help Service
    category: local authority
    parent: Northshire Council
    aliases: [FHS]
  - name: Care Inspectorate
    category: regulator
    responder: false
    aliases: []
"""


@pytest.fixture
def gazetteer(tmp_path: Path) -> Gazetteer:
    path = tmp_path / "local.yaml"
    path.write_text(LOCAL)
    return Gazetteer(path)


def test_aliases_resolve_to_the_canonical_name(gazetteer):
    assert gazetteer.resolve("the Northshire Constabulary") == "Northshire Police"
    assert gazetteer.resolve("NSP") == "Northshire Police"
    assert gazetteer.resolve("nsp") is None  # all-caps abbreviations match in capitals only
    assert gazetteer.resolve("Westshire Police") is None


def test_mentions_and_categories(gazetteer):
    text = "NSP and the Family Help Service met; a health visitor attended."
    assert gazetteer.mentions(text) == ["Northshire Police", "Family Help Service"]
    assert gazetteer.category("Family Help Service") == "local authority"
    assert gazetteer.categories_in(text) == ["health"]
    assert gazetteer.in_query("what did the constabulary do?") == ([], ["police"])


def test_the_opening_body_owns_a_paragraph(gazetteer):
    assert gazetteer.opening_agency("NSP has trained all officers.") == "Northshire Police"
    # a department is preferred over its parent when both open the paragraph
    opening = "Northshire Council's Family Help Service now audits every referral."
    assert gazetteer.opening_agency(opening) == "Family Help Service"
    # "Following a review by X, Y has…": Y acts
    following = "Following a review by NSP, the Family Help Service has changed its forms."
    assert gazetteer.opening_agency(following) == "Family Help Service"


def test_unknown_bodies_are_found_by_shape(gazetteer):
    assert gazetteer.opening_agency("Westshire Hospitals NHS Trust has appointed a lead.") == (
        "Westshire Hospitals NHS Trust"
    )
    assert gazetteer.label_of("Eastvale Youth Offending Team: staff were briefed.") == (
        "Eastvale Youth Offending Team"
    )
    assert gazetteer.opening_agency("The plan was shared with staff.") is None


def test_non_responders_never_own_a_response(gazetteer):
    assert gazetteer.opening_agency("Care Inspectorate found gaps in the records.") is None
    assert not gazetteer.opens_with_agency("Care Inspectorate found gaps in the records.")
    assert gazetteer.opens_with_agency("NSP has trained all officers.")


NATIONAL = """
categories:
  police: [police]
agencies:
  - name: Police
    category: police
    role: true
    local_role: true
    aliases: [police force, the constabulary]
  - name: Youth Justice Service
    category: justice
    role: true
    aliases: [Youth Offending Service, YOT]
  - name: Clinical Commissioning Group (CCG)
    category: health
    aliases: [CCG]
"""
LOCAL_FILE = """
agencies:
  - name: Eastshire Constabulary
    category: police
    aliases: [ESC]
  - name: Clinical Commissioning Group (CCG)
    category: health
    aliases: [Eastshire CCG, ICB]
"""


@pytest.fixture
def national_and_local(tmp_path: Path) -> tuple[Gazetteer, Gazetteer]:
    national, local = tmp_path / "national.yaml", tmp_path / "local.yaml"
    national.write_text(NATIONAL)
    local.write_text(LOCAL_FILE)
    return Gazetteer(national), Gazetteer(national, local=local)


def test_a_local_file_adds_names_and_extends_entries(national_and_local):
    national, both = national_and_local
    assert national.resolve("ESC") is None and both.resolve("ESC") == "Eastshire Constabulary"
    assert both.resolve("Eastshire CCG") == "Clinical Commissioning Group (CCG)"
    assert both.resolve("CCG") == "Clinical Commissioning Group (CCG)"  # national alias kept


def test_a_role_means_the_partnerships_own_body_of_that_kind(national_and_local):
    national, both = national_and_local
    assert national.resolve("the police force") == "Police"
    assert both.resolve("the police force") == "Eastshire Constabulary"


def test_an_inspectorate_of_a_service_is_no_body_of_that_service():
    shipped = default_gazetteer()
    assert shipped.role_of("HMI Probation") == "inspectorate"
    assert shipped.role_of("Her Majesty's Inspectorate of Constabulary") == "inspectorate"
    assert shipped.role_of("Westvale Probation Service") == "probation"


def test_a_role_with_no_body_in_the_library_is_still_asked_about():
    # "did probation respond?" asks of the probation service, whether or not it answered
    asked, _ = default_gazetteer().in_query("did probation respond to any recommendation?")
    assert asked == ["Probation Service"]
    local = Gazetteer(local=SAMPLE_AGENCIES)
    assert local.in_query("what did the police commit to?")[0] == ["Hampshire Constabulary"]


def test_a_body_named_with_a_roles_word_is_that_body():
    local = Gazetteer(local=SAMPLE_AGENCIES)
    # not the partnership's own force, whose local aliases hold "police"
    asked = "did the Metropolitan Police respond to recommendation 49?"
    assert local.in_query(asked)[0] == ["Metropolitan Police"]
    assert local.in_query("did Hampshire Police respond?")[0] == ["Hampshire Constabulary"]
    shipped = default_gazetteer()
    assert shipped.in_query("did Eastvale Constabulary respond?")[0] == ["Eastvale Constabulary"]
    # a question's first word is no part of a name
    assert shipped.in_query("Did Police respond?")[0] == ["Police"]


def test_a_named_body_is_not_swallowed_by_the_role_inside_its_name(national_and_local):
    national, _ = national_and_local
    text = "The Westvale Youth Offending Service has reviewed its procedures."
    assert national.opening_agency(text) == "Westvale Youth Offending Service"
    assert national.opening_agency("The YOT has reviewed its procedures.") == (
        "Youth Justice Service"
    )


def test_the_shipped_gazetteer_holds_no_local_bodies():
    """National and generic names only: a partnership's bodies come from its own file."""
    shipped = Gazetteer()
    local = yaml.safe_load(SAMPLE_AGENCIES.read_text())["agencies"]
    generic_extensions = {"Clinical Commissioning Group (CCG)", "Children's Services"}
    only_local = {e["name"] for e in local} - generic_extensions
    assert not only_local & set(shipped.agencies)
    for entry in local:
        for alias in entry.get("aliases") or []:
            if entry["name"] not in generic_extensions:
                assert shipped.resolve(alias) != entry["name"], alias
