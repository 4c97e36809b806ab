"""retention due indexes

The retention job takes the next batch of closed requests whose personal data is still to be blocked (or
deleted), in id order. With an index over every request it walked past all the requests handled already:
about 200 ms a batch at 1 000 000 requests on PostgreSQL, growing as the job went on. Two partial indexes
hold only the closed requests not yet blocked / not yet deleted, so each batch reads just those.

Revision ID: 9a3c6e1f4b20
Revises: 5b8f2d6e1a47
Create Date: 2026-12-07 15:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '9a3c6e1f4b20'
down_revision: Union[str, Sequence[str], None] = '5b8f2d6e1a47'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TO_BLOCK = "personal_data_blocked_at IS NULL AND closed_at IS NOT NULL"
TO_DELETE = "personal_data_deleted_at IS NULL AND closed_at IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_index('ix_info_request_retention_block')
        batch_op.drop_index('ix_info_request_retention_delete')
        batch_op.create_index('ix_info_request_to_block', ['id'], unique=False,
                              sqlite_where=sa.text(TO_BLOCK), postgresql_where=sa.text(TO_BLOCK))
        batch_op.create_index('ix_info_request_to_delete', ['id'], unique=False,
                              sqlite_where=sa.text(TO_DELETE), postgresql_where=sa.text(TO_DELETE))


def downgrade() -> None:
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_index('ix_info_request_to_delete')
        batch_op.drop_index('ix_info_request_to_block')
        batch_op.create_index('ix_info_request_retention_delete', ['personal_data_deleted_at', 'closed_at'],
                              unique=False)
        batch_op.create_index('ix_info_request_retention_block', ['personal_data_blocked_at', 'closed_at'],
                              unique=False)
