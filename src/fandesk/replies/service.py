"""Replies from draft to platform: offline drafts from the template library, approval when a rule
asks for it, the outbox, export and marking posted. Nothing the desk drafts leaves without a person
approving it; who wrote, who approved and how much the person changed the draft are kept."""

from __future__ import annotations

from datetime import datetime
from functools import cache

import orjson
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from fandesk.audit.service import last_change, record
from fandesk.clock import utcnow
from fandesk.content.models import Comment, DmConversation, Mention, Note
from fandesk.errors import Conflict, Forbidden, Invalid, NotFound, Overtaken
from fandesk.inbox import presence
from fandesk.inbox.context import visible_item
from fandesk.inbox.models import InboxItem
from fandesk.inbox.status import change_status
from fandesk.members.models import Member
from fandesk.members.permissions import can
from fandesk.people.custom_fields import field_values
from fandesk.people.models import Person, Purchase
from fandesk.replies.approval import approval_policy
from fandesk.replies.library import TEMPLATE_FOR_CATEGORY, fill, quote_of
from fandesk.replies.models import OUTBOX_STATUSES, WORK_CAP_SECONDS, Reply, ReplyTemplate, ReplyWork
from fandesk.replies.quality import unfilled_blanks
from fandesk.workspace.models import Account
from fandesk.workspace.out_of_office import notice_text

OPEN_DRAFT = ("draft", "rejected")
APOLOGY = {"zh": "抱歉回复晚了！", "en": "Sorry for the slow reply! "}
# What the person who lost a race on a reply is told, by the status the winner left it in.
OVERTAKEN = {
    "approved": ("reply_approved", "already approved by {name}"),
    "rejected": ("reply_rejected", "already rejected by {name}"),
    "awaiting_approval": ("reply_submitted", "already sent for approval by {name}"),
    "posted": ("reply_posted", "already marked posted by {name}"),
    "sending": ("reply_sending", "being sent by {name} right now"),
    "failed": ("reply_failed", "sent by {name}, and the send failed: see the outbox"),
    "draft": ("reply_redrafted", "made a draft again by {name}"),
    "discarded": ("reply_discarded", "discarded by {name}"),
}


@cache
def _people():
    """Member as author and as approver: built once, so the statements that use them hit the
    compiled-SQL cache instead of compiling on every page."""
    return Member.__table__.alias("author"), Member.__table__.alias("approver")


def edit_distance(a: str, b: str, cap: int = 1500) -> int:
    """Levenshtein distance in characters: how much a person changed the desk's draft."""
    a, b = a[:cap], b[:cap]
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def approval_reasons(session: Session, item: InboxItem) -> list[str]:
    """The rules of the item's account (Settings; defaults until a manager changes them) that send a
    reply to this item to a manager."""
    return approval_policy(session, account_id=item.account_id).reasons(item)


def reply_language(item: InboxItem) -> str:
    return "en" if item.language == "en" else "zh"


# Every draft runs these: built once.
_BEST_TEMPLATE = (select(ReplyTemplate)
                  .where(ReplyTemplate.kind == "reply", ReplyTemplate.key == bindparam("key"),
                         ReplyTemplate.language == bindparam("language"), ReplyTemplate.active.is_(True),
                         (ReplyTemplate.account_id == bindparam("account_id")) | ReplyTemplate.account_id.is_(None))
                  .order_by(ReplyTemplate.account_id.is_(None), ReplyTemplate.id))
_BEST_SELLERS = (select(Purchase.product).where(Purchase.account_id == bindparam("account_id"))
                 .group_by(Purchase.product).order_by(func.count().desc()).limit(50))
_LAST_BOUGHT = (select(Purchase.product).where(Purchase.person_id == bindparam("person_id"),
                                               Purchase.account_id == bindparam("account_id"))
                .order_by(Purchase.purchased_at.desc()).limit(1))


def pick_template(session: Session, *, item: InboxItem, template_id: int | None = None) -> ReplyTemplate | None:
    """The template for the item: the one asked for, else the account's own or the shared one for its
    category, in its language (falling back to Chinese)."""
    if template_id:
        template = session.get(ReplyTemplate, template_id)
        if template is None or template.account_id not in (None, item.account_id):
            raise NotFound(f"no template {template_id}")
        return template
    key = TEMPLATE_FOR_CATEGORY.get(item.category)
    if key is None:
        return None
    for language in dict.fromkeys((reply_language(item), "zh")):
        found = session.scalars(_BEST_TEMPLATE, {"key": key, "language": language,
                                                 "account_id": item.account_id}).first()
        if found is not None:
            return found
    return None


