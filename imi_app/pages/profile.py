"""The user's own profile page."""

import reflex as rx


def add_profile_page(app: rx.App) -> None:
    """Adds the profile page to the app."""
