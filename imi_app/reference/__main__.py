"""`python -m imi_app.reference`: migrate the database and load the reference data (any environment)."""

from __future__ import annotations

from imi_app.core.db import migrate, session_scope
from imi_app.reference import AREAS, COUNTRIES, QUESTION_SETS, load


def main() -> None:
    migrate()
    with session_scope() as session:
        loaded = load(session)
    questions = sum(len(q) for q in QUESTION_SETS.values())
    print(f"Reference data: {len(COUNTRIES)} countries, {len(AREAS)} legislative areas, {questions} questions "
          f"({loaded.countries} countries, {loaded.areas} areas and {loaded.questions} questions added now).")


if __name__ == "__main__":
    main()
