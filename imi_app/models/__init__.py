"""All tables; importing this module registers them for migrations."""

from imi_app.models.directory import Authority, AuthorityArea, AuthorityStatus, Country, LegislativeArea
from imi_app.models.records import AuditEntry, MailStatus, OutboxMail
from imi_app.models.users import Role, RoleAssignment, User, UserSession

TABLES = (Country, LegislativeArea, Authority, AuthorityArea, User, RoleAssignment, UserSession,
          AuditEntry, OutboxMail)
# All SQLModel tables share SQLModel.metadata, which reflex already registers through its
# own rx.Model; registering ours as well would only make it merge the same tables twice.

__all__ = [
    "AuditEntry", "Authority", "AuthorityArea", "AuthorityStatus", "Country", "LegislativeArea",
    "MailStatus", "OutboxMail", "Role", "RoleAssignment", "TABLES", "User", "UserSession",
]
