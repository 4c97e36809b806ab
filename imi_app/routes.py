"""Every route of the app, in one place."""

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

# Plain HTTP endpoints (not pages): they set and clear the HttpOnly session cookie.
SESSION_START = "/auth/session"
SESSION_END = "/auth/logout"


def admin_user(user_id: int | str) -> str:
    return f"/admin/users/{user_id}"
