"""The recommendation-id grammar: reading, normalising and relating ids."""

from __future__ import annotations

import pytest

from review_assistant.ingest import recids


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("1 a", "1a"),
        ("4a) i.", "4a.i"),
        ("8.33.", "8.33"),
        ("7", "7"),
        ("Three", "3"),
        ("TWELVE", "12"),
        (" 2B ", "2b"),
    ],
)
def test_normalise(raw, normal):
    assert recids.normalise(raw) == normal


@pytest.mark.parametrize(
    ("question", "rec_id"),
    [
        ("what about rec 3b?", "3b"),
        ("recommendation no. 12 in the report", "12"),
        ("Recommendation 2(c) on training", "2c"),
        ("recs #4 and 5", "4"),
        ("recommendation 8.12 of the committee", "8.12"),
        ("what did the review recommend?", None),
        ("the recorded incidents", None),
        ("Clare 2b - where's it at?", "2b"),
        ("NAI 5(c) - is it being done?", "5c"),
        ("what happened in 2019 to the 3 children?", None),
        ("a visit at 6a.m. on 24h notice", None),
        ("the B2b team", None),
        ("behaviour change 8.32 - when will it be published?", "8.32"),
        ("a £1.5 million fund for 2.5 hours a week", None),
        ("the panel met at 10.30 am", None),
    ],
)
def test_in_text(question, rec_id):
    assert recids.in_text(question) == rec_id


@pytest.mark.parametrize(
    ("word", "rec_id"), [("3b", "3b"), ("rec3b", "3b"), ("8.12", "8.12"), ("Clare", None)]
)
def test_argument(word, rec_id):
    assert recids.argument(word) == rec_id


def test_part_and_related():
    assert recids.is_part_of("1a", "1") and recids.is_part_of("2bc", "2")
    assert not recids.is_part_of("1", "1") and not recids.is_part_of("12", "1")
    assert not recids.is_part_of("1.2", "1")
    assert recids.related("1", "1a") and recids.related("1a", "1") and recids.related("4", "4")
    assert not recids.related("1a", "1b") and not recids.related("1", "10")


def test_successor_and_series():
    assert recids.successor("8.32") == "8.33" and recids.successor("3") == "4"
    assert recids.successor("3b") is None
    assert recids.same_series("8.3", "8.4") and recids.same_series("8.3", "8.5")
    assert recids.same_series("2", "3") and not recids.same_series("2", "4")
    assert not recids.same_series("8.3", "9.1") and not recids.same_series("3", "2")


def test_bare_ids_in_table_cells():
    assert all(recids.BARE.match(cell) for cell in ("3", "8.12", "2b", "4."))
    assert not any(recids.BARE.match(cell) for cell in ("Three", "3 and 4", "2024-01"))


def test_roman_sub_parts_and_ranges():
    assert recids.normalise("4a(iv)") == "4a.iv" and recids.normalise("4a) iii)") == "4a.iii"
    assert recids.is_part_of("4a.iv", "4a") and recids.is_part_of("4a.iv", "4")
    assert recids.expand("7b", "7e") == ["7b", "7c", "7d", "7e"] == recids.expand("7b", "e")
    assert recids.expand("4a(iv)", "(v)") == ["4a.iv", "4a.v"]
    assert recids.expand("3", "5") == ["3", "4", "5"] and recids.expand("8.3", "8.5")[1] == "8.4"
    assert recids.expand("6", "7") == ["6", "7"]
    assert recids.expand("2", "a") == ["2", "a"]  # no range: the caller does not take it


def test_the_id_printed_next():
    assert recids.printed_next("3", "4") and recids.printed_next("8.32", "8.33")
    assert recids.printed_next("1a", "1b") and recids.printed_next("1b", "2a")
    assert recids.printed_next("1b", "2")
    assert not recids.printed_next("1a", "1c") and not recids.printed_next("3", "5")