def blank_values(session: Session, item: InboxItem) -> dict[str, str]:
    """What blanks are filled from: the follower's record, the comment, the note and the account."""
    language = reply_language(item)
    person = session.get(Person, item.person_id) if item.person_id else None
    values = {"quote": quote_of(item.text, language), "account": session.get(Account, item.account_id).name}
    if person is not None:
        values["nickname"] = person.nickname or ""
        values.update({key: value for key, value in field_values(session, account_id=item.account_id,
                                                                 person_id=person.id).items() if value})
    if item.note_id:
        note = session.get(Note, item.note_id)
        values["note_title"] = (note.title or "") if note else ""
    products = session.scalars(_BEST_SELLERS, {"account_id": item.account_id}).all()
    named = next((p for p in products if p and p.split(" ")[0] in item.text), None)
    if named is None and person is not None:
        named = session.scalar(_LAST_BOUGHT, {"person_id": person.id, "account_id": item.account_id})
    if named:
        values["product"] = named.split(" ")[0]
    return values


def offline_draft(session: Session, *, item: InboxItem, template: ReplyTemplate | None,
                  now: datetime | None = None) -> str:
    """The template filled from the follower's record, opened with an apology when the reply is late and
    with the account's out-of-office notice while it is in effect."""
    language = reply_language(item)
    values = blank_values(session, item)
    if template is None:
        text = f"@{values.get('nickname', '')} " if values.get("nickname") else ""
    else:
        text = fill(template.body, values, language)
    opener = APOLOGY[language] if (now or utcnow()) > item.reply_by else ""
    away = notice_text(session, account_id=item.account_id, language=language, now=now)
    if away:
        opener += away + (" " if language == "en" else "")
    if opener:
        mention = f"@{values.get('nickname')} " if values.get("nickname") else ""
        mention = mention if mention and text.startswith(mention) else ""
        text = mention + opener + text[len(mention):]
    return text


_CURRENT_DRAFT = (select(Reply).where(Reply.item_id == bindparam("item_id"), Reply.kind == "reply",
                                      Reply.status.in_(OPEN_DRAFT + ("awaiting_approval",)))
                  .order_by(Reply.id.desc()))  # built once: every item page asks


def current_draft(session: Session, *, item_id: int) -> Reply | None:
    return session.scalars(_CURRENT_DRAFT, {"item_id": item_id}).first()


def start_draft(session: Session, *, item_id: int, account_ids: list[int], member_id: int,
                template_id: int | None = None, text: str | None = None, source: str | None = None) -> Reply:
    """Draft a reply (or re-draft the open one) from a template, a model's text, or in the person's own
    words (`source="own"`: an editor that only addresses the follower by name)."""
    item = visible_item(session, item_id=item_id, account_ids=account_ids)
    reply = current_draft(session, item_id=item.id)
    if reply is not None and reply.status == "awaiting_approval":
        raise Conflict("a reply to this item is waiting for approval: approve or reject it first")
    template = None
    if source == "own":
        nickname = session.scalar(select(Person.nickname).where(Person.id == item.person_id)) \
            if item.person_id and item.channel != "dm" else None
        text = f"@{nickname} " if nickname else ""
    elif text is None:
        template = pick_template(session, item=item, template_id=template_id)
        text = offline_draft(session, item=item, template=template)
        source = "template" if template else "blank"
    reasons = approval_reasons(session, item)
    now = utcnow()
    values = {"status": "draft", "text": text, "draft_text": text, "source": source or "llm",
              "template_id": template.id if template else None, "needs_approval": bool(reasons),
              "approval_reasons": orjson.dumps(reasons).decode(), "author_id": member_id, "updated_at": now}
    if reply is None:
        reply = Reply(item_id=item.id, account_id=item.account_id, kind="reply", created_at=now, **values)
        session.add(reply)
    else:
        _change(session, reply, expected=OPEN_DRAFT, **values)
    if item.status in ("new", "assigned"):
        change_status(session, item, "drafted", member_id=member_id, because="reply.draft", by_person=False, now=now)
    session.flush()
    record(session, member_id=member_id, account_id=item.account_id, action="reply.draft", object_type="reply",
           object_id=reply.id, after={"source": reply.source, "template_id": reply.template_id, "text": text})
    return reply


