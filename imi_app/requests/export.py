"""The overview as CSV: the same filters and visibility, no personal data, cells safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session, select

from imi_app.core.i18n import N_, gettext, normalize_language, localized
from imi_app.core.text import safe_cell
from imi_app.authorities.models import LegislativeArea
from imi_app.accounts.models import User

EXPORT_PAGE = 500
MAX_ROWS = 50_000
HEADERS = (N_("Case id"), N_("Subject"), N_("Status"), N_("Legislative area"), N_("Direction"),
           N_("Counterpart authority"), N_("Country"), N_("Created"), N_("Last change"), N_("Deadline"),
           N_("Overdue"), N_("Allocated to"))
def export_overview_csv(session: Session, *, actor: User, filters=None, sort: str = "updated_at",
                        language: str = "en", max_rows: int = MAX_ROWS) -> str:
    """All rows of the overview with these filters (at most `max_rows`) as CSV text, headers in `language`.

    Only what the overview shows: case id, subject, status, area, direction, counterpart, dates,
    allocated handlers — never the person concerned, free text, answers or files.
    """
    from imi_app.requests.lifecycle import STATUS_LABELS
    from imi_app.requests.queries import DIRECTION_LABELS
    from imi_app.requests.overview import overview

    language = normalize_language(language)
    areas = {a.id: dict(a.names) for a in session.exec(select(LegislativeArea)).all()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(language, h) for h in HEADERS])
    cursor, written = None, 0
    while written < max_rows:
        page = overview(session, actor=actor, filters=filters, sort=sort, after=cursor,
                        limit=min(EXPORT_PAGE, max_rows - written))
        for row in page.rows:
            names = areas.get(row.area_id, {})
            writer.writerow([safe_cell(v) for v in (
                row.case_id, row.subject, gettext(language, STATUS_LABELS.get(row.status, row.status)),
                localized(names, language), gettext(language, DIRECTION_LABELS[row.direction]),
                row.counterpart_name, row.counterpart_country,
                row.created_at.isoformat(timespec="minutes") if row.created_at else "",
                row.updated_at.isoformat(timespec="minutes") if row.updated_at else "",
                row.deadline.isoformat() if row.deadline else "",
                gettext(language, N_("yes")) if row.overdue else "", "; ".join(row.handlers))])
        written += len(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            break
    return out.getvalue()


__all__ = ["HEADERS", "export_overview_csv", "safe_cell"]
