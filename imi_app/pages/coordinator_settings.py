"""Coordinator settings per legislative area, data administrators, linked authorities and their overview."""

import reflex as rx


def add_settings_pages(app: rx.App) -> None:
    """Adds the pages of this module to the app."""
