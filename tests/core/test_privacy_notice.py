"""The privacy notice's contact: the address of IMI_PRIVACY_CONTACT in every language, or, without one, where
users and everyone else can ask instead."""

from __future__ import annotations

import pytest

from imi_app.core.i18n import available_languages, gettext
from imi_app.core.settings import get_settings
from imi_app.ui.privacy import CONTACT, NO_CONTACT, contact_text


def _with_contact(monkeypatch, value: str) -> None:
    monkeypatch.setenv("IMI_PRIVACY_CONTACT", value)
    get_settings.cache_clear()


@pytest.mark.parametrize("language", available_languages())
def test_the_contact_of_the_setting_is_named_in_every_language(monkeypatch, language):
    _with_contact(monkeypatch, " dpo@imi.example.eu ")
    text = contact_text(language)
    assert text == gettext(language, CONTACT, contact="dpo@imi.example.eu")
    assert "dpo@imi.example.eu" in text and "{contact}" not in text


@pytest.mark.parametrize("value", ["", "   "])
def test_without_a_contact_the_notice_says_where_to_ask_instead(monkeypatch, value):
    _with_contact(monkeypatch, value)
    assert [contact_text(code) for code in available_languages()] == [
        gettext(code, NO_CONTACT) for code in available_languages()]
    assert "local data administrator" in contact_text("en")
