"""Why a reply was not posted, as the outbox says it: the sentences of replies.sender.REASONS, marked for
translation here (a test keeps the two the same)."""

from __future__ import annotations

from fandesk.web.i18n import gettext_
from fandesk.web.labels import N_, label

SEND_REASONS = {
    "rate_limited": N_("Xiaohongshu is limiting requests from this network: wait a while, then retry."),
    "network": N_("Could not reach Xiaohongshu: check the connection, then retry."),
    "sign_unavailable": N_("The signing service did not answer: start it (FANDESK_XHS_SIGN_URL), then retry."),
    "server_busy": N_("Xiaohongshu is busy: retry later."),
    "cookie_expired": N_("The cookie has expired: sign in on xiaohongshu.com again, put the new cookie in "
                         "FANDESK_XHS_COOKIE, then retry."),
    "need_verify": N_("Xiaohongshu asks for a captcha: pass it on xiaohongshu.com in the browser the cookie came "
                      "from, then retry."),
    "sign_rejected": N_("Xiaohongshu refused the request signature: check the signing service and that its a1 "
                        "matches the cookie's a1, then retry."),
    "target_gone": N_("The note or comment is gone or hidden: nothing was posted."),
    "platform_refused": N_("Xiaohongshu refused the reply: read its message, then edit a new reply or post by hand."),
    "uncertain": N_("Xiaohongshu did not confirm: the reply may be posted. Check on Xiaohongshu, then mark it "
                    "posted or retry."),
    "dm_by_hand": N_("Private messages cannot be sent through the SDK: send it by hand, then mark it posted."),
    "no_target": N_("The note id is not known: post it by hand, then mark it posted."),
    "other_account": N_("The live sender posts as %(handle)s only: post this one by hand, then mark it posted."),
    "not_approved": N_("Only approved replies can be sent: this one is %(status)s."),
    "in_flight": N_("This reply is being sent right now."),
    "not_retryable": N_("Only a failed or interrupted send can be retried: this one is %(status)s."),
    "interrupted": N_("Sending was interrupted: check on Xiaohongshu, then mark it posted or retry."),
    "run_stopped": N_("Not tried: sending stopped at an error that would fail every reply. It stays approved."),
}


def send_reason(code: str | None, **params) -> str:
    """The reason in the reader's language; an unknown code (a newer sender) shows as it is."""
    if not code:
        return ""
    if code not in SEND_REASONS:
        return code
    if "status" in params:
        params["status"] = label(params["status"])
    return gettext_(SEND_REASONS[code], **params) if params else gettext_(SEND_REASONS[code])
