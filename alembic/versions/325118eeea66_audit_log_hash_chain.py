"""audit log hash chain

Each audit row stores SHA-256 of the previous row's hash and its own canonical content
(imi_app/core/audit.py); `python -m imi_app.manage verify-audit` checks the chain. The rows
already there are chained here, in id order, so the chain starts at the first row of the log.

Revision ID: 325118eeea66
Revises: ee26e60e7b91
Create Date: 2026-12-03 08:23:52.090498

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from imi_app.core.audit import canonical_content, link_hash

# revision identifiers, used by Alembic.
revision: str = '325118eeea66'
down_revision: Union[str, Sequence[str], None] = 'ee26e60e7b91'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

AUDIT_LOG = sa.table(
    'audit_log', sa.column('id', sa.Integer()), sa.column('at', sa.DateTime(timezone=True)),
    sa.column('actor_user_id', sa.Integer()), sa.column('actor_authority_id', sa.Integer()),
    sa.column('action', sa.String()), sa.column('object_type', sa.String()), sa.column('object_id', sa.String()),
    sa.column('before', sa.JSON()), sa.column('after', sa.JSON()), sa.column('chain_hash', sa.String()),
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    for verb in ('UPDATE', 'DELETE')
]


def _append_only(on: bool) -> None:
    """The append-only triggers, lifted while this revision writes the hashes of the rows already there
    (and, on SQLite, while a batch operation copies the table)."""
    if op.get_bind().dialect.name == 'sqlite':
        if on:
            for statement in SQLITE_TRIGGERS:
                op.execute(statement)
        else:
            op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
            op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute(f"ALTER TABLE audit_log {'ENABLE' if on else 'DISABLE'} TRIGGER audit_log_append_only")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))

    bind = op.get_bind()
    rows = bind.execute(sa.select(AUDIT_LOG).order_by(AUDIT_LOG.c.id)).all()
    if not rows:
        return
    _append_only(False)
    tip = None
    for row in rows:
        tip = link_hash(tip, canonical_content(row.at, row.actor_user_id, row.actor_authority_id, row.action,
                                               row.object_type, row.object_id, row.before, row.after))
        bind.execute(sa.update(AUDIT_LOG).where(AUDIT_LOG.c.id == row.id).values(chain_hash=tip))
    _append_only(True)


def downgrade() -> None:
    """Downgrade schema."""
    _append_only(False)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('chain_hash')
    _append_only(True)
