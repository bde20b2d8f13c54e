"""settings users rules out of office: member.active, per-account approval rules and out-of-office notice

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No rows are written: an account without approval_rules uses the defaults (negative sentiment,
    # crisis and partnership, escalated items), the rules the desk applied before this revision.
    op.create_table('approval_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('sentiments', sa.Text(), nullable=False),
    sa.Column('categories', sa.Text(), nullable=False),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_approval_rules_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['member.id'], name=op.f('fk_approval_rules_updated_by_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_rules')),
    sa.UniqueConstraint('account_id', name=op.f('uq_approval_rules_account_id'))
    )
    op.create_table('out_of_office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('text_zh', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_out_of_office_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['member.id'], name=op.f('fk_out_of_office_updated_by_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_out_of_office')),
    sa.UniqueConstraint('account_id', name=op.f('uq_out_of_office_account_id'))
    )
    # existing members stay able to sign in
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('active')

    op.drop_table('out_of_office')
    op.drop_table('approval_rules')
