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
}


def render(kind: str, language: str | None, **params: object) -> tuple[str, str]:
    """(subject, body) of mail `kind` in `language`, placeholders filled from `params`."""
    if kind not in TEMPLATES:
        raise ValueError(f"unknown mail kind {kind!r}")
    subject_id, body_id = TEMPLATES[kind]
    try:
        body = gettext(language, body_id).format(**params)
    except KeyError as exc:
        raise ValueError(f"mail {kind!r} needs the parameter {exc}") from None
    subject = gettext(language, subject_id)
    return subject, f"{body}\n\n-- \n{gettext(language, SIGNATURE)}\n"
