"""No event handler runs database work on Reflex's event loop.

Reflex runs every tab's events on one loop per worker: a query run there holds up every other
tab (see docs/ARCHITECTURE.md). This test calls every handler of every state of the app, as a
signed-in user, and records each SQL statement that runs on the loop's own thread.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import typing

import pytest
import reflex as rx
import sqlalchemy as sa
from reflex.state import State
from sqlmodel import select

from imi_app.accounts.models import Role, User
from imi_app.accounts.ui import pages as _accounts_pages  # noqa: F401 - loads every state of the app
from imi_app.authorities.ui import pages as _authorities_pages  # noqa: F401
from imi_app.core.db import get_engine, session_scope
from imi_app.requests.ui import pages as _requests_pages  # noqa: F401
from tests.support import factories as f
from tests.support.handlers import app_states, state_for, token_for


def _own_handlers(cls: type[State]) -> list[str]:
    names = []
    for name, handler in cls.event_handlers.items():
        fn = handler.fn
        if getattr(fn, "__module__", "").startswith("imi_app.") and not name.startswith("_"):
            names.append(name)
    return sorted(names)


def _argument(parameter: inspect.Parameter, hints: dict) -> object:
    kind = hints.get(parameter.name, parameter.annotation)
    origin = typing.get_origin(kind) or kind
    if origin is dict:
        return {"search": "1", "id": "1", "reason": "x", "note": "x"}
    if origin is list:
        return []
    if origin is bool:
        return True
    if origin is int:
        return 1
    return "1"


def _arguments(fn) -> list[object]:
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # noqa: BLE001 - unresolvable annotations: fall back to text
        hints = {}
    params = list(inspect.signature(fn).parameters.values())[1:]
    return [_argument(p, hints) for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


class _LoopWatch:
    """Counts SQL statements run on the event loop's thread while a handler runs."""

    def __init__(self) -> None:
        self.loop_thread: int | None = None
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args) -> None:
        if threading.get_ident() == self.loop_thread:
            self.statements.append(statement.split("\n", 1)[0][:80])


async def _drive(fn, state, args) -> None:
    result = fn(state, *args)
    if inspect.isasyncgen(result):
        async for _event in result:
            pass
    elif inspect.iscoroutine(result):
        await result


def _on_loop(watch: _LoopWatch, fn, state, args) -> list[str]:
    watch.statements = []

    async def run() -> None:
        watch.loop_thread = threading.get_ident()
        try:
            await asyncio.wait_for(_drive(fn, state, args), timeout=30)
        except Exception:  # noqa: BLE001 - only where the work ran matters here, not the outcome
            pass
        finally:
            watch.loop_thread = None

    asyncio.run(run())
    return list(watch.statements)


@pytest.fixture
def watch(database):
    engine = get_engine()
    spy = _LoopWatch()
    sa.event.listen(engine, "before_cursor_execute", spy)
    yield spy
    sa.event.remove(engine, "before_cursor_execute", spy)


@pytest.fixture
def cookie(database) -> str:
    area = f.area()
    coordinator = f.authority("HU", areas=[area], is_coordinator=True)
    own = f.authority("HU", areas=[area], coordinator=coordinator)
    f.authority("DE", areas=[area])
    roles = {area.id: [Role.REQUEST_HANDLER, Role.ALLOCATOR]}
    user = f.user(own, is_lda=True, roles=roles)
    return f"imi_session={token_for(user)}"


class _Blocking(State):
    """A handler written the forbidden way, to show the check finds it."""

    @rx.event
    def count_users(self):
        with session_scope() as session:
            session.exec(select(User.id)).all()


def test_the_check_finds_a_query_on_the_loop(watch, cookie):
    state = state_for(_Blocking, cookie=cookie, path="/")
    assert _on_loop(watch, _Blocking.event_handlers["count_users"].fn, state, [])


def test_no_handler_of_any_state_queries_the_database_on_the_event_loop(watch, cookie):
    offenders = {}
    checked = 0
    for cls in app_states():
        for name in _own_handlers(cls):
            fn = cls.event_handlers[name].fn
            state = state_for(cls, cookie=cookie, path="/")
            ran = _on_loop(watch, fn, state, _arguments(fn))
            checked += 1
            if ran:
                offenders[f"{cls.__name__}.{name}"] = ran[:3]
    assert checked > 80
    assert offenders == {}
