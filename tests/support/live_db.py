"""Reading one value from a live app's database (browser tests), as the test's own connection."""

from __future__ import annotations

import sqlalchemy as sa


def db_value(db_url: str, sql: str, **params: object) -> object:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()
    finally:
        engine.dispose()
