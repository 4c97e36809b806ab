"""users' time zone

Times on the pages are shown in the reader's zone: the one chosen in the profile, or, while none is
chosen (NULL, every existing user), the zone of the authority's country. Nullable, so no table copy
and no server default.

Revision ID: 3c5e7a9b1d2f
Revises: 325118eeea66
Create Date: 2026-12-03 08:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '3c5e7a9b1d2f'
down_revision: Union[str, Sequence[str], None] = '325118eeea66'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
