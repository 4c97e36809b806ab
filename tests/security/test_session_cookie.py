"""SEC-9 over HTTP: the session cookie the sign-in sets is HttpOnly, SameSite=Strict, for the whole site, and
Secure whenever the installation's address is https (whatever IMI_COOKIE_SECURE says) or when asked."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from imi_app import web
from imi_app.accounts import auth
from imi_app.core import routes
from imi_app.core.settings import get_settings
from tests.support import factories as f


def _sign_in_cookie(public_url: str, monkeypatch, *, secure_switch: bool = False) -> str:
    monkeypatch.setenv("IMI_PUBLIC_URL", public_url)
    monkeypatch.setenv("IMI_COOKIE_SECURE", "true" if secure_switch else "false")
    get_settings.cache_clear()
    user = f.user(f.authority())
    result = auth.authenticate(user.username, f.PASSWORD, f.chars_for(f.CODE, (2, 7, 11)))
    assert result.status == auth.OK

    async def post():
        transport = httpx.ASGITransport(app=web.build_api())
        async with httpx.AsyncClient(transport=transport, base_url=public_url) as client:
            return await client.post(routes.SESSION_START, data={"ticket": result.ticket},
                                     headers={"Origin": public_url.rstrip("/")})
    answer = asyncio.run(post())
    assert answer.status_code == 303 and answer.headers["location"] == routes.HOME
    return answer.headers["set-cookie"]


def _flags(cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}


def test_behind_https_the_cookie_is_secure_even_with_the_switch_off(database, monkeypatch):
    cookie = _sign_in_cookie("https://imi.example.org", monkeypatch)
    assert cookie.startswith(f"{web.COOKIE_NAME}=")
    assert {"httponly", "secure", "samesite", "path"} <= _flags(cookie)
    assert "samesite=strict" in cookie.lower() and "path=/" in cookie.lower()


@pytest.mark.parametrize("switch, secure", [(False, False), (True, True)])
def test_over_plain_http_the_switch_decides(database, monkeypatch, switch, secure):
    cookie = _sign_in_cookie("http://localhost:3000", monkeypatch, secure_switch=switch)
    assert {"httponly", "samesite", "path"} <= _flags(cookie)
    assert ("secure" in _flags(cookie)) is secure
