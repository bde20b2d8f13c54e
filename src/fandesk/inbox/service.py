"""The inbox: items made from what arrived, triaged in batches, closed when we reply; a person's
decisions (tier, assignee, status) are kept through every re-triage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import orjson
from sqlalchemy import and_, bindparam, exists, func, insert, literal, select, true, update
from sqlalchemy.orm import Session, aliased

from fandesk.clock import utcnow
from fandesk.content.models import Comment, DmConversation, DmMessage, Mention
from fandesk.db import BulkWriter
from fandesk.errors import Invalid, NotFound
from fandesk.inbox.models import OPEN_STATUSES, InboxItem, Label, PlatformAction, TriageAction
from fandesk.inbox.retrain import analyzer_for
from fandesk.inbox.rule_scopes import load_rules
from fandesk.inbox.rules import RuleSet
from fandesk.inbox.status import change_status
from fandesk.inbox.triage import Context, decide
from fandesk.members.models import AccountMember, Member
from fandesk.people.models import Person
from fandesk.understanding import CATEGORIES, CAUSES, SENTIMENTS
from fandesk.workspace.hours import parse_hours
from fandesk.workspace.models import Account, BusinessHours

BATCH = 2000
ITEM_COLUMNS = ("id", "account_id", "channel", "source_id", "person_id", "note_id", "text", "received_at", "status",
                "assignee_id", "tier", "reply_by", "category", "categories", "sentiment", "sentiment_score", "cause",
                "language", "is_question", "spam", "hidden", "escalated", "reasons", "tier_by_person",
                "assignee_by_person", "status_by_person", "created_at", "updated_at")
ITEM_TIMES = {"received_at", "reply_by", "created_at", "updated_at"}


@dataclass
class TriageResult:
    created: int = 0
    retriaged: int = 0
    closed: int = 0
    history: int = 0  # open items from before their account's desk start, made history (inbox.history)
    tiers: Counter = field(default_factory=Counter)
    hidden: int = 0
    escalated: int = 0
    crises: int = 0

    def add(self, other: TriageResult) -> None:
        """Fold another run's counts in (an import triages chunk by chunk)."""
        self.created += other.created
        self.retriaged += other.retriaged
        self.closed += other.closed
        self.history += other.history
        self.tiers.update(other.tiers)
        self.hidden += other.hidden
        self.escalated += other.escalated
        self.crises += other.crises


def _new_sources(session: Session, after: dict[str, int] | None = None) -> Iterator[list[tuple]]:
    """(channel, source id, account, person, note, text, received) of everything that is not ours and
    has no item yet, in batches. A mention of a comment we also imported is the same thing: one item.
    `after` ({"comment": id, "mention": id, "dm": id}) looks only at rows newer than those ids."""
    mentioned = aliased(Mention)
    mention_item = aliased(InboxItem)
    sources = [
        ("comment", Comment.id, select(literal("comment"), Comment.id, Comment.account_id, Comment.person_id,
                                       Comment.note_id, Comment.text, Comment.created_at)
         .outerjoin(InboxItem, and_(InboxItem.channel == "comment", InboxItem.source_id == Comment.id))
         .where(InboxItem.id.is_(None), Comment.is_ours.is_(False),
                ~exists().where(mentioned.comment_platform_id == Comment.platform_id,
                                mention_item.channel == "mention", mention_item.source_id == mentioned.id))),
        ("mention", Mention.id, select(literal("mention"), Mention.id, Mention.account_id, Mention.person_id,
                                       None, Mention.text, Mention.created_at)
         .outerjoin(InboxItem, and_(InboxItem.channel == "mention", InboxItem.source_id == Mention.id))
         .where(InboxItem.id.is_(None), ~exists().where(Comment.platform_id == Mention.comment_platform_id))),
        ("dm", DmMessage.id, select(literal("dm"), DmMessage.id, DmConversation.account_id,
                                    DmConversation.person_id, None, DmMessage.text, DmMessage.created_at)
         .join(DmConversation, DmConversation.id == DmMessage.conversation_id)
         .outerjoin(InboxItem, and_(InboxItem.channel == "dm", InboxItem.source_id == DmMessage.id))
         .where(InboxItem.id.is_(None), DmMessage.is_ours.is_(False))),
    ]
    for channel, source, query in sources:
        last_id = (after or {}).get(channel, 0)
        while True:
            rows = session.execute(query.where(source > last_id).order_by(source).limit(BATCH)).all()
            if not rows:
                break
            last_id = rows[-1][1]
            yield rows


