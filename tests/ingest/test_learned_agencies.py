"""Agencies learned from a library's documents: a response's labels and headings, and bodies
named by the shape of a role, become its agencies, each with the role it fills; "the police",
"the trust", "the council" then mean the partnership's own bodies of that role. Every name here
is made up; none is in a file of local names."""

from __future__ import annotations

from pathlib import Path

from review_assistant.ingest.agencies import Gazetteer, LearnedAgency, default_gazetteer
from tests.support.partnerships import KESTREL, WENDOVER, WENDOVER_FILE, owners, parse


def learned(text: str, gazetteer: Gazetteer | None = None) -> dict[str, LearnedAgency]:
    gazetteer = gazetteer or default_gazetteer()
    doc = parse(text, gazetteer=gazetteer)
    return {body.name: body for body in gazetteer.learn(doc.text, owners(doc))}


def library(*texts: str) -> Gazetteer:
    national = default_gazetteer()
    return national.with_library(body for text in texts for body in learned(text).values())


def test_labels_become_agencies_with_their_roles():
    bodies = learned(WENDOVER)
    assert bodies["Wendover Constabulary"] == LearnedAgency(
        "Wendover Constabulary", "police", "label", ()
    )
    trust = bodies["Marsh Vale NHS Foundation Trust"]
    assert (trust.role, trust.how) == ("health trust", "label")
    # the acronym it defines, and the short name it uses on its own
    assert set(trust.aliases) == {"MVFT", "Marsh Vale"}
    assert bodies["Wendover City Council"].role == "local authority"
    # named in the text only, by its shape: a body of the library, not a responder
    partnership = bodies["Wendover Safeguarding Children Partnership"]
    assert (partnership.role, partnership.how) == ("partnership", "shape")


def test_a_body_named_by_its_short_name_owns_what_it_says():
    doc = parse(WENDOVER)
    second = {r.agency: r.text for r in doc.recommendations[1].responses}
    assert second["Marsh Vale NHS Foundation Trust"].startswith("Marsh Vale has added fathers")
    assert "Marsh Vale" not in second["Wendover City Council"]


def test_labelled_bodies_after_one_another_are_each_their_own_agency():
    doc = parse(KESTREL)
    assert [r.agency for r in doc.recommendations[0].responses] == [
        "Kestrel Police",
        "Kestrel Borough Council",
    ]


def test_the_police_is_the_partnerships_own_force():
    gazetteer = library(WENDOVER)
    assert gazetteer.resolve_all("the police") == ("Wendover Constabulary",)
    assert gazetteer.resolve_all("Police") == ("Wendover Constabulary",)
    assert gazetteer.resolve_all("the trust") == ("Marsh Vale NHS Foundation Trust",)
    assert gazetteer.resolve_all("MVFT") == ("Marsh Vale NHS Foundation Trust",)
    assert gazetteer.resolve_all("the council") == ("Wendover City Council",)
    assert "Marsh Vale NHS Foundation Trust" in gazetteer.resolve_all("health")
    names, categories = gazetteer.in_query("what did the police commit to on fathers?")
    assert names == ["Wendover Constabulary"] and "police" in categories
    names, _ = gazetteer.in_query("how do Marsh Vale health visitors record the household?")
    assert names == ["Marsh Vale NHS Foundation Trust"]
    # "health" in "health visitors" is the visitors, not every health body
    assert gazetteer.in_query("supervision for health visitors")[0] == []


def test_a_second_force_makes_the_police_name_both():
    gazetteer = library(WENDOVER, KESTREL)
    assert gazetteer.resolve_all("the police") == ("Kestrel Police", "Wendover Constabulary")
    assert gazetteer.in_query("what did the police commit to?")[0] == [
        "Kestrel Police",
        "Wendover Constabulary",
    ]
    assert gazetteer.resolve_all("Kestrel Police") == ("Kestrel Police",)


