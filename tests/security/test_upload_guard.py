"""Reflex's upload endpoint reads the whole body before its handler runs; the guard in front of it answers a
foreign Origin (403), a missing or invalid session (401) and a body without a length or above the upload
limit (413) from the headers alone, without reading a byte of the body. The proxy's body limit is the same
number."""

from __future__ import annotations

import asyncio
import re

import pytest
from reflex_base import constants
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from imi_app import web
from imi_app.accounts import auth
from imi_app.accounts.models import User
from imi_app.core.db import session_scope
from imi_app.core import routes
from imi_app.core.settings import get_settings
from imi_app.manage import nginx_config
from imi_app.requests.attachments import MAX_FILES_AT_ONCE, UPLOAD_ALLOWANCE, upload_body_limit
from tests.support import factories as f
from tests.support.handlers import token_for

BODY = b"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello\r\n--x--\r\n"


def app_with_upload_route() -> tuple[object, list[bytes]]:
    """The app's HTTP routes with a stand-in for Reflex's upload endpoint mounted beneath, as Reflex
    mounts its own; the stand-in records the bodies it read."""
    from starlette.applications import Starlette
    from starlette.routing import Route

    bodies: list[bytes] = []

    async def upload(request: Request):
        bodies.append(await request.body())
        return PlainTextResponse("uploaded")

    api = web.build_api()
    api.mount("", Starlette(routes=[Route(routes.UPLOAD, upload, methods=["POST"])]))
    return api, bodies


def never_read():
    async def receive():
        pytest.fail("the body was read")
    return receive


def whole_body(body: bytes):
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}
    return receive


def post(app, receive, *, cookie: str | None, origin: str | None = "http://localhost:3000",
         length: int | str | None = len(BODY), path: str = routes.UPLOAD) -> tuple[int, dict[str, str]]:
    headers = [(b"content-type", b"multipart/form-data; boundary=x")]
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
             "query_string": b"", "headers": headers, "client": ("127.0.0.1", 5000),
             "server": ("localhost", 8000)}
    sent: list[dict] = []

    async def send(message):
        sent.append(message)
    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}


@pytest.fixture
def signed_in(database):
    user = f.user(f.authority("HU", areas=[f.area()]))
    return user, f"imi_session={token_for(user)}"


def test_the_guard_watches_reflexs_upload_endpoint():
    assert routes.UPLOAD == str(constants.Endpoint.UPLOAD)


def test_a_valid_upload_passes_with_its_whole_body(signed_in):
    app, bodies = app_with_upload_route()
    status, _headers = post(app, whole_body(BODY), cookie=signed_in[1])
    assert status == 200 and bodies == [BODY]


@pytest.mark.parametrize("cookie", [None, "", "imi_session=", "imi_session=forged", "other=1"])
def test_no_valid_session_gets_401_unread(database, cookie):
    app, bodies = app_with_upload_route()
    status, headers = post(app, never_read(), cookie=cookie)
    assert status == 401 and bodies == [] and headers["connection"] == "close"


def test_a_signed_out_session_gets_401_unread(signed_in):
    auth.logout(signed_in[1].split("=", 1)[1])
    app, _bodies = app_with_upload_route()
    assert post(app, never_read(), cookie=signed_in[1])[0] == 401


def test_a_session_still_on_its_temporary_password_gets_401_unread(signed_in):
    user, cookie = signed_in
    with session_scope() as session:
        session.get(User, user.id).password_is_temporary = True
    app, _bodies = app_with_upload_route()
    assert post(app, never_read(), cookie=cookie)[0] == 401


@pytest.mark.parametrize("length", [None, "above", "12a", "-1", "1" * 30])
def test_a_body_without_a_length_or_above_the_limit_gets_413_unread(signed_in, length):
    app, bodies = app_with_upload_route()
    declared = upload_body_limit() + 1 if length == "above" else length
    assert post(app, never_read(), cookie=signed_in[1], length=declared)[0] == 413 and bodies == []


def test_exactly_the_limit_passes(signed_in, monkeypatch):
    monkeypatch.setenv("IMI_ATTACHMENT_MAX_BYTES", "10")
    get_settings.cache_clear()
    body = BODY + b" " * (upload_body_limit() - len(BODY))
    app, bodies = app_with_upload_route()
    assert post(app, whole_body(body), cookie=signed_in[1], length=len(body))[0] == 200 and bodies == [body]
    assert post(app, never_read(), cookie=signed_in[1], length=len(body) + 1)[0] == 413


def test_a_body_longer_than_it_said_is_cut_off(signed_in):
    app, bodies = app_with_upload_route()
    with pytest.raises(Exception):  # noqa: B017 - the stand-in sees the client go away
        post(app, whole_body(BODY + b"more"), cookie=signed_in[1], length=len(BODY))
    assert bodies == []


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:8000", "null", "", None])
def test_a_foreign_or_missing_origin_gets_403_unread(signed_in, origin):
    app, bodies = app_with_upload_route()
    assert post(app, never_read(), cookie=signed_in[1], origin=origin)[0] == 403 and bodies == []


def test_other_routes_are_not_guarded(database):
    app, _bodies = app_with_upload_route()
    status, _headers = post(app, whole_body(b""), cookie=None, path=routes.SESSION_START, length=0)
    assert status == 303  # the cookie route's own answer to a bad ticket, not the guard's 401


def test_the_limit_is_the_files_of_one_upload_at_their_largest_and_the_proxy_uses_it(database):
    assert upload_body_limit() == get_settings().attachment_max_bytes * MAX_FILES_AT_ONCE + UPLOAD_ALLOWANCE
    site = nginx_config(frontend="/srv/imi", backends=["127.0.0.1:8001"])
    assert re.findall(r"client_max_body_size (\d+);", site) == [str(upload_body_limit())]
