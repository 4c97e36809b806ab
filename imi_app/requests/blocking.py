"""Opening an exchange's blocked personal data for one view (Regulation 1024/2012 Art. 14(2)): a local data
administrator of a participating authority states why (to prove the exchange, or with the data subject's
consent); the reason goes to the audit log and to the timeline, where the participants' local data
administrators see it. Nothing is unblocked: the next view of the request withholds the data again."""

from __future__ import annotations

from sqlmodel import Session

from imi_app.accounts.models import User
from imi_app.core import audit
from imi_app.core.actions import action
from imi_app.core.errors import refuse_invalid
from imi_app.policy import can
from imi_app.requests.detail import RequestDetail, detail_of
from imi_app.requests.frame import OBJECT_TYPE, denied, load_for_update, record_event
from imi_app.requests.inputs import reason_problem
from imi_app.requests.lifecycle import LDA_AUDIENCE

OPENED_EVENT = "personal_data_opened"


@action
def open_blocked_data(session: Session, *, actor: User, request_id: int, reason: object,
                      language: str) -> RequestDetail:
    """The request page with its blocked personal data shown, once; audited with the reason."""
    request = load_for_update(session, actor, request_id, "view", lock=False)
    if not can(session, actor, "request.open_blocked_data", request):
        raise denied(session, actor, "open_blocked_data", request_id)
    refuse_invalid({"reason": reason_problem(reason, required=True)})
    record_event(session, actor, request, OPENED_EVENT, note=str(reason), data={"audience": LDA_AUDIENCE})
    audit.record(session, action="request.open_blocked_data", actor=actor, object_type=OBJECT_TYPE,
                 object_id=request.id, after={"case_id": request.case_id, "reason": reason})
    return detail_of(session, actor, request, language, open_blocked=True)


__all__ = ["OPENED_EVENT", "open_blocked_data"]
