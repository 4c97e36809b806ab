"""The directory, own-authority and outbox handlers called over the event channel, without the page."""

from __future__ import annotations

from imi_app.authorities.models import Authority
from imi_app.authorities.ui.directory_state import DirectoryEntryState, DirectoryState
from imi_app.authorities.ui.own_authority_state import AuthorityState, OutboxState
from tests.support import factories as f
from tests.support.coordination import world  # noqa: F401 - world is a fixture
from tests.support.handlers import call, state_for, token_for


def _cookie(user) -> str:
    return f"imi_session={token_for(user)}"


def test_the_directory_searches_and_opens_an_entry(world):
    cookie = _cookie(world["basic"])
    page = state_for(DirectoryState, cookie=cookie, path="/directory")
    call(DirectoryState.open_directory, page)
    assert page.access == "ready" and page.countries and page.areas
    call(DirectoryState.set_text, page, "gyori")
    assert [row["name"] for row in page.rows] == ["Győri Orvosi Kamara"] and page.total == 1
    call(DirectoryState.set_text, page, "x" * 300)
    assert page.rows == [] and "text" in page.errors
    entry = state_for(DirectoryEntryState, cookie=cookie, path=f"/directory/{world['T_R'].id}")
    call(DirectoryEntryState.open_entry, entry)
    assert entry.access == "ready" and entry.entry["name"] == "Győri Orvosi Kamara"
    pending = state_for(DirectoryEntryState, cookie=cookie, path=f"/directory/{world['P_R'].id}")
    call(DirectoryEntryState.open_entry, pending)
    assert pending.access == "not_found" and pending.entry == {}


def test_the_lda_saves_the_authority_and_reads_the_outbox(world):
    cookie = _cookie(world["t_r_lda"])
    state = state_for(AuthorityState, cookie=cookie, path="/admin/authority")
    call(AuthorityState.open_authority, state)
    assert state.access == "ready" and state.official_name == "Győri Orvosi Kamara"
    call(AuthorityState.save, state, {"contact_email": "new@gyor.example", "address": "Győr", "phone": "",
                                      "lang:hu": "on"})
    assert state.errors == {} and f.reload(Authority, world["T_R"].id).contact_email == "new@gyor.example"
    call(AuthorityState.save, state, {"contact_email": "not an address"})
    assert {"contact_email", "languages"} <= set(state.errors)
    outbox = state_for(OutboxState, cookie=cookie, path="/admin/outbox")
    call(OutboxState.open_outbox, outbox)
    assert outbox.access == "ready" and outbox.total == len(outbox.mails)
    other = state_for(AuthorityState, cookie=_cookie(world["basic"]), path="/admin/authority")
    call(AuthorityState.open_authority, other)
    assert other.access == "no_access"


def test_the_screens_send_a_tab_without_a_session_to_sign_in(world):
    for cls, handler, path in ((DirectoryState, DirectoryState.open_directory, "/directory"),
                               (DirectoryEntryState, DirectoryEntryState.open_entry, "/directory/1"),
                               (AuthorityState, AuthorityState.open_authority, "/admin/authority"),
                               (OutboxState, OutboxState.open_outbox, "/admin/outbox")):
        events = call(handler, state_for(cls, cookie="imi_session=forged", path=path))
        assert any("/login" in str(event) for event in events), cls
