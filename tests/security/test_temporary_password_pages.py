"""SEC-7: a session opened with a temporary password is sent to set-up from every page of the app.

The pages come from the app itself (every `add_page` of every feature), so a new page is covered
the day it is added. Each page's on_load runs as Reflex runs it, with the session's cookie."""

from __future__ import annotations

import re

import pytest

from imi_app import imi_app as app_module
from imi_app.accounts import auth
from imi_app.accounts.models import User
from imi_app.accounts.users import set_temporary_password
from imi_app.core import routes
from imi_app.core.db import session_scope
from tests.support import factories as f
from tests.support.handlers import call, state_for

# The set-up page is where the others send the session; the invitation page is for people without an
# account (the link's token is its only key) and never reads the session; the accessibility statement and the
# privacy notice are for everyone and show no data.
NOT_SIGNED_IN_PAGES = {routes.SETUP, routes.REGISTER_AUTHORITY, routes.ACCESSIBILITY, routes.PRIVACY}


def _route(page) -> str:
    route = "/" + page.route.strip("/")
    return routes.HOME if route in ("/", "/index") else route


PAGES = {_route(page): page for page in app_module.app._unevaluated_pages.values()}


def _on_load(page) -> list:
    handlers = page.on_load if isinstance(page.on_load, list) else [page.on_load]
    return [h for h in handlers if h is not None]


def test_the_pages_are_read_from_the_app():
    assert {routes.HOME, routes.PROFILE, routes.ADMIN_USERS, routes.REQUEST_DETAIL} <= set(PAGES)
    assert all(_on_load(page) for page in PAGES.values())


@pytest.fixture
def temporary_session(database) -> str:
    account = f.user(f.authority("HU", areas=[f.area()]), username="hu.temp0001", is_lda=True)
    with session_scope() as session:
        temporary = set_temporary_password(session.get(User, account.id))
    step = auth.check_password("hu.temp0001", temporary)
    assert step.ticket
    return f"imi_session={auth.redeem_ticket(step.ticket)}"


@pytest.mark.parametrize("route", sorted(set(PAGES) - NOT_SIGNED_IN_PAGES))
def test_every_page_sends_a_temporary_password_session_to_set_up(temporary_session, route):
    path = re.sub(r"\[[^]]+\]", "1", route)
    events = []  # of every on_load handler of the page (the language is set first on the sign-in pages)
    for handler in _on_load(PAGES[route]):
        state = state_for(handler.state, cookie=temporary_session, path=path)
        events += call(handler, state)
    assert any(routes.SETUP in str(event) for event in events), (route, events)
