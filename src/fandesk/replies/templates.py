"""The template library a manager edits: seeded with the defaults, per category and event, zh and en."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from fandesk.auth.audit import record
from fandesk.errors import Invalid, NotFound
from fandesk.replies.library import DEFAULT_TEMPLATES, EVENT_KEYS, REPLY_KEYS
from fandesk.replies.models import ReplyTemplate

KINDS = {"reply": REPLY_KEYS, "event": EVENT_KEYS}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def seed_templates(session: Session) -> int:
    """Add the default shared templates that are not there yet (by kind, key, language and title)."""
    have = set(session.execute(select(ReplyTemplate.kind, ReplyTemplate.key, ReplyTemplate.language,
                                      ReplyTemplate.title).where(ReplyTemplate.account_id.is_(None))).all())
    added = 0
    for kind, key, language, title, body in DEFAULT_TEMPLATES:
        if (kind, key, language, title) not in have:
            session.add(ReplyTemplate(account_id=None, kind=kind, key=key, language=language, title=title, body=body,
                                      active=True, updated_at=utcnow()))
            added += 1
    session.flush()
    return added


def list_templates(session: Session, *, account_ids: list[int], kind: str | None = None,
                   key: str | None = None) -> list[ReplyTemplate]:
    values = {"account_ids": account_ids, "kind": kind, "key": key}
    return list(session.scalars(_templates_statement(bool(kind), bool(key)), values))


@cache
def _templates_statement(by_kind: bool, by_key: bool):
    """Built once per shape: the item page lists templates on every view."""
    query = select(ReplyTemplate).where(ReplyTemplate.account_id.is_(None)
                                        | ReplyTemplate.account_id.in_(bindparam("account_ids", expanding=True)))
    if by_kind:
        query = query.where(ReplyTemplate.kind == bindparam("kind"))
    if by_key:
        query = query.where(ReplyTemplate.key == bindparam("key"))
    return query.order_by(ReplyTemplate.kind.desc(), ReplyTemplate.key, ReplyTemplate.language, ReplyTemplate.id)


def save_template(session: Session, *, member_id: int, account_ids: list[int], template_id: int | None, kind: str,
                  key: str, language: str, title: str, body: str, active: bool = True,
                  account_id: int | None = None) -> ReplyTemplate:
    """Create or change a template; the change is in the audit log with its before and after."""
    if kind not in KINDS or key not in KINDS[kind]:
        raise Invalid(f"template kind/key {kind}/{key}: use reply ({', '.join(REPLY_KEYS)}) "
                      f"or event ({', '.join(EVENT_KEYS)})")
    if language not in ("zh", "en"):
        raise Invalid("template language: zh or en")
    if not title.strip() or not body.strip():
        raise Invalid("a template needs a title and a text")
    if account_id is not None and account_id not in account_ids:
        raise NotFound(f"no account {account_id}")
    if template_id:
        template = session.get(ReplyTemplate, template_id)
        if template is None or (template.account_id is not None and template.account_id not in account_ids):
            raise NotFound(f"no template {template_id}")
        before = {"title": template.title, "body": template.body, "active": template.active}
    else:
        template = ReplyTemplate(account_id=account_id)
        session.add(template)
        before = None
    template.kind, template.key, template.language = kind, key, language
    template.title, template.body, template.active = title.strip()[:120], body.strip(), active
    template.updated_by, template.updated_at = member_id, utcnow()
    session.flush()
    record(session, member_id=member_id, account_id=template.account_id, action="template.save",
           object_type="template", object_id=template.id, before=before,
           after={"title": template.title, "body": template.body, "active": template.active})
    return template
