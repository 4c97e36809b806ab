"""Reflex configuration; the database URL comes from the IMI settings."""

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from imi_app.settings import get_settings

config = rx.Config(
    app_name="imi_app",
    db_url=get_settings().database_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[],
    disable_plugins=[SitemapPlugin],
)
