"""The Reflex app: creates rx.App and adds the pages."""
import reflex as rx
from imi_app import models  # noqa: F401

app = rx.App()
app.add_page(rx.text("hi"), route="/")
