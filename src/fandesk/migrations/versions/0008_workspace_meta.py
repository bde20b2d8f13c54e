"""workspace facts kept in the database (which demo built it, and whether it finished)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workspace_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_workspace_meta'))
    )


def downgrade() -> None:
    op.drop_table('workspace_meta')
