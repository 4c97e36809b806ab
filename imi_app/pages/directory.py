"""The directory of authorities of all countries."""

import reflex as rx


def add_directory_pages(app: rx.App) -> None:
    """Adds the pages of this module to the app."""
