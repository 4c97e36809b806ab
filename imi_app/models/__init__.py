"""All tables; importing this module registers them for migrations."""

import reflex as rx

from imi_app.models.directory import Authority, AuthorityArea, AuthorityStatus, Country, LegislativeArea
from imi_app.models.records import AuditEntry, MailStatus, OutboxMail
from imi_app.models.users import Role, RoleAssignment, User, UserSession

TABLES = (Country, LegislativeArea, Authority, AuthorityArea, User, RoleAssignment, UserSession,
          AuditEntry, OutboxMail)
# All SQLModel tables share one MetaData: registering one table hands reflex all of them.
rx.ModelRegistry.register(Country)

__all__ = [
    "AuditEntry", "Authority", "AuthorityArea", "AuthorityStatus", "Country", "LegislativeArea",
    "MailStatus", "OutboxMail", "Role", "RoleAssignment", "TABLES", "User", "UserSession",
]
