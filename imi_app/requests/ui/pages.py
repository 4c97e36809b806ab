"""The request screens of the app: the task list, the overview, the request form and one request's page."""

import reflex as rx

from imi_app.core import routes
from imi_app.requests.lifecycle import STATUS_LABELS  # the one name of each status, for other screens too
from imi_app.requests.ui.data_subject import data_subject_page
from imi_app.requests.ui.data_subject_state import DataSubjectState
from imi_app.requests.ui.form import request_form_page
from imi_app.requests.ui.form_state import RequestFormState
from imi_app.requests.ui.home import home_page
from imi_app.requests.ui.home_state import HomeState
from imi_app.requests.ui.overview import add_overview_pages
from imi_app.requests.ui.request_page import request_detail_page
from imi_app.requests.ui.request_page_state import RequestPageState

__all__ = ["STATUS_LABELS", "add_pages"]


def add_pages(app: rx.App) -> None:
    """Adds every request page to the app."""
    app.add_page(home_page, route=routes.HOME, title="IMI", on_load=HomeState.open_home)
    app.add_page(request_form_page, route=routes.REQUEST_NEW, title="IMI", on_load=RequestFormState.open_new)
    app.add_page(request_form_page, route=routes.REQUEST_EDIT, title="IMI", on_load=RequestFormState.open_edit)
    app.add_page(request_detail_page, route=routes.REQUEST_DETAIL, title="IMI", on_load=RequestPageState.open_request)
    add_overview_pages(app)
    app.add_page(data_subject_page, route=routes.ADMIN_DATA_SUBJECT, title="IMI", on_load=DataSubjectState.open_page)