class _Triager:
    """Holds what a triage run needs once: rules, accounts, opening hours, members and their loads."""

    def __init__(self, session: Session, rules: RuleSet, now: datetime):
        self.session = session
        self.rules = rules
        self.now = now
        self.accounts = {a.id: a for a in session.scalars(select(Account))}
        self.hours: dict[int, dict] = {}
        for row in session.scalars(select(BusinessHours)):
            self.hours.setdefault(row.account_id, {})[row.weekday] = parse_hours(f"{row.opens}-{row.closes}")
        self.members: dict[int, list[Member]] = {}
        for account_id, member in session.execute(
                select(AccountMember.account_id, Member).join(Member, Member.id == AccountMember.member_id)
                .where(Member.on_duty.is_(True), Member.active.is_(True), Member.role.in_(("manager", "moderator")))
                .order_by(Member.id)):
            self.members.setdefault(account_id, []).append(member)
        self.load = Counter(dict(session.execute(
            select(InboxItem.assignee_id, func.count()).where(InboxItem.status.in_(OPEN_STATUSES),
                                                              InboxItem.assignee_id.is_not(None))
            .group_by(InboxItem.assignee_id)).all()))
        self.turn: dict[int, int] = {}

    def context(self, channel: str, account_id: int, received_at: datetime, person: tuple) -> Context:
        account = self.accounts[account_id]
        return Context(channel=channel, account_handle=account.handle, time_zone=account.time_zone,
                       received_at=received_at, person_keys=tuple(k for k in person if k),
                       opening_hours=self.hours.get(account_id))

    def assignee(self, account_id: int, escalated: bool) -> tuple[Member | None, str | None]:
        """Escalations go to an on-duty manager; otherwise the auto-assign rule picks."""
        members = self.members.get(account_id, [])
        if not members:
            return None, None
        if escalated:
            managers = [m for m in members if m.role == "manager"]
            if managers:
                chosen = min(managers, key=lambda m: (self.load[m.id], m.id))
                self.load[chosen.id] += 1
                return chosen, "escalation"
        rules = self.rules.of_kind("auto_assign", self.accounts[account_id].handle)
        if not rules:
            return None, None
        rule = rules[0]
        if rule.mode == "least_open":
            chosen = min(members, key=lambda m: (self.load[m.id], m.id))
        else:
            position = self.turn.get(account_id, -1) + 1
            self.turn[account_id] = position
            chosen = members[position % len(members)]
        self.load[chosen.id] += 1
        return chosen, rule.name


def triage(session: Session, *, workspace: Path, all_open: bool = False, now: datetime | None = None,
           progress: Callable[[int], None] | None = None, after: dict[str, int] | None = None,
           limit: int | None = None) -> TriageResult:
    """Make an item for everything new, understand and prioritise it, and apply the rules. With
    all_open, re-triage open items after a rule change. An import triages each chunk it writes (`after`:
    only rows newer than these ids); closing what we answered and looking for crises follow once at the
    end (fandesk.pipeline). `limit` stops after about that many new items (the rest wait for the next call)."""
    analyze_many = analyzer_for(workspace).analyze_many
    rules = load_rules(session, workspace=workspace)
    now = now or utcnow()
    triager = _Triager(session, rules, now)
    result = TriageResult()
    done = 0
    for rows in _new_sources(session, after):
        people = _person_keys(session, {r[3] for r in rows if r[3]})
        analyses = analyze_many([r[5] or "" for r in rows])
        items, actions = [], []
        for row, analysis in zip(rows, analyses, strict=True):
            channel, source_id, account_id, person_id, note_id, text, received = row
            ctx = triager.context(channel, account_id, received, people.get(person_id, ()))
            decision = decide(analysis, ctx, rules)
            member, by_rule = (None, None) if decision.hidden else triager.assignee(account_id, decision.escalated)
            if member is not None:
                decision.reasons.append({"kind": "rule", "code": "rule_assign", "rule": by_rule,
                                         "member": member.name})
                decision.actions.append((by_rule, f"assign:{member.id}"))
            items.append(_item_values(row, analysis, decision, member, now))
            actions.append(decision.actions)
            result.tiers[decision.tier] += 1
            result.hidden += decision.hidden
            result.escalated += decision.escalated
        _insert_items(session, items, actions, now)
        result.created += len(items)
        done += len(items)
        if progress:
            progress(done)
        if limit is not None and done >= limit:
            break
    if all_open:
        result.retriaged = _retriage_open(session, triager, rules, now, analyze_many)
    return result


