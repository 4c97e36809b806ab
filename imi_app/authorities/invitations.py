"""Invitations to self-register: a signed, expiring, single-use link; the result waits for validation."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session, select

from imi_app.core import routes
from imi_app.core.i18n import N_, available_languages
from imi_app.mail.outbox import queue_mail
from imi_app.authorities.models import Authority, AuthorityStatus, Invitation, LegislativeArea
from imi_app.accounts.models import User
from imi_app.core.time import as_utc, utcnow
from imi_app.core import audit
from imi_app.core.actions import action, query
from imi_app.core.edges import is_id
from imi_app.authorities.coordination import (
    AuthorityInput, area_ids_of, check_authority_input, create_authority, snapshot,
)
from imi_app.core.errors import ServiceError, ValidationFailed
from imi_app.authorities import rules as _rules  # noqa: F401 - registers the authority rules
from imi_app.policy import deny, require
from imi_app.core.validation import email_problem
from imi_app.core.settings import get_settings

log = logging.getLogger(__name__)

INVITATION_DAYS = 7
SALT = "authority-invitation"
MAX_TOKEN_LENGTH = 500

EXPIRED, USED, INVALID = "expired", "used", "invalid"
MESSAGES = {
    EXPIRED: N_("This invitation link has expired. Ask the coordinator who invited you to send a new one."),
    USED: N_("This invitation link has already been used: each link registers one authority. If your "
             "authority still needs to register, ask the coordinator for a new invitation."),
    INVALID: N_("This invitation link is not valid. Check that you opened the whole link from the e-mail, "
                "or ask the coordinator for a new invitation."),
}


class InvitationProblem(ServiceError):
    """The link cannot be used; `reason` is EXPIRED, USED or INVALID. Nothing was changed. `language`: the
    invitation's, when the link is a real one (used or expired), so the refusal speaks it."""

    def __init__(self, reason: str, language: str | None = None) -> None:
        super().__init__(MESSAGES[reason])
        self.reason, self.language = reason, language


@dataclass(frozen=True)
class InvitationInfo:
    coordinator: str
    country_code: str
    email: str
    language: str
    areas: list[LegislativeArea]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key=get_settings().session_key.get_secret_value(), salt=SALT)


def _nonce_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def invitation_link(invitation_id: int, nonce: str) -> str:
    token = _serializer().dumps({"id": invitation_id, "nonce": nonce})
    return f"{get_settings().public_url.rstrip('/')}{routes.REGISTER_AUTHORITY}?token={token}"


@action
def invite_authority(session: Session, *, actor, email: str, language: str,
                     coordinator_id: object = None) -> Invitation:
    """Creates the invitation and e-mails its link; the authority will go under `coordinator_id` (default: own)."""
    coordinator_id = actor.authority_id if coordinator_id is None else coordinator_id
    if not is_id(coordinator_id):
        raise deny(session, actor, "coordination.invite", "authority", repr(coordinator_id)[:40])
    coordinator = session.get(Authority, coordinator_id)
    require(session, actor, "coordination.invite", coordinator, "authority", coordinator_id)
    errors = {}
    if problem := email_problem(email):
        errors["email"] = problem
    if language not in available_languages():
        errors["language"] = N_("This value is not valid.")
    if errors:
        raise ValidationFailed(errors)
    nonce = secrets.token_urlsafe(24)
    invitation = Invitation(coordinator_id=coordinator.id, email=email.strip(), language=language,
                            nonce_hash=_nonce_hash(nonce), created_by_user_id=actor.id,
                            expires_at=utcnow() + timedelta(days=INVITATION_DAYS))
    session.add(invitation)
    session.flush()
    queue_mail(session, recipient=invitation.email, kind="authority_invitation", language=language,
               params={"coordinator": coordinator.official_name, "link": invitation_link(invitation.id, nonce),
                       "days": INVITATION_DAYS})
    audit.record(session, action="authority.invite", actor=actor, object_type="invitation", object_id=invitation.id,
                 after={"email": invitation.email, "language": language, "coordinator_id": coordinator.id,
                        "expires_at": invitation.expires_at.isoformat()})
    return invitation


