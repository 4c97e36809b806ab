"""Reflex configuration; the database URL comes from the IMI settings."""

from urllib.parse import urlsplit

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin
from reflex_components_radix.plugin import RadixThemesPlugin

from imi_app.core.settings import get_settings

settings = get_settings()
_public = urlsplit(settings.public_url)

config = rx.Config(
    app_name="imi_app",
    db_url=settings.database_url,
    # A tab's state (memory or Redis) is dropped this long after its last event: a little after the
    # sign-in session itself has run out for being idle, instead of Reflex's default hour.
    redis_token_expiration=(settings.session_idle_minutes + 5) * 60,
    # SEC-14: only the app's own origin, for the CORS headers of every HTTP route (Starlette's
    # CORSMiddleware, with credentials) and for the websocket handshake (python-socketio).
    # The same origin as imi_app.web.public_origin, without importing the app here.
    cors_allowed_origins=[f"{_public.scheme}://{_public.netloc}".lower()],
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[RadixThemesPlugin(theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium"))],
    disable_plugins=[SitemapPlugin],
)
