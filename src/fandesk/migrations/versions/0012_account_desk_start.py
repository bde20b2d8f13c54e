"""account.desk_start: when the team's desk begins for an account; what arrived before it is history
(in threads, timelines and metrics, not open work).

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


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('desk_start')
