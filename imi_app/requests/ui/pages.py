"""The request pages: a new request, a draft in the request form, and one request's page."""

import reflex as rx

from imi_app.core import routes
from imi_app.requests.ui.request_page import request_detail_page
from imi_app.requests.ui.form import request_form_page
from imi_app.requests.ui.form_state import RequestFormState
from imi_app.requests.ui.request_page_state import RequestPageState


def add_request_pages(app: rx.App) -> None:
    """Adds the pages of this module to the app."""
    app.add_page(request_form_page, route=routes.REQUEST_NEW, title="IMI", on_load=RequestFormState.open_new)
    app.add_page(request_form_page, route=routes.REQUEST_EDIT, title="IMI", on_load=RequestFormState.open_edit)
    app.add_page(request_detail_page, route=routes.REQUEST_DETAIL, title="IMI", on_load=RequestPageState.open_request)
