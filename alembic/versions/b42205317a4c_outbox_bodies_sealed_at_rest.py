"""outbox bodies sealed at rest

Pending mails may hold a temporary password; from now on `mail_outbox.body_text` stores them sealed
(AES-GCM, `sealed:v1:…`, see imi_app.core.sealing). The column stays TEXT; this revision seals the
bodies written before it, so none waits in plain text. (The sender would still read and send a
plain one.) Downgrading opens them again for the code before it.

Revision ID: b42205317a4c
Revises: be82001163d9
Create Date: 2026-12-02 16:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from imi_app.core.sealing import MAIL_BODY, SEALED_PREFIX, is_sealed, seal_text


# revision identifiers, used by Alembic.
revision: str = 'b42205317a4c'
down_revision: Union[str, Sequence[str], None] = 'be82001163d9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 500
outbox = sa.table("mail_outbox", sa.column("id", sa.Integer), sa.column("body_text", sa.Text))


def _rewrite(change, pick) -> None:
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(outbox.c.id, outbox.c.body_text).where(outbox.c.id > last_id)
            .order_by(outbox.c.id).limit(BATCH)).all()
        if not rows:
            return
        for row_id, body in rows:
            if pick(body):
                connection.execute(sa.update(outbox).where(outbox.c.id == row_id).values(body_text=change(body)))
        last_id = rows[-1][0]


def upgrade() -> None:
    """Seal every plain body."""
    _rewrite(lambda body: seal_text(MAIL_BODY, body), lambda body: not is_sealed(body))


def downgrade() -> None:
    """Open every sealed body."""
    _rewrite(lambda body: MAIL_BODY.open(body[len(SEALED_PREFIX):]), is_sealed)
