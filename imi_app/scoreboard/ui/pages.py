"""The scoreboard's screens: the coordinator's dashboard."""

import reflex as rx

from imi_app.core import routes
from imi_app.scoreboard.ui.dashboard import dashboard_page, own_figures_card
from imi_app.scoreboard.ui.dashboard_state import DashboardState

__all__ = ["add_pages", "own_figures_card"]


def add_pages(app: rx.App) -> None:
    app.add_page(dashboard_page, route=routes.DASHBOARD, title="IMI", on_load=DashboardState.open_dashboard)
