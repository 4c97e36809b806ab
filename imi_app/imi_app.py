"""The Reflex app: creates rx.App, adds each feature's pages, the cookie endpoints and the background jobs."""

import reflex as rx

from imi_app import schema  # noqa: F401 - registers the tables
from imi_app.accounts.ui import pages as accounts
from imi_app.authorities.ui import pages as authorities
from imi_app.core.settings import get_settings
from imi_app.mail.sender import run_sender
from imi_app.requests.escalation import run_escalation_jobs
from imi_app.requests.notifications import run_request_jobs
from imi_app.requests.retention import run_retention_jobs
from imi_app.requests.ui import pages as requests
from imi_app.scoreboard.ui import pages as scoreboard
from imi_app.audit_trail.ui import pages as audit_trail
from imi_app.ui import accessibility, privacy, state_locks
from imi_app.ui.errors import handle_backend_exception
from imi_app.ui.session_binding import SessionBinding
from imi_app.web import build_api

get_settings()  # refuse to start with placeholder secrets outside demo/dev
state_locks.install()  # a cancelled event gives its tab's Redis lock back (larger installations)

app = rx.App(
    stylesheets=["/imi.css"],
    api_transformer=build_api(),
    head_components=[rx.el.meta(name="robots", content="noindex")],
    backend_exception_handler=handle_backend_exception,  # an error id in the log, no values (SEC-16)
)
app.add_middleware(SessionBinding(), index=0)  # a tab's state belongs to the session that created it
app.register_lifespan_task(run_sender)
app.register_lifespan_task(run_request_jobs)
app.register_lifespan_task(run_retention_jobs)
app.register_lifespan_task(run_escalation_jobs)

accounts.add_pages(app)
authorities.add_pages(app)
requests.add_pages(app)
scoreboard.add_pages(app)
audit_trail.add_pages(app)
accessibility.add_pages(app)
privacy.add_pages(app)
