"""Sentence selection of the extractive answerer, on passages the test writes."""

from __future__ import annotations

from review_assistant.extractive import Citations, TermWeights, candidates, render, select
from review_assistant.ingest.types import SectionKind
from review_assistant.models import Passage


def passage(n: int, text: str, review: str = "child-t", start: int = 0, similarity=0.5):
    return Passage(
        chunk_id=f"c{n}", text=text, document="doc.txt", title="T", review=review.title(),
        review_id=review, section=SectionKind.response, page=1, page_end=1, start=start,
        end=start + len(text), score=1.0, similarity=similarity,
    )  # fmt: skip


PASSAGES = [
    passage(1, "The meeting opened at ten. Health visitors will now check GP registration "
               "at every new birth visit.", start=100),
    passage(2, "Health visitors now check GP registration at each new birth visit. "
               "Staff enjoyed the training day.", start=400),
    passage(3, "The school nurse reviews immunisation records each term.", review="child-u",
            start=900),
]  # fmt: skip
WEIGHTS = TermWeights([p.text for p in PASSAGES])


def test_sentences_that_cover_the_question_win_and_quote_exact_spans():
    found = candidates("do health visitors check GP registration?", PASSAGES, WEIGHTS)
    chosen = select(found, limit=3)
    texts = [c.text for c in chosen]
    assert texts[0].startswith("Health visitors will now check GP registration")
    # the near-duplicate from the second passage is dropped; filler never makes the cut
    assert len(chosen) == 1
    citations = Citations()
    answer = render(chosen, citations)
    assert answer.endswith("[1]")
    cited = citations.items[0]
    source = PASSAGES[0]
    assert (
        cited.quote
        == source.text[cited.quote_start - source.start : cited.quote_end - source.start]
    )


def test_limits_per_passage_and_per_review():
    found = candidates("visit records check", PASSAGES, WEIGHTS)
    chosen = select(found, limit=5, per_passage=1, per_review=1, floor=0.0)
    assert len({c.passage.chunk_id for c in chosen}) == len(chosen)
    assert len({c.passage.review_id for c in chosen}) == len(chosen)


def test_variants_count_as_the_question():
    found = candidates(
        "school nurse vaccinations", PASSAGES, WEIGHTS,
        variants=["school nurse vaccinations", "school nurse immunisation"],
    )  # fmt: skip
    best = max(found, key=lambda c: c.coverage)
    assert best.passage.chunk_id == "c3" and best.reach == 1.0


def test_the_askers_own_words_count_above_another_name_for_them():
    passages = [
        passage(1, "Listen to the wishes and feelings of the child at every visit.", start=0),
        passage(2, "The voice of the child is not heard in assessments.", start=100),
    ]
    weights = TermWeights([p.text for p in passages])
    found = candidates(
        "voice of the child", passages, weights,
        variants=["voice of the child", "wishes and feelings"],
    )  # fmt: skip
    own, other = (next(c for c in found if c.passage.chunk_id == n) for n in ("c2", "c1"))
    assert own.coverage == own.reach == 1.0
    assert other.reach == 1.0 and other.coverage < own.coverage  # on the question, less surely


def test_a_short_name_counts_only_where_its_words_stand_together():
    passages = [
        passage(1, "Young people are encouraged to stay with their foster carers.", start=0),
        passage(2, "Young carers often miss school to look after a parent.", start=100),
        passage(3, "Visits focus on males who are invited into their homes.", start=200),
    ]
    weights = TermWeights([p.text for p in passages])
    found = {c.passage.chunk_id: c for c in candidates("young carers", passages, weights)}
    assert found["c2"].coverage == 1.0 and found["c1"].coverage == 0.5
    # a word between them still holds the name; two things joined by "and" need not stand
    # together at all
    near = candidates("males in the home", passages, weights)
    assert max(c.coverage for c in near) == 1.0
    joined = candidates("carers and school", passages, weights)
    assert max(c.coverage for c in joined) == 1.0


def test_rare_terms_weigh_more():
    assert WEIGHTS("immunis") > WEIGHTS("health")


def test_a_cited_span_is_numbered_once():
    citations = Citations()
    assert citations.cite(PASSAGES[0], 100, 126) == 1
    assert citations.cite(PASSAGES[0], 100, 126) == 1
    assert citations.cite(PASSAGES[1], 400, 420) == 2


