"""The SQL a piece of code sends to the database, for tests of query plans and statement counts."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event

from imi_app.core.db import get_engine


def sent_statements(database: str, call: Callable[[], object], *, reads_only: bool = False) -> list[tuple[str, object]]:
    """(statement, parameters) of every statement `call` sends (only SELECTs with `reads_only`)."""
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if not reads_only or statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    engine = get_engine(database)
    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen
