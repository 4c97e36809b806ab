"""The authority screens of the app: own authority and outbox, coordination, settings, links, directory."""

import reflex as rx

from imi_app.authorities.ui.coordination import add_coordination_pages
from imi_app.authorities.ui.directory import add_directory_pages
from imi_app.authorities.ui.own_authority import authority_page, outbox_page
from imi_app.authorities.ui.own_authority_state import AuthorityState, OutboxState
from imi_app.authorities.ui.settings_pages import add_settings_pages
from imi_app.core import routes


def add_pages(app: rx.App) -> None:
    """Adds every authority page to the app."""
    app.add_page(authority_page, route=routes.ADMIN_AUTHORITY, title="IMI", on_load=AuthorityState.open_authority)
    app.add_page(outbox_page, route=routes.ADMIN_OUTBOX, title="IMI", on_load=OutboxState.open_outbox)
    add_coordination_pages(app)
    add_settings_pages(app)
    add_directory_pages(app)