def _person_keys(session: Session, ids: set[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    rows = session.execute(select(Person.id, Person.person_key, Person.platform_user_id, Person.nickname)
                           .where(Person.id.in_(list(ids)))).all()
    return {pid: (key, uid, nick) for pid, key, uid, nick in rows}


def _item_values(row, analysis, decision, member, now: datetime) -> dict:
    channel, source_id, account_id, person_id, note_id, text, received = row
    return {
        "account_id": account_id, "channel": channel, "source_id": source_id, "person_id": person_id,
        "note_id": note_id, "text": text or "", "received_at": received,
        "status": "assigned" if member is not None else "new",
        "assignee_id": member.id if member is not None else None, "tier": decision.tier,
        "reply_by": decision.reply_by, "category": analysis.category,
        "categories": orjson.dumps(analysis.categories).decode(), "sentiment": analysis.sentiment,
        "sentiment_score": float(analysis.sentiment_score), "cause": analysis.cause, "language": analysis.language,
        "is_question": bool(analysis.is_question), "spam": bool(analysis.spam), "hidden": decision.hidden,
        "escalated": decision.escalated, "reasons": orjson.dumps(decision.reasons).decode(),
        "tier_by_person": False, "assignee_by_person": False, "status_by_person": False,
        "created_at": now, "updated_at": now,
    }


def _insert_items(session: Session, items: list[dict], actions: list[list], now: datetime) -> None:
    """Core executemany with ids chosen here (the ORM's bulk path would insert row by row to learn them)."""
    if not items:
        return
    connection = session.connection()
    bulk = BulkWriter(connection)
    to_db = bulk.db_datetime()
    rows = []
    for item, item_id in zip(items, bulk.allocate_ids(InboxItem.__table__, len(items)), strict=True):
        item["id"] = item_id
        rows.append(tuple(to_db(item[c]) if c in ITEM_TIMES else item[c] for c in ITEM_COLUMNS))
    bulk.insert(InboxItem.__table__, ITEM_COLUMNS, rows)
    log, platform = [], []
    for item, item_actions in zip(items, actions, strict=True):
        item_id = item["id"]
        for rule, action in item_actions:
            name, _, value = action.partition(":")
            log.append({"item_id": item_id, "rule": rule, "action": name, "before": None,
                        "after": value or None, "at": now})
            if name == "hide":
                platform.append({"item_id": item_id, "action": "hide_comment", "status": "queued", "created_at": now})
    if log:
        connection.execute(insert(TriageAction.__table__), log)
    if platform:
        connection.execute(insert(PlatformAction.__table__), platform)


def _retriage_open(session: Session, triager: _Triager, rules: RuleSet, now: datetime, analyze_many) -> int:
    """Re-decide open items after a rule change; what a person decided stays."""
    count = 0
    last_id = 0
    while True:
        items = list(session.scalars(select(InboxItem).where(InboxItem.status.in_(OPEN_STATUSES),
                                                            InboxItem.id > last_id)
                                     .order_by(InboxItem.id).limit(BATCH)))
        if not items:
            return count
        last_id = items[-1].id
        people = _person_keys(session, {i.person_id for i in items if i.person_id})
        for item, analysis in zip(items, analyze_many([i.text for i in items]), strict=True):
            ctx = triager.context(item.channel, item.account_id, item.received_at, people.get(item.person_id, ()))
            decision = decide(analysis, ctx, rules)
            before = (item.tier, item.hidden, item.escalated)
            if not item.tier_by_person:
                item.tier, item.reply_by = decision.tier, decision.reply_by
            if not item.status_by_person:
                if decision.hidden and not item.hidden:
                    session.add(PlatformAction(item_id=item.id, action="hide_comment", created_at=now))
                item.hidden = decision.hidden
            item.escalated = decision.escalated
            item.reasons = orjson.dumps(decision.reasons).decode()
            if before != (item.tier, item.hidden, item.escalated):
                item.updated_at = now
                for rule, action in decision.actions:
                    session.add(TriageAction(item_id=item.id, rule=rule, action=action, before=str(before),
                                             after=str((item.tier, item.hidden, item.escalated)), at=now))
            count += 1
        session.flush()


ANSWERABLE = (*OPEN_STATUSES, "history")


def close_answered(session: Session) -> int:
    """A reply by the account (imported, or posted from the desk) closes the item it answers and
    records the response time (history too: the metrics count what the past answered)."""
    ours = aliased(Comment)
    answered = []
    answered += session.execute(
        select(InboxItem.id, InboxItem.received_at, func.min(ours.created_at), func.min(ours.id))
        .join(ours, and_(ours.parent_id == InboxItem.source_id, ours.is_ours == true()))
        .where(InboxItem.channel == "comment", InboxItem.status.in_(ANSWERABLE)).group_by(InboxItem.id)).all()
    target = aliased(Comment)
    answered += session.execute(
        select(InboxItem.id, InboxItem.received_at, func.min(ours.created_at), func.min(ours.id))
        .join(Mention, Mention.id == InboxItem.source_id)
        .join(target, target.platform_id == Mention.comment_platform_id)
        .join(ours, and_(ours.parent_id == target.id, ours.is_ours == true()))
        .where(InboxItem.channel == "mention", InboxItem.status.in_(ANSWERABLE)).group_by(InboxItem.id)).all()
    theirs, reply = aliased(DmMessage), aliased(DmMessage)
    answered += session.execute(
        select(InboxItem.id, InboxItem.received_at, func.min(reply.created_at), func.min(reply.id))
        .join(theirs, theirs.id == InboxItem.source_id)
        .join(reply, and_(reply.conversation_id == theirs.conversation_id, reply.is_ours.is_(True),
                          reply.created_at >= theirs.created_at))
        .where(InboxItem.channel == "dm", InboxItem.status.in_(ANSWERABLE)).group_by(InboxItem.id)).all()
    if not answered:
        return 0
    now = utcnow()
    session.connection().execute(update(InboxItem).where(InboxItem.id == bindparam("_id")).values(
        status="replied", replied_at=bindparam("replied_at"), reply_source_id=bindparam("reply_id"),
        response_seconds=bindparam("seconds"), updated_at=now),
        [{"_id": item_id, "replied_at": replied, "reply_id": reply_id,
          "seconds": max(0, int((replied - received).total_seconds()))}
         for item_id, received, replied, reply_id in answered])
    return len(answered)


def correct(session: Session, *, item_id: int, field_name: str, value: str, member_id: int | None = None) -> Label:
    """A person corrects what the desk understood; the item changes and the correction becomes a label
    that `fandesk model retrain` learns from."""
    allowed = {"category": CATEGORIES, "sentiment": SENTIMENTS, "cause": CAUSES}
    if field_name not in allowed:
        raise Invalid(f"cannot correct {field_name!r}: use category, sentiment or cause")
    if value not in allowed[field_name]:
        raise Invalid(f"{field_name} {value!r} is not one of {', '.join(allowed[field_name])}")
    item = session.get(InboxItem, item_id)
    if item is None:
        raise NotFound(f"no inbox item {item_id}")
    setattr(item, field_name, value)
    if field_name == "category":
        categories = [value] + [c for c in orjson.loads(item.categories) if c != value]
        item.categories = orjson.dumps(categories).decode()
    item.updated_at = utcnow()
    label = session.scalars(select(Label).where(Label.item_id == item_id, Label.field == field_name)).first()
    if label is None:
        label = Label(item_id=item_id, text=item.text, field=field_name, value=value, member_id=member_id,
                      at=utcnow())
        session.add(label)
    else:
        label.value, label.at, label.member_id = value, utcnow(), member_id
    session.flush()
    return label


def undo_action(session: Session, *, action_id: int) -> TriageAction:
    """Reverse an automatic action (unhide, unassign, de-escalate); the log keeps both."""
    action = session.get(TriageAction, action_id)
    if action is None:
        raise NotFound(f"no automatic action {action_id}")
    if action.undone_at is not None:
        return action
    item = session.get(InboxItem, action.item_id)
    if action.action == "hide":
        item.hidden, item.status_by_person = False, True
        session.execute(update(PlatformAction).where(PlatformAction.item_id == item.id,
                                                     PlatformAction.status == "queued").values(status="cancelled"))
    elif action.action == "assign":
        item.assignee_id, item.assignee_by_person = None, True
        if item.status == "assigned":
            change_status(session, item, "new", member_id=None, because="undo.assign", by_person=False)
    elif action.action == "escalate":
        item.escalated = False
    elif action.action == "set_tier":
        item.tier_by_person = True
    action.undone_at = utcnow()
    item.updated_at = utcnow()
    session.flush()
    return action
