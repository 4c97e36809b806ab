"""No secret or personal data in the log when a handler fails (SEC-16): the database refuses the outbox row
of "create new password" and the new user of a registration, the handler raises, and the app's backend
exception handler reports it. The log (and the user's toast) hold an error id, never the values."""

from __future__ import annotations

import contextlib
import logging

import pytest

from imi_app import imi_app as app_module
from imi_app.accounts.models import User
from imi_app.accounts.ui.user_form_state import UserFormState
from imi_app.core import incidents
from imi_app.core.db import get_engine, session_scope
from imi_app.core.validation import email_key
from imi_app.security import passwords
from imi_app.ui.errors import ErrorNotice
from tests.support import factories as f
from tests.support.handlers import call, state_for, token_for

TEMPORARY = "Tmp-Zq7Lw9xKp4RsT2vN"
NAME, EMAIL = "Titkos Tímea", "timea.titkos@example.hu"


@contextlib.contextmanager
def refused_inserts(url: str, table: str):
    """The database refuses every new row of `table`, as a full disk would. PostgreSQL's answer lists the
    refused row ("Failing row contains (…)") in the message itself; SQLite's does not."""
    engine = get_engine(url)
    quoted = f'"{table}"'
    if engine.dialect.name == "sqlite":
        create = (f"CREATE TRIGGER imi_test_refuse BEFORE INSERT ON {quoted} "
                  "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        drop = "DROP TRIGGER imi_test_refuse"
    else:
        create = f"ALTER TABLE {quoted} ADD CONSTRAINT imi_test_refuse CHECK (false) NOT VALID"
        drop = f"ALTER TABLE {quoted} DROP CONSTRAINT imi_test_refuse"
    with engine.begin() as conn:
        conn.exec_driver_sql(create)
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(drop)


@pytest.fixture
def home(database, monkeypatch):
    monkeypatch.setattr(passwords, "new_temporary_password", lambda: TEMPORARY)
    return f.authority("HU", areas=[f.area()])


@pytest.fixture
def lda(home):
    return f.user(home, username="local.admin", is_lda=True)


@pytest.fixture
def target(home):
    user = f.user(home, username="timea.titkos")
    with session_scope() as session:
        row = session.get(User, user.id)
        row.full_name, row.email, row.email_key = NAME, EMAIL, email_key(EMAIL)
    return user


@pytest.fixture
def log(caplog):
    """Everything logged, and the handler's own logger also on its own (in case it stops propagating)."""
    caplog.set_level(logging.DEBUG)
    own = logging.Handler(logging.DEBUG)
    own.records = []
    own.emit = own.records.append
    incidents.logger.addHandler(own)
    yield lambda: caplog.text + "\n".join(
        logging.Formatter("%(message)s").format(record) for record in own.records)
    incidents.logger.removeHandler(own)


def _fails_through_the_app(handler, state, *args):
    """Runs the handler as Reflex does and hands what it raised to the app's backend exception handler."""
    with pytest.raises(Exception) as raised:
        call(handler, state, *args)
    return app_module.app.backend_exception_handler(raised.value)


def _error_id(event) -> str:
    assert event.handler.fn is ErrorNotice.show.fn
    return dict((name._js_expr, value._var_value) for name, value in event.args)["error_id"]


def test_create_new_password_failing_leaves_no_secret_in_the_log(database, lda, target, log):
    cookie = f"imi_session={token_for(lda)}"
    edit = state_for(UserFormState, cookie=cookie, path=f"/admin/users/{target.id}")
    call(UserFormState.open_edit, edit)
    with refused_inserts(database, "mail_outbox"):
        event = _fails_through_the_app(UserFormState.create_password, edit)
    text = log()
    assert _error_id(event) in text and "IntegrityError" in text
    for secret in (TEMPORARY, EMAIL, NAME):
        assert secret not in text
    assert f.reload(User, target.id).password_hash == target.password_hash  # the action rolled back


def test_registration_failing_leaves_no_name_or_email_in_the_log(database, lda, log):
    cookie = f"imi_session={token_for(lda)}"
    form = state_for(UserFormState, cookie=cookie, path="/admin/users/new")
    call(UserFormState.open_new, form)
    with refused_inserts(database, "user"):
        event = _fails_through_the_app(UserFormState.submit, form, {
            "family_name": NAME.split()[0], "given_name": NAME.split()[1], "email": EMAIL, "phone": "+36 1 555 0199",
            "language": "hu"})
    text = log()
    assert _error_id(event) in text
    for secret in (EMAIL, NAME, *NAME.split(), "555 0199"):
        assert secret not in text


def test_the_user_sees_a_translated_message_with_the_error_id(database):
    notice = state_for(ErrorNotice, cookie="", path="/")
    notice.lang = "hu"
    (toast,) = call(ErrorNotice.show, notice, "3F9A2C1B")
    shown = str(toast)
    assert "3F9A2C1B" in shown and "rendszergazd" in shown


def test_the_report_names_types_and_places_but_no_message():
    def failing(value: str) -> None:
        try:
            {}[value]
        except KeyError as exc:
            raise RuntimeError(f"lookup of {value} failed") from exc

    with pytest.raises(RuntimeError) as raised:
        failing(EMAIL)
    described = incidents.describe(raised.value)
    assert described.startswith("RuntimeError at ") and "caused by KeyError" in described
    assert "failing" in described and "test_secrets.py" in described
    assert EMAIL not in described

