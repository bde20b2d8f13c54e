"""Moderation steps on an item and its author, each recorded against the person with the guideline
broken. The ladder: public reminder -> private message -> block (last resort). Platform-side steps
(hide, unhide, block) are queued as platform actions; reminders and messages go to the outbox."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.clock import utcnow
from fandesk.errors import Invalid
from fandesk.inbox.context import visible_item
from fandesk.inbox.models import PlatformAction
from fandesk.inbox.status import change_status
from fandesk.members.models import Member
from fandesk.moderation.models import ACTIONS, ModerationAction
from fandesk.people.models import Person
from fandesk.replies.service import queue_message

# guideline: (reminder in Chinese, reminder in English). {nickname} is filled from the person.
GUIDELINES: dict[str, tuple[str, str]] = {
    "shaming": ("@{nickname} 我们的社区欢迎不同的看法，但请不要嘲讽或羞辱他人哦，大家都是来分享和交流的～",
                "@{nickname} Different views are welcome here, but please don't shame or mock anyone: "
                "we are all here to share."),
    "spam": ("@{nickname} 评论区不允许引流、广告或留联系方式哦，这类评论会被隐藏，谢谢理解～",
             "@{nickname} Ads, self-promotion and contact details aren't allowed in the comments; "
             "such comments are hidden. Thanks for understanding."),
    "mean_spirited": ("@{nickname} 可以理解你的心情，也欢迎提意见，但请保持友善的语气，我们会认真看每一条反馈～",
                      "@{nickname} We hear you and welcome criticism, but please keep it kind: we read every "
                      "piece of feedback."),
    "harassment": ("@{nickname} 请不要针对或骚扰其他用户，持续这样会被限制互动。",
                   "@{nickname} Please don't target or harass other members; continuing will get you "
                   "restricted."),
    "misinformation": ("@{nickname} 这条信息可能不准确，我们补充一下正确的信息，也欢迎私信我们核实～",
                       "@{nickname} This may not be accurate; here is the correct information, and feel free "
                       "to message us to check."),
}
NEEDS_GUIDELINE = ("hide", "reminder", "private_message", "block")


def reminder_text(guideline: str, *, nickname: str, language: str) -> str:
    zh, en = GUIDELINES[guideline]
    return (en if language == "en" else zh).replace("{nickname}", nickname or "")


def moderate(session: Session, *, item_id: int, account_ids: list[int], member_id: int, action: str,
             guideline: str | None = None, message: str | None = None) -> ModerationAction:
    """Take one moderation step on an item's comment and its author, with the guideline broken."""
    if action not in ACTIONS:
        raise Invalid(f"moderation action {action!r}: use one of {', '.join(ACTIONS)}")
    if action in NEEDS_GUIDELINE and guideline not in GUIDELINES:
        raise Invalid(f"say which guideline was broken: one of {', '.join(GUIDELINES)}")
    item = visible_item(session, item_id=item_id, account_ids=account_ids)
    before = {"hidden": item.hidden, "status": item.status}
    now = utcnow()
    if action == "hide":
        item.hidden, item.status_by_person = True, True
        session.add(PlatformAction(item_id=item.id, action="hide_comment", status="queued", created_at=now))
    elif action == "unhide":
        item.hidden, item.status_by_person = False, True
        cancelled = session.execute(update(PlatformAction).where(
            PlatformAction.item_id == item.id, PlatformAction.action == "hide_comment",
            PlatformAction.status == "queued").values(status="cancelled")).rowcount
        if not cancelled:
            session.add(PlatformAction(item_id=item.id, action="unhide_comment", status="queued", created_at=now))
    elif action in ("reminder", "private_message"):
        person = session.get(Person, item.person_id) if item.person_id else None
        text = (message or "").strip() or reminder_text(guideline, nickname=person.nickname if person else "",
                                                        language=item.language)
        message = text
        queue_message(session, item=item, member_id=member_id, kind=action, text=text)
    elif action == "block":
        item.hidden = True
        change_status(session, item, "closed", member_id=member_id, because="moderation.block", now=now)
        session.add(PlatformAction(item_id=item.id, action="block_user", status="queued", created_at=now))
    elif action == "unblock":
        session.add(PlatformAction(item_id=item.id, action="unblock_user", status="queued", created_at=now))
    item.updated_at = now
    step = ModerationAction(account_id=item.account_id, person_id=item.person_id, item_id=item.id, action=action,
                            guideline=guideline if action in NEEDS_GUIDELINE else None, message=message,
                            member_id=member_id, at=now)
    session.add(step)
    session.flush()
    record(session, member_id=member_id, account_id=item.account_id, action=f"moderation.{action}",
           object_type="item", object_id=item.id, before=before,
           after={"hidden": item.hidden, "status": item.status, "guideline": step.guideline})
    return step


# built once: every item page asks
_VIOLATIONS = (select(ModerationAction, Member.name).outerjoin(Member, Member.id == ModerationAction.member_id)
               .where(ModerationAction.account_id == bindparam("account_id"),
                      ModerationAction.person_id == bindparam("person_id"))
               .order_by(ModerationAction.at.desc(), ModerationAction.id.desc()).limit(30))


def violations(session: Session, *, account_id: int, person_id: int) -> list[dict]:
    """A person's moderation history on an account, newest first."""
    rows = session.execute(_VIOLATIONS, {"account_id": account_id, "person_id": person_id}).all()
    return [{"action": a.action, "guideline": a.guideline, "message": a.message, "at": a.at, "by": name,
             "item_id": a.item_id} for a, name in rows]


def next_step(history: list[dict]) -> str:
    """Where the person is on the ladder: the step to take next for a new violation."""
    taken = {v["action"] for v in history}
    if "private_message" in taken:
        return "block"
    if "reminder" in taken:
        return "private_message"
    return "reminder"
