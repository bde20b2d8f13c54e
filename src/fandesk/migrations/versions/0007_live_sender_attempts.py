"""live sender attempts: how often a reply was sent, when last, why it failed, the platform's comment id

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing replies were never sent live: zero attempts, no reason code.
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.add_column(sa.Column('send_error_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('send_attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('platform_comment_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    # A reply caught mid-send has no status before this revision: back to the outbox as approved.
    op.execute("UPDATE reply SET status = 'approved' WHERE status = 'sending'")
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.drop_column('platform_comment_id')
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('send_attempts')
        batch_op.drop_column('send_error_code')
