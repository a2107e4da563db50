"""The one tokeniser: words, their stems, and what the keyword index keeps of them."""

from __future__ import annotations

from review_assistant.store.tokens import index_terms, stems, words


def test_words_are_runs_of_letters_and_digits_lower_cased():
    assert words("Rec 3b: the GP’s log_file, café!") == [
        "rec",
        "3b",
        "the",
        "gp",
        "s",
        "log_file",
        "café",
    ]


def test_the_index_keeps_stems_of_words_of_two_characters_or_more_without_stop_words():
    assert index_terms("The police were registering 3 babies") == [
        "polic",
        "were",
        "regist",
        "babi",
    ]
    assert index_terms("the and of a") == []


def test_a_drop_list_is_judged_before_stemming():
    assert stems("meetings and meeting", drop={"meeting"}) == ["meet", "and"]
