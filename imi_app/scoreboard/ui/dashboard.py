"""The coordinator's dashboard: the overall verdict, the five indicators with their lights and definitions,
each coordinated authority's figures (worst first) and the open backlog by age, as a chart and a table."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.core.i18n import N_
from imi_app.scoreboard.ui.dashboard_state import ALL, DashboardState as S, OwnFiguresState as O
from imi_app.ui.admin import access_gate
from imi_app.ui.forms import field_error, page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.ui.tables import column, empty_card

LIGHT_COLORS = {"green": "grass", "yellow": "amber", "red": "red", "none": "gray"}
LIGHT_ICONS = {"green": "circle-check", "yellow": "circle-alert", "red": "circle-x", "none": "circle-dashed"}
VERDICT_COLORS = {"above": "grass", "average": "amber", "below": "red", "none": "gray"}


def _by(value: rx.Var, table: dict[str, str]) -> rx.Var:
    return rx.match(value, *[(key, shown) for key, shown in table.items()], table["none"])


def light_badge(light: rx.Var, label: rx.Var) -> rx.Component:
    """The light as colour, icon and word: never colour alone."""
    return rx.badge(rx.match(light, *[(k, rx.icon(icon, size=14)) for k, icon in LIGHT_ICONS.items()],
                             rx.icon("circle-dashed", size=14)),
                    label, color_scheme=_by(light, LIGHT_COLORS), variant="soft", size="2", radius="full")


def _filters() -> rx.Component:
    select_width = rx.breakpoints(initial="100%", md="auto")
    return rx.card(rx.vstack(
        rx.flex(
            rx.vstack(
                rx.el.label(T("Period"), html_for="dashboard-period", class_name="imi-label"),
                rx.select.root(
                    rx.select.trigger(id="dashboard-period", width="100%", min_width="12em"),
                    rx.select.content(rx.foreach(S.presets, lambda p: rx.select.item(p[1], value=p[0]))),
                    value=S.preset, on_change=S.set_preset, size="2"),
                spacing="1", width=select_width,
            ),
            rx.vstack(
                rx.el.label(T("Legislative area"), html_for="dashboard-area", class_name="imi-label"),
                rx.select.root(
                    rx.select.trigger(id="dashboard-area", width="100%", min_width="14em"),
                    rx.select.content(rx.select.item(T("Every legislative area"), value=ALL),
                                      rx.foreach(S.area_options, lambda a: rx.select.item(a[1], value=a[0]))),
                    value=S.area, on_change=S.set_area, size="2"),
                spacing="1", width=select_width,
            ),
            rx.vstack(
                rx.text(T("Requests"), class_name="imi-label", id="dashboard-side-label"),
                rx.segmented_control.root(
                    rx.segmented_control.item(T("Incoming"), value="incoming", id="side-incoming"),
                    rx.segmented_control.item(T("Outgoing"), value="outgoing", id="side-outgoing"),
                    value=S.side, on_change=S.set_side, size="2",
                    custom_attrs={"aria-labelledby": "dashboard-side-label"}),
                spacing="1",
            ),
            spacing="4", wrap="wrap", align=rx.breakpoints(initial="stretch", md="end"), width="100%",
            direction=rx.breakpoints(initial="column", md="row"),
        ),
        rx.cond(S.preset == "custom", rx.form(
            rx.flex(
                rx.vstack(rx.el.label(T("First day"), html_for="dashboard-first", class_name="imi-label"),
                          rx.input(type="date", name="first_day", id="dashboard-first", default_value=S.first_day,
                                   size="2"),
                          field_error(S.errors.get("first_day", "").to(str)), spacing="1"),
                rx.vstack(rx.el.label(T("Last day"), html_for="dashboard-last", class_name="imi-label"),
                          rx.input(type="date", name="last_day", id="dashboard-last", default_value=S.last_day,
                                   size="2"),
                          field_error(S.errors.get("last_day", "").to(str)), spacing="1"),
                rx.button(T("Show"), type="submit", size="2", id="dashboard-apply"),
                spacing="3", align="end", wrap="wrap"),
            on_submit=S.apply_dates, no_validate=True, key=S.first_day + S.last_day, width="100%")),
        rx.flex(
            rx.text(T("Period shown:"), " ", rx.text.strong(S.period_text, id="dashboard-period-text"), size="2",
                    color_scheme="gray"),
            rx.spacer(),
            rx.hstack(
                rx.button(rx.icon("download", size=16), T("Download as CSV"), variant="soft", size="2",
                          on_click=S.download_csv, id="dashboard-csv"),
                rx.button(rx.icon("file-text", size=16), T("Download PDF"), variant="soft", size="2",
                          on_click=S.download_pdf, id="dashboard-pdf"),
                rx.button(rx.icon("printer", size=16), T("Print"), variant="soft", size="2",
                          on_click=rx.call_script("window.print()"), id="dashboard-print"),
                spacing="2", wrap="wrap", class_name="imi-no-print"),
            align="center", wrap="wrap", gap="2", width="100%"),
        spacing="3", width="100%",
    ), width="100%")


def _verdict() -> rx.Component:
    return rx.card(rx.hstack(
        rx.icon("gauge", size=28, color=rx.color(_by(S.verdict, VERDICT_COLORS), 10)),
        rx.vstack(
            rx.text(T("Overall"), size="2", color_scheme="gray"),
            # "Überdurchschnittlich" at 320 px: broken rather than cut off.
            rx.text(S.verdict_label, size="6", weight="bold", id="dashboard-verdict", class_name="imi-hyphens",
                    overflow_wrap="anywhere", color=rx.color(_by(S.verdict, VERDICT_COLORS), 11)),
            spacing="0", min_width="0"),
        rx.spacer(),
        rx.vstack(rx.text(T("Score"), size="2", color_scheme="gray"),
                  rx.text(S.score, size="6", weight="bold", id="dashboard-score"), spacing="0", align="end"),
        align="center", width="100%", spacing="3",
    ), width="100%", border_left=rx.cond(S.verdict == "none", "none",
                                         f"6px solid {rx.color('gray', 8)}"))


def _figure_value(card, shown: rx.Component, element_id) -> rx.Component:
    """The figure as a link to the overview listing the requests it counts (none without any)."""
    return rx.cond(card["href"] != "", rx.link(shown, href=card["href"], id=element_id, underline="always",
                                               title=card["link_label"]), shown)


def _indicator_card(card) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(card["title"], size="3", as_="h3"), rx.spacer(),
                  light_badge(card["light"], card["light_label"]), align="center", width="100%", wrap="wrap"),
        _figure_value(card, rx.text(card["value"], size="8", weight="bold", id="figure-" + card["key"]),
                      "figure-link-" + card["key"]),
        rx.text(card["basis"], size="1", color_scheme="gray"),
        rx.text(card["definition"], size="1", color_scheme="gray"),
        spacing="2", width="100%",
    ), width="100%", id="card-" + card["key"],
        border_top=f"4px solid {rx.color('gray', 6)}")


def _indicators() -> rx.Component:
    return rx.grid(rx.foreach(S.cards, _indicator_card), columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                   spacing="3", width="100%")


def _figure_cell(f, authority_id) -> rx.Component:
    return rx.table.cell(rx.vstack(
        _figure_value(f, rx.text(f["value"], weight="medium"), "figure-link-" + authority_id + "-" + f["key"]),
        light_badge(f["light"], f["light_label"]), spacing="1", align="start"))


def _authority_row(row) -> rx.Component:
    authority_id = row["id"].to(str)
    return rx.table.row(
        rx.table.row_header_cell(rx.link(row["name"], href=routes.directory_entry(authority_id),
                                          weight="medium")),
        rx.foreach(row["figures"].to(list[dict[str, str]]), lambda f: _figure_cell(f, authority_id)),
        rx.table.cell(rx.vstack(rx.text(row["score"], weight="bold"),
                                rx.badge(row["verdict_label"], color_scheme=_by(row["verdict"].to(str), VERDICT_COLORS),
                                         variant="soft"), spacing="1", align="start")),
        id="authority-row-" + authority_id,
    )


def _sort_header(c) -> rx.Component:
    """A column title that sorts by it; aria-sort tells a screen reader which column orders the rows."""
    return rx.table.column_header_cell(
        rx.button(c[1], rx.match(c[2], ("ascending", rx.icon("arrow-down", size=14)),
                                 ("descending", rx.icon("arrow-up", size=14)), rx.icon("arrow-up-down", size=14)),
                  variant="ghost", color_scheme="gray", high_contrast=True, size="1", on_click=S.sort(c[0]),
                  id="sort-" + rx.cond(c[0] != "", c[0], "overall"), white_space="normal", text_align="left",
                  style={"font-weight": "bold"}),
        custom_attrs={"aria-sort": c[2]})


def _authorities() -> rx.Component:
    return rx.vstack(
        rx.heading(T("Authorities, worst first"), size="4", as_="h2"),
        rx.text(T("Choose a column to sort by it; choose it again to turn the order round."), size="1",
                color_scheme="gray"),
        rx.cond(S.rows.length() > 0, rx.box(rx.table.root(
            rx.table.header(rx.table.row(rx.foreach(S.sort_columns, _sort_header))),
            rx.table.body(rx.foreach(S.rows, _authority_row)),
            variant="surface", width="100%", id="dashboard-authorities"),
            overflow_x="auto", width="100%", tab_index=0, role="region",
            custom_attrs={"aria-label": T("Authorities, worst first")}),
            empty_card("inbox", rx.text(T("No request of the authorities you coordinate falls in this period.")),
                       "dashboard-empty")),
        spacing="2", width="100%",
    )


def _bars(heading: str, hint: str, first_column: str, data: rx.Var, element_id: str,
          counted: str = N_("Requests")) -> rx.Component:
    """A bar chart of counts, and the same counts as a table behind it for a screen reader and for print."""
    return rx.card(rx.vstack(
        rx.heading(T(heading), size="4", as_="h2", id=element_id + "-heading"),
        rx.text(T(hint), size="1", color_scheme="gray"),
        rx.box(rx.recharts.bar_chart(
            rx.recharts.bar(data_key="count", fill=rx.color("indigo", 9), name=T(counted),
                            is_animation_active=False),  # drawn at once: for print, and for reduced motion
            rx.recharts.x_axis(data_key="label"), rx.recharts.y_axis(allow_decimals=False),
            rx.recharts.graphing_tooltip(),
            data=data, width="100%", height=220,
            # The table below says it all to a screen reader: the picture takes no keyboard stop of its own.
            custom_attrs={"accessibilityLayer": False}),
            width="100%", aria_hidden="true"),
        rx.table.root(
            rx.table.header(rx.table.row(column(first_column), column(counted))),
            rx.table.body(rx.foreach(data, lambda b: rx.table.row(
                rx.table.row_header_cell(b["label"]), rx.table.cell(b["count"])))),
            size="1", variant="ghost", id=element_id + "-table"),
        spacing="2", width="100%",
    ), width="100%")


def _backlog() -> rx.Component:
    return _bars(N_("Open requests by age"), N_("Days since the request reached the responding authority."),
                 N_("Age"), S.backlog, "backlog", N_("Open requests"))


def _distributions() -> rx.Component:
    """How long the answers took, and where the open requests stand."""
    return rx.grid(
        _bars(N_("Days to answer"), N_("The requests of speed in answering, by whole days from acceptance to the "
                                       "answer."), N_("Days"), S.answer_days, "answer-days"),
        _bars(N_("Open requests by status"), N_("The same open requests as by age, by where they stand."),
              N_("Status"), S.open_status, "open-status"),
        columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%")


def _trend() -> rx.Component:
    """One indicator month by month against its thresholds (dashed: the bounds of green and of yellow)."""
    return rx.card(rx.vstack(
        rx.flex(
            rx.heading(T("Month by month"), size="4", as_="h2", id="trend-heading"),
            rx.spacer(),
            rx.hstack(
                rx.el.label(T("Indicator"), html_for="trend-indicator", class_name="imi-label"),
                rx.select.root(
                    rx.select.trigger(id="trend-indicator"),
                    rx.select.content(rx.foreach(S.trend_options, lambda o: rx.select.item(
                        o[1], value=o[0], id="trend-" + o[0]))),
                    value=S.trend_key, on_change=S.set_trend, size="2"),
                align="center", spacing="2"),
            wrap="wrap", align="center", width="100%", gap="2"),
        rx.text(T("The dashed lines are the bounds of green and of yellow."), size="1", color_scheme="gray"),
        rx.box(rx.recharts.line_chart(
            rx.recharts.line(data_key="value", stroke=rx.color("indigo", 9), stroke_width=2, is_animation_active=False,
                             name=T("Value")),
            rx.recharts.reference_line(y=S.trend_lines[0], stroke=rx.color("green", 9), stroke_dasharray="5 4"),
            rx.recharts.reference_line(y=S.trend_lines[1], stroke=rx.color("amber", 9), stroke_dasharray="5 4"),
            rx.recharts.x_axis(data_key="month"), rx.recharts.y_axis(), rx.recharts.graphing_tooltip(),
            data=S.trend, width="100%", height=240, margin={"top": 12, "right": 24, "left": 0, "bottom": 0},
            custom_attrs={"accessibilityLayer": False}),
            width="100%", aria_hidden="true"),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(column(N_("Month")), column(N_("Value")), column(N_("Light")))),
            rx.table.body(rx.foreach(S.trend, lambda m: rx.table.row(
                rx.table.row_header_cell(m["month"]), rx.table.cell(m["text"]), rx.table.cell(m["light"])))),
            size="1", variant="ghost", id="trend-table"), overflow_x="auto", width="100%", max_height="260px",
            overflow_y="auto", tab_index=0, role="region", custom_attrs={"aria-label": T("Month by month")}),
        spacing="2", width="100%",
    ), width="100%")


def _waiting_row(w) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(w["case_id"], href=w["href"], weight="medium", white_space="nowrap",
                                         id="waiting-case-" + w["id"])),
        rx.table.cell(rx.vstack(rx.text(w["coordinator"], size="2"), rx.text(w["what"], size="1", color_scheme="gray"),
                                spacing="0")),
        rx.table.cell(rx.text(w["since"], size="2", white_space="nowrap")),
        rx.table.cell(rx.hstack(rx.text(w["days"], size="2", weight="bold"),
                                rx.cond(w["escalated"] != "", rx.badge(rx.icon("siren", size=12), T("Escalated"),
                                                                       color_scheme="red", variant="surface",
                                                                       high_contrast=True)),
                                spacing="2", align="center")),
        id="waiting-row-" + w["id"],
    )


def _waiting() -> rx.Component:
    """What waits on this coordinator or one below it (requests.escalation), the longest first."""
    return rx.card(rx.vstack(
        rx.heading(T("Waiting on coordinators"), size="4", as_="h2", id="waiting-heading"),
        rx.text(S.waiting_hint, size="1", color_scheme="gray"),
        rx.cond(S.waiting.length() > 0, rx.box(rx.table.root(
            rx.table.header(rx.table.row(column(N_("Case")), column(N_("Waiting on")), column(N_("Since")),
                                         column(N_("Working days")))),
            rx.table.body(rx.foreach(S.waiting, _waiting_row)),
            size="1", variant="ghost", width="100%", id="dashboard-waiting"), overflow_x="auto", width="100%"),
            rx.text(T("Nothing waits on you or the coordinators below you."), size="2", id="waiting-none")),
        spacing="2", width="100%",
    ), width="100%")


def dashboard_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Dashboard"), N_("How the authorities you coordinate handle their requests: the five "
                                         "indicators of the Single Market Scoreboard.")),
        access_gate(S.access, rx.vstack(
            rx.text(S.coordinator, size="2", weight="medium", id="dashboard-coordinator"),
            _filters(), _verdict(), _indicators(), _waiting(), _authorities(), _trend(), _distributions(), _backlog(),
            spacing="4", width="100%")),
        spacing="4", width="100%", on_unmount=S.leave,
    ))


def _own_row(card) -> rx.Component:
    # The title keeps room for its words (German ones are long); the figure and its light go below it if needed.
    return rx.flex(
        rx.text(card["title"], size="2", flex="1 1 9em", min_width="0", class_name="imi-hyphens"),
        rx.hstack(_figure_value(card, rx.text(card["value"], size="2", weight="bold", id="own-figure-" + card["key"]),
                                "own-figure-link-" + card["key"]),
                  light_badge(card["light"], card["light_label"]), align="center", spacing="2", flex_shrink="0",
                  margin_left="auto"),
        align="center", justify="between", wrap="wrap", width="100%", gap="1", title=card["definition"],
    )


def own_figures_card() -> rx.Component:
    """The own authority's incoming figures of the last 12 months, for its home page."""
    return rx.card(rx.vstack(
        rx.hstack(rx.icon("gauge", size=18, color=rx.color("indigo", 10)),
                  rx.heading(T("My authority's figures"), size="3", as_="h2"), align="center", spacing="2"),
        rx.text(T("Incoming requests of the last 12 months"), size="1",
                color_scheme="gray"),
        rx.cond(O.own_cards.length() > 0, rx.vstack(rx.foreach(O.own_cards, _own_row), spacing="2", width="100%"),
                rx.spinner(size="2")),
        rx.text(T("Open incoming requests:"), " ", rx.text.strong(O.own_open, id="own-open"), size="2"),
        spacing="2", width="100%",
    ), width="100%", id="own-figures", on_mount=O.open_figures, on_unmount=O.leave)
