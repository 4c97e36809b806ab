"""Administration pages (local data administrator, coordinator's data administrator)."""

import reflex as rx


def add_admin_pages(app: rx.App) -> None:
    """Adds every administration page to the app."""
