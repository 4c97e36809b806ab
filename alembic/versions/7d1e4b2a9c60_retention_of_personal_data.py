"""retention of personal data

Requests remember when their personal data was deleted (it was blocked before, personal_data_blocked_at);
legislative areas may hold longer periods than the installation's settings where their sector act allows;
an outbox mail knows the request it is about, so it is deleted with the request's personal data. All
nullable: no table copy of existing rows' values is needed and no server default is left behind.

Revision ID: 7d1e4b2a9c60
Revises: 3c5e7a9b1d2f
Create Date: 2026-12-03 14:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '7d1e4b2a9c60'
down_revision: Union[str, Sequence[str], None] = '3c5e7a9b1d2f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal_data_deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_info_request_retention_block', ['personal_data_blocked_at', 'closed_at'],
                              unique=False)
        batch_op.create_index('ix_info_request_retention_delete', ['personal_data_deleted_at', 'closed_at'],
                              unique=False)
    with op.batch_alter_table('legislative_area', schema=None) as batch_op:
        batch_op.add_column(sa.Column('block_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delete_months', sa.Integer(), nullable=True))
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_mail_outbox_request_id'), ['request_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_request_id'))
        batch_op.drop_column('request_id')
    with op.batch_alter_table('legislative_area', schema=None) as batch_op:
        batch_op.drop_column('delete_months')
        batch_op.drop_column('block_months')
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_index('ix_info_request_retention_delete')
        batch_op.drop_index('ix_info_request_retention_block')
        batch_op.drop_column('personal_data_deleted_at')