def _language_of(session: Session, payload: object) -> str | None:
    """The language of the invitation an expired (but genuinely signed) link names, if its nonce matches."""
    try:
        data = _serializer().load_payload(payload)
    except (BadData, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not is_id(data.get("id")) or not isinstance(data.get("nonce"), str):
        return None
    invitation = session.get(Invitation, data["id"])
    if invitation is None or not hmac.compare_digest(invitation.nonce_hash, _nonce_hash(data["nonce"])):
        return None
    return invitation.language


def _invitation(session: Session, token: object, *, lock: bool = False) -> Invitation:
    """The invitation a link stands for, or InvitationProblem; the signature is checked before any look-up."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvitationProblem(INVALID)
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except SignatureExpired as expired:  # signed by us, only too old: its invitation still says the language
        raise InvitationProblem(EXPIRED, _language_of(session, expired.payload)) from None
    except (BadData, ValueError, TypeError):
        log.warning("an invitation link with a bad signature was opened")
        raise InvitationProblem(INVALID) from None
    if not isinstance(data, dict) or not is_id(data.get("id")) or not isinstance(data.get("nonce"), str):
        raise InvitationProblem(INVALID)
    query = select(Invitation).where(Invitation.id == data["id"])
    invitation = session.exec(query.with_for_update() if lock else query).first()
    if invitation is None or not hmac.compare_digest(invitation.nonce_hash, _nonce_hash(data["nonce"])):
        raise InvitationProblem(INVALID)
    if invitation.used_at is not None:
        raise InvitationProblem(USED, invitation.language)
    if as_utc(invitation.expires_at) <= utcnow():
        raise InvitationProblem(EXPIRED, invitation.language)
    coordinator = session.get(Authority, invitation.coordinator_id)
    if coordinator is None or not coordinator.is_coordinator or coordinator.status != AuthorityStatus.ACTIVE:
        raise InvitationProblem(INVALID)
    return invitation


@query
def open_invitation(session: Session, *, token: object) -> InvitationInfo:
    """What the self-registration form needs to show; changes nothing."""
    invitation = _invitation(session, token)
    coordinator = session.get(Authority, invitation.coordinator_id)
    ids = area_ids_of(session, coordinator.id)
    areas = [a for a in session.exec(select(LegislativeArea).order_by(LegislativeArea.code)).all() if a.id in ids]
    return InvitationInfo(coordinator.official_name, coordinator.country_code, invitation.email, invitation.language,
                          areas)


@action
def self_register(session: Session, *, token: object, data: AuthorityInput) -> Authority:
    """No one is signed in: the link is the permission. The authority waits, pending, for validation."""
    invitation = _invitation(session, token, lock=True)
    coordinator = session.get(Authority, invitation.coordinator_id)
    # Only the coordinator's data administrators decide on coordinators and on the place in the tree.
    data = replace(data, parent_id=None, is_coordinator=False)
    check_authority_input(session, data, coordinator=coordinator, allowed_areas=area_ids_of(session, coordinator.id))
    authority, user = create_authority(session, data, coordinator=coordinator, status=AuthorityStatus.PENDING,
                                       is_coordinator=False)
    invitation.used_at, invitation.authority_id = utcnow(), authority.id
    inviter = session.get(User, invitation.created_by_user_id) if invitation.created_by_user_id else None
    queue_mail(session, recipient=coordinator.contact_email, kind="authority_awaiting_validation",
               language=inviter.language if inviter else "en",
               params={"authority": authority.official_name, "coordinator": coordinator.official_name})
    audit.record(session, action="authority.self_register", actor=None, actor_authority_id=None,
                 object_type="authority", object_id=authority.id,
                 after={**snapshot(session, authority), "invitation_id": invitation.id, "first_user_id": user.id})
    return authority
