"""Which replies a manager approves before they go out, per account: replies to items with chosen
sentiments or categories, or to escalated items. Managers change them in Settings; an account whose
rules were never changed uses the defaults (what the desk always did)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.errors import Invalid
from fandesk.replies.models import ApprovalRules
from fandesk.understanding.analysis import CATEGORIES, SENTIMENTS
from fandesk.workspace.service import visible_account


@dataclass(frozen=True)
class ApprovalPolicy:
    sentiments: tuple[str, ...]
    categories: tuple[str, ...]
    escalated: bool

    def reasons(self, item) -> list[str]:
        """The rules that send a reply to this item to a manager, by name (a sentiment, a category, or
        "escalated")."""
        out = []
        if item.sentiment in self.sentiments:
            out.append(item.sentiment)
        if item.category in self.categories:
            out.append(item.category)
        if self.escalated and item.escalated:
            out.append("escalated")
        return out

    def as_dict(self) -> dict:
        return {"sentiments": list(self.sentiments), "categories": list(self.categories), "escalated": self.escalated}


DEFAULT_APPROVAL_RULES = ApprovalPolicy(sentiments=("negative",), categories=("crisis", "partnership"), escalated=True)


_RULES = (select(ApprovalRules.sentiments, ApprovalRules.categories, ApprovalRules.escalated)
          .where(ApprovalRules.account_id == bindparam("account_id")))  # built once: every draft asks


def approval_policy(session: Session, *, account_id: int) -> ApprovalPolicy:
    """The account's rules: one indexed row, read on every draft (no cache to go stale across workers)."""
    row = session.execute(_RULES, {"account_id": account_id}).first()
    if row is None:
        return DEFAULT_APPROVAL_RULES
    return ApprovalPolicy(tuple(orjson.loads(row.sentiments)), tuple(orjson.loads(row.categories)), row.escalated)


def set_approval_policy(session: Session, *, account_id: int, account_ids: list[int], member_id: int,
                        sentiments: list[str], categories: list[str], escalated: bool) -> ApprovalPolicy:
    """Replace an account's approval rules. Drafts already written are checked again when they are sent."""
    account = visible_account(session, account_id=account_id, account_ids=account_ids)
    for field, values, allowed in (("sentiments", sentiments, SENTIMENTS), ("categories", categories, CATEGORIES)):
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise Invalid(f"approval rules, {field}: {wrong[0]!r} is not one of {', '.join(allowed)}")
    policy = ApprovalPolicy(tuple(s for s in SENTIMENTS if s in sentiments),
                            tuple(c for c in CATEGORIES if c in categories), bool(escalated))
    before = approval_policy(session, account_id=account.id)
    row = session.scalars(select(ApprovalRules).where(ApprovalRules.account_id == account.id)).first()
    if row is None:
        row = ApprovalRules(account_id=account.id)
        session.add(row)
    row.sentiments = orjson.dumps(list(policy.sentiments)).decode()
    row.categories = orjson.dumps(list(policy.categories)).decode()
    row.escalated, row.updated_by, row.updated_at = policy.escalated, member_id, datetime.now(UTC).replace(tzinfo=None)
    session.flush()
    if policy != before:
        record(session, member_id=member_id, account_id=account.id, action="settings.approval_rules",
               object_type="account", object_id=account.id, before=before.as_dict(), after=policy.as_dict())
    return policy
