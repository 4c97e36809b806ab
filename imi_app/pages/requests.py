"""The request pages: a new request, a draft in the request form, and one request's page."""

import reflex as rx

from imi_app import routes
from imi_app.pages.request_detail import request_detail_page
from imi_app.pages.request_form import request_form_page
from imi_app.states.request_form import RequestFormState
from imi_app.states.request_page import RequestPageState


def add_request_pages(app: rx.App) -> None:
    """Adds the pages of this module to the app."""
    app.add_page(request_form_page, route=routes.REQUEST_NEW, title="IMI", on_load=RequestFormState.open_new)
    app.add_page(request_form_page, route=routes.REQUEST_EDIT, title="IMI", on_load=RequestFormState.open_edit)
    app.add_page(request_detail_page, route=routes.REQUEST_DETAIL, title="IMI", on_load=RequestPageState.open_request)
