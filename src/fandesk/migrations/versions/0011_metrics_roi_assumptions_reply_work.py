"""metrics: the ROI assumptions a manager sets per account (roi_assumption), the desk's activity log of
how long a person had an item open before each reply (reply_work), when a visit to an item began
(item_presence.opened_at), and the indexes the dashboard reads a period through (inbox items,
interactions and comments by account and time, with the columns the numbers use)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('roi_assumption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_roi_assumption_account_id_account'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['member.id'], name=op.f('fk_roi_assumption_updated_by_member'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roi_assumption')),
    sa.UniqueConstraint('account_id', 'key', name=op.f('uq_roi_assumption_account_id'))
    )
    op.create_table('reply_work',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reply_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_reply_work_account_id_account'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['inbox_item.id'], name=op.f('fk_reply_work_item_id_inbox_item'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_reply_work_member_id_member'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reply_id'], ['reply.id'], name=op.f('fk_reply_work_reply_id_reply'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_work'))
    )
    with op.batch_alter_table('reply_work', schema=None) as batch_op:
        batch_op.create_index('ix_reply_work_account_done', ['account_id', 'done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reply_work_reply_id'), ['reply_id'], unique=False)
    with op.batch_alter_table('item_presence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(), nullable=True))
    op.create_index('ix_inbox_item_metrics', 'inbox_item',
                    ['channel', 'account_id', 'received_at', 'spam', 'hidden', 'replied_at', 'response_seconds',
                     'reply_by', 'sentiment', 'cause', 'person_id', 'note_id', 'source_id'], unique=False)
    op.create_index('ix_interaction_metrics', 'interaction', ['account_id', 'occurred_at', 'person_id', 'kind'],
                    unique=False)
    op.create_index('ix_comment_metrics', 'comment',
                    ['account_id', 'created_at', 'is_ours', 'depth', 'person_id', 'parent_id', 'root_id'], unique=False)
    op.create_index('ix_comment_mentions', 'comment', ['account_id', 'created_at', 'is_ours'], unique=False,
                    sqlite_where=sa.text("text LIKE '%@%'"), postgresql_where=sa.text("text LIKE '%@%'"))


def downgrade() -> None:
    op.drop_index('ix_comment_mentions', table_name='comment')
    op.drop_index('ix_comment_metrics', table_name='comment')
    op.drop_index('ix_interaction_metrics', table_name='interaction')
    op.drop_index('ix_inbox_item_metrics', table_name='inbox_item')
    with op.batch_alter_table('item_presence', schema=None) as batch_op:
        batch_op.drop_column('opened_at')
    with op.batch_alter_table('reply_work', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reply_work_reply_id'))
        batch_op.drop_index('ix_reply_work_account_done')
    op.drop_table('reply_work')
    op.drop_table('roi_assumption')
