"""Shared helpers for ingest tests: accounts the fixtures belong to, and table snapshots."""

from __future__ import annotations

from sqlalchemy import text

from fandesk.db import transaction
from fandesk.workspace.service import add_account

BRAND_USER_ID = "5f1a2b3c4d5e6f7a8b9c0d1e"
CREATOR_HASH = "ffeeddccbbaa0099"
TABLES = ("note", "comment", "person", "nickname_change", "interaction", "mention", "dm_conversation",
          "dm_message", "purchase", "person_field")


def add_fixture_accounts(workspace) -> None:
    with transaction(workspace.sessions) as session:
        add_account(session, handle="chengji_lab", name="澄肌实验室", platform_user_id=BRAND_USER_ID)
        add_account(session, handle="xiaomei", name="小美的日常", creator_hash=CREATOR_HASH)


def snapshot(workspace) -> dict[str, list]:
    """Every row of the tables an import writes, minus surrogate ids and bookkeeping: two imports
    that mean the same thing give the same snapshot."""
    out = {}
    with workspace.engine.connect() as conn:
        for table in TABLES:
            rows = conn.execute(text(f"SELECT * FROM {table}")).mappings().all()
            cleaned = [tuple(sorted((k, str(v)) for k, v in row.items()
                                    if k not in ("id", "import_id", "person_id", "note_id", "parent_id", "root_id",
                                                 "conversation_id", "referrer_id", "referred_id")))
                       for row in rows]
            out[table] = sorted(cleaned)
    return out


def scalar(workspace, sql: str, **params):
    with workspace.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def rows(workspace, sql: str, **params):
    with workspace.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]
