"""An authority's own data, edited by its local data administrator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from imi_app.core.i18n import N_, available_languages
from imi_app.authorities.models import Authority
from imi_app.accounts.models import User
from imi_app.core import audit
from imi_app.core.actions import action, query
from imi_app.core.errors import ValidationFailed
from imi_app.authorities import rules as _rules  # noqa: F401 - registers the authority rules
from imi_app.policy import require
from imi_app.core.validation import email_problem, field_problems, phone_problem, text_problem

# Languages an authority may declare it works in (EU official languages).
AUTHORITY_LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
                       "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")


@dataclass
class AuthorityContact:
    contact_email: str
    address: str
    phone: str
    languages: list[str]


def contact_problems(data: AuthorityContact) -> dict[str, str]:
    """The problems of an authority's contact data (e-mail, address, phone, working languages), by field."""
    languages_ok = isinstance(data.languages, list) and data.languages and all(
        lang in AUTHORITY_LANGUAGES for lang in data.languages)
    return field_problems({
        "contact_email": email_problem(data.contact_email),
        "address": text_problem(data.address, max_length=500, multiline=True),
        "phone": phone_problem(data.phone),
        "languages": None if languages_ok else N_("Choose at least one language."),
    })


def _snapshot(authority: Authority) -> dict:
    return {"contact_email": authority.contact_email, "address": authority.address, "phone": authority.phone,
            "languages": authority.languages}


@query
def own_authority(session: Session, *, actor: User) -> Authority:
    """The actor's authority, for its local data administrator's form."""
    authority = session.get(Authority, actor.authority_id)
    require(session, actor, "authority.edit_own", authority, "authority", actor.authority_id)
    return authority


@action
def update_own_authority(session: Session, *, actor: User, data: AuthorityContact) -> Authority:
    authority = session.get(Authority, actor.authority_id)
    require(session, actor, "authority.edit_own", authority, "authority", actor.authority_id)
    errors = contact_problems(data)
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(authority)
    authority.contact_email = data.contact_email.strip()
    authority.address = data.address.strip()
    authority.phone = data.phone.strip()
    authority.languages = ",".join(sorted(set(data.languages)))
    audit.record(session, action="authority.update", actor=actor, object_type="authority",
                 object_id=authority.id, before=before, after=_snapshot(authority))
    return authority


__all__ = ["AUTHORITY_LANGUAGES", "AuthorityContact", "contact_problems", "available_languages", "own_authority",
           "update_own_authority"]
