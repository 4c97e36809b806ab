"""The directory: every signed-in user searches the active authorities of all countries."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from babel import Locale
from sqlmodel import Session, func, select

from imi_app.core.i18n import N_, country_name, normalize_language, localized
from imi_app.authorities.models import (
    Authority, AuthorityArea, AuthorityName, AuthorityStatus, Country, LegislativeArea,
)
from imi_app.accounts.models import User
from imi_app.core.actions import query
from imi_app.core.errors import ValidationFailed
from imi_app.authorities import rules as _rules  # noqa: F401 - registers the authority rules
from imi_app.policy import deny, require
from imi_app.core.validation import text_problem
from imi_app.core.text import fold

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
MAX_SEARCH_LENGTH = 200
MAX_TOKENS = 8  # more words than this add nothing but work
SORTS = ("name", "country")


@dataclass(frozen=True)
class DirectoryRow:
    id: int
    official_name: str
    country_code: str
    country_name: str
    is_coordinator: bool
    areas: tuple[str, ...]
    other_name: str = ""  # a name in a further language that matched when the official one did not


@dataclass(frozen=True)
class EntryArea:
    id: int
    code: str
    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class EntryName:
    language: str
    language_name: str
    name: str


@dataclass(frozen=True)
class CoordinatorContact:
    id: int
    name: str
    contact_email: str


@dataclass(frozen=True)
class DirectoryEntry:
    id: int
    official_name: str
    other_names: tuple[EntryName, ...]
    country_code: str
    country_name: str
    address: str
    contact_email: str
    phone: str
    languages: tuple[str, ...]
    areas: tuple[EntryArea, ...]
    is_coordinator: bool
    coordinator: CoordinatorContact | None


def area_label(names: dict | None, code: str, language: str) -> str:
    names = names if isinstance(names, dict) else {}
    return localized(names, language, code)


def language_label(code: str, language: str) -> str:
    """The name of language `code` written in the reader's language ("Hungarian", "német")."""
    try:
        name = Locale.parse(normalize_language(language)).languages.get(code)
    except (ValueError, TypeError):
        name = None
    return name[:1].upper() + name[1:] if name else code  # an unknown code is shown as stored


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(fold(text).split()))[:MAX_TOKENS]


def _patterns(words: list[str]) -> list[str]:
    """Each folded word as a LIKE pattern; % and _ typed by the user are searched for, not wildcards."""
    return ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]


def _likes(column, patterns: list[str]) -> list:
    return [column.like(pattern, escape="\\") for pattern in patterns]


def _validate(session: Session, *, text: object, country: object, area_id: object, keyword: object,
              sort: object, page: object, page_size: object) -> str | None:
    """Checks every filter; returns the country code in canonical form."""
    errors: dict[str, str] = {}
    for name, value in (("text", text), ("keyword", keyword)):
        problem = text_problem(value, required=False, max_length=MAX_SEARCH_LENGTH)
        if problem:
            errors[name] = problem
    code = None
    if country not in (None, ""):
        code = country.upper() if isinstance(country, str) and len(country) == 2 else None
        if code is None or session.get(Country, code) is None:
            errors["country"] = N_("Choose a country from the list.")
    if area_id is not None and (not _is_int(area_id) or session.get(LegislativeArea, area_id) is None):
        errors["area"] = N_("Choose a legislative area from the list.")
    if sort not in SORTS:
        errors["sort"] = N_("This value is not valid.")
    if not _is_int(page) or not 1 <= page <= MAX_PAGE:
        errors["page"] = N_("This value is not valid.")
    if not _is_int(page_size) or not 1 <= page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = N_("This value is not valid.")
    if errors:
        raise ValidationFailed(errors)
    return code


