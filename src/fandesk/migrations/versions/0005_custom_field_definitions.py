"""custom field definitions

Revision ID: 0005
Revises: 0004
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('custom_field_definition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('field_type', sa.String(length=16), nullable=False),
    sa.Column('choices', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_custom_field_definition_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_field_definition')),
    sa.UniqueConstraint('account_id', 'key', name=op.f('uq_custom_field_definition_account_id_key'))
    )


def downgrade() -> None:
    op.drop_table('custom_field_definition')
