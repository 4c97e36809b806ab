"""Text is stored as typed and escaped where it is shown: only what cannot be shown safely is refused."""

from __future__ import annotations

import pytest

from imi_app.core.validation import text_problem

NOT_ALLOWED = "This text contains characters that are not allowed."


@pytest.mark.parametrize("text", [
    "مهدی\u200cزاده",  # Persian: the zero-width non-joiner belongs to the name
    "क्\u200dष",  # Devanagari with a zero-width joiner
    "Családfa 👨\u200d👩\u200d👧",  # an emoji family joined by ZWJ
    "Kovács <Kati> Anna", "a < b and c > d", "<script>alert(1)</script>",  # shown as text, never run
    "Soft\u00adhyphen", "\u200fسلام",  # a soft hyphen; a right-to-left mark
])
def test_names_and_texts_of_every_script_are_accepted_as_typed(text):
    assert text_problem(text) is None


@pytest.mark.parametrize("text", [
    "Kiss\x00Ágnes", "Kiss\x1b[31mÁgnes", "abc\u202eexe.pdf", "a\u202db", "a\u2066b\u2069", "a\u2067b", "a\ud800b",
    "a\U000e0080b",  # an unassigned code point
])
def test_what_cannot_be_shown_safely_is_refused_with_a_clear_message(text):
    problem = text_problem(text)
    assert problem is not None
    if "\ud800" not in text:
        assert problem == NOT_ALLOWED


def test_newlines_only_where_the_field_has_lines():
    assert text_problem("two\nlines") == NOT_ALLOWED
    assert text_problem("two\nlines", multiline=True) is None
