"""One id check for the whole app: what the services accept as a row id, and how URL and form text becomes one."""

from __future__ import annotations

import pytest

from imi_app.core.edges import MAX_ID, id_from_text, is_id


@pytest.mark.parametrize("value, expected", [(1, True), (MAX_ID - 1, True), (0, False), (-1, False), (MAX_ID, False),
                                             (True, False), (False, False), (1.0, False), ("1", False), (None, False),
                                             ([1], False)])
def test_a_row_id_is_a_positive_int_within_the_integer_columns(value, expected):
    assert is_id(value) is expected


@pytest.mark.parametrize("text, expected", [("7", 7), ("0042", 42), ("2147483647", 2147483647), ("x", "x"),
                                            (" 7", " 7"), ("7.0", "7.0"), ("٣", "٣"), ("1" * 13, "1" * 13),
                                            (7, 7), (None, None)])
def test_url_and_form_text_becomes_an_id_only_when_it_is_digits(text, expected):
    assert id_from_text(text) == expected


def test_digits_beyond_the_columns_are_no_id():
    assert not is_id(id_from_text(str(MAX_ID))) and not is_id(id_from_text("999999999999"))
