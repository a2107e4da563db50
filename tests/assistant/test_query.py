"""Query understanding: review aliases, named reviews, the thesaurus (on data the test writes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant.ingest.agencies import default_gazetteer
from review_assistant.ingest.metadata import document_facts, slug
from review_assistant.models import Review
from review_assistant.query import QueryParser, Thesaurus, review_aliases


def review(id: str, name: str, title: str = "") -> Review:
    return Review(id=id, name=name, title=title, doc_types=[], recommendation_count=0)


REVIEWS = [
    review("child-t", "Child T", "Response to the review of Child T"),
    review("thematic-review-neglect-in-adolescence", "Thematic Review – Neglect in Adolescence"),
    review("riverside", "Riverside", "Riverside Learning Review"),
]


@pytest.fixture
def parser() -> QueryParser:
    return QueryParser(REVIEWS, default_gazetteer())


def test_aliases_people_use():
    aliases = review_aliases("Thematic Review – Neglect in Adolescence")
    assert {"neglect in adolescence", "neglect adolescence", "thematic"} <= aliases
    assert "neglect in" not in aliases  # little words are not part of a short name
    assert review_aliases("Child T") == {"child t"}
    # the subject a name closes with: "the summer disorder", not only "police 2024"
    assert "summer disorder" in review_aliases("Police response to the 2024 summer disorder")


def test_reviews_named_in_a_question(parser):
    assert parser.review_ids("what did the Child T review find?") == ["child-t"]
    assert parser.review_ids("learning from the neglect in adolescence thematic") == [
        "thematic-review-neglect-in-adolescence"
    ]
    assert parser.review_ids("the riverside review and escalation") == ["riverside"]
    assert parser.review_ids("anything on escalation?") == []


def test_intent_is_immutable_and_complete(parser):
    intent = parser.parse("what did the police commit to for rec 3b of Child T?")
    assert intent.review_ids == ("child-t",) and intent.rec_id == "3b"
    assert "police" in intent.categories
    with pytest.raises(AttributeError):
        intent.rec_id = "4"  # type: ignore[misc]


def test_named_review_by_shape(parser):
    assert parser.named_review("what about the Hartley review?") == "Hartley"
    assert parser.named_review("what did the Arthur Labinjo-Hughes review find?") == (
        "Arthur Labinjo-Hughes"
    )
    assert parser.named_review("Any Rapid Reviews about co-sleeping?") is None
    assert parser.named_review("any rapid reviews about co-sleeping?") is None
    assert parser.named_review("Did the Serious Case Review mention GPs?") is None
    assert parser.named_review("Tell me about the O'Neill learning review") == "O'Neill"
    assert parser.named_review("anything in Child Q?") == "Child Q"
    assert parser.named_review("what did the Thematic review say?") is None
    assert parser.named_review("what do reviews say about bruising?") is None


def test_a_question_names_a_child_or_family_as_a_document_does():
    name = document_facts("Serious Case Review of Family W\n\nThe review found gaps.\n").review
    assert name == "Family W"
    parser = QueryParser([review(slug(name), name)], default_gazetteer())
    for question in ("what did the Family W review find?", "anything in Family W on GPs?"):
        assert parser.named_review(question) == "Family W"
        assert parser.review_ids(question) == ["family-w"]
    assert parser.named_review("what did Young Person A say?") == "Young Person A"
    assert parser.named_review("what does the Family Nurse Partnership do?") is None


def test_the_topic_leaves_out_the_reviews_named(parser):
    assert parser.topic("what did the Child T review say about bruising?") == (
        "what did the review say about bruising?"
    )


def test_thesaurus_variants_and_expansion(tmp_path: Path):
    path = tmp_path / "themes.yaml"
    path.write_text("- [hidden adults, unknown adults]\n- [bruising, bruises]\n")
    thesaurus = Thesaurus(path)
    assert thesaurus.variants("any learning on hidden adults?") == [
        "any learning on hidden adults?",
        "any learning on unknown adults?",
    ]
    assert thesaurus.expand("bruising in babies") == "bruising in babies bruises"
    assert thesaurus.variants("nothing related") == ["nothing related"]


def test_inspections_are_named_by_their_place_and_genre_words_name_nothing():
    aliases = review_aliases(
        "Westshire County Council — Inspection of services for children in need of help and "
        "protection, children looked after and care leavers"
    )
    assert "westshire" in aliases
    assert not {"need help", "children", "inspection services"} & aliases
    assert "eastshire" in review_aliases(
        "Inspection of Eastshire local authority — children’s services"
    )
    assert "children’s services" not in review_aliases(
        "Inspection of Eastshire local authority — children’s services"
    )
    assert {"kingsford upon avon", "avon"} <= review_aliases("Kingsford upon Avon — Inspection")
    # a slogan's little words are not a name: "act now" is no alias of "Act Now or Lose Out"
    assert "act now" not in review_aliases("The Moon Economy: Act Now or Lose Out")


def test_a_county_is_named_as_people_shorten_it():
    # "anything from the NE Northshire visit?" in Slack: the compass words by their initials,
    # the -shire cut to a few letters and an s
    aliases = review_aliases("North East Northshire children's services focused visit")
    assert {"north east northshire", "ne northshire", "ne norths"} <= aliases
    assert "norths" in review_aliases("Northshire children's services inspection")
    assert review_aliases("Kent children's services inspection") >= {"kent"}
    assert not any(a.endswith("ks") for a in review_aliases("Kent children's services inspection"))


def test_an_inquiry_is_named_by_a_word_of_its_subject_and_its_genre():
    aliases = review_aliases("Harbourside Pontoon Inquiry Phase 3")
    assert {"harbourside inquiry", "pontoon inquiry"} <= aliases
    assert "phase inquiry" not in aliases  # words after the genre noun say which part
    assert not any(a.endswith(" report") for a in review_aliases("Report and Findings in Full"))


class _Index:
    """A keyword index holding, for each review, the words its passages use."""

    def __init__(self, words: dict[str, set[str]]) -> None:
        self.words = words

    def keyword_search(self, query, top_k, filters=None):
        ids = (filters or {}).get("review_id", list(self.words))
        return [(i, 1.0) for i in ids if query.lower() in self.words.get(i, set())][:top_k]


LIBRARY = [
    review("harbourside-inquiry", "Harbourside Inquiry", "Response to the Harbourside Inquiry"),
    review("behaviour-shift", "Behaviour Shift", "Report on Behaviour Shift"),
    review("child-t", "Child T", "Response to the review of Child T"),
]
INDEX = _Index(
    {
        "harbourside-inquiry": {"harbourside", "behaviour", "police"},
        "behaviour-shift": {"behaviour", "shift"},
        "child-t": {"behaviour", "shift", "police"},
    }
)


def test_a_word_only_its_own_passages_use_names_a_review():
    parser = QueryParser(LIBRARY, default_gazetteer(), INDEX)
    assert parser.review_ids("Harbourside recommendation 3 - accepted?") == ["harbourside-inquiry"]
    # a word other reviews' passages use too names a subject, not the review
    assert parser.review_ids("any lessons on challenging behaviour?") == []
    assert parser.review_ids("what did the Behaviour Shift report say?") == ["behaviour-shift"]
    # without the index, only the names' own shapes
    assert QueryParser(LIBRARY, default_gazetteer()).review_ids("Harbourside rec 3?") == []


def test_a_question_without_the_reviews_it_names_leaves_no_part_of_a_name():
    parser = QueryParser(LIBRARY, default_gazetteer(), INDEX)
    assert (
        parser.topic("why did the Harbourside Inquiry's panel meet?")
        == "why did the 's panel meet?"
    )
    assert parser.topic("what did the Harbourside inquiry say about pontoons?") == (
        "what did the say about pontoons?"
    )


def test_a_recommendation_asked_of_a_word_of_one_reviews_name_is_that_reviews():
    reviews = [
        review("harbourside-7", "The Harbourside-7 Inquiry — Modules 2 and 3: Core decisions"),
        review("in-brief", "Report and Recommendations in Brief"),
        review("westshire", "Westshire children's services inspection"),
        review("eastshire", "Eastshire children's services inspection"),
    ]
    parser = QueryParser(reviews, default_gazetteer())
    asked = parser.parse("what does harbourside module 2 recommendation 20 say?")
    assert asked.review_ids == ("harbourside-7",)
    # only a question asking for a numbered recommendation; and no word that several names use
    assert parser.parse("what did harbourside say about pontoons?").review_ids == ()
    assert parser.parse("what does the services inspection recommendation 3 say?").review_ids == ()
    assert parser.parse("what did the police say to recommendation 3?").review_ids == ()


def test_a_partnerships_place_alone_names_its_reviews_but_not_inside_a_bodys_name():
    reviews = [
        Review(id="ann", name="Ann", title="", doc_types=[], recommendation_count=0,
               partnership="Westshire Safeguarding Children Partnership"),
        Review(id="bob", name="Bob", title="", doc_types=[], recommendation_count=0),
    ]  # fmt: skip
    parser = QueryParser(reviews, default_gazetteer())
    assert parser.review_ids("westshire - why are CAMHS waits long?") == ["ann"]
    assert "westshire" not in parser.topic("westshire - why are CAMHS waits long?").lower()
    assert parser.review_ids("anything on escalation?") == []
