"""The Reflex app: creates rx.App, adds the pages, mounts the cookie endpoints and the mail sender."""

import reflex as rx

from imi_app import schema as models  # noqa: F401 - registers the tables
from imi_app.core import routes
from imi_app.mail.sender import run_sender
from imi_app.requests.notifications import run_request_jobs
from imi_app.accounts.ui.pages import add_admin_pages
from imi_app.authorities.ui.coordination import add_coordination_pages
from imi_app.authorities.ui.settings_pages import add_settings_pages
from imi_app.authorities.ui.directory import add_directory_pages
from imi_app.requests.ui.home import home_page
from imi_app.accounts.ui.login import login_page
from imi_app.accounts.ui.profile import add_profile_page
from imi_app.requests.ui.pages import add_request_pages
from imi_app.requests.ui.overview import add_overview_pages
from imi_app.accounts.ui.setup import setup_page
from imi_app.core.settings import get_settings
from imi_app.requests.ui.home_state import HomeState
from imi_app.accounts.ui.login_state import LoginState, SetupState
from imi_app.web import build_api

get_settings()  # refuse to start with placeholder secrets outside demo/dev

app = rx.App(
    stylesheets=["/imi.css"],
    api_transformer=build_api(),
    head_components=[rx.el.meta(name="robots", content="noindex")],
)
app.register_lifespan_task(run_sender)
app.register_lifespan_task(run_request_jobs)

app.add_page(login_page, route=routes.LOGIN, title="IMI", on_load=LoginState.open_login)
app.add_page(setup_page, route=routes.SETUP, title="IMI", on_load=SetupState.open_setup)
app.add_page(home_page, route=routes.HOME, title="IMI", on_load=HomeState.open_home)
add_admin_pages(app)
add_profile_page(app)
add_coordination_pages(app)
add_settings_pages(app)
add_directory_pages(app)
add_request_pages(app)
add_overview_pages(app)
