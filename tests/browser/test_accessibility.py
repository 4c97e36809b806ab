"""Every screen passes axe-core's WCAG 2.1 A and AA rules (wcag2a, wcag2aa, wcag21a, wcag21aa), at desk width and
at phone width, in English and in Hungarian: the sign-in steps, the invitation's error page, the task list, the
request form, the request page with each of its dialogs open, the overview, the directory, the linked overview,
the profile, the administration and coordination screens (the audit log with an entry open), the dashboard and
the requests behind one of its figures. A failure lists each screen's broken rules with the elements that break
them."""

from __future__ import annotations

from datetime import date

import pytest

from imi_app.demo.links import case_ids
from tests.browser.axe import describe, rules_checked, violations
from tests.browser.conftest import enter_password, requested_positions, sign_in, wait_hydrated
from tests.support.live_db import db_value

DEMO = case_ids()
# Per language, who reads the screens: a handler, a local data administrator, a coordinator's data administrator.
READERS = {"en": ("de.handler", "de.lda", "de.coordinator", "DE"),
           "hu": ("hu.handler", "hu.lda", "hu.coordinator", "HU")}
WIDTHS = {"desk": (1280, 900), "phone": (390, 844)}


def _new_page(browser, live_app, width: str, lang: str):
    w, h = WIDTHS[width]
    context = browser.new_context(base_url=live_app.url, viewport={"width": w, "height": h},
                                  locale={"en": "en-GB", "hu": "hu-HU"}[lang])
    return context.new_page()


class Screens:
    """Collects each screen's violations."""

    def __init__(self) -> None:
        self.found: dict[str, list[dict]] = {}
        self.count = 0

    def check(self, page, name: str) -> None:
        self.count += 1
        # A dialog fading in is half transparent: its colours are read once it has arrived.
        page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
        broken = violations(page)
        if broken:
            self.found[name] = broken

    def visit(self, page, name: str, path: str, ready: str) -> None:
        page.goto(path)
        wait_hydrated(page)
        page.locator(ready).first.wait_for()
        self.check(page, name)


def _request_page_with_dialogs(screens: Screens, page, name: str, request_id: object) -> None:
    path = f"/requests/{request_id}"
    screens.visit(page, name, path, "#request-header")
    buttons = [b.get_attribute("id") for b in page.locator("#action-bar button[id^='action-']").all()
               if b.is_enabled()]
    for button in buttons:
        page.click(f"#{button}")
        step = button.removeprefix("action-")
        if step == "answer":  # the answer form opens in the page
            page.locator("#confirm-answer").wait_for()
            screens.check(page, f"{name}, answering")
            screens.visit(page, name, path, "#request-header")
            continue
        page.locator(f"#confirm-{step}").wait_for()
        screens.check(page, f"{name}, dialog {step}")
        page.click("#dialog-cancel")
        page.locator(f"#confirm-{step}").wait_for(state="detached")


def _request_id(live_app, number: int) -> object:
    return db_value(live_app.db_url, "SELECT id FROM info_request WHERE case_id = :c", c=DEMO[number])


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("lang", sorted(READERS))
def test_every_screen_passes_axe(browser, live_app, lang, width):
    handler, lda, coordinator, country = READERS[lang]
    screens = Screens()

    page = _new_page(browser, live_app, width, lang)
    page.goto("/login")
    wait_hydrated(page)
    if lang == "hu":  # the switcher, as a visitor uses it
        page.get_by_role("combobox").click()
        page.get_by_role("option", name="magyar").click()
        page.wait_for_function("() => document.body.innerText.includes('Bejelentkezés')")
    screens.check(page, "sign-in")
    enter_password(page, handler)
    requested_positions(page)
    screens.check(page, "security code")
    screens.visit(page, "invitation not valid", "/register?token=not-a-token", "main")
    screens.visit(page, "accessibility statement", "/accessibility", "main h1")
    page.context.close()

    page = _new_page(browser, live_app, width, lang)
    sign_in(page, handler)
    screens.check(page, "task list")
    screens.visit(page, "request form", "/requests/new", "#subject")
    screens.visit(page, "overview", "/requests", "#overview-table")
    screens.visit(page, "directory", "/directory", "main")
    chamber = db_value(live_app.db_url, "SELECT id FROM authority WHERE official_name = 'Ärztekammer Berlin'")
    screens.visit(page, "directory entry", f"/directory/{chamber}", "main h1")
    screens.visit(page, "profile", "/profile", "#profile-username")
    for number in (102, 103):
        _request_page_with_dialogs(screens, page, f"request {number}", _request_id(live_app, number))
    page.context.close()

    page = _new_page(browser, live_app, width, lang)
    sign_in(page, lda)
    user = db_value(live_app.db_url, "SELECT id FROM \"user\" WHERE username = :u", u=handler)
    for name, path in (("users", "/admin/users"), ("new user", "/admin/users/new"), ("user", f"/admin/users/{user}"),
                       ("own authority", "/admin/authority"), ("outbox", "/admin/outbox"),
                       ("links", "/admin/links"), ("linked overview", "/linked"), ("audit log", "/admin/audit")):
        screens.visit(page, name, path, "main h1")
    page.locator("#audit-entries button").first.click()
    page.locator("#audit-entry").wait_for()
    screens.check(page, "audit entry")
    page.context.close()

    page = _new_page(browser, live_app, width, lang)
    sign_in(page, coordinator)
    below = db_value(live_app.db_url, "SELECT a.id FROM authority a JOIN authority c ON a.parent_coordinator_id = c.id"
                                      " WHERE c.country_code = :c AND c.parent_coordinator_id IS NULL ORDER BY a.id",
                     c=country)
    for name, path in (("coordinated", "/admin/coordinated"), ("new coordinated", "/admin/coordinated/new"),
                       ("invite", "/admin/coordinated/invite"), ("coordinated authority", f"/admin/coordinated/{below}"),
                       ("coordinator settings", "/admin/coordinator-settings"), ("dashboard", "/dashboard"),
                       ("coordinator's audit log", "/admin/audit"),
                       ("requests behind a figure", f"/requests?figure=accepting&from={date.today().replace(day=1)}"
                                                    f"&to={date.today()}")):
        screens.visit(page, name, path, "main h1")
    rules = rules_checked(page)
    page.context.close()

    print(f"axe: {len(rules)} rules checked on {screens.count} screens ({lang}, {width})")
    assert not screens.found, f"axe ({lang}, {width}):\n{describe(screens.found)}"
