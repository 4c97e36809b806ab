"""The accounts screens of the app: login, set-up, profile, and the users of an authority."""

import reflex as rx

from imi_app.accounts.ui.login import login_page
from imi_app.accounts.ui.login_state import LoginState, SetupState
from imi_app.accounts.ui.profile import profile_page
from imi_app.accounts.ui.profile_state import ProfileState
from imi_app.accounts.ui.setup import setup_page
from imi_app.accounts.ui.user_form import edit_page, register_page
from imi_app.accounts.ui.user_form_state import UserFormState
from imi_app.accounts.ui.users import users_page
from imi_app.accounts.ui.users_state import UsersState
from imi_app.core import routes
from imi_app.ui.base import AppState


def add_pages(app: rx.App) -> None:
    """Adds every accounts page to the app."""
    app.add_page(login_page, route=routes.LOGIN, title="IMI",
                 on_load=[AppState.adopt_browser_language, LoginState.open_login])
    app.add_page(setup_page, route=routes.SETUP, title="IMI",
                 on_load=[AppState.adopt_browser_language, SetupState.open_setup])
    app.add_page(users_page, route=routes.ADMIN_USERS, title="IMI", on_load=UsersState.open_users)
    app.add_page(register_page, route=routes.ADMIN_USER_NEW, title="IMI", on_load=UserFormState.open_new)
    app.add_page(edit_page, route=routes.ADMIN_USER_EDIT, title="IMI", on_load=UserFormState.open_edit)
    app.add_page(profile_page, route=routes.PROFILE, title="IMI", on_load=ProfileState.open_profile)
