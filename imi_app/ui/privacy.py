"""The privacy notice (Regulation (EU) No 1024/2012, the IMI Regulation, Articles 18 and 19): the three standard
texts of IMI, for the people whose data the authorities exchange, for the users of IMI, and who is responsible for
what. Public: it is linked from the footer of every page and from the sign-in form, signed in or not."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.core.formats import Formats
from imi_app.core.i18n import N_, available_languages, gettext, localized
from imi_app.core.settings import get_settings
from imi_app.requests.retention import AreaPeriods, Periods, periods_in_force
from imi_app.ui.base import AppState, run
from imi_app.ui.forms import PAGE_TITLE_SIZE
from imi_app.ui.i18n import T, in_reader_language
from imi_app.ui.layout import info_page

TITLE = N_("Privacy notice")
INTRO = N_("This notice explains how personal data is processed in this IMI installation and which rights you "
           "have, as Articles 18 and 19 of Regulation (EU) No 1024/2012 on administrative cooperation through the "
           "Internal Market Information System (the IMI Regulation) require. It has three parts:")

# The three parts: the id of each (the list of contents links to it) and its heading.
EXCHANGED = ("privacy-exchanged", N_("Privacy statement for the people whose data is exchanged"))
USERS = ("privacy-users", N_("Privacy statement for IMI users"))
RESPONSIBILITIES = ("privacy-responsibilities", N_("Responsibilities"))
PARTS = (EXCHANGED, USERS, RESPONSIBILITIES)

WHICH_DATA = N_("Which personal data is processed")
WHY = N_("Why it is processed")
WHO_SEES = N_("Who sees your data")
HOW_LONG = N_("How long your data is kept")
RIGHTS = N_("Your rights")

EXCHANGED_DATA = (
    N_("your name, date of birth, nationality, address and registration numbers, such as the number in a "
       "professional or trade register"),
    N_("the questions the authorities ask and the answers they give about you, for example about your "
       "qualifications, your registration or measures taken against you"),
    N_("documents attached to the exchange, such as copies of diplomas or certificates"),
    N_("notes written by the officials who handle the exchange"),
)
SUBJECT_RIGHTS = (
    N_("to know which data about you is held in IMI, and to receive a copy of it (access)"),
    N_("to have inaccurate or incomplete data corrected"),
    N_("to have data erased that was processed unlawfully"),
    N_("to have your data blocked while its accuracy or the lawfulness of its processing is being checked"),
)
USER_DATA = (
    N_("your name, e-mail address, telephone number and username, and the language, time zone and e-mail "
       "notifications you chose"),
    N_("your authority, and the roles and legislative areas it gave you"),
    N_("records of your sign-ins: when you signed in and out, and failed attempts"),
    N_("the audit log: what you did in IMI, and when"),
    N_("your password and security code, kept only in a form that cannot be read back"),
)

RETENTION = N_("Your data is blocked {block} after the exchange is closed: from then on it is no longer shown in "
               "IMI, and it may only be used to prove that the exchange took place, with your consent or for "
               "overriding reasons of public interest. It is deleted automatically {delete} after the exchange "
               "was closed.")
LONGER = N_("Where the law of a legislative area asks for it, the data of its exchanges is kept longer:")
AREA, BLOCKED_AFTER, DELETED_AFTER = N_("Legislative area"), N_("Blocked after"), N_("Deleted after")

CONTACT = N_("For questions about how this installation processes personal data, write to {contact}.")
NO_CONTACT = N_("For questions about how this installation processes personal data, users of IMI can ask their "
                "local data administrator, who passes them on to the people who run the installation. Anyone "
                "else can ask the authority that handled their case.")


def contact_text(language: str) -> str:
    """The contact paragraph in `language`: the address of IMI_PRIVACY_CONTACT, or where to ask without one."""
    contact = get_settings().privacy_contact.strip()
    return gettext(language, CONTACT, contact=contact) if contact else gettext(language, NO_CONTACT)


def retention_texts(language: str, default: Periods, areas: list[AreaPeriods]) -> tuple[str, list[list[str]]]:
    """The retention paragraph in `language` with the installation's periods, and [area, blocked after, deleted
    after] for each legislative area that keeps data longer."""
    formats = Formats(language)
    text = gettext(language, RETENTION, block=formats.period(default.block_months),
                   delete=formats.period(default.delete_months))
    return text, [[localized(area.names, language, area.code), formats.period(area.periods.block_months),
                   formats.period(area.periods.delete_months)] for area in areas]


def _retention_notice() -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    default, areas = periods_in_force()
    texts = {language: retention_texts(language, default, areas) for language in available_languages()}
    return ({language: text for language, (text, _rows) in texts.items()},
            {language: rows for language, (_text, rows) in texts.items()})


class RetentionNotice(rx.State):
    """The periods the notice states, in every language (the reader's is picked in the browser): read from the
    settings and the legislative areas when the page opens, so the notice says what the retention job does."""

    how_long: dict[str, str] = {}
    areas: dict[str, list[list[str]]] = {}

    @rx.event
    async def load(self):
        self.how_long, self.areas = await run(_retention_notice)


def _area_periods() -> rx.Component:
    rows = (RetentionNotice.areas[AppState.lang] | []).to(list[list[str]])  # [] until the page has read them
    return rx.cond(rows.length() > 0, rx.box(
        _paragraph(LONGER),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(T(title))
                                           for title in (AREA, BLOCKED_AFTER, DELETED_AFTER)])),
            rx.table.body(rx.foreach(rows, lambda row: rx.table.row(
                rx.table.row_header_cell(row[0]), rx.table.cell(row[1]), rx.table.cell(row[2])))),
            variant="surface", width="100%", margin_top="8px", id="privacy-area-periods",
        ),
    ))


def _paragraph(message: str, **props) -> rx.Component:
    return rx.text(T(message), line_height="1.6", **props)


def _items(messages: tuple[str, ...]) -> rx.Component:
    return rx.el.ul(*[rx.el.li(T(message)) for message in messages], class_name="imi-list")


def _topic(title: str, *children: rx.Component) -> rx.Component:
    return rx.box(rx.heading(T(title), as_="h3", size="3", margin_bottom="6px"),
                  rx.flex(*children, direction="column", gap="8px"), margin_top="18px")


def _part(part: tuple[str, str], *children: rx.Component) -> rx.Component:
    anchor, title = part
    return rx.el.section(
        rx.heading(T(title), as_="h2", size="5", id=f"{anchor}-heading"), *children,
        id=anchor, aria_labelledby=f"{anchor}-heading", margin_top="28px", padding_top="20px",
        border_top=f"1px solid {rx.color('gray', 5)}",
        # A jump from the contents keeps the heading clear of the window's top edge.
        scroll_margin_top="16px",
    )


def _contents() -> rx.Component:
    return rx.el.nav(
        rx.el.ul(*[rx.el.li(rx.link(T(title), href=f"#{anchor}")) for anchor, title in PARTS],
                 class_name="imi-list"),
        aria_label=T("Contents"), margin_top="8px",
    )


def _exchanged_part() -> rx.Component:
    return _part(
        EXCHANGED,
        _topic(N_("What IMI is"), _paragraph(N_(
            "IMI, the Internal Market Information System, is a secure online tool through which the public "
            "authorities of the countries of the European Economic Area work together under the rules of the "
            "internal market. An authority uses it to ask an authority in another country for information, for "
            "example whether a professional qualification is genuine or whether a business is registered, and "
            "to receive the answer."))),
        _topic(WHICH_DATA,
               _paragraph(N_("When an authority asks about you, or about a business you run, the exchange can "
                             "contain:")),
               _items(EXCHANGED_DATA),
               _paragraph(N_("Only the data that the exchange needs may be entered."))),
        _topic(WHY, _paragraph(N_(
            "Your data is processed only for administrative cooperation between the authorities under the "
            "internal-market law that applies to your case, for example the rules on the recognition of "
            "professional qualifications or on services. It may not be used for any other purpose."))),
        _topic(WHO_SEES, _paragraph(N_(
            "Only the authorities taking part in the exchange see your data: the authority that asks, the "
            "authority that answers, an authority that passed the request on, and an IMI coordinator while the "
            "exchange awaits its approval. Within each of them, only the officials who handle the exchange have "
            "access, because they need it for their work. Other authorities and the public cannot see it."))),
        _topic(HOW_LONG,
               rx.text((RetentionNotice.how_long[AppState.lang] | "").to(str), line_height="1.6", id="privacy-retention"),
               _area_periods()),
        _topic(RIGHTS,
               _paragraph(N_("Under Article 19 of the IMI Regulation and the General Data Protection Regulation "
                             "(EU) 2016/679, you have the right:")),
               _items(SUBJECT_RIGHTS),
               _paragraph(N_("A correction or an erasure is made as soon as possible, and at the latest within "
                             "30 days of the request reaching the authority responsible."))),
        _topic(N_("How to use your rights"), _paragraph(N_(
            "Write to the authority that handled your case: the one that asked about you or the one that "
            "answered. It can see the exchange and acts on your request, together with the other authority "
            "where needed. You can also turn to that authority's data protection officer. If you do not know "
            "which authorities took part, ask the authority in your own country that dealt with your case."))),
        _topic(N_("Complaints"), _paragraph(N_(
            "If you think your data has been processed unlawfully, you can complain to the data protection "
            "supervisory authority of your country, which supervises the authorities there. The European Data "
            "Protection Supervisor (EDPS) supervises the institutions of the European Union and works together "
            "with the national supervisory authorities on IMI."))),
    )


def _users_part() -> rx.Component:
    return _part(
        USERS,
        _paragraph(N_("This part is for the officials who sign in to IMI."), margin_top="8px"),
        _topic(WHICH_DATA,
               _paragraph(N_("To give you access to IMI and to show who did what, IMI processes:")),
               _items(USER_DATA)),
        _topic(WHY, _paragraph(N_(
            "Your data is used to run your account, to sign you in securely, to send you the e-mails you chose, "
            "to show the other officials who handles an exchange, and to keep the use of IMI accountable through "
            "the audit log."))),
        _topic(WHO_SEES, _paragraph(N_(
            "The local data administrators of your authority manage your account and see its data. The "
            "officials of the other authorities in an exchange see your name where you act in it. The audit log "
            "is read only by the administrators of the authorities it concerns. The people who run this "
            "installation see the data only where its operation and security need it."))),
        _topic(HOW_LONG, _paragraph(N_(
            "Your account data is kept as long as your account exists. The entries in the audit log are kept, "
            "unchanged, for as long as the audit log is kept, so that it can be checked afterwards who did "
            "what."))),
        _topic(RIGHTS, _paragraph(N_(
            "You can see and correct your username, name, telephone number, language and notification settings "
            "yourself, in your profile. For anything else, for example a copy of all data about you, a change to "
            "your e-mail address or roles, or the closing of your account, ask a local data administrator of "
            "your authority. Complaints go to the data protection supervisory authority of your country."))),
    )


def _responsibilities_part() -> rx.Component:
    return _part(
        RESPONSIBILITIES,
        _paragraph(N_(
            "Each authority that takes part in IMI is a controller for its own processing: for the data it enters "
            "and the answers it gives, for what it does with the information it receives, and for the accounts of "
            "its users. Questions and requests about that processing go to the authority and its data protection "
            "officer."), margin_top="8px"),
        _paragraph(N_(
            "The operator of this installation runs the system: its servers, their security, the backups and the "
            "software. It processes personal data only for that, on behalf of the authorities, and does not use "
            "it for any purpose of its own."), margin_top="8px"),
        _topic(N_("Contact"), rx.text(in_reader_language(contact_text), line_height="1.6", id="privacy-contact")),
    )


def privacy_page() -> rx.Component:
    return info_page(
        rx.heading(T(TITLE), as_="h1", size=PAGE_TITLE_SIZE, id="privacy-heading"),
        _paragraph(INTRO, margin_top="12px"),
        _contents(),
        _exchanged_part(),
        _users_part(),
        _responsibilities_part(),
    )


def add_pages(app: rx.App) -> None:
    app.add_page(privacy_page, route=routes.PRIVACY, title="IMI",
                 on_load=[AppState.adopt_browser_language, RetentionNotice.load])
