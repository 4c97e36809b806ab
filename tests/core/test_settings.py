"""Settings that would make an installation unsafe are refused at start, with the setting to fix named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from imi_app.core.settings import MIN_BCRYPT_ROUNDS, Settings
from tests.conftest import TEST_SECRETS

SECRETS = {key.removeprefix("IMI_").lower(): value for key, value in TEST_SECRETS.items()}
PRODUCTION = {**SECRETS, "environment": "production", "public_url": "https://imi.example.org"}


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    """Only what each test passes: no IMI_* variable and no .env file."""
    for key in list(__import__("os").environ):
        if key.startswith("IMI_"):
            monkeypatch.delenv(key)
    monkeypatch.setitem(Settings.model_config, "env_file", None)


def _settings(**values) -> Settings:
    return Settings(**values)


def test_without_a_setting_the_installation_is_production_and_refuses_placeholder_secrets():
    with pytest.raises(ValidationError, match="IMI_PASSWORD_PEPPER must be set"):
        _settings()
    assert _settings(**PRODUCTION).environment == "production"


@pytest.mark.parametrize("url", ["http://imi.example.org", "imi.example.org", ""])
def test_production_needs_an_https_address(url):
    with pytest.raises(ValidationError, match="IMI_PUBLIC_URL must be the https://"):
        _settings(**{**PRODUCTION, "public_url": url})


def test_the_session_cookie_is_secure_behind_https_whatever_the_switch_says():
    assert _settings(**PRODUCTION, cookie_secure=False).session_cookie_secure is True
    demo = _settings(environment="demo", public_url="http://localhost:3000")
    assert demo.session_cookie_secure is False
    assert _settings(environment="demo", cookie_secure=True).session_cookie_secure is True


@pytest.mark.parametrize("environment", ["production", "demo", "dev"])
def test_bcrypt_rounds_have_a_floor_outside_tests(environment):
    values = {**PRODUCTION, "environment": environment}
    with pytest.raises(ValidationError, match="IMI_BCRYPT_ROUNDS must be at least"):
        _settings(**values, bcrypt_rounds=MIN_BCRYPT_ROUNDS - 1)
    assert _settings(**values, bcrypt_rounds=MIN_BCRYPT_ROUNDS).bcrypt_rounds == MIN_BCRYPT_ROUNDS


def test_tests_may_hash_faster():
    assert _settings(environment="test", bcrypt_rounds=4).bcrypt_rounds == 4


def test_forwarded_addresses_are_trusted_only_when_the_proxy_setting_says_so(monkeypatch):
    assert _settings(**PRODUCTION).trusted_proxy is False
    monkeypatch.setenv("IMI_TRUSTED_PROXY", "true")
    assert _settings(**PRODUCTION).trusted_proxy is True
