"""Words the pages show for values stored in English (tiers, categories, statuses, checks...): marked
for extraction here, translated when shown."""

from __future__ import annotations

from functools import cache

from fandesk.web.i18n import current_language, gettext_, translations


def N_(message: str) -> str:  # noqa: N802  (the gettext convention: mark for extraction, translate later)
    return message


LABELS = {
    # tiers and deadline states
    "urgent": N_("urgent"), "important": N_("important"), "routine": N_("routine"),
    "on_time": N_("on time"), "nearing": N_("nearing"), "breached": N_("breached"),
    # statuses
    "new": N_("new"), "assigned": N_("assigned"), "drafted": N_("drafted"),
    "awaiting_approval": N_("awaiting approval"), "replied": N_("replied"), "closed": N_("closed"),
    "snoozed": N_("snoozed"), "history": N_("history (before the desk start)"),
    "approved": N_("approved"), "posted": N_("posted"), "failed": N_("failed"), "sending": N_("sending"),
    "rejected": N_("rejected"), "draft": N_("draft"), "discarded": N_("discarded"),
    # why a queue row is where it is (inbox.priority)
    "urgent_due": N_("first: urgent and late, or due within 30 minutes"),
    # channels
    "comment": N_("comment"), "mention": N_("mention"), "dm": N_("DM"),
    # categories
    "complaint": N_("complaint"), "product_question": N_("product question"),
    "advice_request": N_("advice request"), "shipping": N_("shipping"), "pricing": N_("pricing"),
    "returns": N_("return/exchange"), "partnership": N_("partnership"), "praise": N_("praise"),
    "casual": N_("casual chat"), "ugc_share": N_("UGC/share"), "spam": N_("spam"), "abuse": N_("abuse"),
    "crisis": N_("crisis signal"),
    # causes of negative feedback (the same words as the dashboard's, fandesk.web.metric_words)
    "product_failure": N_("Product didn't work"), "customer_service": N_("Customer service"),
    "shipping_delay": N_("Shipping delay"), "other": N_("Other"),
    # sentiments
    "positive": N_("positive"), "neutral": N_("neutral"), "negative": N_("negative"),
    # roles
    "manager": N_("manager"), "moderator": N_("moderator"), "creator": N_("creator"), "viewer": N_("viewer"),
    # template keys
    "negative_feedback": N_("negative feedback"), "thanks": N_("thank-you"), "challenge": N_("challenge"),
    "qa_invitation": N_("Q&A invitation"), "ugc_call": N_("UGC call"), "winner": N_("winner announcement"),
    "wrap_up": N_("wrap-up"), "reply": N_("reply"), "event": N_("event"),
    # moderation
    "hide": N_("hide"), "unhide": N_("unhide"), "reminder": N_("public reminder"),
    "private_message": N_("private message"), "block": N_("block"), "unblock": N_("unblock"),
    "shaming": N_("shaming"), "mean_spirited": N_("mean-spirited"), "harassment": N_("harassment"),
    "misinformation": N_("misinformation"),
    # interactions
    "commented": N_("commented"), "mentioned": N_("mentioned"), "messaged": N_("messaged"),
    "followed": N_("followed"), "purchased": N_("purchased"), "referred": N_("referred"),
    "posted_ugc": N_("posted UGC"), "answered_survey": N_("answered a survey"),
    # reply sources
    "template": N_("template"), "llm": N_("language model"), "blank": N_("blank"), "own": N_("own words"),
    "guideline": N_("guideline"),
    # approval rules
    "escalated": N_("escalated"),
    # languages
    "zh": N_("Chinese"), "en": N_("English"), "mixed": N_("mixed"), "none": N_("none"),
}

CHECK_NAMES = {
    "uses_name": N_("Uses their name"), "refers_to_comment": N_("Refers to what they said"),
    "answers_question": N_("Answers the question"), "adds_value": N_("Adds something useful"),
    "asks_follow_up": N_("Asks a follow-up question"), "not_just_thanks": N_("More than just thanks"),
    "no_boilerplate": N_("No boilerplate or hard sell"), "right_language": N_("Right language"),
    "length": N_("Length"),
}

