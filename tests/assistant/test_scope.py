"""A question's subject is looked for in the reviews it names before anything is quoted; a
judgement a question takes for granted is checked against the inspection's own judgements."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant.answering import Assistant
from review_assistant.ingest.types import Chunk, SectionKind
from review_assistant.ingestion import Ingestor
from review_assistant.models import AskRequest
from review_assistant.premises import asserted_grade, check, judgements
from review_assistant.scope import subject_of
from review_assistant.store.stores import Stores
from review_assistant.terms import terms

BABY_R = """Northshire Safeguarding Children Partnership

Child Safeguarding Practice Review: Baby R

Baby R

Introduction

Baby R was born in 2022 and lived with her mother and her mother's partner.

Findings

Finding 1
The health visitor did not complete the new birth visit at home because the family moved
twice in the first month and the records did not follow them.

Recommendation 1
Health visiting services should follow families who move before the new birth visit.

The community trust now makes sure a health visitor sees every baby at home by six weeks.
"""

CHILD_Q = """Westshire Safeguarding Children Partnership

Child Safeguarding Practice Review: Child Q

Child Q

Introduction

Child Q was fifteen when his school raised concerns about radicalisation through contacts
he made online.

Findings

Finding 1
Concerns about radicalisation were not referred to the Channel panel, because staff were
unsure of the threshold for a referral.

Recommendation 1
Schools should refer concerns about radicalisation to the Channel panel without delay.

The education service has issued guidance to every school on Channel referrals.
Safety plans are agreed with every family, and staff know the signs of radicalisation.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    from review_assistant.settings import Settings

    folder = tmp_path_factory.mktemp("scope")
    paths = []
    for name, text in (("baby-r.txt", BABY_R), ("child-q.txt", CHILD_Q)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=folder / "data").store)
    Ingestor(stores).ingest(paths, progress=False)
    yield Assistant(stores)
    stores.close()


def ask(assistant: Assistant, question: str):
    return assistant.ask(AskRequest(question=question))


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("did the review say anything about radicalisation?", "radicalisation"),
        ("anything in the review about FGM?", "FGM"),
        ("did the review mention cannabis?", "cannabis"),
        ("lessons on forced marriage from the reviews?", "forced marriage"),
        ("private fostering - what did the inspectors want?", "private fostering"),
        ("what lessons did the review draw about the father's criminal record?",
         "father's criminal record"),
        ("what did the inspectors think of core groups, per the response?", "core groups"),
        # the learning-points theme is the same subject
        ("lessons on info sharing about very young babies", "info sharing about very young babies"),
        ("missing children - return home interviews - lessons",
         "missing children, return home interviews"),
        ("young parents - key lessons from the reviews", "young parents"),
        ("care leavers - lessons from the focused visit", "care leavers"),
        ("co-sleeping - what was done with the learning?", "co-sleeping"),
        ("learning about drift in PLO cases", "drift in PLO cases"),
    ],
)  # fmt: skip
def test_the_subject_is_the_question_without_its_words_of_asking(question, subject):
    found = subject_of(question, question, [])
    assert found is not None and found.phrase == subject


def test_nothing_but_words_of_asking_has_no_subject():
    assert subject_of("what did the review say?", "what did the review say?", []) is None


def test_a_subject_the_named_review_never_mentions_is_said_to_be_absent(assistant):
    answer = ask(assistant, "did the Baby R review say anything about radicalisation?")
    assert answer.abstained and answer.citations == []
    assert "does not mention “radicalisation”" in answer.answer
    assert "Baby R" in answer.answer
    assert "It is mentioned in the Child Q review." in answer.answer  # where it does appear


def test_a_subject_the_named_review_holds_is_answered_from_that_review(assistant):
    answer = ask(assistant, "did the Child Q review say anything about radicalisation?")
    assert not answer.abstained
    assert {c.review for c in answer.citations} == {"Child Q"}
    assert "radicalisation" in answer.answer


def test_both_phrasings_give_the_same_outcome(assistant):
    plain = ask(assistant, "anything about radicalisation?")
    named = ask(assistant, "did the Child Q review say anything about radicalisation?")
    assert plain.abstained == named.abstained is False
    assert {c.review for c in plain.citations} == {c.review for c in named.citations}


def test_a_subject_no_document_mentions_says_what_was_looked_for(assistant):
    answer = ask(assistant, "anything about female genital mutilation?")
    assert answer.abstained and answer.citations == []
    assert "female genital mutilation" in answer.answer


# -- premises -------------------------------------------------------------------------------

INSPECTION = """Inspection of Westshire local authority children's services

Judgement                                                      Grade

The impact of leaders on social work practice with children    Good

The experiences and progress of children who need help and     Requires improvement
protection

Overall effectiveness                                          Good

Leaders have improved the front door since the last inspection.
An authority that is inadequate is failing children.
"""


def chunk(text: str) -> Chunk:
    return Chunk(
        chunk_id="c1", doc_id="d1", document="westshire.txt", title="T",
        review="Westshire", review_id="westshire", doc_type="inspection report",
        section=SectionKind.background, page_start=1, page_end=1, start=100,
        end=100 + len(text), text=text,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("question", "grade"),
    [
        ("why was Westshire rated inadequate?", "inadequate"),
        ("why did Westshire get a good rating?", "good"),
        ("why was the board judged as requiring improvement?", None),
        ("why was the board judged requires improvement?", "requires improvement"),
        ("why are referrals slow?", None),
    ],
)
def test_the_grade_a_question_asserts(question, grade):
    assert asserted_grade(question) == grade


