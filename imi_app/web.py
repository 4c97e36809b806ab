"""HTTP endpoints beside the Reflex app: the HttpOnly session cookie and security headers (SEC-9)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

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


def _same_origin(request: Request) -> bool:
    # SameSite=Strict already keeps the cookie off cross-site requests; this also stops
    # another site from posting a ticket (login CSRF).
    origin = request.headers.get("origin", "")
    return bool(origin) and urlsplit(origin).netloc == request.headers.get("host", "")


async def start_session(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    form = await request.form()
    token = await asyncio.to_thread(auth.redeem_ticket, str(form.get("ticket", ""))[:100])
    if not token:
        return RedirectResponse(routes.LOGIN, status_code=303)
    response = RedirectResponse(routes.HOME, status_code=303)
    response.set_cookie(COOKIE_NAME, token, httponly=True, samesite="strict", path="/",
                        secure=get_settings().cookie_secure)
    return response


async def end_session(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    await asyncio.to_thread(auth.logout, request.cookies.get(COOKIE_NAME))
    response = RedirectResponse(routes.LOGIN, status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response


def _read_file(token: str | None, attachment_id: int):
    """The attachment for the session's user, or None (no session, not allowed, missing: all look the same)."""
    from imi_app.core.db import session_scope
    from imi_app.requests.attachments import read_attachment
    from imi_app.core.errors import ServiceError

    user = auth.resolve_session(token)
    if user is None or user.password_is_temporary:
        return None
    try:
        with session_scope() as session:
            return read_attachment(session, actor=user, attachment_id=attachment_id)
    except ServiceError:
        return None


async def download_file(request: Request) -> Response:
    raw = request.path_params.get("attachment_id", "")
    found = None
    if raw.isascii() and raw.isdigit() and len(raw) <= 12:
        found = await asyncio.to_thread(_read_file, request.cookies.get(COOKIE_NAME), int(raw))
    if found is None:
        return PlainTextResponse("Not found", status_code=404, headers={"Cache-Control": "no-store"})
    return Response(found.data, media_type=found.info.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.info.name, safe='')}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


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
    api.add_middleware(SecurityHeaders)
    return api
