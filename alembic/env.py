"""Alembic environment: the models' metadata, and the connection imi_app.core.db prepares.

`imi_app.core.db.migrate()` (and `python -m imi_app.manage migrate`) hands in its connection. The
`alembic` command line (e.g. `alembic revision --autogenerate -m "..."`) gets one the same way,
for the database of the IMI settings (IMI_DATABASE_URL).
"""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import imi_app.schema  # noqa: F401  (registers every table on SQLModel.metadata)
from imi_app.core import db
from imi_app.core.settings import get_settings

config = context.config

# Only the alembic command line reads alembic.ini, and with it its logging set-up.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    """New revisions that name a sqlmodel type (AutoString) import sqlmodel."""
    if type_ == "type" and type(obj).__module__.startswith("sqlmodel"):
        autogen_context.imports.add("import sqlmodel")
    return False  # alembic renders the item itself


def run_migrations_offline() -> None:
    """Write the migrations as SQL (`alembic upgrade head --sql`) instead of running them."""
    context.configure(
        url=get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_item=render_item,
        **db.MIGRATION_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata, render_item=render_item, **db.MIGRATION_OPTIONS
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        with db.migration_connection() as connection:
            _run(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
