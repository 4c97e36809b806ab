"""Coordinator screens: authorities I coordinate, registering, inviting, validating; self-registration."""

import reflex as rx


def add_coordination_pages(app: rx.App) -> None:
    """Adds the pages of this module to the app."""
