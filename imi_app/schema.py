"""All tables; importing this module registers them for migrations."""

from imi_app.authorities.models import (
    Authority, AuthorityArea, AuthorityLink, AuthorityName, AuthorityStatus, CoordinatorSetting, Country,
    Invitation, LegislativeArea, ReferralMode,
)
from imi_app.core.audit import AuditEntry
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.requests.models import (
    Attachment, InfoRequest, Question, ReferralOpinion, RequestAllocation, RequestEvent, RequestPerson,
    RequestQuestion, RequestStatus,
)
from imi_app.accounts.models import LoginThrottle, Role, RoleAssignment, User, UserSession

TABLES = (Country, LegislativeArea, Authority, AuthorityName, AuthorityArea, CoordinatorSetting, AuthorityLink,
          Invitation, User, RoleAssignment, UserSession, LoginThrottle, AuditEntry, OutboxMail, InfoRequest, RequestPerson,
          Question, RequestQuestion, RequestAllocation, RequestEvent, Attachment, ReferralOpinion)
# All SQLModel tables share SQLModel.metadata, which reflex already registers through its
# own rx.Model; registering ours as well would only make it merge the same tables twice.

__all__ = [
    "AuditEntry", "Authority", "AuthorityArea", "AuthorityLink", "AuthorityName", "AuthorityStatus",
    "CoordinatorSetting", "Country", "Invitation", "LegislativeArea", "LoginThrottle", "ReferralMode",
    "MailStatus", "OutboxMail", "Role", "RoleAssignment", "TABLES", "User", "UserSession",
    "Attachment", "InfoRequest", "Question", "ReferralOpinion", "RequestAllocation", "RequestEvent",
    "RequestPerson", "RequestQuestion", "RequestStatus",
]
