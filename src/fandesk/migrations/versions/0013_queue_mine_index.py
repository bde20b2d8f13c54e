"""The index "my items" reads: a member's items in the queue's order (tier, time left), so the view of
someone with few or no items does not scan every open item of the workspace in order to find them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:10:00
"""
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the expression written exactly as inbox.priority.TIER_RANK_SQL, like ix_inbox_item_queue_rank (0012);
    # it replaces (assignee_id, hidden, reply_by, id), which sorted by time left alone
    op.execute("CREATE INDEX ix_inbox_item_queue_mine ON inbox_item (assignee_id, hidden, "
               "(CASE tier WHEN 'urgent' THEN 0 WHEN 'important' THEN 1 ELSE 2 END), reply_by, id)")
    op.drop_index('ix_inbox_item_queue_assignee', table_name='inbox_item')


def downgrade() -> None:
    op.create_index('ix_inbox_item_queue_assignee', 'inbox_item', ['assignee_id', 'hidden', 'reply_by', 'id'])
    op.drop_index('ix_inbox_item_queue_mine', table_name='inbox_item')
