"""Every route of the app, in one place."""

from urllib.parse import urlencode

HOME = "/"
LOGIN = "/login"
SETUP = "/setup"
PROFILE = "/profile"
ADMIN_USERS = "/admin/users"
ADMIN_USER_NEW = "/admin/users/new"
ADMIN_USER_EDIT = "/admin/users/[user_id]"
ADMIN_AUTHORITY = "/admin/authority"
ADMIN_OUTBOX = "/admin/outbox"
ADMIN_COORDINATED = "/admin/coordinated"
ADMIN_COORDINATED_NEW = "/admin/coordinated/new"
ADMIN_COORDINATED_INVITE = "/admin/coordinated/invite"
ADMIN_COORDINATED_DETAIL = "/admin/coordinated/[authority_id]"
ADMIN_COORDINATOR_SETTINGS = "/admin/coordinator-settings"
ADMIN_LINKS = "/admin/links"
ADMIN_AUDIT = "/admin/audit"
ADMIN_DATA_SUBJECT = "/admin/data-subject"  # a person's exchanges, their export, correction and erasure
LINKED_OVERVIEW = "/linked"
DASHBOARD = "/dashboard"  # a coordinator's scoreboard
ACCESSIBILITY = "/accessibility"  # the accessibility statement, public
PRIVACY = "/privacy"  # the privacy notice, public
DIRECTORY = "/directory"
DIRECTORY_DETAIL = "/directory/[authority_id]"
REGISTER_AUTHORITY = "/register"  # the invitation link: /register?token=...
REQUEST_EDIT = "/requests/[request_id]/edit"  # a draft in the request form
REQUESTS_OVERVIEW = "/requests"
REQUEST_NEW = "/requests/new"
REQUEST_DETAIL = "/requests/[request_id]"

# Plain HTTP endpoints (not pages): they set and clear the HttpOnly session cookie.
SESSION_START = "/auth/session"
SESSION_END = "/auth/logout"
FILE_DOWNLOAD = "/files/{attachment_id}"  # a request's attachment, streamed only to those allowed
UPLOAD = "/_upload"  # Reflex's upload endpoint (its constants.Endpoint.UPLOAD), guarded in web.py


def requests_behind(params: dict[str, str]) -> str:
    """The overview listing the requests behind a scoreboard figure (requests.figure_list.FigureFilter)."""
    return f"{REQUESTS_OVERVIEW}?{urlencode(params)}"


def admin_user(user_id: int | str) -> str:
    return f"/admin/users/{user_id}"


def coordinated_authority(authority_id: int | str) -> str:
    return f"/admin/coordinated/{authority_id}"


def directory_entry(authority_id: int | str) -> str:
    return f"/directory/{authority_id}"


def request_page(request_id: int | str) -> str:
    return f"/requests/{request_id}"


def request_edit(request_id: int | str) -> str:
    return f"/requests/{request_id}/edit"


def file_download(attachment_id: int | str) -> str:
    return f"/files/{attachment_id}"
