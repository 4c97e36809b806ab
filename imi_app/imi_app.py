"""The Reflex app: creates rx.App, adds each feature's pages, the cookie endpoints and the background jobs."""

import reflex as rx

from imi_app import schema  # noqa: F401 - registers the tables
from imi_app.accounts.ui import pages as accounts
from imi_app.authorities.ui import pages as authorities
from imi_app.core.settings import get_settings
from imi_app.mail.sender import run_sender
from imi_app.requests.notifications import run_request_jobs
from imi_app.requests.ui import pages as requests
from imi_app.web import build_api

get_settings()  # refuse to start with placeholder secrets outside demo/dev

app = rx.App(
    stylesheets=["/imi.css"],
    api_transformer=build_api(),
    head_components=[rx.el.meta(name="robots", content="noindex")],
)
app.register_lifespan_task(run_sender)
app.register_lifespan_task(run_request_jobs)

accounts.add_pages(app)
authorities.add_pages(app)
requests.add_pages(app)
