"""The main story with the keyboard alone: sign in with the three code characters, open a task, answer it,
sign out. Only Tab, Shift+Tab, Enter, Space and Escape move and act (a menu's items are reached with the arrow
keys, as in every WAI-ARIA menu); every stop shows a focus ring, dialogs take the focus when they open and give
it back to their button when they close. A screenshot of each stop is kept (test-artifacts/screenshots/keyboard)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from playwright.sync_api import Error as PlaywrightError, expect

from tests.browser.conftest import DEMO_CODE, DEMO_PASSWORD, ROOT, SCREENSHOTS, own_page, wait_hydrated
from tests.browser.test_request_story import wait_status

SUBJECT = "Keyboard story: registration of a dentist"
# A request from the Hungarian chamber to Ärztekammer Berlin, allocated to de.handler: the task the story
# accepts and answers. Made through the services, as the people before de.handler would have made it.
SEED = f"""
from datetime import timedelta
from sqlmodel import select
from imi_app.core.db import session_scope
from imi_app.core.time import utcnow
from imi_app.accounts.models import User
from imi_app.authorities.models import Authority, LegislativeArea
from imi_app.requests import actions as rq
from imi_app.requests.inputs import DraftInput, PersonInput
from imi_app.requests.models import InfoRequest, Question

def one(session, model, **where):
    query = select(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return session.exec(query).one()

def step(function, username, request_id, **kwargs):
    with session_scope() as s:
        actor, version = one(s, User, username=username), s.get(InfoRequest, request_id).version
        function(s, actor=actor, request_id=request_id, expected_version=version, **kwargs)

with session_scope() as s:
    area = one(s, LegislativeArea, code="professional_qualifications")
    questions = [one(s, Question, code=c).id for c in ("pq_registered", "pq_training_duration")]
    berlin = one(s, Authority, official_name="Ärztekammer Berlin")
    data = DraftInput(area_id=area.id, responding_authority_id=berlin.id, subject={SUBJECT!r},
                      free_text="Please confirm the registration.", question_ids=questions,
                      proposed_reply_date=utcnow().date() + timedelta(days=20),
                      person=PersonInput(full_name="Dr. Keyboard Test", nationality="HU"))
    request_id = rq.create_draft(s, actor=one(s, User, username="hu.handler"), data=data).request_id
step(rq.submit, "hu.handler", request_id)
with session_scope() as s:
    handler = one(s, User, username="de.handler").id
step(rq.allocate, "de.allocator", request_id, user_ids=[handler])
print(request_id)
"""

# The focused element's ring: an outline or a box shadow on it, on its ::before/::after (Radix radios), or on
# the field box around it (Radix text fields draw the ring on their root, by :focus-within); a menu's
# highlighted item is filled with the accent colour instead.
FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.id === 'main') return null;  // the skip link's target is no control
  const drawn = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                       || (s.boxShadow && s.boxShadow !== 'none');
  if (el.hasAttribute('data-highlighted')) return '';  // a menu's item: Radix fills its background instead
  let node = el;
  for (let depth = 0; node && depth < 3; depth++, node = node.parentElement) {
    if (drawn(getComputedStyle(node)) || drawn(getComputedStyle(node, '::before'))
        || drawn(getComputedStyle(node, '::after'))) return '';
  }
  return el.outerHTML.slice(0, 160);
}"""


class Keyboard:
    """Moves through a page with the keyboard alone, checking and photographing every stop."""

    def __init__(self, page) -> None:
        self.page = page
        self.stops = 0
        self.folder = SCREENSHOTS / "keyboard"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.stops += 1
        self.page.wait_for_timeout(80)  # the ring's transition
        try:
            missing = self.page.evaluate(FOCUS_RING)
        except PlaywrightError as error:  # the key followed a link or sent a form: the next page's first stop
            if "context was destroyed" not in str(error):
                raise
            self.page.wait_for_load_state("load")
            missing = self.page.evaluate(FOCUS_RING)
        if missing is not None:  # the page itself (after a reload), or the content the skip link leads to
            assert missing == "", f"no visible focus ring after {key}: {missing}"
        try:
            self.page.screenshot(path=str(self.folder / f"{self.stops:03d}-{key}.png"), timeout=5_000)
        except Exception as error:
            raise AssertionError(f"stop {self.stops} ({key}) on {self.page.url}: {error}") from None

    def tab_to(self, selector: str, *, back: bool = False, limit: int = 60) -> None:
        """Tab (or Shift+Tab) until the element `selector` has the focus."""
        target = self.page.locator(selector).first
        target.wait_for()
        for _ in range(limit):
            if target.evaluate("(el) => el === document.activeElement || el.contains(document.activeElement)"):
                return
            self.press("Shift+Tab" if back else "Tab")
        raise AssertionError(f"{selector} not reached with {'Shift+Tab' if back else 'Tab'} in {limit} stops")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def focused(self, selector: str) -> bool:
        return self.page.locator(selector).first.evaluate(
            "(el) => el === document.activeElement || el.contains(document.activeElement)")


def _requested_positions(page) -> list[int]:
    page.wait_for_selector("#char1", timeout=20_000)
    return [int(re.findall(r"\d+", page.inner_text(f"#char{i}-label"))[-1]) for i in (1, 2, 3)]


def test_the_main_story_with_the_keyboard_alone(browser, live_app):
    seeded = subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=live_app.env, timeout=120,
                            capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr
    request_id = int(seeded.stdout.strip().splitlines()[-1])
    with own_page(browser, live_app, viewport={"width": 1280, "height": 900}) as page:
        keys = Keyboard(page)
        page.goto("/login")
        wait_hydrated(page)

        # Sign in: username, password, then the three characters asked for.
        keys.tab_to("#username")
        keys.type("de.handler")
        keys.press("Tab")
        assert keys.focused("#password")
        keys.type(DEMO_PASSWORD)
        keys.press("Enter")
        positions = _requested_positions(page)
        keys.tab_to("#char1")
        for index, position in enumerate(positions, start=1):
            assert keys.focused(f"#char{index}")
            keys.type(DEMO_CODE[position - 1])
            keys.press("Tab")
        keys.press("Enter")
        page.wait_for_selector("#welcome", timeout=20_000)

        # The first stop of a signed-in page is the skip link; it leads past the menu to the content.
        keys.press("Tab")
        expect(page.locator(".imi-skip-link")).to_be_focused()
        keys.press("Enter")
        expect(page.locator("#main")).to_be_focused()

        # Open the task: its row's link in the task list.
        row = page.locator("#tasks-table tbody tr", has_text=SUBJECT)
        keys.tab_to(f"#tasks-table tbody tr:has-text('{SUBJECT}') a")
        keys.press("Enter")
        page.wait_for_url(re.compile(rf".*/requests/{request_id}/?$"))
        page.locator("#request-header").wait_for()
        assert row  # the row was reached by Tab alone

        # A step's dialog takes the focus, Escape closes it and gives the focus back to its button; opened again,
        # it is confirmed from the keyboard.
        keys.tab_to("#action-accept")
        keys.press("Enter")
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        assert dialog.evaluate("(el) => el.contains(document.activeElement)")
        keys.press("Escape")
        expect(dialog).to_have_count(0)
        expect(page.locator("#action-accept")).to_be_focused()
        keys.press("Enter")
        expect(dialog).to_be_visible()
        keys.tab_to("#confirm-accept")
        keys.press("Enter")
        wait_status(live_app, request_id, "accepted")

        # Answer: the form opens in the page; Space chooses "Yes", the text is typed, Enter on "Send answer".
        keys.tab_to("#action-answer")
        keys.press("Enter")
        page.locator("#confirm-answer").wait_for()
        keys.tab_to("[id^='yes-no-'][id$='-yes']")
        keys.press("Space")
        expect(page.locator("[id^='yes-no-'][id$='-yes']").first).to_have_attribute("data-state", "checked")
        keys.tab_to("#questions-card textarea")
        keys.type("Five years, 2008 to 2013.")
        keys.tab_to("#answer-reply")
        keys.type("The dentist is registered with us.")
        keys.tab_to("#confirm-answer")
        keys.press("Enter")
        wait_status(live_app, request_id, "answered")

        # Sign out through the user menu.
        keys.tab_to("#user-menu", back=True)
        keys.press("Enter")
        expect(page.get_by_role("menu")).to_be_visible()
        for _ in range(4):
            if keys.focused("#sign-out"):
                break
            keys.press("ArrowDown")
        assert keys.focused("#sign-out")
        keys.press("Enter")
        page.wait_for_url(re.compile(r".*/login/?$"))
        print(f"keyboard: {keys.stops} stops, each with a visible focus ring")
