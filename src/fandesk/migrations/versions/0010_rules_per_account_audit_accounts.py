"""triage rules per account (triage_rules: one TOML text per account and one workspace-wide, in the
database so every machine triages by the same rules) and the further accounts an audit event
concerns (audit_event_account), so the log shows each person only their accounts' changes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An existing WORKSPACE/rules.toml is not touched here (a migration does not know the folder): the
    # first read of the rules splits it by account and keeps it as rules.toml.bak (inbox.rule_scopes).
    op.create_table('triage_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_triage_rules_account_id_account'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['member.id'], name=op.f('fk_triage_rules_updated_by_member'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_rules')),
    sa.UniqueConstraint('scope', name=op.f('uq_triage_rules_scope'))
    )
    # Events recorded before this revision name one account or none: those without one are shown only
    # to managers of every account from now on.
    op.create_table('audit_event_account',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_audit_event_account_account_id_account'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['audit_event.id'],
                            name=op.f('fk_audit_event_account_event_id_audit_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'account_id', name=op.f('pk_audit_event_account'))
    )
    with op.batch_alter_table('audit_event_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_account_account_id'), ['account_id'], unique=False)


def downgrade() -> None:
    # Per-account rules do not fit back into one file: they are dropped (rules.toml.bak keeps the file of before).
    with op.batch_alter_table('audit_event_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_account_account_id'))
    op.drop_table('audit_event_account')
    op.drop_table('triage_rules')
