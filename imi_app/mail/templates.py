"""Mail texts kept as data so babel extracts them and gettext translates them per recipient."""

from __future__ import annotations

from imi_app.core.i18n import N_, gettext

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
            "Dear {name},\n"
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
    "email_changed": (
        N_("The e-mail address of your IMI account was changed"),
        N_(
            "Dear {name},\n"
            "\n"
            "Your local data administrator at {authority} has changed the e-mail address of your IMI "
            "account. IMI writes to the new address from now on; this is the last mail to this one.\n"
            "\n"
            "If you did not expect this change, tell your local data administrator at once."
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

# Mails that carry a temporary password: their .eml files (no SMTP) are removed once it has expired.
SECRET_KINDS = frozenset({"temporary_password", "password_reset"})

# The request workflow (issue 4). Only the case id, subject, area and authorities: never personal data.
TEMPLATES.update({
    "request_received": (
        N_("New incoming IMI request {case_id}"),
        N_("Hello,\n\n{requesting_authority} ({requesting_country}) has sent a request to {responding_authority} "
           "in the legislative area {area}.\n\nCase: {case_id}\nSubject: {subject}\nProposed reply date: "
           "{reply_date}\n\nSign in at {url} and open request {case_id} from your task list."),
    ),
    "request_allocated": (
        N_("IMI request {case_id} was allocated to you"),
        N_("Hello,\n\nThe request {case_id} of {requesting_authority} ({area}) was allocated to you.\n\n"
           "Subject: {subject}\nReply due: {deadline}\n\nSign in at {url} and open request {case_id} from "
           "your task list."),
    ),
    "answer_received": (
        N_("Answer received to IMI request {case_id}"),
        N_("Hello,\n\n{responding_authority} has answered the request {case_id} ({area}).\n\nSubject: {subject}"
           "\n\nPlease accept the answer or ask for more information. Sign in at {url} and open request "
           "{case_id} from your task list."),
    ),
    "more_info_requested": (
        N_("More information asked for IMI request {case_id}"),
        N_("Hello,\n\n{requesting_authority} asks for more information on the request {case_id} ({area}).\n\n"
           "Subject: {subject}\nReply due: {deadline}\n\nSign in at {url} and open request {case_id} from "
           "your task list."),
    ),
    "insisted": (
        N_("No further information for IMI request {case_id}"),
        N_("Hello,\n\n{responding_authority} says it cannot give more information on the request {case_id} "
           "({area}).\n\nSubject: {subject}\n\nYou can accept the answer or start a referral. Sign in at {url} "
           "and open request {case_id} from your task list."),
    ),
    "approval_needed": (
        N_("IMI request {case_id} awaits your approval"),
        N_("Hello,\n\n{requesting_authority} wants to send the request {case_id} to {responding_authority} "
           "({area}). It needs your approval before it leaves the country.\n\nSubject: {subject}\n\nSign in "
           "at {url} and open request {case_id} from your task list."),
    ),
    "answer_approval_needed": (
        N_("The answer to IMI request {case_id} awaits your approval"),
        N_("Hello,\n\n{responding_authority} wants to send its answer to the request {case_id} of "
           "{requesting_authority} ({area}). It needs your approval before it leaves the country.\n\n"
           "Subject: {subject}\n\nSign in at {url} and open request {case_id} from your task list."),
    ),
    "approval_rejected": (
        N_("IMI request {case_id} was returned by the coordinator"),
        N_("Hello,\n\nThe coordinator did not approve the request {case_id} ({area}) and returned it to you "
           "with a reason.\n\nSubject: {subject}\n\nSign in at {url} and open request {case_id} to read the "
           "reason."),
    ),
    "answer_rejected": (
        N_("The answer to IMI request {case_id} was returned by the coordinator"),
        N_("Hello,\n\nThe coordinator did not approve the answer to the request {case_id} ({area}) and returned "
           "it to you with a reason.\n\nSubject: {subject}\n\nSign in at {url} and open request {case_id} to "
           "read the reason."),
    ),
    "referral_opened": (
        N_("Referral opened for IMI request {case_id}"),
        N_("Hello,\n\n{requesting_authority} has started a referral on its request {case_id} to "
           "{responding_authority} ({area}): it is not satisfied with the answer, and the responding authority "
           "says it cannot give more. Your opinion is asked.\n\nSubject: {subject}\n\nSign in at {url} "
           "and open request {case_id} from your task list."),
    ),
    "referral_decided": (
        N_("The referral on IMI request {case_id} is decided"),
        N_("Hello,\n\nThe coordinators have given their opinions on the request {case_id} ({area}). "
           "{outcome}\n\nSubject: {subject}\n\nSign in at {url} and open request {case_id} to read them."),
    ),
    "request_withdrawn": (
        N_("IMI request {case_id} was withdrawn"),
        N_("Hello,\n\n{requesting_authority} has withdrawn its request {case_id} ({area}). No further action "
           "is needed.\n\nSubject: {subject}"),
    ),
    "deadline_soon": (
        N_("The reply to IMI request {case_id} is due soon"),
        N_("Hello,\n\nThe reply to the request {case_id} of {requesting_authority} ({area}) is due on "
           "{deadline}.\n\nSubject: {subject}\n\nSign in at {url} and open request {case_id} from your task "
           "list."),
    ),
    "deadline_passed": (
        N_("The reply to IMI request {case_id} is overdue"),
        N_("Hello,\n\nThe reply to the request {case_id} of {requesting_authority} ({area}) was due on "
           "{deadline} and has not been sent yet.\n\nSubject: {subject}\n\nSign in at {url} and open request "
           "{case_id} from your task list."),
    ),
    "digest": (
        N_("Your daily IMI summary"),
        N_("Dear {name},\n\nThese IMI notifications were collected for you since your last summary:\n\n"
           "{items}\n\nSign in at {url} to see your task list. In your profile you can choose to get each "
           "notification at once instead."),
    ),
    "draft_expiry": (
        N_("Your IMI draft {case_id} will be deleted on {date}"),
        N_("Dear {name},\n\nYour draft request {case_id} has not been changed for a long time. Drafts that are "
           "never sent are deleted, with everything in them, so that personal data is not kept without a "
           "purpose: this one will be deleted on {date}.\n\nSubject: {subject}\n\nTo keep it, sign in at {url}, "
           "open the draft and save or send it."),
    ),
    "coordinator_reminded": (
        N_("IMI request {case_id} has been waiting on {coordinator} for {days} working days"),
        N_("Hello,\n\nRequest {case_id} of {requesting_authority} ({area}) has been waiting on {coordinator} since "
           "{since}: {days} working days without an approval or an opinion. Please deal with it, or pass it to a "
           "colleague: if it waits as long again, the coordinator above yours is told.\n\nSign in at {url} and "
           "open request {case_id} from your task list."),
    ),
    "coordinator_escalated": (
        N_("Escalated: IMI request {case_id} has been waiting on {coordinator} for {days} working days"),
        N_("Hello,\n\nRequest {case_id} of {requesting_authority} ({area}) has been waiting on {coordinator} since "
           "{since}: {days} working days without an approval or an opinion, although its staff were reminded. "
           "As the coordinator above it, please find out why and see that it is dealt with.\n\nSign in at "
           "{url} to see the request."),
    ),
    "personal_data_corrected": (
        N_("IMI request {case_id}: personal data corrected"),
        N_("Hello,\n\nA local data administrator of the other authority taking part in request {case_id} "
           "({area}) has corrected the field \"{field}\" of the person concerned, as the person is entitled to "
           "(Regulation (EU) 1024/2012, Art. 19). Please correct any copy your authority keeps outside IMI as well."
           "\n\nSign in at {url} to see the request."),
    ),
    "personal_data_erased": (
        N_("IMI request {case_id}: personal data erased early"),
        N_("Hello,\n\nA local data administrator of the other authority taking part in request {case_id} "
           "({area}) has erased its personal data before the end of its retention period, at the request of the "
           "person concerned or by order of a court or supervisory authority. The request stays as proof of the "
           "exchange. Please erase any copy your authority keeps outside IMI as well.\n\nSign in at {url} to "
           "see the reason on the request's timeline."),
    ),
    "retention_report": (
        N_("IMI: personal data blocked and deleted in {month}"),
        N_("Dear {name},\n\nAs the IMI Regulation requires, the personal data of closed requests is blocked and "
           "later deleted once the periods set for their legislative area have passed. In {month} this was done "
           "for these requests of your authority:\n\nBlocked:\n{blocked}\n\nDeleted:\n{deleted}\n\n"
           "The requests themselves stay in IMI as proof of the exchange. Sign in at {url} for details."),
    ),
})
REFERRAL_RETURNED = N_("At least one coordinator supports the requesting authority, so the request returns to "
                       "the responding authority.")
REFERRAL_CLOSED = N_("The coordinators support the responding authority, so the request is closed.")


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
