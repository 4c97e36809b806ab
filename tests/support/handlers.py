"""Calling Reflex event handlers the way the app does, with a real session cookie, without the page."""

from __future__ import annotations

import asyncio
import inspect

from reflex.istate.data import RouterData
from reflex.state import State

from imi_app.accounts import auth
from imi_app.accounts.models import User
from tests.support import factories as f


def token_for(user: User) -> str:
    result = auth.authenticate(user.username, f.PASSWORD, f.chars_for(f.CODE, (2, 7, 11)))
    assert result.status == auth.OK
    return auth.redeem_ticket(result.ticket)


def state_for(state_cls, *, cookie: str, path: str):
    """The state as the app builds it for a websocket whose handshake carried `cookie`."""
    root = State()
    root.router = RouterData.from_router_data({
        "headers": {"cookie": cookie, "origin": "http://localhost:3000"}, "pathname": path, "asPath": path})
    return root.get_substate(state_cls.get_full_name().split(".")[1:])


def call(handler, state, *args) -> list:
    """Runs an event handler as Reflex does (plain, coroutine or generator) and returns what it gave back."""
    result = handler.fn(state, *args)
    if inspect.isasyncgen(result):
        async def drain():
            return [event async for event in result]
        return asyncio.run(drain())
    if inspect.iscoroutine(result):
        async def wait():
            return [await result]
        return asyncio.run(wait())
    return [result]


def app_states() -> list[type[State]]:
    """Every state class of the app (every screen module imported first), by full name."""
    import importlib
    import pkgutil

    import imi_app

    for module in pkgutil.walk_packages(imi_app.__path__, "imi_app."):
        if ".ui." in module.name or module.name.startswith("imi_app.ui."):
            importlib.import_module(module.name)
    found, todo = [], [State]
    while todo:
        cls = todo.pop()
        for sub in cls.get_substates():
            todo.append(sub)
            if sub.__module__.startswith("imi_app."):
                found.append(sub)
    return sorted(found, key=lambda c: c.get_full_name())
