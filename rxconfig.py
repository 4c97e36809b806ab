"""Reflex configuration; the database URL comes from the IMI settings."""

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin
from reflex_components_radix.plugin import RadixThemesPlugin

from imi_app.core.settings import get_settings

config = rx.Config(
    app_name="imi_app",
    db_url=get_settings().database_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[RadixThemesPlugin(theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium"))],
    disable_plugins=[SitemapPlugin],
)
