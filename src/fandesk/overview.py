"""Where each account stands, across the domains: what it holds (notes, comments, threads, people,
mentions, DMs, purchases) and where its inbox stands (open and urgent items, answered, hidden spam,
open crises). Composition: it reads every domain's tables, so it sits above them (`fandesk summary`,
the demo)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fandesk.content.models import Comment, DmConversation, DmMessage, Mention, Note
from fandesk.crisis.models import Crisis
from fandesk.inbox.models import OPEN_STATUSES, InboxItem
from fandesk.people.models import Interaction, Purchase
from fandesk.workspace.service import list_accounts


def summary(session: Session) -> list[dict]:
    """Per account: what it holds (notes, comments, threads, people, mentions, DMs, purchases) and where
    its inbox stands (open and urgent items, answered, hidden spam, open crises)."""

    def per_account(column, *where):
        return dict(session.execute(select(column, func.count()).where(*where).group_by(column)).all())

    notes = per_account(Note.account_id, Note.is_stub.is_(False))
    comments = per_account(Comment.account_id)
    threads = per_account(Comment.account_id, Comment.depth == 0)
    ours = per_account(Comment.account_id, Comment.is_ours.is_(True))
    mentions = per_account(Mention.account_id)
    conversations = per_account(DmConversation.account_id)
    messages = dict(session.execute(select(DmConversation.account_id, func.count()).join(
        DmMessage, DmMessage.conversation_id == DmConversation.id).group_by(DmConversation.account_id)).all())
    people = dict(session.execute(select(Interaction.account_id, func.count(func.distinct(Interaction.person_id)))
                                  .group_by(Interaction.account_id)).all())
    purchases = per_account(Purchase.account_id)

    open_items = per_account(InboxItem.account_id, InboxItem.status.in_(OPEN_STATUSES), InboxItem.hidden.is_(False))
    urgent = per_account(InboxItem.account_id, InboxItem.status.in_(OPEN_STATUSES), InboxItem.hidden.is_(False),
                         InboxItem.tier == "urgent")
    replied = per_account(InboxItem.account_id, InboxItem.status == "replied")
    hidden = per_account(InboxItem.account_id, InboxItem.hidden.is_(True))
    crises = per_account(Crisis.account_id, Crisis.status == "open")
    return [{"account": a.handle, "name": a.name, "notes": notes.get(a.id, 0), "comments": comments.get(a.id, 0),
             "threads": threads.get(a.id, 0), "our_replies": ours.get(a.id, 0), "people": people.get(a.id, 0),
             "mentions": mentions.get(a.id, 0), "dm_conversations": conversations.get(a.id, 0),
             "dm_messages": messages.get(a.id, 0), "purchases": purchases.get(a.id, 0),
             "open_items": open_items.get(a.id, 0), "urgent_open": urgent.get(a.id, 0),
             "answered": replied.get(a.id, 0), "hidden_spam": hidden.get(a.id, 0), "crises": crises.get(a.id, 0)}
            for a in list_accounts(session)]
