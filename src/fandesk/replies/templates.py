"""The template library: the workspace's templates (seeded with the defaults, per category and event, zh
and en) for every account, and each account's own. A manager changes their accounts' templates; only a
manager of every account changes the workspace's, and anyone else copies one into their account to
make it their own. A reply is drafted from its account's templates and the workspace's."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.clock import utcnow
from fandesk.errors import Forbidden, Invalid, NotFound
from fandesk.replies.library import DEFAULT_TEMPLATES, EVENT_KEYS, REPLY_KEYS
from fandesk.replies.models import ReplyTemplate
from fandesk.workspace.service import runs_every_account, visible_account

KINDS = {"reply": REPLY_KEYS, "event": EVENT_KEYS}


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


def editable(session: Session, *, template: ReplyTemplate, account_ids: list[int]) -> bool:
    """Whether someone on these accounts may change the template: their account's, or the workspace's
    when they run every account."""
    if template.account_id is None:
        return runs_every_account(session, account_ids=account_ids)
    return template.account_id in account_ids


def _visible(session: Session, *, template_id: int, account_ids: list[int]) -> ReplyTemplate:
    template = session.get(ReplyTemplate, template_id)
    if template is None or (template.account_id is not None and template.account_id not in account_ids):
        raise NotFound(f"no template {template_id}")
    return template


def _check_scope(session: Session, *, account_id: int | None, account_ids: list[int]) -> None:
    if account_id is not None:
        visible_account(session, account_id=account_id, account_ids=account_ids)
    elif not runs_every_account(session, account_ids=account_ids):
        raise Forbidden("the workspace's templates are for every account: only a manager of every account "
                        "changes them; copy one into your account to change it there")


def _check_title_free(session: Session, *, account_id: int | None, kind: str, key: str, language: str, title: str,
                      other_than: int | None = None) -> None:
    clash = session.scalar(select(ReplyTemplate.id).where(
        ReplyTemplate.account_id.is_(None) if account_id is None else ReplyTemplate.account_id == account_id,
        ReplyTemplate.kind == kind, ReplyTemplate.key == key, ReplyTemplate.language == language,
        ReplyTemplate.title == title, ReplyTemplate.id != (other_than or 0)))
    if clash is not None:
        raise Invalid(f"template “{title}”: there is already one with this title for the same use and language "
                      "here; edit that one, or choose another title")


def save_template(session: Session, *, member_id: int, account_ids: list[int], template_id: int | None, kind: str,
                  key: str, language: str, title: str, body: str, active: bool = True,
                  account_id: int | None = None) -> ReplyTemplate:
    """Create a template for one of the member's accounts (account_id) or for every account (None: only
    a manager of every account), or change one they may change (its account stays); the change is in the
    audit log with its before and after."""
    if kind not in KINDS or key not in KINDS[kind]:
        raise Invalid(f"template kind/key {kind}/{key}: use reply ({', '.join(REPLY_KEYS)}) "
                      f"or event ({', '.join(EVENT_KEYS)})")
    if language not in ("zh", "en"):
        raise Invalid("template language: zh or en")
    if not title.strip() or not body.strip():
        raise Invalid("a template needs a title and a text")
    title = title.strip()[:120]
    if template_id:
        template = _visible(session, template_id=template_id, account_ids=account_ids)
        _check_scope(session, account_id=template.account_id, account_ids=account_ids)
        before = {"title": template.title, "body": template.body, "active": template.active}
    else:
        _check_scope(session, account_id=account_id, account_ids=account_ids)
        template = ReplyTemplate(account_id=account_id)
        session.add(template)
        before = None
    with session.no_autoflush:
        _check_title_free(session, account_id=template.account_id, kind=kind, key=key, language=language, title=title,
                          other_than=template.id)
    template.kind, template.key, template.language = kind, key, language
    template.title, template.body, template.active = title, body.strip(), active
    template.updated_by, template.updated_at = member_id, utcnow()
    session.flush()
    record(session, member_id=member_id, account_id=template.account_id, action="template.save",
           object_type="template", object_id=template.id, before=before,
           after={"title": template.title, "body": template.body, "active": template.active})
    return template


def copy_template(session: Session, *, member_id: int, account_ids: list[int], template_id: int,
                  account_id: int) -> ReplyTemplate:
    """A template the member can see (the workspace's, usually), copied into one of their accounts to be
    changed there; drafts on that account prefer it to the workspace's."""
    source = _visible(session, template_id=template_id, account_ids=account_ids)
    _check_scope(session, account_id=account_id, account_ids=account_ids)
    _check_title_free(session, account_id=account_id, kind=source.kind, key=source.key, language=source.language,
                      title=source.title)
    copy = ReplyTemplate(account_id=account_id, kind=source.kind, key=source.key, language=source.language,
                         title=source.title, body=source.body, active=source.active, updated_by=member_id,
                         updated_at=utcnow())
    session.add(copy)
    session.flush()
    record(session, member_id=member_id, account_id=account_id, action="template.copy", object_type="template",
           object_id=copy.id, before={"template_id": source.id},
           after={"title": copy.title, "body": copy.body, "active": copy.active})
    return copy
