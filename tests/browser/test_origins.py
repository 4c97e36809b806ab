"""SEC-14 on the running app: only its own origin (IMI_PUBLIC_URL) may call the HTTP routes with
credentials or open the websocket; another site's Origin is refused. No browser: plain HTTP against
the same server the browser tests use, with Reflex's own CORS and socket.io set-up in place."""

from __future__ import annotations

import base64
import http.client
import os
import socket

import pytest

from imi_app.core import routes

FOREIGN = "https://evil.example"


def _request(live_app, method: str, path: str, origin: str | None, headers: dict | None = None,
             body: str | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("localhost", live_app.port, timeout=20)
    sent = dict(headers or {})
    if origin is not None:
        sent["Origin"] = origin
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _handshake_status(live_app, origin: str) -> int:
    """The status line of a socket.io websocket handshake on Reflex's event endpoint."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost:{live_app.port}\r\n"
               f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n")
    with socket.create_connection(("localhost", live_app.port), timeout=20) as sock:
        sock.sendall(request.encode())
        answer = sock.recv(4096).decode("latin-1")
    return int(answer.split(" ", 2)[1])


@pytest.fixture
def own(live_app) -> str:
    assert live_app.env["IMI_PUBLIC_URL"] == live_app.url  # what the tests' browser uses
    return live_app.url


def test_file_downloads_refuse_another_sites_origin(live_app, own):
    path = routes.FILE_DOWNLOAD.format(attachment_id=1)
    foreign = _request(live_app, "GET", path, FOREIGN)
    assert foreign.status == 403
    # Without an allowed origin the browser gives the other site nothing (Starlette's CORS middleware
    # sends "allow-credentials: true" on every answer; alone it allows nothing).
    assert foreign.getheader("access-control-allow-origin") is None
    mine = _request(live_app, "GET", path, own)
    assert mine.status == 404  # no session: not found, but not refused for its origin
    assert mine.getheader("access-control-allow-origin") == own
    assert _request(live_app, "GET", path, None).status == 404  # a plain link sends no Origin
    preflight = {"Access-Control-Request-Method": "GET"}
    assert _request(live_app, "OPTIONS", path, FOREIGN, preflight).getheader("access-control-allow-origin") is None
    assert _request(live_app, "OPTIONS", path, own, preflight).getheader("access-control-allow-origin") == own


def test_the_cookie_route_refuses_another_sites_origin(live_app, own):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for path in (routes.SESSION_START, routes.SESSION_END):
        foreign = _request(live_app, "POST", path, FOREIGN, form, "ticket=x")
        assert foreign.status == 403 and foreign.getheader("set-cookie") is None
        assert foreign.getheader("access-control-allow-origin") is None
        assert _request(live_app, "POST", path, None, form, "ticket=x").status == 403
    mine = _request(live_app, "POST", routes.SESSION_START, own, form, "ticket=not-a-ticket")
    assert mine.status == 303 and mine.getheader("location").endswith(routes.LOGIN)


def test_the_websocket_opens_only_for_the_apps_own_origin(live_app, own):
    assert _handshake_status(live_app, FOREIGN) != 101
    assert _handshake_status(live_app, own.replace("localhost", "127.0.0.1")) != 101  # same host, other origin
    assert _handshake_status(live_app, own) == 101