def _conditions(name_patterns: list[str], country: str | None, area_id: int | None,
                keyword_patterns: list[str]) -> list:
    # Uncorrelated IN (subquery) filters: each runs once per search, never once per authority.
    conditions = [Authority.status == AuthorityStatus.ACTIVE]
    if name_patterns:
        other_names = select(AuthorityName.authority_id).where(*_likes(AuthorityName.name_key, name_patterns))
        conditions.append(sa.or_(sa.and_(*_likes(Authority.name_key, name_patterns)),
                                 Authority.id.in_(other_names)))  # type: ignore[union-attr]
    if country:
        conditions.append(Authority.country_code == country)
    if area_id is not None or keyword_patterns:
        areas = select(AuthorityArea.authority_id).where(*_likes(AuthorityArea.keywords_key, keyword_patterns))
        if area_id is not None:
            areas = areas.where(AuthorityArea.area_id == area_id)
        conditions.append(Authority.id.in_(areas))  # type: ignore[union-attr]
    return conditions


def _order(session: Session, sort: str, language: str) -> list:
    order = [Authority.name_key, Authority.id]
    if sort == "country":
        # By the country's name in the reader's language, not by its code ("DE" is "Germany").
        codes = sorted(session.exec(select(Country.code)).all(), key=lambda c: fold(country_name(c, language)))
        rank = sa.case({code: index for index, code in enumerate(codes)}, value=Authority.country_code,
                       else_=len(codes))
        order.insert(0, rank)
    return order


