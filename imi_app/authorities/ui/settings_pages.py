"""Coordinator settings per legislative area, data administrators, linked authorities and their overview."""

import reflex as rx

from imi_app.core import routes
from imi_app.authorities.ui.coordinator_settings import coordinator_settings_page
from imi_app.authorities.ui.links import links_page
from imi_app.authorities.ui.linked_overview import linked_overview_page
from imi_app.authorities.ui.coordinator_settings_state import CoordinatorSettingsState
from imi_app.authorities.ui.links_state import LinkedOverviewState, LinksState


def add_settings_pages(app: rx.App) -> None:
    """Adds the pages of this module to the app."""
    app.add_page(coordinator_settings_page, route=routes.ADMIN_COORDINATOR_SETTINGS, title="IMI",
                 on_load=CoordinatorSettingsState.open_settings)
    app.add_page(links_page, route=routes.ADMIN_LINKS, title="IMI", on_load=LinksState.open_links)
    app.add_page(linked_overview_page, route=routes.LINKED_OVERVIEW, title="IMI",
                 on_load=LinkedOverviewState.open_overview)
