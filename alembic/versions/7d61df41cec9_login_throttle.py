"""login throttle

Failed sign-ins counted per client address and per (username, address) pair, shared by every
worker through the database (SEC-13, imi_app/accounts/throttle.py). Keys are keyed hashes.

Revision ID: 7d61df41cec9
Revises: b42205317a4c
Create Date: 2026-12-02 19:49:03.567026

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '7d61df41cec9'
down_revision: Union[str, Sequence[str], None] = 'b42205317a4c'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('login_throttle',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('wait_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_failure', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('login_throttle')
