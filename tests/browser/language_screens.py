"""Screens read in one language at one width: each one's screenshot (test-artifacts/screenshots/<name>.png), whether
it is wider than the window (WCAG 1.4.10 reflow: long German words must wrap, not push the page sideways) and what
axe-core's WCAG 2.1 A and AA rules find on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from tests.browser.axe import describe, violations
from tests.browser.conftest import save_screenshot, wait_hydrated

WIDTHS = {"desk": 1280, "phone": 390, "narrow": 320}  # 320: WCAG 1.4.10 reflow (1280 px at 400 % zoom)


def _set_language(db_url: str, usernames: tuple[str, ...], language: str) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        for username in usernames:
            conn.execute(sa.text('UPDATE "user" SET language = :l WHERE username = :u'), {"l": language, "u": username})
    engine.dispose()


@contextmanager
def reading_in(live_app, language: str, *usernames: str) -> Iterator[None]:
    """The demo users read the app in `language` meanwhile; afterwards in English again, as the demo data has it."""
    _set_language(live_app.db_url, usernames, language)
    try:
        yield
    finally:
        _set_language(live_app.db_url, usernames, "en")


class Screens:
    """Looks at each screen one page visits; `assert_fine()` tells every screen too wide or broken for axe."""

    def __init__(self, language: str, width: str) -> None:
        self.language, self.width, self.pixels = language, width, WIDTHS[width]
        self.too_wide: list[str] = []
        self.broken: dict[str, list[dict]] = {}

    def check(self, page, name: str) -> None:
        assert page.evaluate("() => document.documentElement.lang") == self.language, name
        # A dialog or panel fading in is half transparent: it is looked at once it has arrived.
        page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
        save_screenshot(page, f"{self.language}-{self.width}-{name}")
        if page.evaluate("document.documentElement.scrollWidth") > self.pixels:
            self.too_wide.append(name)
        found = violations(page)
        if found:
            self.broken[name] = found

    def visit(self, page, name: str, path: str, ready: str = "main h1") -> None:
        page.goto(path)
        wait_hydrated(page)
        page.locator(ready).first.wait_for()
        self.check(page, name)

    def assert_fine(self) -> None:
        assert not self.too_wide, f"wider than {self.pixels}px in {self.language}: {self.too_wide}"
        assert not self.broken, f"axe ({self.language}, {self.width}):\n{describe(self.broken)}"