def test_titles_contents_addresses_and_file_links_never_answer():
    from review_assistant.extractive import is_boilerplate

    assert is_boilerplate("24 Serious Case Review - Baby Q pdf icon PDF 284 KB")
    assert is_boilerplate("Focused visit to Northshire County Council children’s services")
    assert is_boilerplate("Dr A Person\nNorthshire Council\nCivic House\nHigh Street\nNS1 2AB")
    assert is_boilerplate("Chapter 2: Government’s Response To The Inquiry Report")
    assert is_boilerplate("Contents ........................ 4")
    # contents lines as the text layer runs them together: pages and headings
    assert is_boilerplate(
        "4 The local authority’s strengths 6 Progress since the last inspection 7 Summary for "
        "children and young people 9 What does the board need to improve?"
    )
    assert is_boilerplate("Inspection of the effectiveness of the safeguarding board: Eastvale 3")
    assert not is_boilerplate("Visits took place on 3 March, 4 April and 5 June and 6 were seen.")
    assert is_boilerplate("58 INQ000238826_0012 para 23\n59 INQ000238826_0013 paras 2.15, 3")
    assert not is_boilerplate("40 children lived in a privately arranged fostering placement.")
    # a sentence that carries a link still says something
    assert not is_boilerplate(
        "The toolkit used by the partnership may assist\nthis recommendation.\n"
        "https://example.org/toolkits/unseen-adults/"
    )
    assert not is_boilerplate("Health visitors now check GP registration at every visit.")
    # a list's item may be a bare phrase
    assert is_boilerplate("Monthly case audits", item=False)
    assert not is_boilerplate("Monthly case audits", item=True)
    title = passage(7, "Focused visit to Northshire children’s services\n\nSocial workers visit "
                       "children regularly.")  # fmt: skip
    found = candidates("northshire focused visit social workers", [title], WEIGHTS)
    assert [c.text for c in found] == ["Social workers visit children regularly."]


def test_verdicts_and_definitions_are_told_from_findings():
    from review_assistant.extractive import is_verdict

    assert is_verdict("The Local Safeguarding Children Board (LSCB) is inadequate.")
    assert is_verdict("The local authority was judged to be\ninadequate.")
    assert is_verdict("The experiences and progress of\nchildren who need help Inadequate")
    assert is_verdict("A local authority that is inadequate is providing services where")
    assert is_verdict("An LSCB requires improvement if it does not yet demonstrate good.")
    assert not is_verdict("The LSCB is inadequate because:")
    assert not is_verdict("A small number of children wait too long for a decision.")
    assert not is_verdict("The Board does not have a strategic plan for neglect.")


def _library(*texts: str, review: str = "child-t") -> tuple[list[Passage], dict]:
    """Adjacent passages of one document, and a neighbour lookup over them."""
    out, start = [], 0
    for n, text in enumerate(texts):
        out.append(passage(n, text, review=review, start=start))
        start += len(text) + 1
    by_start = {p.start: p for p in out}
    by_end = {p.end: p for p in out}

    def neighbour(p: Passage, direction: int):
        return by_start.get(p.end + 1) if direction > 0 else by_end.get(p.start - 1)

    return out, neighbour


def test_a_fact_brings_what_follows_from_it_and_a_set_pointer_its_antecedent():
    from review_assistant.extractive import attach_context

    passages, neighbour = _library(
        "High caseloads limit the time workers can give. Services are therefore crisis led. "
        "The council uses Signs of Safety. In this report, this is called a clear model.",
        "Operation Encompass runs in Eastvale. This recognises the need to share information "
        "early.",
    )
    weights = TermWeights([p.text for p in passages])
    found = candidates("what about caseloads?", passages, weights)
    attach_context(found, neighbour)
    caseloads = next(c for c in found if c.text.startswith("High caseloads"))
    assert [s.text for s in caseloads.follows] == ["Services are therefore crisis led."]
    assert "crisis" not in caseloads.full_text  # a consequence is no part of what it says
    model = next(c for c in found if c.text.startswith("In this report"))
    assert [s.text for s in model.before] == ["The council uses Signs of Safety."]
    found = candidates("what's Operation Encompass?", passages, weights)
    attach_context(found, neighbour)
    encompass = next(c for c in found if c.text.startswith("Operation Encompass"))
    assert [s.text for s in encompass.follows] == [
        "This recognises the need to share information early."
    ]