def visible_reply(session: Session, *, reply_id: int, account_ids: list[int]) -> Reply:
    reply = session.get(Reply, reply_id)
    if reply is None or reply.account_id not in account_ids:
        raise NotFound(f"no reply {reply_id}")
    return reply


def reply_overtaken(session: Session, reply: Reply) -> Overtaken:
    """The error for the person who lost a race on this reply: the status it is in now and who put it
    there (the newest change's author; the reviewer when the log has nothing)."""
    change = last_change(session, object_type="reply", object_ids=[reply.id])
    name = change["member"] if change else None
    if change is None and reply.approver_id:
        name = session.scalar(select(Member.name).where(Member.id == reply.approver_id))
    code, message = OVERTAKEN.get(reply.status, ("reply_changed", "changed by {name}"))
    if reply.status == "approved" and change is not None and change["action"] == "reply.retry":
        code, message = "reply_retried", "already put back in the outbox by {name}"
    return Overtaken(code, "this reply was " + message.format(name=name or "someone else"), name=name or "")


def _change(session: Session, reply: Reply, *, expected: tuple[str, ...], **values) -> None:
    """One guarded UPDATE: the reply changes only while it is still in a status this change starts from,
    so of two people acting at once exactly one does, and the other is told who got there first."""
    changed = session.execute(update(Reply).where(Reply.id == reply.id, Reply.status.in_(expected)).values(**values)
                              .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        session.refresh(reply)  # as the winner left it
        raise reply_overtaken(session, reply)
    for key, value in values.items():
        set_committed_value(reply, key, value)


def save_draft(session: Session, *, reply_id: int, account_ids: list[int], member_id: int, text: str) -> Reply:
    reply = visible_reply(session, reply_id=reply_id, account_ids=account_ids)
    before = reply.text
    _change(session, reply, expected=OPEN_DRAFT, text=text.strip(), status="draft", author_id=member_id,
            updated_at=utcnow())
    record(session, member_id=member_id, account_id=reply.account_id, action="reply.edit", object_type="reply",
           object_id=reply.id, before=before, after=reply.text)
    return reply


def _refuse_blanks(text: str) -> None:
    """Nothing half-written leaves: a template blank still in the text stops submit and approval."""
    blanks = unfilled_blanks(text)
    if blanks:
        raise Invalid(f"the reply still has a blank to fill: {blanks[0]} (回复里还有待填写的内容：{blanks[0]}); "
                      "write the answer in its place, then send it on")


def submit(session: Session, *, reply_id: int, account_ids: list[int], member: Member,
           text: str | None = None) -> Reply:
    """Send a draft on: to the outbox, or to a manager when a rule asks for approval. A manager's own
    reply needs no second person."""
    reply = visible_reply(session, reply_id=reply_id, account_ids=account_ids)
    if text is not None:
        save_draft(session, reply_id=reply.id, account_ids=account_ids, member_id=member.id, text=text)
    if reply.status not in OPEN_DRAFT:
        raise reply_overtaken(session, reply)
    if not reply.text.strip():
        raise Invalid("the reply is empty: write something first")
    _refuse_blanks(reply.text)
    item = session.get(InboxItem, reply.item_id)
    # the rules as they are now: a manager may have changed them, or the item been escalated, since the draft
    reasons = approval_reasons(session, item)
    now = utcnow()
    waits = bool(reasons) and not can(member.role, "approve_reply")
    outcome = {"status": "awaiting_approval"} if waits else {"status": "approved", "approver_id": member.id,
                                                              "approved_at": now}
    _change(session, reply, expected=OPEN_DRAFT, needs_approval=bool(reasons),
            approval_reasons=orjson.dumps(reasons).decode(), submitted_at=now, updated_at=now,
            edit_distance=edit_distance(reply.draft_text, reply.text), **outcome)
    if waits:
        change_status(session, item, "awaiting_approval", member_id=member.id, because="reply.submit",
                      by_person=False, now=now)
    item.updated_at = now
    opened = presence.visit_start(session, item_id=item.id, member_id=member.id, now=now) or reply.created_at
    session.add(ReplyWork(reply_id=reply.id, item_id=item.id, account_id=item.account_id, member_id=member.id,
                          channel=item.channel, opened_at=opened, done_at=now,
                          seconds=min(WORK_CAP_SECONDS, max(0, int((now - opened).total_seconds())))))
    session.flush()
    record(session, member_id=member.id, account_id=reply.account_id, action="reply.submit", object_type="reply",
           object_id=reply.id, after={"status": reply.status, "edit_distance": reply.edit_distance})
    return reply


def review(session: Session, *, reply_id: int, account_ids: list[int], member: Member, approve: bool,
           note: str = "", text: str | None = None) -> Reply:
    """A manager approves (optionally editing the text) or rejects with a note for the author."""
    if not can(member.role, "approve_reply"):
        raise Forbidden(f"a {member.role} may not approve replies")
    reply = visible_reply(session, reply_id=reply_id, account_ids=account_ids)
    item = session.get(InboxItem, reply.item_id)
    now = utcnow()
    values = {"review_note": (note or "").strip() or None, "approver_id": member.id, "updated_at": now}
    if approve:
        final = text.strip() if text is not None and text.strip() else reply.text
        _refuse_blanks(final)
        values.update(status="approved", approved_at=now, text=final,
                      edit_distance=edit_distance(reply.draft_text, final))
    else:
        values["status"] = "rejected"
    _change(session, reply, expected=("awaiting_approval",), **values)
    change_status(session, item, "drafted", member_id=member.id,
                  because="reply.approve" if approve else "reply.reject", by_person=False, now=now)
    item.updated_at = now  # reviewed, whether or not its status moved
    session.flush()
    record(session, member_id=member.id, account_id=reply.account_id,
           action="reply.approve" if approve else "reply.reject", object_type="reply", object_id=reply.id,
           after={"status": reply.status, "note": reply.review_note})
    return reply


def queue_message(session: Session, *, item: InboxItem, member_id: int, kind: str, text: str) -> Reply:
    """A moderation reminder or private message: written by a person, straight to the outbox."""
    now = utcnow()
    reply = Reply(item_id=item.id, account_id=item.account_id, kind=kind, status="approved", text=text,
                  draft_text=text, source="guideline", needs_approval=False, author_id=member_id,
                  approver_id=member_id, edit_distance=0, created_at=now, updated_at=now, submitted_at=now,
                  approved_at=now)
    session.add(reply)
    session.flush()
    return reply


def outbox(session: Session, *, account_ids: list[int], statuses=OUTBOX_STATUSES, limit: int = 500) -> list[dict]:
    """Approved replies waiting to be posted (and failed sends, kept and shown), oldest first."""
    if not account_ids:
        return []
    author, approver = _people()
    rows = session.execute(
        select(Reply, InboxItem, Account.handle, author.c.name, approver.c.name, Person.nickname)
        .join(InboxItem, InboxItem.id == Reply.item_id).join(Account, Account.id == Reply.account_id)
        .outerjoin(Person, Person.id == InboxItem.person_id)
        .outerjoin(author, author.c.id == Reply.author_id).outerjoin(approver, approver.c.id == Reply.approver_id)
        .where(Reply.account_id.in_(account_ids), Reply.status.in_(statuses))
        .order_by(Reply.approved_at, Reply.id).limit(limit)).all()
    out = []
    for reply, item, handle, author_name, approver_name, nickname in rows:
        out.append({"reply_id": reply.id, "item_id": item.id, "account": handle, "channel": item.channel,
                    "nickname": nickname or "", "comment_text": item.text,
                    "kind": reply.kind, **_targets(session, item), "text": reply.text, "status": reply.status,
                    "author": author_name, "approver": approver_name, "edit_distance": reply.edit_distance,
                    "source": reply.source, "send_error": reply.send_error, "approved_at": reply.approved_at,
                    "account_id": reply.account_id, "send_error_code": reply.send_error_code,
                    "send_attempts": reply.send_attempts,
                    "last_attempt_at": reply.last_attempt_at})
    return out


def _targets(session: Session, item: InboxItem) -> dict:
    """Where to post: the note and comment platform ids (a DM: the person's user id), and the note's page
    on Xiaohongshu."""
    note_id = comment_id = user_id = note_url = None
    if item.channel == "comment":
        comment = session.get(Comment, item.source_id)
        if comment is not None:
            comment_id = comment.platform_id
            note_id = session.scalar(select(Note.platform_id).where(Note.id == comment.note_id))
    elif item.channel == "mention":
        mention = session.get(Mention, item.source_id)
        if mention is not None:
            note_id, comment_id = mention.note_platform_id, mention.comment_platform_id
    if item.person_id is not None and (item.channel == "dm" or comment_id is None):
        user_id = session.scalar(select(Person.platform_user_id).where(Person.id == item.person_id))
    if item.channel == "dm":
        conversation = session.scalars(select(DmConversation).where(DmConversation.account_id == item.account_id,
                                                                    DmConversation.person_id == item.person_id)).first()
        note_id = None if conversation is None else note_id
    if note_id:
        crawled = session.scalar(select(Note.url).where(Note.platform_id == note_id))
        note_url = note_link(note_id, crawled)
    return {"note_id": note_id, "comment_id": comment_id, "user_id": user_id, "note_url": note_url}


XHS_NOTE = "https://www.xiaohongshu.com/explore/"


def note_link(note_id: str, crawled_url: str | None = None) -> str | None:
    """The note's page on Xiaohongshu: the link the crawl recorded (it carries the xsec_token the site
    asks for) when it is one of Xiaohongshu's own, else the note's explore address from its id; none
    for an id that is not a note's (a sheet's own numbering)."""
    if crawled_url and crawled_url.startswith((XHS_NOTE, "https://www.xiaohongshu.com/discovery/item/")) \
            and not any(c in crawled_url for c in "\"'<> "):
        return crawled_url
    if note_id and all(c.isalnum() for c in note_id) and note_id.isascii():
        return XHS_NOTE + note_id
    return None


def mark_posted(session: Session, *, reply_ids: list[int], account_ids: list[int], member_id: int) -> int:
    """The replies were posted by hand: they leave the outbox and their items count as answered. A reply
    someone else marked (or sent) meanwhile is left alone; when that was every one chosen, the error says
    who did it."""
    done, lost = 0, None
    now = utcnow()
    for reply_id in reply_ids:
        try:
            reply = visible_reply(session, reply_id=reply_id, account_ids=account_ids)
        except NotFound:
            continue
        before = reply.status
        if before not in OUTBOX_STATUSES + ("posted",):
            continue  # not approved yet: nothing to mark
        try:
            _change(session, reply, expected=OUTBOX_STATUSES, status="posted", posted_at=now, updated_at=now,
                    send_error=None, send_error_code=None)
        except Overtaken as overtaken:
            lost = lost or overtaken
            continue
        _answered(session, reply=reply, member_id=member_id, now=now, before=before, live={"via": "hand"})
        done += 1
    if lost is not None and not done:
        raise lost
    return done


def record_posted(session: Session, *, reply: Reply, member_id: int | None, now: datetime,
                  platform_comment_id: str | None = None, attempts: int | None = None) -> None:
    """The live sender posted a reply it holds (its caller's guarded update made sure of that): it
    leaves the outbox and its item counts as answered."""
    before = reply.status
    reply.status, reply.posted_at, reply.updated_at, reply.send_error = "posted", now, now, None
    reply.send_error_code = None
    if platform_comment_id:
        reply.platform_comment_id = platform_comment_id
    _answered(session, reply=reply, member_id=member_id, now=now, before=before,
              live={"via": "live", "attempts": attempts, "platform_comment_id": platform_comment_id})


def _answered(session: Session, *, reply: Reply, member_id: int | None, now: datetime, before: str,
              live: dict) -> None:
    """A posted reply answers its item (the response time is kept) and goes to the audit log."""
    item = session.get(InboxItem, reply.item_id)
    if reply.kind == "reply" and item.status not in ("replied", "closed"):
        change_status(session, item, "replied", member_id=member_id, because="reply.posted", now=now)
    session.flush()
    record(session, member_id=member_id, account_id=reply.account_id, action="reply.posted",
           object_type="reply", object_id=reply.id, before={"status": before}, after={"status": "posted", **live})


def mark_failed(session: Session, *, reply_id: int, error: str, code: str | None = None) -> Reply:
    """A send that failed stays in the outbox with its error, never lost."""
    reply = session.get(Reply, reply_id)
    reply.status, reply.send_error, reply.updated_at = "failed", error[:2000], utcnow()
    reply.send_error_code = code
    session.flush()
    return reply


@cache
def _replies_of_item():
    author, approver = _people()
    return (select(Reply, author.c.name, approver.c.name).outerjoin(author, author.c.id == Reply.author_id)
            .outerjoin(approver, approver.c.id == Reply.approver_id)
            .where(Reply.item_id == bindparam("item_id")).order_by(Reply.id))


def replies_of_item(session: Session, *, item_id: int) -> list[dict]:
    rows = session.execute(_replies_of_item(), {"item_id": item_id}).all()
    return [{"reply": r, "author": a, "approver": b} for r, a, b in rows]
