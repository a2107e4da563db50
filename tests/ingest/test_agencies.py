"""The agency gazetteer as a mechanism (on a gazetteer the test writes) and shape detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.agencies import Gazetteer

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
