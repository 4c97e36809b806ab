"""The accessibility statement (Directive (EU) 2016/2102, the Commission's model statement): compliance status,
what is not accessible yet, how it was checked and when, where to report a barrier, enforcement. Public: it is
linked from the footer of every page, signed in or not."""

from __future__ import annotations

from datetime import date

import reflex as rx
from babel.dates import format_date

from imi_app.core import routes
from imi_app.core.i18n import N_, gettext, normalize_language
from imi_app.core.settings import get_settings
from imi_app.ui.base import AppState
from imi_app.ui.forms import PAGE_TITLE_SIZE
from imi_app.ui.i18n import T, in_reader_language
from imi_app.ui.layout import info_page

# The day the checks behind this statement were last run in full (tests/browser/test_accessibility.py).
LAST_CHECKED = date(2026, 12, 7)

CHECKED = N_("Last checked on {date}. Every screen is checked automatically with axe-core against the WCAG 2.1 "
             "A and AA rules each time the software changes: in English and Hungarian at desktop and at phone "
             "width, in German and French also at a width of 320 pixels, as at 400 % zoom. So is the main task "
             "(signing in, accepting and answering a request, signing out) with the keyboard alone.")
CONTACT = N_("If you meet a barrier in IMI, or need information from it in another form, write to {contact}. "
             "Say which screen it was and what you were trying to do.")
NO_CONTACT = N_("If you meet a barrier in IMI, or need information from it in another form, tell your local data "
                "administrator: they pass it on to the people who run this installation.")
GAPS = (
    N_("At a width of 320 pixels, the dashboard's table of authorities scrolls sideways inside its card "
       "instead of reflowing, as a data table may."),
    N_("Attachments that authorities upload (scans, PDF files) are their own documents; IMI does not check or "
       "change their accessibility."),
)


def _checked_text(language: str) -> str:
    when = format_date(LAST_CHECKED, format="long", locale=normalize_language(language))
    return gettext(language, CHECKED, date=when)


def _contact_text(language: str) -> str:
    contact = get_settings().accessibility_contact.strip()
    return gettext(language, CONTACT, contact=contact) if contact else gettext(language, NO_CONTACT)


def _section(title: rx.Var, *children: rx.Component) -> rx.Component:
    return rx.el.section(rx.heading(title, as_="h2", size="4", margin_bottom="8px"), *children,
                         margin_top="20px")


def statement_page() -> rx.Component:
    return info_page(
        rx.heading(T("Accessibility statement"), as_="h1", size=PAGE_TITLE_SIZE, id="statement-heading"),
        rx.text(T("The authorities that run this IMI installation want it to be usable by everyone, in line with "
                  "Directive (EU) 2016/2102 on the accessibility of public sector websites and apps. This "
                  "statement covers the IMI application at this address."), margin_top="12px"),
        _section(T("Compliance status"),
                 rx.text(T("IMI is partially compliant with the European standard EN 301 549 and the Web Content "
                           "Accessibility Guidelines (WCAG) 2.1, level AA, because of the gaps listed below."))),
        _section(T("What is not accessible yet"),
                 rx.el.ul(*[rx.el.li(T(gap)) for gap in GAPS], class_name="imi-list")),
        _section(T("How this statement was prepared"), rx.text(in_reader_language(_checked_text), id="statement-checked")),
        _section(T("Feedback and contact"), rx.text(in_reader_language(_contact_text), id="statement-contact")),
        _section(T("Enforcement"),
                 rx.text(T("If the answer to your feedback does not satisfy you, you can turn to the body that "
                           "enforces Directive (EU) 2016/2102 in your country."))),
    )


def add_pages(app: rx.App) -> None:
    app.add_page(statement_page, route=routes.ACCESSIBILITY, title="IMI",
                 on_load=AppState.adopt_browser_language)
