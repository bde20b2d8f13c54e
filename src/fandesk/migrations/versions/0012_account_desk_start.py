"""account.desk_start: when the team's desk begins for an account; what arrived before it is history
(in threads, timelines and metrics, not open work); and the index the queue's order reads.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 21:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desk_start', sa.DateTime(), nullable=True))
    # left empty: the next import or `fandesk triage` sets it a week before the account's newest item and
    # turns what is still open from before it into history (inbox.history)
    # the queue's order (inbox.priority): tier first, then time left, read from one index in order; the
    # expression is written exactly as the queue's ORDER BY writes it, so both databases use the index
    op.execute("CREATE INDEX ix_inbox_item_queue_rank ON inbox_item (hidden, "
               "(CASE tier WHEN 'urgent' THEN 0 WHEN 'important' THEN 1 ELSE 2 END), reply_by, id, status, "
               "account_id, assignee_id, snoozed_until, category, sentiment)")


def downgrade() -> None:
    op.drop_index('ix_inbox_item_queue_rank', table_name='inbox_item')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('desk_start')
