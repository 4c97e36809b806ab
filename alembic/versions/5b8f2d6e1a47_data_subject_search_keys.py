"""data subject search keys

The person of a request gets folded copies of its name and registration number, so a local data
administrator finds every exchange about a person whatever the accents, case or spacing typed (Regulation
1024/2012 Art. 19). Existing rows are filled in here with the same folding as the model's.

Revision ID: 5b8f2d6e1a47
Revises: 7d1e4b2a9c60
Create Date: 2026-12-04 19:30:00.000000

"""
import unicodedata
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '5b8f2d6e1a47'
down_revision: Union[str, Sequence[str], None] = '7d1e4b2a9c60'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('request_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('identifier_key', sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=True))
    person = sa.table('request_person', sa.column('request_id', sa.Integer), sa.column('full_name', sa.String),
                      sa.column('registration_number', sa.String), sa.column('name_key', sa.String),
                      sa.column('identifier_key', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(person.c.request_id, person.c.full_name,
                                        person.c.registration_number)).all()
    for request_id, name, number in rows:
        connection.execute(person.update().where(person.c.request_id == request_id).values(
            name_key=" ".join(_fold(name).split())[:300],
            identifier_key="".join(ch for ch in _fold(number) if ch.isalnum())[:100]))
    connection.execute(person.update().where(person.c.name_key.is_(None)).values(name_key=''))
    connection.execute(person.update().where(person.c.identifier_key.is_(None)).values(identifier_key=''))
    with op.batch_alter_table('request_person', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sqlmodel.sql.sqltypes.AutoString(length=300),
                              nullable=False)
        batch_op.alter_column('identifier_key', existing_type=sqlmodel.sql.sqltypes.AutoString(length=100),
                              nullable=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('request_person', schema=None) as batch_op:
        batch_op.drop_column('identifier_key')
        batch_op.drop_column('name_key')
