"""The audit trail's screen."""

import reflex as rx

from imi_app.audit_trail.ui.audit import audit_page
from imi_app.audit_trail.ui.audit_state import AuditState
from imi_app.core import routes


def add_pages(app: rx.App) -> None:
    app.add_page(audit_page, route=routes.ADMIN_AUDIT, title="IMI", on_load=AuditState.open_audit)
