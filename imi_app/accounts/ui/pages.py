"""Administration pages (local data administrator, coordinator's data administrator)."""

import reflex as rx

from imi_app.core import routes
from imi_app.authorities.ui.own_authority import authority_page, outbox_page
from imi_app.accounts.ui.user_form import edit_page, register_page
from imi_app.accounts.ui.users import users_page
from imi_app.authorities.ui.own_authority_state import AuthorityState, OutboxState
from imi_app.accounts.ui.user_form_state import UserFormState
from imi_app.accounts.ui.users_state import UsersState


def add_admin_pages(app: rx.App) -> None:
    """Adds every administration page to the app."""
    app.add_page(users_page, route=routes.ADMIN_USERS, title="IMI", on_load=UsersState.open_users)
    app.add_page(register_page, route=routes.ADMIN_USER_NEW, title="IMI", on_load=UserFormState.open_new)
    app.add_page(edit_page, route=routes.ADMIN_USER_EDIT, title="IMI", on_load=UserFormState.open_edit)
    app.add_page(authority_page, route=routes.ADMIN_AUTHORITY, title="IMI", on_load=AuthorityState.open_authority)
    app.add_page(outbox_page, route=routes.ADMIN_OUTBOX, title="IMI", on_load=OutboxState.open_outbox)
