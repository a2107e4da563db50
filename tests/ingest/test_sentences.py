"""The one sentence grammar: sentence spans with exact offsets."""

from __future__ import annotations

from review_assistant.ingest.sentences import (
    REPLY_HEADING,
    SECTION_LABEL,
    SUBHEADING,
    TOPIC_LINE,
    is_heading,
    sentence_spans,
    spans,
)


def pieces(text: str, **kwargs) -> list[str]:
    return [text[a:b] for a, b in spans(text, **kwargs)]


def test_sentences_end_before_a_capital_quote_digit_or_bullet():
    text = 'The plan was agreed. "Staff were told." 3 teams joined. e.g. not here. - A bullet.'
    assert pieces(text) == [
        "The plan was agreed.",
        '"Staff were told."',
        "3 teams joined. e.g. not here.",
        "- A bullet.",
    ]


def test_citation_markers_stay_with_their_sentence():
    text = "Visits were missed. [1] The GP was not told [2, 3]. Nobody asked. [4]"
    assert pieces(text) == [
        "Visits were missed. [1]",
        "The GP was not told [2, 3].",
        "Nobody asked. [4]",
    ]


def test_blocks_break_sentences():
    text = "Recommendation 3\n\nAgencies should:\n- share records\n(a) meet monthly"
    assert pieces(text) == [
        "Recommendation 3",
        "Agencies should:",
        "- share records",
        "(a) meet monthly",
    ]


def test_clauses_break_at_semicolons_too():
    text = "Agencies will train staff; audit files; and report back."
    assert pieces(text, clauses=True) == [
        "Agencies will train staff;",
        "audit files;",
        "and report back.",
    ]
    assert pieces(text) == [text]


def test_spans_cover_every_character_and_quote_exactly():
    text = "  First point made here.   Second one follows!\n\nThird, after a gap?  "
    found = spans(text)
    assert [text[a:b] for a, b in found] == [
        "First point made here.", "Second one follows!", "Third, after a gap?",
    ]  # fmt: skip
    covered = "".join(text[a:b] for a, b in found)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_claims_leave_out_headings_fragments_and_bullet_marks():
    text = (
        "Recommendation 4b\n\nKey Findings:\n\n- Health visitors will check registration.\n\n"
        "See above."
    )
    claims = [text[a:b] for a, b in sentence_spans(text)]
    assert claims == ["Health visitors will check registration."]


def test_one_heading_rule_with_a_shape_for_each_kind_of_text():
    # a section label is a heading whatever its punctuation; a sentence is not
    assert is_heading("The Panel Recommendation 4.", SECTION_LABEL)
    assert not is_heading("Health visitors will check registration.", SECTION_LABEL)
    # a document's subheading: one line, a capital, no closing punctuation
    assert is_heading("Leadership and management", SUBHEADING)
    assert not is_heading("leadership and management", SUBHEADING)
    assert not is_heading("Leadership\nand management", SUBHEADING)
    assert not is_heading("Leadership and management:", SUBHEADING)
    # a passage's topic line, in markdown or not; a model's heading may end in a colon
    assert is_heading("**Early help offer**", TOPIC_LINE)
    assert not is_heading("Early help was offered.", TOPIC_LINE)
    assert is_heading("**Baby R review:**", REPLY_HEADING)
    assert not is_heading("Baby R was seen twice.", REPLY_HEADING)


def test_a_page_break_inside_a_sentence_does_not_end_it():
    # the blank line a page break leaves before words that go on in lower case
    text = "The learning will inform the work in relation\n\nto abuse within the family.\n\nNext."
    assert pieces(text) == [
        "The learning will inform the work in relation\n\nto abuse within the family.",
        "Next.",
    ]
    # or before a capital, where the text before it ends on a word no sentence ends on
    assert pieces("Agency staff were recruited by\n\nChildren's Services to help. Next.") == [
        "Agency staff were recruited by\n\nChildren's Services to help.",
        "Next.",
    ]
    # a block that ends as a sentence does, or a heading before a capital, still ends there
    assert pieces("Done.\n\nthen more") == ["Done.", "then more"]
    assert pieces("Early help\n\nThe offer was late.") == ["Early help", "The offer was late."]
    assert pieces("Agencies should:\n\nreview their pathways") == [
        "Agencies should:",
        "review their pathways",
    ]
