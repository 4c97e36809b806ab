"""Choosing the visitor's language from the browser's Accept-Language header."""

from __future__ import annotations

import pytest

from imi_app.core.i18n import preferred_language


@pytest.mark.parametrize(("header", "expected"), [
    ("hu-HU,hu;q=0.9,en-US;q=0.8,en;q=0.7", "hu"),
    ("de-AT", "de"),
    ("FR-be, fr;q=0.5", "fr"),
    ("en;q=0.4, de;q=0.9", "de"),          # by weight, not by place
    ("sv-SE, de;q=0.3", "de"),             # the first language IMI speaks
    ("de;q=0, fr;q=0.1", "fr"),            # q=0 means "not this one"
    ("hu;q=0.8, de;q=0.8", "hu"),          # equal weights keep the browser's order
    ("sv, nb", None),
    ("*", None),
    ("", None),
    (None, None),
    ("de;q=abc, fr", "fr"),                # a broken weight does not win
    (";q=1, ,,hu", "hu"),
])
def test_preferred_language(header, expected):
    assert preferred_language(header) == expected