def test_a_sentence_that_points_back_brings_the_one_before():
    from review_assistant.extractive import attach_context

    passages, neighbour = _library(
        "High caseloads limit the time workers can give. Services are therefore crisis led.",
        "This meant that plans drifted for months. Audits are now monthly.",
    )
    weights = TermWeights([p.text for p in passages])
    found = candidates("why are services crisis led?", passages, weights)
    attach_context(found, neighbour)
    crisis = next(c for c in found if "crisis led" in c.text)
    assert crisis.consequence
    assert [s.text for s in crisis.before] == ["High caseloads limit the time workers can give."]
    # across a passage's edge too
    drift = next(c for c in found if c.text.startswith("This meant"))
    assert [s.text for s in drift.before] == ["Services are therefore crisis led."]
    citations = Citations()
    answer = render([crisis], citations)
    # and what followed from it, in the next passage (a why-answer leaves that out)
    assert answer == (
        "High caseloads limit the time workers can give. [1] Services are therefore crisis led. [2]"
        " This meant that plans drifted for months. [3]"
    )
    for cited in citations.items:
        source = next(p for p in passages if p.chunk_id == cited.chunk_id)
        assert cited.quote == source.text[cited.quote_start - source.start :][: len(cited.quote)]


def test_the_sentence_pointed_back_to_brings_its_opening_cut_at_the_edge_before_it():
    from review_assistant.extractive import attach_context

    passages, neighbour = _library(
        "Referrals doubled in one year. Extra agency staff were recruited by",
        "the council to chair conferences. This affected the consistency of chairs.",
    )
    weights = TermWeights([p.text for p in passages])
    found = candidates("why did the chairs change?", passages, weights)
    attach_context(found, neighbour)
    affected = next(c for c in found if c.text.startswith("This affected"))
    assert [s.text for s in affected.before] == [
        "Extra agency staff were recruited by",
        "the council to chair conferences.",
    ]


def test_a_sentence_cut_at_a_passage_edge_is_quoted_whole_and_a_lead_in_with_its_items():
    from review_assistant.extractive import attach_context

    passages, neighbour = _library(
        "The board is inadequate because:\n- It has no plan for neglect.\n- Its audits are late.",
        "- It does not hear from children. Learning from the reviews is shared across teams\nwith",
        "practitioners only by email. Nobody checks it is read.",
    )
    weights = TermWeights([p.text for p in passages])
    found = candidates("why is the board inadequate", passages, weights)
    attach_context(found, neighbour)
    lead = next(c for c in found if c.text.endswith("because:"))
    assert [s.text for s in lead.after] == [
        "It has no plan for neglect.",
        "Its audits are late.",
        "It does not hear from children.",
        "Learning from the reviews is shared across teams\nwith",
        "practitioners only by email.",
    ][: len(lead.after)]
    assert len(lead.after) >= 3  # the list runs on into the next passage
    cut = next(c for c in found if c.text.startswith("Learning from the reviews"))
    assert [s.text for s in cut.after] == ["practitioners only by email."]
    rest = next(c for c in found if c.text.startswith("practitioners"))
    assert [s.text for s in rest.before] == [
        "Learning from the reviews is shared across teams\nwith"
    ]


def test_learning_points_cover_every_review_before_a_second_from_one():
    from review_assistant.extractive import spread

    passages = [
        passage(1, "Staff should ask about every adult in the home.", review="a", similarity=0.9),
        passage(2, "Workers should ask who else lives in the home.", review="a", similarity=0.9),
        passage(3, "Practitioners should ask about adults visiting the home.", review="b",
                similarity=0.1),
    ]  # fmt: skip
    weights = TermWeights([p.text for p in passages])
    found = candidates("adults in the home", passages, weights)
    first_two = spread(found, limit=2, per_review=2, floor=0.0)
    assert {c.passage.review_id for c in first_two} == {"a", "b"}
    assert len(spread(found, limit=3, per_review=2, floor=0.0)) == 3


def test_an_answer_keeps_to_the_review_of_its_best_sentence():
    from review_assistant.extractive import one_review

    passages = [
        passage(1, "A pre-proceedings case that lasts six months must go to a legal strategy "
                   "meeting held by managers.", review="child-m", similarity=0.8),
        passage(2, "Some children wait too long in pre-proceedings.", review="clare",
                similarity=0.8),
        passage(3, "Cases in pre-proceedings go to a legal strategy meeting after six months.",
                review="baby-q", similarity=0.9),
    ]  # fmt: skip
    weights = TermWeights([p.text for p in passages])
    found = candidates("when does a pre-proceedings case go to a legal strategy meeting", passages,
                       weights)  # fmt: skip
    kept = one_review(found)
    reviews = {c.passage.review_id for c in kept}
    # a sentence from another review as much on the question stays; a near one does not
    assert "clare" not in reviews and {"child-m", "baby-q"} <= reviews
