"""HTTP endpoints beside the Reflex app: the HttpOnly session cookie, file downloads, the guard in front of
Reflex's upload endpoint, security headers and the one allowed origin (SEC-9, SEC-14)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imi_app.core import routes
from imi_app.accounts import auth
from imi_app.core.settings import get_settings

COOKIE_NAME = "imi_session"

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def public_origin(url: str | None = None) -> str:
    """The one origin allowed to call the routes with credentials and to open the websocket (SEC-14):
    that of IMI_PUBLIC_URL, the address users reach the app at."""
    parts = urlsplit(url if url is not None else get_settings().public_url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _same_origin(request: Request) -> bool:
    # SameSite=Strict already keeps the cookie off cross-site requests; this also stops
    # another site from posting a ticket (login CSRF).
    return request.headers.get("origin", "").lower() == public_origin()


def _foreign_origin(request: Request) -> bool:
    """A request that says it comes from another site's page (a plain link sends no Origin)."""
    return "origin" in request.headers and not _same_origin(request)


async def start_session(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    form = await request.form()
    token = await asyncio.to_thread(auth.redeem_ticket, str(form.get("ticket", ""))[:100])
    if not token:
        return RedirectResponse(routes.LOGIN, status_code=303)
    response = RedirectResponse(routes.HOME, status_code=303)
    response.set_cookie(COOKIE_NAME, token, httponly=True, samesite="strict", path="/",
                        secure=get_settings().session_cookie_secure)
    return response


async def end_session(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    await asyncio.to_thread(auth.logout, request.cookies.get(COOKIE_NAME))
    response = RedirectResponse(routes.LOGIN, status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response


def _session_user(token: str | None):
    """The session's user who may act (set-up done), or None."""
    user = auth.resolve_session(token)
    return None if user is None or user.password_is_temporary else user


def _read_file(token: str | None, attachment_id: int):
    """The attachment for the session's user, or None (no session, not allowed, missing: all look the same)."""
    from imi_app.core.db import session_scope
    from imi_app.requests.attachments import read_attachment
    from imi_app.core.errors import ServiceError

    user = _session_user(token)
    if user is None:
        return None
    try:
        with session_scope() as session:
            return read_attachment(session, actor=user, attachment_id=attachment_id)
    except ServiceError:
        return None


async def download_file(request: Request) -> Response:
    if _foreign_origin(request):
        return PlainTextResponse("Forbidden", status_code=403, headers={"Cache-Control": "no-store"})
    raw = request.path_params.get("attachment_id", "")
    found = None
    if raw.isascii() and raw.isdigit() and len(raw) <= 12:
        found = await asyncio.to_thread(_read_file, request.cookies.get(COOKIE_NAME), int(raw))
    if found is None:
        return PlainTextResponse("Not found", status_code=404, headers={"Cache-Control": "no-store"})
    return Response(found.data, media_type=found.info.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.info.name, safe='')}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def _declared_length(request: Request) -> int | None:
    raw = request.headers.get("content-length", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


class UploadGuard:
    """In front of Reflex's upload endpoint, which reads the whole body before its handler can look at
    anything: a foreign Origin gets 403, no valid session 401, a body without a Content-Length or above
    the upload limit 413, all before a byte of the body is read. A body longer than it said is cut off."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != routes.UPLOAD or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        from imi_app.requests.attachments import upload_body_limit

        request = Request(scope)  # headers only: it is given no way to read the body
        limit = upload_body_limit()
        declared = _declared_length(request)
        if not _same_origin(request):
            refusal = PlainTextResponse("Forbidden", status_code=403)
        elif await asyncio.to_thread(_session_user, request.cookies.get(COOKIE_NAME)) is None:
            refusal = PlainTextResponse("Unauthorized", status_code=401)
        elif declared is None or declared > limit:
            refusal = PlainTextResponse("Payload too large", status_code=413)
        else:
            await self.app(scope, _at_most(receive, declared), send)
            return
        refusal.headers["Cache-Control"] = "no-store"
        refusal.headers["Connection"] = "close"  # the unread body must not be taken for the next request
        await refusal(scope, receive, send)


def _at_most(receive: Receive, length: int) -> Receive:
    """`receive`, ending the request as a disconnect once the body goes beyond `length` bytes."""
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > length:
                return {"type": "http.disconnect"}
        return message
    return limited


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def build_api() -> Starlette:
    api = Starlette(routes=[
        Route(routes.SESSION_START, start_session, methods=["POST"]),
        Route(routes.SESSION_END, end_session, methods=["POST"]),
        Route(routes.FILE_DOWNLOAD, download_file, methods=["GET"]),
    ])
    api.add_middleware(UploadGuard)
    api.add_middleware(SecurityHeaders)
    return api