def test_without_a_body_of_its_kind_a_role_stays_the_national_role():
    gazetteer = library(KESTREL)
    assert gazetteer.resolve_all("the ICB") == ("Integrated Care Board (ICB)",)
    assert gazetteer.resolve_all("the trust") == ()
    assert default_gazetteer().resolve_all("the police") == ("Police",)


def test_the_local_file_wins_where_it_names_a_body(tmp_path: Path):
    local = tmp_path / "agencies.yaml"
    local.write_text(WENDOVER_FILE)
    files = Gazetteer(local=local)
    # the documents were read before the file was written: their spelling counts as its body
    gazetteer = files.with_library([*learned(WENDOVER).values(), *learned(KESTREL).values()])
    assert gazetteer.resolve_all("the police") == (
        "Wendover and Marsh Police",
        "Wendover Constabulary",
    )
    assert gazetteer.merged_into("Wendover Constabulary") == "Wendover and Marsh Police"
    assert "Kestrel Police" not in gazetteer.resolve_all("the police")
    # where the file names no body of a role, the learned ones stand
    assert gazetteer.resolve_all("the trust") == ("Marsh Vale NHS Foundation Trust",)


def test_spellings_of_one_body_are_one_body():
    bodies = [
        LearnedAgency("Northmoor City Council", "local authority", "label"),
        LearnedAgency("Northmoor City Council's", "local authority", "label"),
        LearnedAgency("Northmoor City Council’s Children’s Services", "local authority", "label"),
        LearnedAgency("Northmoor City Council's Children's Service", "local authority", "label"),
    ]
    gazetteer = default_gazetteer().with_library(bodies)
    assert gazetteer.resolve_all("Northmoor City Council") == (
        "Northmoor City Council",
        "Northmoor City Council's",
    )
    assert len(gazetteer.resolve_all("Northmoor City Council's Children's Service")) == 2
    assert gazetteer.bodies_of("local authority") == (
        "Northmoor City Council",
        "Northmoor City Council's",
        "Northmoor City Council's Children's Service",
        "Northmoor City Council’s Children’s Services",
    )


def test_an_alias_two_bodies_claim_names_neither_and_merges_are_kept():
    bodies = [
        LearnedAgency("Fenwick NHS Trust", "health trust", "label", ("FT",)),
        LearnedAgency("Fordham Trust", "health trust", "label", ("FT",)),
        LearnedAgency("Fenwick Hospitals", "health trust", "shape"),
    ]
    gazetteer = default_gazetteer().with_library(bodies, {"Fenwick Hospitals": "Fenwick NHS Trust"})
    assert gazetteer.resolve_all("FT") == ()
    assert gazetteer.resolve_all("Fenwick Hospitals") == ("Fenwick NHS Trust", "Fenwick Hospitals")
    assert gazetteer.resolve_all("the trust") == (
        "Fenwick NHS Trust",
        "Fenwick Hospitals",
        "Fordham Trust",
    )
    # a person's role wins over the shape's
    edited = default_gazetteer().with_library([LearnedAgency("Fordham Trust", "education")])
    assert edited.role_of("Fordham Trust") == "education"
    assert edited.resolve_all("the trust") == ()


def test_a_shape_after_a_sentence_or_a_number_starts_at_the_body():
    text = (
        "The review was shared with the SSCP. Northmoor Constabulary has since trained its "
        "officers. In 2023 Northmoor Constabulary audited its referrals. Historically "
        "Northmoor Borough Council led the work, and Northmoor Borough Council still chairs it. "
        "The Chair of the Northmoor Safeguarding Children Partnership and the Northmoor "
        "Safeguarding Children Partnership agreed."
    )
    names = set(learned_from_text(text))
    assert names == {
        "Northmoor Constabulary",
        "Northmoor Borough Council",
        "Northmoor Safeguarding Children Partnership",
    }


def learned_from_text(text: str) -> dict[str, str]:
    return {b.name: b.role for b in default_gazetteer().learn(text, ())}
