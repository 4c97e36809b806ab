"""SEC-14 in-process: the app's HTTP routes answer only their own origin (IMI_PUBLIC_URL), and the
Reflex configuration allows that origin alone (the live-app test in tests/browser/test_origins.py
sends the same requests, and the websocket handshake, to the running server)."""

from __future__ import annotations

import asyncio
import importlib

import httpx
import pytest

from imi_app import web
from imi_app.core import routes
from imi_app.core.settings import get_settings

OWN = "https://imi.example.org"


class Client:
    """Requests straight into the routes' ASGI app, as the server would pass them on."""

    def __init__(self) -> None:
        self.app = web.build_api()

    def _send(self, method: str, path: str, **kwargs) -> httpx.Response:
        async def send():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await client.request(method, path, **kwargs)
        return asyncio.run(send())

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self._send("GET", path, **kwargs)

    def post(self, path: str, *, follow_redirects: bool = False, **kwargs) -> httpx.Response:
        return self._send("POST", path, follow_redirects=follow_redirects, **kwargs)


@pytest.fixture
def client(database, monkeypatch):
    monkeypatch.setenv("IMI_PUBLIC_URL", OWN + "/")
    get_settings.cache_clear()
    return Client()


@pytest.mark.parametrize("foreign", ["https://evil.example", "http://imi.example.org", "https://imi.example.org:8443",
                                     "null", ""])
def test_a_foreign_origin_is_refused_by_the_file_and_cookie_routes(client, foreign):
    file = client.get(routes.FILE_DOWNLOAD.format(attachment_id=1), headers={"Origin": foreign})
    assert file.status_code == 403
    for path in (routes.SESSION_START, routes.SESSION_END):
        answer = client.post(path, data={"ticket": "x"}, headers={"Origin": foreign}, follow_redirects=False)
        assert answer.status_code == 403 and "set-cookie" not in answer.headers


def test_the_own_origin_is_served(client):
    assert client.get(routes.FILE_DOWNLOAD.format(attachment_id=1), headers={"Origin": OWN}).status_code == 404
    assert client.get(routes.FILE_DOWNLOAD.format(attachment_id=1)).status_code == 404  # a link: no Origin
    answer = client.post(routes.SESSION_START, data={"ticket": "not-a-ticket"}, headers={"Origin": OWN.upper()},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == routes.LOGIN


def test_reflex_allows_only_the_public_origin():
    import rxconfig

    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("IMI_PUBLIC_URL", "https://IMI.example.org:8443/imi/")
            get_settings.cache_clear()
            config = importlib.reload(rxconfig).config
            assert list(config.cors_allowed_origins) == ["https://imi.example.org:8443"] == [web.public_origin()]
    finally:
        get_settings.cache_clear()
        importlib.reload(rxconfig)