def _area_names(session: Session, ids: list[int], language: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = session.exec(select(AuthorityArea.authority_id, LegislativeArea.code, LegislativeArea.names)
                        .join(LegislativeArea, LegislativeArea.id == AuthorityArea.area_id)
                        .where(AuthorityArea.authority_id.in_(ids))).all()  # type: ignore[attr-defined]
    for authority_id, code, names in rows:
        found.setdefault(authority_id, []).append(area_label(names, code, language))
    return {key: sorted(value, key=fold) for key, value in found.items()}


def _matched_other_names(session: Session, ids: list[int], patterns: list[str]) -> dict[int, str]:
    if not ids or not patterns:
        return {}
    in_page = AuthorityName.authority_id.in_(ids)  # type: ignore[attr-defined]
    rows = session.exec(select(AuthorityName.authority_id, AuthorityName.name)
                        .where(in_page, *_likes(AuthorityName.name_key, patterns))
                        .order_by(AuthorityName.language)).all()
    found: dict[int, str] = {}
    for authority_id, name in rows:
        found.setdefault(authority_id, name)
    return found


def search_authorities(session: Session, *, actor: User | None, text: object = "", country: object = None,
                       area_id: object = None, keyword: object = "", sort: object = "name", page: object = 1,
                       page_size: object = PAGE_SIZE, language: str | None = None) -> tuple[list[DirectoryRow], int]:
    """One page of active authorities matching every given filter, and how many match in all."""
    require(session, actor, "directory.search", None, "directory", "search")
    code = _validate(session, text=text, country=country, area_id=area_id, keyword=keyword, sort=sort,
                     page=page, page_size=page_size)
    language = normalize_language(language or actor.language)
    words = _words(text)  # type: ignore[arg-type]
    name_patterns, keyword_patterns = _patterns(words), _patterns(_words(keyword))  # type: ignore[arg-type]
    conditions = _conditions(name_patterns, code, area_id, keyword_patterns)  # type: ignore[arg-type]
    total = session.exec(select(func.count()).select_from(Authority).where(*conditions)).one()
    offset = (page - 1) * page_size  # type: ignore[operator]
    if offset >= total:
        return [], total
    page_rows = session.exec(
        select(Authority.id, Authority.official_name, Authority.name_key, Authority.country_code,
               Authority.is_coordinator)
        .where(*conditions).order_by(*_order(session, sort, language))  # type: ignore[arg-type]
        .offset(offset).limit(page_size)).all()
    ids = [row[0] for row in page_rows]
    areas = _area_names(session, ids, language)
    other_ids = [row[0] for row in page_rows if not all(w in row[2] for w in words)]
    others = _matched_other_names(session, other_ids, name_patterns)
    return [DirectoryRow(id=a_id, official_name=name, country_code=cc, country_name=country_name(cc, language),
                         is_coordinator=bool(coordinator), areas=tuple(areas.get(a_id, [])),
                         other_name=others.get(a_id, ""))
            for a_id, name, _key, cc, coordinator in page_rows], total


def _entry_areas(session: Session, authority_id: int, language: str) -> tuple[EntryArea, ...]:
    rows = session.exec(select(LegislativeArea, AuthorityArea.keywords)
                        .join(AuthorityArea, AuthorityArea.area_id == LegislativeArea.id)
                        .where(AuthorityArea.authority_id == authority_id)).all()
    areas = [EntryArea(id=area.id, code=area.code, name=area_label(area.names, area.code, language),
                       keywords=tuple(k.strip() for k in (keywords or "").split(",") if k.strip()))
             for area, keywords in rows]
    return tuple(sorted(areas, key=lambda a: fold(a.name)))


def _other_names(session: Session, authority_id: int, language: str) -> tuple[EntryName, ...]:
    rows = session.exec(select(AuthorityName).where(AuthorityName.authority_id == authority_id)
                        .order_by(AuthorityName.language)).all()
    return tuple(EntryName(language=r.language, language_name=language_label(r.language, language), name=r.name)
                 for r in rows)


def _coordinator(session: Session, authority: Authority) -> CoordinatorContact | None:
    parent = session.get(Authority, authority.parent_coordinator_id) if authority.parent_coordinator_id else None
    if parent is None or parent.status != AuthorityStatus.ACTIVE:
        return None
    return CoordinatorContact(id=parent.id, name=parent.official_name, contact_email=parent.contact_email)


def get_authority_entry(session: Session, *, actor: User | None, authority_id: object,
                        language: str | None = None) -> DirectoryEntry:
    """The directory card of one active authority; anything else is "not found" (and audited)."""
    if not _is_int(authority_id):
        raise deny(session, actor, "directory.view", "authority", repr(authority_id)[:40])
    authority = session.get(Authority, authority_id)
    require(session, actor, "directory.view", authority, "authority", authority_id)
    language = normalize_language(language or actor.language)
    return DirectoryEntry(
        id=authority.id, official_name=authority.official_name,
        other_names=_other_names(session, authority.id, language),
        country_code=authority.country_code, country_name=country_name(authority.country_code, language),
        address=authority.address, contact_email=authority.contact_email, phone=authority.phone,
        languages=tuple(language_label(code, language) for code in authority.languages.split(",") if code),
        areas=_entry_areas(session, authority.id, language), is_coordinator=authority.is_coordinator,
        coordinator=_coordinator(session, authority),
    )


@query
def directory_filters(session: Session, *, actor: User | None,
                      language: str | None = None) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The choices of the search form: countries and legislative areas, named in the reader's language."""
    require(session, actor, "directory.search", None, "directory", "filters")
    language = normalize_language(language or actor.language)
    countries = sorted(((c, country_name(c, language)) for c in session.exec(select(Country.code)).all()),
                       key=lambda item: fold(item[1]))
    areas = sorted(((a.id, area_label(a.names, a.code, language)) for a in session.exec(select(LegislativeArea)).all()),
                   key=lambda item: fold(item[1]))
    return countries, areas


@dataclass(frozen=True)
class DirectoryPage:
    rows: list[DirectoryRow]
    total: int
    page: int  # the page shown: the last one when the list shrank under the page asked for


@query
def directory_page(session: Session, *, actor: User, text: object = "", country: object = None,
                   area_id: object = None, keyword: object = "", sort: object = "name", page: object = 1,
                   language: str | None = None) -> DirectoryPage:
    """The search screen's page of results (`search_authorities` with the same filters)."""
    filters = dict(text=text, country=country, area_id=area_id, keyword=keyword, sort=sort, language=language)
    rows, total = search_authorities(session, actor=actor, page=page, **filters)
    if not rows and total and page > 1:  # type: ignore[operator] - checked by the search
        page = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
        rows, total = search_authorities(session, actor=actor, page=page, **filters)
    return DirectoryPage(rows, total, page)  # type: ignore[arg-type]


@query
def directory_entry(session: Session, *, actor: User, authority_id: object,
                    language: str | None = None) -> DirectoryEntry:
    """One entry for the entry screen (`get_authority_entry`)."""
    return get_authority_entry(session, actor=actor, authority_id=authority_id, language=language)
