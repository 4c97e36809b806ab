"""A tab's Reflex state is bound to the sign-in session that created it: an event that arrives with another
session's cookie, or with none, finds a fresh state (nothing of the first session's page data) and is
handled for the session it came with."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from reflex.istate.data import RouterData

from imi_app.accounts.ui.profile_state import ProfileState
from imi_app.ui.base import AppState
from imi_app.ui.session_binding import SIGNED_OUT, SessionBinding, binding_for
from tests.support import factories as f
from tests.support.handlers import call, state_for, token_for

PATH = "/profile"


def set_router(root, cookie: str) -> None:
    root.router = RouterData.from_router_data({
        "headers": {"cookie": cookie, "origin": "http://localhost:3000"}, "pathname": PATH, "asPath": PATH})


def arrive(state, cookie: str) -> None:
    """An event reaches the tab's state with `cookie`: the router data as the app sets it, then the
    app's event middleware."""
    root = state._get_root_state()
    set_router(root, cookie)
    assert asyncio.run(SessionBinding().preprocess(app=None, state=root, event=None)) is None


@pytest.fixture
def tab_of_a(database):
    """A profile tab opened by user A: A's details are in its state."""
    authority = f.authority("HU", areas=[f.area()])
    a = f.user(authority, username="anna.a")
    cookie = f"imi_session={token_for(a)}"
    profile = state_for(ProfileState, cookie=cookie, path=PATH)
    arrive(profile, cookie)
    call(ProfileState.open_profile, profile)
    assert profile.details["username"] == "anna.a" and profile.signed_in and profile.user_name == a.full_name
    return authority, profile


def holds_nothing_of_a(profile: ProfileState) -> None:
    seen = repr(profile._get_root_state().dict())
    assert "anna.a" not in seen and "@example.org" not in seen
    assert profile.details == {} and not profile.signed_in and profile.user_name == ""


def test_another_sessions_cookie_finds_a_fresh_state_and_is_handled_as_that_session(tab_of_a):
    authority, profile = tab_of_a
    b = f.user(authority, username="bela.b")
    cookie_b = f"imi_session={token_for(b)}"
    arrive(profile, cookie_b)
    holds_nothing_of_a(profile)
    call(ProfileState.open_profile, profile)
    assert profile.details["username"] == "bela.b" and profile.user_name == b.full_name
    assert profile._session_binding == binding_for(cookie_b)


@pytest.mark.parametrize("cookie", ["", "imi_session=", "imi_session=forged-token", "other=1"])
def test_no_session_cookie_finds_a_fresh_state_and_is_handled_as_signed_out(tab_of_a, cookie):
    _authority, profile = tab_of_a
    arrive(profile, cookie)
    holds_nothing_of_a(profile)
    events = call(ProfileState.open_profile, profile)
    assert profile.details == {} and "/login" in repr(events)


def test_the_same_session_keeps_its_state(tab_of_a):
    _authority, profile = tab_of_a
    cookie = profile.router.headers.cookie
    profile.form_key = 41
    arrive(profile, f"lang=de; {cookie}")  # other cookies around it change nothing
    assert profile.details["username"] == "anna.a" and profile.form_key == 41


def test_the_browsers_language_stays_when_the_state_is_dropped(tab_of_a):
    _authority, profile = tab_of_a
    app_state = profile.parent_state
    assert isinstance(app_state, AppState)
    app_state.lang = "de"
    arrive(profile, "")
    assert app_state.lang == "de" and profile._session_binding == SIGNED_OUT


def test_page_load_bookkeeping_skips_the_check_and_the_page_event_after_it_does_not(tab_of_a):
    """Reflex's on_load_internal and set_is_hydrated run beside AppState and read nothing under it, so they
    do not load it to check the binding; the page's own event, under AppState, drops A's data first."""
    from reflex.event import Event
    from reflex.state import OnLoadInternalState

    from imi_app.ui.session_binding import OUTSIDE_THE_TAB_DATA

    assert not issubclass(OnLoadInternalState, AppState) and AppState not in OnLoadInternalState.__mro__
    assert {name.rsplit(".", 1)[1] for name in OUTSIDE_THE_TAB_DATA} <= set(OnLoadInternalState.event_handlers)
    authority, profile = tab_of_a
    root = profile._get_root_state()
    cookie_b = f"imi_session={token_for(f.user(authority, username='bela.b'))}"
    set_router(root, cookie_b)
    for name in sorted(OUTSIDE_THE_TAB_DATA):
        asyncio.run(SessionBinding().preprocess(app=None, state=root, event=Event(name=name)))
        assert profile.details["username"] == "anna.a"  # not checked: nothing of A is read or sent
    page_event = Event(name=f"{ProfileState.get_full_name()}.open_profile")
    asyncio.run(SessionBinding().preprocess(app=None, state=root, event=page_event))
    holds_nothing_of_a(profile)


def test_the_binding_is_neither_the_token_nor_the_stored_session_hash():
    from imi_app.security.tokens import token_hash

    binding = binding_for("imi_session=abc")
    assert binding not in {"abc", token_hash("abc")} and binding != binding_for("imi_session=abd")
    assert binding_for("imi_session=abc; x=1") == binding
    assert binding_for(None) == binding_for("") == SIGNED_OUT



REDIS_URL = os.environ.get("IMI_TEST_REDIS_URL", "")


@pytest.mark.skipif(not REDIS_URL, reason="IMI_TEST_REDIS_URL not set")
def test_with_redis_the_states_an_event_did_not_load_are_dropped_too(database):
    """Redis loads only the states an event needs: a page's state left in Redis under A is reset as well,
    or the next event that loads it would send A's data."""
    from redis.asyncio import Redis
    from reflex_base.event.context import EventContext
    from reflex.istate.manager.redis import StateManagerRedis
    from reflex.istate.manager.token import BaseStateToken

    from imi_app.requests.ui.home_state import HomeState

    authority = f.authority("HU", areas=[f.area()])
    cookie_a = f"imi_session={token_for(f.user(authority, username='anna.a'))}"
    cookie_b = f"imi_session={token_for(f.user(authority, username='bela.b'))}"
    tab = f"binding-test-{uuid.uuid4()}"

    async def story() -> tuple[bool, dict]:
        manager = StateManagerRedis(redis=Redis.from_url(REDIS_URL))
        EventContext.set(EventContext(token=tab, state_manager=manager, enqueue_impl=None))

        async def event(cls, cookie: str, handler=None):
            async with manager.modify_state(BaseStateToken(ident=tab, cls=cls)) as root:
                loaded = ProfileState.get_name() in (await root.get_state(AppState)).substates
                set_router(root, cookie)
                await SessionBinding().preprocess(app=None, state=root, event=None)
                state = await root.get_state(cls)
                if handler is not None:
                    await handler.fn(state)
                return loaded, dict(getattr(state, "details", {}))
        try:
            _, details = await event(ProfileState, cookie_a, ProfileState.open_profile)
            assert details["username"] == "anna.a"
            profile_loaded, _ = await event(HomeState, cookie_b)
            return profile_loaded, (await event(ProfileState, cookie_b))[1]
        finally:
            await manager.redis.delete(*[key async for key in manager.redis.scan_iter(f"{tab}*")], tab)
            await manager.close()

    profile_loaded, details = asyncio.run(story())
    assert not profile_loaded and details == {}