CHECK_DETAILS = {
    "no_name_known": N_("We don't know their name; that's fine."),
    "missing_name": N_("Say their name (%(nickname)s): it shows a person wrote this."),
    "no_reference": N_("Pick up a word or detail from their comment so they know you read it."),
    "blank_left": N_("Fill in the blank %(blank)s with the real answer."),
    "too_short_to_answer": N_("They asked something; this is too short to answer it completely."),
    "no_question": N_("They didn't ask a question."),
    "no_value": N_("Add a tip, a next step or an offer to help."),
    "no_follow_up": N_("End with a question that keeps the conversation going."),
    "just_thanks": N_("\"Thanks!\" alone isn't a reply: respond to what they said."),
    "boilerplate": N_("\"%(phrase)s\" sounds like a form letter: say it in your own words."),
    "hard_sell": N_("\"%(phrase)s\" is a hard sell: help first, sell never."),
    "wrong_language": N_("They wrote in %(expected)s; this reads as %(found)s."),
    "too_short": N_("%(size)s characters: aim for %(low)s to %(high)s."),
    "too_long": N_("%(size)s characters: aim for %(low)s to %(high)s; comments are read on a phone."),
}


# The outbox export's columns (the CSV's first row, in the reader's language; the JSON keeps the keys).
EXPORT_HEADERS = {
    "reply_id": N_("Reply no."), "account": N_("Account"), "channel": N_("Channel"), "kind": N_("Kind"),
    "nickname": N_("Follower"), "comment_text": N_("What they wrote"), "text": N_("Our reply"),
    "note_url": N_("Note link"), "note_id": N_("Note id"), "comment_id": N_("Comment id"),
    "user_id": N_("User id"), "author": N_("Written by"), "approver": N_("Approved by"),
    "edit_distance": N_("Characters changed"), "source": N_("Drafted from"),
}


# What a change in the audit log was, in words (audit.service.record's actions); "#%(id)s" is its object.
AUDIT_ACTIONS = {
    "item.assign": N_("assigned item #%(id)s"), "item.tier": N_("changed the tier of item #%(id)s"),
    "item.snooze": N_("snoozed item #%(id)s"), "item.close": N_("closed item #%(id)s"),
    "item.reopen": N_("reopened item #%(id)s"), "item.status": N_("changed the status of item #%(id)s"),
    "reply.draft": N_("drafted reply #%(id)s"),
    "reply.edit": N_("edited reply #%(id)s"), "reply.submit": N_("submitted reply #%(id)s"),
    "reply.approve": N_("approved reply #%(id)s"), "reply.reject": N_("sent reply #%(id)s back to its writer"),
    "reply.posted": N_("marked reply #%(id)s posted"), "reply.send": N_("posted reply #%(id)s on Xiaohongshu"),
    "reply.send_failed": N_("could not send reply #%(id)s"), "reply.retry": N_("tried reply #%(id)s again"),
    "moderation.hide": N_("hid the comment of item #%(id)s"),
    "moderation.unhide": N_("showed the comment of item #%(id)s again"),
    "moderation.reminder": N_("posted a public reminder on item #%(id)s"),
    "moderation.private_message": N_("wrote privately to the author of item #%(id)s"),
    "moderation.block": N_("blocked the author of item #%(id)s"),
    "moderation.unblock": N_("unblocked the author of item #%(id)s"),
    "person.tags": N_("changed the tags of follower #%(id)s"), "person.note": N_("wrote a note on follower #%(id)s"),
    "person.field": N_("changed a field of follower #%(id)s"),
    "person.merge": N_("merged two records of follower #%(id)s"), "member.add": N_("added team member #%(id)s"),
    "member.update": N_("changed team member #%(id)s"),
    "member.password": N_("set a new password for team member #%(id)s"),
    "member.activate": N_("reactivated team member #%(id)s"),
    "member.deactivate": N_("deactivated team member #%(id)s"), "template.save": N_("saved template #%(id)s"),
    "template.copy": N_("copied template #%(id)s"), "settings.rules": N_("changed the triage rules"),
    "settings.approval_rules": N_("changed the approval rules"),
    "account.update": N_("changed the account's settings"),
    "account.out_of_office": N_("changed the out-of-office notice"), "account.desk_start": N_("moved the desk start"),
    "field.add": N_("added custom field #%(id)s"), "field.edit": N_("changed custom field #%(id)s"),
    "field.move": N_("moved custom field #%(id)s"), "field.deactivate": N_("switched off custom field #%(id)s"),
    "field.reactivate": N_("switched custom field #%(id)s back on"),
    "roi.assumption": N_("changed an ROI assumption"),
    "sign_in.locked": N_("sign-in was paused after too many wrong passwords"),
    "sign_in.unlock": N_("let someone try to sign in again"),
}


