"""The user's own profile: details and language, password, security code, authenticator app."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from imi_app.core.formats import zone_choices
from imi_app.core.i18n import normalize_language
from imi_app.accounts.models import User
from imi_app.accounts import profile
from imi_app.core.errors import ValidationFailed
from imi_app.core.validation import readable
from imi_app.ui.base import AppState, run

# Service error keys -> the ids (and form names) of the fields where their messages appear.
DETAILS_FIELDS = {"username": "profile-username", "full_name": "profile-full-name",
                  "phone": "profile-phone", "language": "profile-language", "time_zone": "profile-time-zone",
                  "notify_mode": "profile-notify"}
PASSWORD_FIELDS = {"current_password": "password-current", "password": "password-new",
                   "password_confirm": "password-confirm"}
CODE_FIELDS = {"current_password": "code-current", "code": "code-new", "code_confirm": "code-confirm"}
TOTP_ON_FIELDS = {"totp_code": "totp-code"}
TOTP_OFF_FIELDS = {"current_password": "totp-current"}


def field(form: object, name: str) -> object:
    """A submitted value as sent (the services refuse wrong types); None when missing or unencodable."""
    return readable(form.get(name)) if isinstance(form, dict) else None


def stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def grouped_key(secret: str) -> str:
    """The TOTP key in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def profile_input(form: object) -> profile.ProfileInput:
    return profile.ProfileInput(
        username=stripped(field(form, "profile-username")),  # type: ignore[arg-type]
        full_name=stripped(field(form, "profile-full-name")),  # type: ignore[arg-type]
        phone=stripped(field(form, "profile-phone")),  # type: ignore[arg-type]
        language=field(form, "profile-language"),  # type: ignore[arg-type]
        notify_mode=field(form, "profile-notify"),  # type: ignore[arg-type]
        time_zone=field(form, "profile-time-zone"),  # type: ignore[arg-type]
    )


class ProfileState(AppState):
    errors: dict[str, str] = {}
    busy: str = ""  # the form being saved
    details: dict[str, str] = {}
    form_key: int = 0  # bumped to re-mount the details form with the stored values
    # A plain var, set with the page's language: a computed one on the shared `lang` would make every event of
    # the tab load this state to recompute it.
    zone_options: list[list[str]] = []
    totp_enabled: bool = False
    totp_qr: str = ""
    totp_key: str = ""
    _totp_secret: str = ""
    _totp_user_id: int = 0

    def _load(self, user: User) -> None:
        self.zone_options = [[profile.COUNTRY_ZONE, self._tr("The time of my authority's country")],
                             *zone_choices(self.lang)]
        self.details = {"username": user.username, "full_name": user.full_name, "phone": user.phone,
                        "language": normalize_language(user.language), "notify_mode": user.notify_mode,
                        "time_zone": user.time_zone or profile.COUNTRY_ZONE}
        self.user_name, self.username = user.full_name, user.username
        self.totp_enabled = user.totp_enabled
        self.form_key += 1

    def _drop_totp_setup(self) -> None:
        self._totp_secret, self._totp_user_id, self.totp_qr, self.totp_key = "", 0, "", ""

    async def _apply(self, fields: dict[str, str], change: Callable[..., User], actor: User,
                     **kwargs: object) -> User | None:
        """Runs one change of the actor's own account off the event loop (the session was checked
        before the form showed itself busy); its messages go beside the form's fields."""
        self.errors = {k: v for k, v in self.errors.items() if k not in fields.values()}
        try:
            return await run(change, actor=actor, **kwargs)
        except ValidationFailed as error:
            fallback = next(iter(fields.values()))
            self.errors = dict(self.errors) | {fields.get(key, fallback): message
                                         for key, message in self._field_errors(error).items()}
            return None
        finally:
            self.busy = ""

    @rx.event
    async def open_profile(self):
        self.errors, self.busy = {}, ""
        self._drop_totp_setup()
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        self._load(opened.actor)
        return None

    @rx.event
    async def save_details(self, form: dict):
        user = await self._actor()
        if user is None:
            yield self._to_login()
            return
        self.busy = "details"
        yield
        saved = await self._apply(DETAILS_FIELDS, profile.update_profile, user, data=profile_input(form))
        if saved is not None:
            self.lang = saved.language  # the page switches language at once
            self._load(saved)
            _user, menu = await self._session_user(touch=False)
            self._zone = menu.zone  # and its times to the chosen zone
            yield rx.toast.success(self._tr("Your details have been saved."))

    @rx.event
    async def change_password(self, form: dict):
        user = await self._actor()
        if user is None:
            yield self._to_login()
            return
        self.busy = "password"
        yield
        if await self._apply(PASSWORD_FIELDS, profile.change_password, user,
                             current=field(form, "password-current"), password=field(form, "password-new"),
                             password_confirm=field(form, "password-confirm")):
            yield rx.toast.success(self._tr("Your password has been changed."))

    @rx.event
    async def change_code(self, form: dict):
        user = await self._actor()
        if user is None:
            yield self._to_login()
            return
        self.busy = "code"
        yield
        if await self._apply(CODE_FIELDS, profile.change_code, user, current=field(form, "code-current"),
                             code=field(form, "code-new"), code_confirm=field(form, "code-confirm")):
            yield rx.toast.success(self._tr("Your security code has been changed."))

    @rx.event
    async def start_totp(self):
        started = await self._perform(profile.start_totp_setup)
        if not started.ok:
            return started.events
        setup: profile.TotpSetup = started.value
        self.totp_enabled = setup.enabled
        if setup.enabled:
            return None
        self._totp_secret, self._totp_user_id = setup.secret, started.actor.id
        self.totp_qr = setup.qr
        self.totp_key = grouped_key(setup.secret)
        self.errors = {k: v for k, v in self.errors.items() if k not in TOTP_ON_FIELDS.values()}
        return None

    @rx.event
    def cancel_totp(self):
        self._drop_totp_setup()

    @rx.event
    async def confirm_totp(self, form: dict):
        user = await self._actor()
        if user is None:
            yield self._to_login()
            return
        # A set-up begun by someone else in this tab (signed out and in again) does not count.
        secret = self._totp_secret if self._totp_user_id == user.id else ""
        self.busy = "totp"
        yield
        if await self._apply(TOTP_ON_FIELDS, profile.enable_totp, user, secret=secret,
                             code=field(form, "totp-code")):
            self._drop_totp_setup()
            self.totp_enabled = True
            yield rx.toast.success(self._tr("The authenticator app is turned on."))

    @rx.event
    async def disable_totp(self, form: dict):
        user = await self._actor()
        if user is None:
            yield self._to_login()
            return
        self.busy = "totp"
        yield
        if await self._apply(TOTP_OFF_FIELDS, profile.disable_totp, user, current=field(form, "totp-current")):
            self.totp_enabled = False
            yield rx.toast.success(self._tr("The authenticator app is turned off."))
