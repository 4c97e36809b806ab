"""Mail texts kept as data so babel extracts them and gettext translates them per recipient."""

from __future__ import annotations

from imi_app.i18n import N_, gettext

SIGNATURE = N_("IMI — Internal Market Information system")

# The username is deliberately not a placeholder anywhere (SEC-7): it reaches the user only
# through the local data administrator, so one intercepted mail is not a whole credential.
TEMPLATES: dict[str, tuple[str, str]] = {
    "temporary_password": (
        N_("Your IMI account"),
        N_(
            "Dear {name},\n"
            "\n"
            "An account has been created for you at {authority}.\n"
            "\n"
            "Your temporary password: {password}\n"
            "\n"
            "It is valid for {hours} hours and can be used once. Sign in at {url} and you "
            "will then choose your own password and security code.\n"
            "\n"
            "Your username will be given to you by your local data administrator in person "
            "or by phone. For your security it is never sent by e-mail."
        ),
    ),
    "password_reset": (
        N_("Your new IMI temporary password"),
        N_(
            "Hello,\n"
            "\n"
            "Your local data administrator has created a new temporary password for you: "
            "{password}\n"
            "\n"
            "It is valid for {hours} hours and can be used once. Your username is unchanged. "
            "Sign in at {url}; you will then choose a new password and a new security code."
        ),
    ),
    "account_blocked": (
        N_("Your IMI account has been blocked"),
        N_(
            "Dear {name},\n"
            "\n"
            "Your account was blocked after {count} failed sign-in attempts.\n"
            "\n"
            "Please ask your local data administrator to create a new password for you. "
            "If these attempts were not made by you, tell them so."
        ),
    ),
    "authority_invitation": (
        N_("Invitation to register your authority in IMI"),
        N_(
            "Hello,\n"
            "\n"
            "{coordinator} invites your authority to register in IMI, the Internal Market Information "
            "system, in which the competent authorities of the EU countries exchange information.\n"
            "\n"
            "Open this link to fill in the registration form:\n"
            "{link}\n"
            "\n"
            "The link is valid for {days} days and registers one authority. After you register, the "
            "coordinator checks your details. Your first user then receives a temporary password by "
            "e-mail, and the coordinator gives you the username by phone."
        ),
    ),
    "authority_awaiting_validation": (
        N_("An authority awaits your validation in IMI"),
        N_(
            "Hello,\n"
            "\n"
            "{authority} has registered in IMI through an invitation of {coordinator} and is waiting "
            "for validation by one of your data administrators.\n"
            "\n"
            "Sign in at {url} and open Administration, then Authorities I coordinate."
        ),
    ),
    "authority_rejected": (
        N_("Your IMI registration was not accepted"),
        N_(
            "Hello,\n"
            "\n"
            "{coordinator} has not accepted the registration of {authority} in IMI, for this reason:\n"
            "\n"
            "{reason}\n"
            "\n"
            "If you have questions, write to the coordinator at {coordinator_email}."
        ),
    ),
}


def render(kind: str, language: str | None, **params: object) -> tuple[str, str]:
    """(subject, body) of mail `kind` in `language`, placeholders filled from `params`."""
    if kind not in TEMPLATES:
        raise ValueError(f"unknown mail kind {kind!r}")
    subject_id, body_id = TEMPLATES[kind]
    try:
        body = gettext(language, body_id).format(**params)
        # Request notifications name the case in the subject.
        subject = gettext(language, subject_id).format(**params)
    except KeyError as exc:
        raise ValueError(f"mail {kind!r} needs the parameter {exc}") from None
    return subject, f"{body}\n\n-- \n{gettext(language, SIGNATURE)}\n"
