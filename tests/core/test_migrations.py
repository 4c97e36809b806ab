"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pprint

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import imi_app.schema  # noqa: F401  (every table on SQLModel.metadata)
from imi_app import manage
from imi_app.core import db

BEFORE_DEFAULTS_DROPPED = "db47e0b09de0"


def schema_differences(url: str) -> list:
    """What `alembic revision --autogenerate` would write for this database (same options as env.py).

    Nothing is filtered out: the audit log's append-only triggers (and their PostgreSQL function)
    are outside what autogenerate compares, and alembic leaves its own alembic_version table alone.
    """
    with db.get_engine(url).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"target_metadata": SQLModel.metadata, **db.MIGRATION_OPTIONS}
        )
        return compare_metadata(context, SQLModel.metadata)


def _readable(item):
    """Server defaults show their SQL instead of an object address."""
    if isinstance(item, (list, tuple)):
        return type(item)(_readable(part) for part in item)
    if isinstance(item, sa.DefaultClause):
        return f"DEFAULT {getattr(item.arg, 'text', item.arg)}"
    return item


def test_migrated_schema_matches_the_models(database):
    differences = schema_differences(database)
    assert not differences, (
        "the models and the migrated schema differ; fix the model or add a revision:\n"
        + pprint.pformat(_readable(differences), width=110)
    )


def test_manage_migrate_is_a_no_op_at_the_newest_revision(database, capsys):
    manage.main(["migrate"])
    assert "up to date" in capsys.readouterr().out
    assert not schema_differences(database)


def test_dropping_the_added_columns_defaults_keeps_existing_rows(tmp_path):
    """On SQLite the revision copies authority, authority_area and user, which others refer to."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db.migrate(url, BEFORE_DEFAULTS_DROPPED)
    engine = db.get_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO country (code) VALUES ('HU')")
            conn.exec_driver_sql("INSERT INTO legislative_area (id, code, names) VALUES (1, 'services', '{}')")
            conn.exec_driver_sql(
                "INSERT INTO authority (id, country_code, official_name, is_coordinator, contact_email, address,"
                " phone, languages, status, created_at) VALUES (1, 'HU', 'Hivatal', 1, 'a@example.hu', '', '',"
                " 'hu', 'active', '2026-01-01 00:00:00')")
            conn.exec_driver_sql(
                "INSERT INTO authority_area (authority_id, area_id, keywords) VALUES (1, 1, 'Építés')")
            conn.exec_driver_sql(
                "INSERT INTO user (id, authority_id, username, username_key, email, email_key, full_name, phone,"
                " language, is_active, is_lda, password_hash, password_is_temporary, challenge_positions,"
                " totp_enabled, totp_last_step, failed_logins, created_at) VALUES (1, 1, 'eva', 'eva',"
                " 'eva@example.hu', 'eva@example.hu', 'Szabó Éva', '', 'hu', 1, 0, '', 1, '', 0, 0, 0,"
                " '2026-01-01 00:00:00')")
            conn.exec_driver_sql(
                "INSERT INTO role_assignment (user_id, area_id, role) VALUES (1, 1, 'request_handler')")

        db.migrate(url)

        assert not schema_differences(url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT notify_mode, full_name FROM user").one() == ("immediate", "Szabó Éva")
            assert conn.exec_driver_sql("SELECT name_key, rejection_reason FROM authority").one() == ("", "")
            assert conn.exec_driver_sql("SELECT keywords_key FROM authority_area").scalar_one() == ""
            assert conn.exec_driver_sql("SELECT count(*) FROM role_assignment").scalar_one() == 1
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO role_assignment (user_id, area_id, role) VALUES (2, 1, 'allocator')")
    finally:
        db._ENGINES.pop(url).dispose()