def audit_text(event: dict) -> str:
    """One audit event's action in words, in the current language; an action without words (a newer
    version's) shows as recorded."""
    words = AUDIT_ACTIONS.get(event.get("action"))
    if words is None:
        return event.get("action") or ""
    return gettext_(words, id=event.get("object_id") or "") if "%(id)s" in words else gettext_(words)


# Why triage put an item where it is (inbox.triage.decide): each reason is a code with parameters,
# put into words here, in the reader's language.
REASONS = {
    "category": N_("%(category)s%(cues)s → %(tier)s"),
    "question": N_("a question%(cues)s → %(tier)s"),
    "negative": N_("negative feedback%(cues)s → %(tier)s"),
    "mention": N_("a mention of the account → %(tier)s"),
    "rule_vip": N_("rule “%(rule)s”: a VIP follower → %(tier)s"),
    "rule_keyword": N_("rule “%(rule)s”: %(words)s → %(tier)s"),
    "rule_escalate": N_("rule “%(rule)s”: %(words)s → escalated to the manager"),
    "rule_hide_spam": N_("rule “%(rule)s”: spam%(cues)s → hidden, platform hide queued"),
    "rule_assign": N_("rule “%(rule)s”: assigned to %(member)s"),
    "deadline_channel": N_("reply within %(hours)s h (%(channel)s standard)"),
    "deadline_tier": N_("reply within %(hours)s h (%(tier)s target)"),
}
MOVED = N_("%(deadline)s, moved to the next opening")


class Labels(dict):
    """The labels in one language; a value without a label shows as itself (None as nothing). Templates
    look values up with `L[value]`: a plain subscript, which costs far less than a call per cell."""

    def __missing__(self, value) -> str:
        if value is None:
            return ""
        return self[str(value)] if str(value) in self else gettext_(str(value))


@cache
def _translated(language: str) -> Labels:
    catalogue = translations(language)
    return Labels({key: catalogue.gettext(text) for key, text in LABELS.items()})


def translated() -> Labels:
    """The labels in the current request's language."""
    return _translated(current_language())


def label(value) -> str:
    return translated()[value]


def check_name(code: str) -> str:
    return gettext_(CHECK_NAMES.get(code, code))


def check_detail(check) -> str:
    if not check.detail:
        return ""
    params = dict(check.params)
    for key in ("expected", "found"):
        if key in params:
            params[key] = label(params[key])
    return gettext_(CHECK_DETAILS[check.detail], **params) if params else gettext_(CHECK_DETAILS[check.detail])


def reason_text(reason: dict) -> str:
    """One triage reason in the current language. Items triaged before reasons were codes carry their
    words in English (`text`) and Chinese (`zh`): shown as they are."""
    code = reason.get("code")
    if code not in REASONS:
        return (reason.get("zh") if current_language() == "zh" else None) or reason.get("text") or ""
    cues = reason.get("cues") or []
    words = [*reason.get("words", []), *(label(c) for c in reason.get("categories", []))]
    params = {"category": label(reason.get("category")), "cues": f" ({', '.join(cues)})" if cues else "",
              "tier": label(reason.get("tier")), "channel": label(reason.get("channel")),
              "rule": reason.get("rule", ""), "member": reason.get("member", ""), "words": ", ".join(words),
              "hours": f"{reason.get('hours', 0):g}"}
    text = gettext_(REASONS[code], **params)
    return gettext_(MOVED, deadline=text) if reason.get("moved") else text