def test_judgement_lines_are_read_and_descriptors_are_not():
    found = judgements([chunk(INSPECTION)])
    assert [j.grade for j in found] == ["good", "requires improvement", "good"]
    assert [j.overall for j in found] == [False, False, True]


def test_a_judgements_table_read_as_labelled_cells_is_read_too():
    # a ruled table is read cell after header: the grade is a labelled cell under its row
    table = (
        "The experiences and progress of children in care\n\n- Grade: Requires improvement\n\n"
        "Overall effectiveness\n\n- Grade: Good\n\nLeaders have improved the front door.\n"
    )
    found = judgements([chunk(table)])
    assert [(j.grade, j.overall) for j in found] == [
        ("requires improvement", False), ("good", True)
    ]  # fmt: skip
    answer = check("why was Westshire rated inadequate?", [chunk(table)], "The inspection")
    assert answer is not None and "it is judged good" in answer.answer


def test_a_grade_the_inspection_never_gives_is_corrected_with_its_judgement():
    text = INSPECTION
    answer = check("why was Westshire rated inadequate?", [chunk(text)], "The inspection")
    assert answer is not None and not answer.abstained
    assert answer.answer.startswith(
        "The inspection does not rate it inadequate: it is judged good."
    )
    (citation,) = answer.citations
    assert " ".join(citation.quote.split()) == "Overall effectiveness Good"
    # the quote is the document's own span
    assert text[citation.quote_start - 100 : citation.quote_end - 100] == citation.quote


def test_a_grade_the_inspection_gives_is_not_corrected():
    assert check("why was Westshire rated good?", [chunk(INSPECTION)], "The inspection") is None
    progress = [tuple(terms("experiences and progress"))]
    question = "why was the progress of children rated requires improvement?"
    assert check(question, [chunk(INSPECTION)], "X", progress) is None


def test_a_review_without_judgements_corrects_nothing(tmp_path: Path):
    assert check("why was it rated inadequate?", [chunk(BABY_R)], "The review") is None


BOARD = """Judgements

Overall effectiveness                                          Good

The Local Safeguarding Children Board requires improvement
"""


def test_the_judgement_of_what_the_grade_is_said_of_is_compared():
    board = [("local", "safeguard", "children", "board"), ("lscb",)]
    # the board was not judged good, though the authority was
    answer = check("why was the LSCB rated good?", [chunk(BOARD)], "The inspection", board)
    assert answer is not None
    assert "it is judged as requiring improvement" in answer.answer
    assert [" ".join(c.quote.split()) for c in answer.citations] == [
        "The Local Safeguarding Children Board requires improvement"
    ]
    # a grade the board was given is its own: nothing to correct
    assert check("why was the LSCB rated requires improvement?", [chunk(BOARD)], "X", board) is None
    # with nothing named, the overall judgement is compared
    assert check("why was it rated good?", [chunk(BOARD)], "X") is None


def test_the_year_a_grade_was_given_in_is_no_part_of_what_it_is_said_of():
    board = [("local", "safeguard", "children", "board", "2019"), ("lscb", "2019")]
    answer = check("why was the LSCB rated good in 2019?", [chunk(BOARD)], "X", board)
    assert answer is not None
    assert [" ".join(c.quote.split()) for c in answer.citations] == [
        "The Local Safeguarding Children Board requires improvement"
    ]


def test_a_short_topic_is_there_only_where_a_passage_holds_it_whole(assistant):
    # "family" and "panel" are each in some passage, never in one together
    answer = ask(assistant, "anything about family panels?")
    assert answer.abstained and answer.citations == []
    assert answer.answer == "No passage in the library mentions “family panels”."


def test_an_event_a_why_question_takes_for_granted_is_checked_first(assistant):
    answer = ask(assistant, "why was Baby R placed for adoption?")
    assert answer.abstained and answer.citations == []
    assert answer.answer.startswith("The Baby R review does not mention “adoption”")


def test_words_left_of_a_question_are_not_a_topic_to_be_absent():
    # "criticise" is the asker's word; a review conveys criticism in its own
    found = subject_of(
        "why did the review criticise the school?", "why did the review criticise the school?", []
    )
    assert found is not None and not found.topical and not found.apart
    # a place beside a question of its own is where to look, not the topic
    found = subject_of("Northshire - why are visits late?", "Northshire - why are visits late?", [])
    assert found is not None and not found.apart
    found = subject_of(
        "private fostering - what did they want?", "private fostering - what did they want?", []
    )
    assert found is not None and found.apart


def test_a_name_is_there_only_as_itself(assistant):
    from review_assistant.scope import _is_name

    assert _is_name("Signs of Safety") and _is_name("Operation Encompass")
    assert not _is_name("county lines") and not _is_name("Safety")
    # Child Q has "safety plans" and "the signs of radicalisation", not Signs of Safety
    answer = ask(assistant, "did the Child Q review say anything about Signs of Safety?")
    assert answer.abstained and "does not mention “Signs of Safety”" in answer.answer


def test_a_short_topic_in_a_named_review_is_there_only_whole(assistant):
    # Child Q's contacts were made "online"; grooming is never mentioned
    answer = ask(assistant, "did the Child Q review say anything about online grooming?")
    assert answer.abstained and "does not mention “online grooming”" in answer.answer


def test_a_grade_asserted_with_its_verb_before_what_is_graded():
    from review_assistant.premises import without_grade

    question = "why did ofsted rate children's services inadequate overall?"
    assert asserted_grade(question) == "inadequate"
    assert "children's services" in without_grade(question)
