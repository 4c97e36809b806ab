"""What the request screens show, each one query (one consistent read): the home page, the request form,
one request's page and its dialogs' choices, the overview and its CSV."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.accounts.users import areas_of_authority, user_roles
from imi_app.authorities.models import Authority, Country
from imi_app.core.actions import query
from imi_app.core.errors import ValidationFailed
from imi_app.requests import queries as q
from imi_app.requests.detail import RequestDetail, request_detail
from imi_app.requests.export import export_overview_csv
from imi_app.requests.figure_list import FigureFilter, FigurePage, figure_requests
from imi_app.requests.frame import load_for_update
from imi_app.requests.lifecycle import allowed
from imi_app.requests.overview import OverviewFilters, OverviewPage, overview

MAX_HANDLERS = 500


@dataclass(frozen=True)
class TaskBoard:
    tasks: q.TaskList
    kinds: frozenset[str]  # the kinds that can come the actor's way: a stat card each, even at 0
    areas: dict[int, str]  # area names in the reader's language


@dataclass(frozen=True)
class HomePage:
    area_roles: tuple[tuple[str, tuple[str, ...]], ...]  # (area name, the actor's roles there) per area of the authority
    board: TaskBoard


def _board(session: Session, actor: User, language: str, limit: int, page: int = 1, kind: str = "") -> TaskBoard:
    return TaskBoard(q.task_list(session, actor=actor, limit=limit, page=page, kind=kind),
                     frozenset(q.task_kinds(session, actor)), q.area_names(session, language))


@query
def task_board(session: Session, *, actor: User, language: str, limit: int = q.TASK_PAGE, page: int = 1,
               kind: str = "") -> TaskBoard:
    """One page of the task list, of one kind or of all (the page refreshes it every minute)."""
    return _board(session, actor, language, limit, page, kind)


@query
def home_page(session: Session, *, actor: User, language: str, limit: int = q.TASK_PAGE) -> HomePage:
    roles = user_roles(session, actor.id)
    rows = tuple((area.name_in(language), tuple(roles.get(area.id, [])))
                 for area in areas_of_authority(session, actor.authority_id))
    return HomePage(rows, _board(session, actor, language, limit))


@query
def request_page(session: Session, *, actor: User, request_id: int, language: str) -> RequestDetail:
    return request_detail(session, actor=actor, request_id=request_id, language=language)


@query
def step_choices(session: Session, *, actor: User, request_id: int, name: str,
                 language: str) -> list[tuple[int, str, bool]]:
    """What a step's dialog offers to choose from (forward: authorities; allocate: handlers, the allocated
    ones marked); nothing for other steps or when the actor may not take the step now."""
    request = load_for_update(session, actor, request_id, "view", lock=False)
    if name not in ("forward", "allocate") or not allowed(session, actor, name, request):
        return []
    if name == "forward":
        return [(i, label, False) for i, label in q.forward_targets(session, actor, request, language)]
    return q.allocation_choices(session, request)


@dataclass(frozen=True)
class AreaChoices:
    questions: list[tuple[int, str, str]]  # (id, text, answer type)
    responders: list[tuple[int, str, str]]  # (id, name, country name)


@dataclass(frozen=True)
class NewRequestForm:
    areas: list[tuple[int, str]]  # where the actor may start a request; empty: they may not
    first: AreaChoices | None  # the first area's questions and responders


@dataclass(frozen=True)
class DraftForm:
    detail: RequestDetail
    editable: bool  # False: not a draft this actor may edit (the page shows the request instead)
    questions: list[tuple[int, str, str]]


def _area_choices(session: Session, actor: User, area_id: int, text: str, language: str) -> AreaChoices:
    return AreaChoices(q.question_set(session, area_id, language),
                       q.responder_choices(session, actor, area_id, text, language))


@query
def new_request_form(session: Session, *, actor: User, language: str, text: str = "") -> NewRequestForm:
    areas = q.creatable_areas(session, actor, language)
    return NewRequestForm(areas, _area_choices(session, actor, areas[0][0], text, language) if areas else None)


@query
def area_choices(session: Session, *, actor: User, area_id: int, text: str, language: str) -> AreaChoices:
    """Another area chosen on the form: its questions and who may answer there."""
    return _area_choices(session, actor, area_id, text, language)


@query
def responder_search(session: Session, *, actor: User, area_id: object, text: str,
                     language: str) -> list[tuple[int, str, str]]:
    return q.responder_choices(session, actor, area_id, text, language)


@query
def draft_form(session: Session, *, actor: User, request_id: int, language: str) -> DraftForm:
    detail = request_detail(session, actor=actor, request_id=request_id, language=language)
    if "edit_draft" not in detail.actions:
        return DraftForm(detail, False, [])
    return DraftForm(detail, True, q.question_set(session, detail.area_id, language))


@dataclass(frozen=True)
class OverviewOptions:
    areas: list[tuple[int, str]]
    countries: list[str]  # codes of the other countries (the counterpart is always abroad)
    handlers: list[tuple[int, str]]  # the request handlers of the actor's authority


@dataclass(frozen=True)
class OverviewScreen:
    page: OverviewPage | None  # None: the filters were refused (see errors)
    errors: dict[str, str]  # field -> msgid
    areas: dict[int, str]
    options: OverviewOptions | None  # only when asked for (opening the page)


def _options(session: Session, actor: User, areas: dict[int, str]) -> OverviewOptions:
    own = session.get(Authority, actor.authority_id)
    codes = session.exec(select(Country.code).where(Country.code != (own.country_code if own else ""))).all()
    handlers = session.exec(select(User.id, User.full_name).join(RoleAssignment, RoleAssignment.user_id == User.id)
                            .where(User.authority_id == actor.authority_id, User.is_active,
                                   RoleAssignment.role == Role.REQUEST_HANDLER)
                            .distinct().order_by(User.full_name).limit(MAX_HANDLERS)).all()
    return OverviewOptions(list(areas.items()), list(codes), [(i, name) for i, name in handlers])  # type: ignore[misc]


@query
def overview_screen(session: Session, *, actor: User, filters: OverviewFilters, sort: str, after: str | None,
                    limit: int, language: str, with_options: bool = False) -> OverviewScreen:
    """One page of the overview (or why its filters were refused), with the filters' options when opening."""
    areas = q.area_names(session, language)
    options = _options(session, actor, areas) if with_options else None
    try:
        page = overview(session, actor=actor, filters=filters, sort=sort, after=after, limit=limit)
    except ValidationFailed as error:
        return OverviewScreen(None, error.errors, areas, options)
    return OverviewScreen(page, {}, areas, options)


@dataclass(frozen=True)
class FigureScreen:
    figure: FigurePage
    areas: dict[int, str]


@query
def figure_screen(session: Session, *, actor: User, wanted: FigureFilter, after: str | None, limit: int,
                  language: str) -> FigureScreen:
    """One page of the requests behind a scoreboard figure (an audited Denied outside the actor's reach)."""
    return FigureScreen(figure_requests(session, actor=actor, wanted=wanted, after=after, limit=limit),
                        q.area_names(session, language))


@query
def overview_csv(session: Session, *, actor: User, filters: OverviewFilters, sort: str, language: str) -> str:
    return export_overview_csv(session, actor=actor, filters=filters, sort=sort, language=language)


__all__ = ["AreaChoices", "DraftForm", "FigureScreen", "figure_screen", "HomePage", "NewRequestForm", "OverviewOptions", "OverviewScreen",
           "TaskBoard", "area_choices", "draft_form", "home_page", "new_request_form", "overview_csv",
           "overview_screen", "request_page", "responder_search", "step_choices", "task_board"]
