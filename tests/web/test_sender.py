"""The optional live sender: approved replies posted through the xhs SDK (faked here: no network, no
real `xhs`), with retries on transient errors, failures kept in the outbox, DMs left for a person,
no reply sent twice, and the cookie never shown."""

from __future__ import annotations

import json
import re
import sys
import threading
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from fandesk.audit.models import AuditEvent
from fandesk.content.models import Comment
from fandesk.db import transaction
from fandesk.inbox.models import InboxItem
from fandesk.replies import sending
from fandesk.replies.models import Reply
from fandesk.replies.sender import REASONS, Sdk, SendError, Target, XhsSender
from fandesk.replies.sending import SendPolicy, send_outbox, send_reply

COOKIE = "a1=19a7f3c2d5e6b8a90c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f; webId=7c4e1a2b3c4d5e6f; web_session=040069b5e2f1a9c8d7e6f5a4b3c2d1e0"
REPLY_TEXT = "@小鹿 敏感肌可以用哦[笑哭R] 先在耳后试一下～有问题随时戳我们💕"


class FakeSender:
    """Answers each post with the next scripted result: a comment id, or a SendError to raise."""

    def __init__(self, *results):
        self.results = list(results)
        self.calls: list[tuple[Target, str]] = []

    def post(self, target, text):
        self.calls.append((target, text))
        result = self.results.pop(0) if self.results else f"c-new-{len(self.calls)}"
        if isinstance(result, BaseException):
            raise result
        return result


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 20, 4, 0)

    def __call__(self):
        return self.now


def policy(sleeps=None, clock=None, max_attempts=3) -> SendPolicy:
    return SendPolicy(max_attempts=max_attempts, backoff_seconds=2.0,
                      sleep=(sleeps.append if sleeps is not None else lambda s: None), clock=clock or Clock())


def approved_reply(workspace, world, *, item: str = "question", text: str = REPLY_TEXT,
                   status: str = "approved") -> int:
    """A reply the moderator wrote and (when approved) sent on to the outbox."""
    from fandesk.clock import utcnow

    with transaction(workspace.sessions) as session:
        inbox_item = session.get(InboxItem, world.items[item])
        now = utcnow()
        reply = Reply(item_id=inbox_item.id, account_id=inbox_item.account_id, kind="reply", status=status,
                      text=text, draft_text=text, source="template", author_id=world.members["moderator"],
                      approver_id=world.members["moderator"] if status == "approved" else None,
                      created_at=now, updated_at=now, approved_at=now if status == "approved" else None)
        session.add(reply)
        session.flush()
        return reply.id


def dm_reply(workspace, world) -> int:
    """A private message from moderation: approved at once, but the SDK cannot send DMs."""
    from fandesk.replies.service import queue_message

    with transaction(workspace.sessions) as session:
        item = session.get(InboxItem, world.items["complaint"])
        return queue_message(session, item=item, member_id=world.members["moderator"], kind="private_message",
                             text="亲，私信你了，麻烦发一下订单号，我们马上处理🙏").id


def send(workspace, world, reply_id, sender, *, pol=None, account_ids=None, member="moderator"):
    return send_reply(workspace.sessions, reply_id=reply_id,
                      account_ids=account_ids or [world.accounts["brand_a"]], member_id=world.members[member],
                      sender=sender, policy=pol or policy(), sender_account=world.accounts["brand_a"])


def reply_row(workspace, reply_id) -> Reply:
    with transaction(workspace.sessions) as session:
        return session.get(Reply, reply_id)


def audit(workspace, reply_id) -> list[AuditEvent]:
    with transaction(workspace.sessions) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.object_type == "reply",
                                                            AuditEvent.object_id == reply_id)
                                    .order_by(AuditEvent.id)))


@pytest.fixture
def live(workspace, app):
    """The app with the live sender on (as brand_a) and a fake sender; waits are recorded, not slept."""
    workspace.settings = workspace.settings.model_copy(update={"live_sender": True, "xhs_account": "brand_a"})
    state = SimpleNamespace(sender=FakeSender(), sleeps=[], clock=Clock())
    app.state.sender = state.sender
    app.state.send_policy = policy(state.sleeps, state.clock)
    return state


# --- sending and retrying -------------------------------------------------------------------------------

def test_a_sent_reply_is_posted_under_the_comment_and_its_item_is_answered(workspace, world):
    reply_id = approved_reply(workspace, world)
    sender = FakeSender("6790aa0000000000cafe0001")
    outcome = send(workspace, world, reply_id, sender)
    assert outcome.outcome == "posted" and outcome.attempts == 1
    target, text = sender.calls[0]
    with transaction(workspace.sessions) as session:
        item = session.get(InboxItem, world.items["question"])
        comment = session.get(Comment, item.source_id)
        assert target == Target(note_id="n1", comment_id=comment.platform_id)  # comment_user, not comment_note
        assert text == REPLY_TEXT
        assert item.status == "replied" and item.replied_at is not None
    reply = reply_row(workspace, reply_id)
    assert (reply.status, reply.send_attempts, reply.platform_comment_id) == ("posted", 1, "6790aa0000000000cafe0001")
    actions = [(e.action, e.member_id) for e in audit(workspace, reply_id)]
    assert ("reply.send", world.members["moderator"]) in actions and ("reply.posted", world.members["moderator"]) in actions


def test_a_transient_error_is_retried_with_growing_waits_then_posted(workspace, world):
    reply_id = approved_reply(workspace, world)
    sender = FakeSender(SendError("network", "Failed to establish a new connection"), SendError("rate_limited"), "c77")
    sleeps: list[float] = []
    outcome = send(workspace, world, reply_id, sender, pol=policy(sleeps))
    assert outcome.outcome == "posted" and outcome.attempts == 3 and len(sender.calls) == 3
    assert sleeps == [2.0, 4.0]
    reply = reply_row(workspace, reply_id)
    assert reply.status == "posted" and reply.send_attempts == 3 and reply.send_error is None


def test_transient_errors_to_the_last_attempt_fail_and_the_outbox_shows_why(workspace, world, browser, live):
    reply_id = approved_reply(workspace, world)
    live.sender.results = [SendError("network", "Connection refused (errno 111)")] * 3
    b = browser("moderator")
    b.get("/outbox")
    response = b.post("/outbox/send", {"send_one": str(reply_id)})
    assert response.status_code == 303 and "failed=1" in response.headers["location"]
    assert len(live.sender.calls) == 3 and live.sleeps == [2.0, 4.0]
    reply = reply_row(workspace, reply_id)
    assert (reply.status, reply.send_error_code, reply.send_attempts) == ("failed", "network", 3)
    page = b.get(response.headers["location"]).text
    from fandesk.web.i18n import translations
    from fandesk.web.send_labels import SEND_REASONS
    reason = translations("zh").gettext(SEND_REASONS["network"])
    assert reason != SEND_REASONS["network"] and reason in page  # in the reader's language
    assert "Connection refused (errno 111)" in page and 'class="retry"' in page and REPLY_TEXT in page
    failed = [e for e in audit(workspace, reply_id) if e.action == "reply.send_failed"]
    assert len(failed) == 1 and json.loads(failed[0].after)["attempts"] == 3


def test_a_permanent_error_fails_at_once(workspace, world):
    reply_id = approved_reply(workspace, world)
    sender = FakeSender(SendError("cookie_expired", "登录已过期"))
    sleeps: list[float] = []
    outcome = send(workspace, world, reply_id, sender, pol=policy(sleeps))
    assert (outcome.outcome, outcome.code, outcome.attempts) == ("failed", "cookie_expired", 1)
    assert len(sender.calls) == 1 and sleeps == []
    reply = reply_row(workspace, reply_id)
    assert (reply.status, reply.send_error, reply.send_attempts) == ("failed", "登录已过期", 1)


def test_an_expired_cookie_stops_the_run_and_the_rest_stay_approved(workspace, world):
    first = approved_reply(workspace, world)
    rest = [approved_reply(workspace, world, item="praise", text="谢谢宝子🥰"),
            approved_reply(workspace, world, item="complaint", text="抱歉让你失望了，私信你了")]
    sender = FakeSender(SendError("cookie_expired", "登录已过期"))
    outcomes = send_outbox(workspace.sessions, account_ids=[world.accounts["brand_a"]], member_id=None,
                           sender=sender, policy=policy(), sender_account=world.accounts["brand_a"])
    assert [(o.outcome, o.code) for o in outcomes] == [("failed", "cookie_expired"), ("refused", "run_stopped"),
                                                       ("refused", "run_stopped")]
    assert len(sender.calls) == 1 and reply_row(workspace, first).status == "failed"
    assert [reply_row(workspace, r).status for r in rest] == ["approved", "approved"]


def test_a_rejected_text_fails_that_reply_only(workspace, world):
    first, second = approved_reply(workspace, world), approved_reply(workspace, world, item="praise", text="爱了爱了")
    sender = FakeSender(SendError("platform_refused", "评论内容包含敏感词"), "c2")
    outcomes = send_outbox(workspace.sessions, account_ids=[world.accounts["brand_a"]], member_id=None,
                           sender=sender, policy=policy(), sender_account=world.accounts["brand_a"])
    assert [o.outcome for o in outcomes] == ["failed", "posted"]
    assert (reply_row(workspace, first).status, reply_row(workspace, second).status) == ("failed", "posted")


def test_retry_puts_a_failed_reply_back_and_it_can_then_be_sent(workspace, world, browser, live):
    reply_id = approved_reply(workspace, world)
    send(workspace, world, reply_id, FakeSender(SendError("target_gone", "笔记状态异常，请稍后查看")))
    b = browser("moderator")
    b.get("/outbox")
    assert b.post(f"/outbox/{reply_id}/retry").status_code == 303
    reply = reply_row(workspace, reply_id)
    assert reply.status == "approved" and reply.send_error is None
    retried = [e for e in audit(workspace, reply_id) if e.action == "reply.retry"]
    assert len(retried) == 1 and "笔记状态异常" in retried[0].before and retried[0].member_id == world.members["moderator"]
    assert b.post("/outbox/send", {"send_one": str(reply_id)}).status_code == 303
    assert reply_row(workspace, reply_id).status == "posted"


def test_a_private_message_stays_in_the_outbox_for_a_person(workspace, world, browser, live):
    reply_id = dm_reply(workspace, world)
    outcome = send(workspace, world, reply_id, live.sender)
    assert (outcome.outcome, outcome.code) == ("held", "dm_by_hand") and live.sender.calls == []
    assert reply_row(workspace, reply_id).status == "approved"  # not failed, not lost
    b = browser("moderator")
    page = b.get("/outbox").text
    row = page[page.index(f'data-reply="{reply_id}"'):]
    row = row[:row.index("</tr>")]
    from fandesk.web.i18n import translations
    from fandesk.web.send_labels import SEND_REASONS
    assert translations("zh").gettext(SEND_REASONS["dm_by_hand"]) in row and "send-now" not in row
    # sent with the selection: counted as left for a person
    response = b.post("/outbox/send", {"reply_ids": [str(reply_id)]})
    assert "held=1" in response.headers["location"] and live.sender.calls == []


def test_a_reply_on_another_account_than_the_cookie_is_left_for_a_person(workspace, world):
    with transaction(workspace.sessions) as session:
        from fandesk.replies.service import queue_message
        item = session.get(InboxItem, world.items["other_account"])
        reply_id = queue_message(session, item=item, member_id=world.members["manager"], kind="reminder",
                                 text="友善讨论哦～").id
    sender = FakeSender()
    outcome = send(workspace, world, reply_id, sender, account_ids=list(world.accounts.values()))
    assert (outcome.outcome, outcome.code, outcome.params) == ("held", "other_account", {"handle": "brand_a"})
    assert sender.calls == [] and reply_row(workspace, reply_id).status == "approved"


@pytest.mark.parametrize("status", ["draft", "awaiting_approval", "rejected"])
def test_only_approved_replies_are_ever_sent(workspace, world, browser, live, status):
    a = [world.accounts["brand_a"]]
    reply_id = approved_reply(workspace, world, item="complaint", text="真的很抱歉让你过敏了😭 私信你了", status=status)
    assert reply_row(workspace, reply_id).status == status
    outcome = send(workspace, world, reply_id, live.sender)
    assert (outcome.outcome, outcome.code) == ("refused", "not_approved")
    b = browser("moderator")
    b.get("/outbox")
    response = b.post("/outbox/send", {"send_one": str(reply_id)})
    assert response.status_code == 409
    from fandesk.web.i18n import translations
    assert translations("zh").gettext("Only approved replies can be sent: this one is %(status)s.").split("%")[0] in response.text
    assert live.sender.calls == [] and reply_row(workspace, reply_id).status == status
    # the batch never picks it either
    send_outbox(workspace.sessions, account_ids=a, member_id=None, sender=live.sender, policy=policy(),
                sender_account=a[0])
    assert live.sender.calls == []


# --- never twice ----------------------------------------------------------------------------------------

def test_of_two_claims_on_one_reply_exactly_one_wins(workspace, world):
    reply_id = approved_reply(workspace, world)
    first = sending._claim(workspace.sessions, reply_id=reply_id, member_id=None, now=Clock()())
    second = sending._claim(workspace.sessions, reply_id=reply_id, member_id=None, now=Clock()())
    assert first == (REPLY_TEXT, 1) and second is None
    reply = reply_row(workspace, reply_id)
    assert reply.status == "sending" and reply.send_attempts == 1


def test_a_second_send_while_the_first_is_on_the_wire_does_not_post(workspace, world):
    reply_id = approved_reply(workspace, world)
    inner = []

    class ClickedTwice(FakeSender):
        def post(self, target, text):
            if not inner:  # the second click arrives while the platform call is under way
                inner.append(send(workspace, world, reply_id, self))
            return super().post(target, text)

    sender = ClickedTwice()
    outer = send(workspace, world, reply_id, sender)
    assert outer.outcome == "posted" and (inner[0].outcome, inner[0].code) == ("refused", "in_flight")
    assert len(sender.calls) == 1


def test_two_workers_racing_on_one_reply_make_one_platform_call(workspace, world):
    reply_id = approved_reply(workspace, world)
    sender = FakeSender()
    gate = threading.Barrier(2)
    outcomes = []

    def worker():
        gate.wait()
        outcomes.append(send(workspace, world, reply_id, sender).outcome)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["posted", "refused"] and len(sender.calls) == 1


def test_an_interrupted_send_is_shown_and_never_resent_by_itself(workspace, world, browser, live):
    reply_id = approved_reply(workspace, world)
    # a worker claimed it an hour ago and was killed before it could write the result
    assert sending._claim(workspace.sessions, reply_id=reply_id, member_id=None, now=live.clock() - timedelta(hours=1))
    outcomes = send_outbox(workspace.sessions, account_ids=[world.accounts["brand_a"]], member_id=None,
                           sender=live.sender, policy=policy(clock=live.clock), sender_account=world.accounts["brand_a"])
    assert outcomes == [] and live.sender.calls == []
    assert send(workspace, world, reply_id, live.sender).code == "in_flight" and live.sender.calls == []
    b = browser("moderator")
    page = b.get("/outbox").text
    from fandesk.web.i18n import translations
    from fandesk.web.send_labels import SEND_REASONS
    assert translations("zh").gettext(SEND_REASONS["interrupted"]) in page
    assert f'formaction="/outbox/{reply_id}/retry"' in page
    # the person checked on Xiaohongshu: it was posted after all
    b.post("/outbox/posted", {"reply_ids": [str(reply_id)]})
    assert reply_row(workspace, reply_id).status == "posted" and live.sender.calls == []


def test_a_send_under_way_cannot_be_retried(workspace, world, browser, live):
    reply_id = approved_reply(workspace, world)
    sending._claim(workspace.sessions, reply_id=reply_id, member_id=None, now=live.clock() - timedelta(seconds=5))
    b = browser("moderator")
    page = b.get("/outbox").text
    assert 'class="in-flight"' in page and f'/outbox/{reply_id}/retry' not in page
    assert b.post(f"/outbox/{reply_id}/retry").status_code == 409
    assert reply_row(workspace, reply_id).status == "sending"


def test_a_person_marking_it_posted_mid_retry_stops_the_sender(workspace, world):
    reply_id = approved_reply(workspace, world)
    from fandesk.replies.service import mark_posted

    def marked_meanwhile(seconds):
        with transaction(workspace.sessions) as session:
            mark_posted(session, reply_ids=[reply_id], account_ids=[world.accounts["brand_a"]],
                        member_id=world.members["manager"])

    sender = FakeSender(SendError("network"))
    outcome = send(workspace, world, reply_id, sender, pol=SendPolicy(sleep=marked_meanwhile, clock=Clock()))
    assert outcome.outcome == "refused" and len(sender.calls) == 1
    assert reply_row(workspace, reply_id).status == "posted"


# --- who may --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["viewer", "creator"])
def test_viewers_and_creators_cannot_send_or_retry(workspace, world, browser, live, role):
    reply_id = approved_reply(workspace, world)
    b = browser(role)
    page = b.get("/outbox").text
    assert "send-now" not in page and "send-selected" not in page
    assert b.post("/outbox/send", {"send_one": str(reply_id)}).status_code == 403
    assert b.post(f"/outbox/{reply_id}/retry").status_code == 403
    assert live.sender.calls == [] and reply_row(workspace, reply_id).status == "approved"


@pytest.mark.parametrize("role", ["moderator", "manager"])
def test_moderators_and_managers_send_the_selection(workspace, world, browser, live, role):
    first = approved_reply(workspace, world)
    second = approved_reply(workspace, world, item="praise", text="谢谢宝子回购🥰 第三瓶有小惊喜哦[害羞R]")
    b = browser(role)
    page = b.get("/outbox").text
    assert 'id="send-selected"' in page and page.count('class="send-now"') == 2
    response = b.post("/outbox/send", {"reply_ids": [str(first), str(second)]})
    assert response.status_code == 303 and "posted=2" in response.headers["location"]
    assert [text for _, text in live.sender.calls] == [REPLY_TEXT, "谢谢宝子回购🥰 第三瓶有小惊喜哦[害羞R]"]
    assert b.get("/outbox").text.count('class="outbox-row') == 0


def test_another_accounts_reply_is_not_found(workspace, world, browser, live):
    reply_id = approved_reply(workspace, world)
    b = browser("stranger")
    b.get("/outbox")
    assert b.post("/outbox/send", {"send_one": str(reply_id)}).status_code == 404
    assert b.post(f"/outbox/{reply_id}/retry").status_code == 404
    assert live.sender.calls == [] and reply_row(workspace, reply_id).status == "approved"


# --- off by default -------------------------------------------------------------------------------------

def test_with_the_sender_off_there_is_no_send_button_and_sending_is_refused(workspace, world, browser):
    reply_id = approved_reply(workspace, world)
    b = browser("manager")
    page = b.get("/outbox").text
    assert 'class="outbox-row' in page and "send-now" not in page and "send-selected" not in page
    assert "live-sender" not in page
    refused = b.post("/outbox/send", {"send_one": str(reply_id)})
    assert refused.status_code == 400 and "FANDESK_LIVE_SENDER" in refused.text
    assert reply_row(workspace, reply_id).status == "approved"


def test_with_the_sender_on_but_no_sdk_the_page_says_how_to_install_it(workspace, world, browser, app, monkeypatch):
    reply_id = approved_reply(workspace, world)
    workspace.settings = workspace.settings.model_copy(update={"live_sender": True, "xhs_cookie": SecretStr(COOKIE)})
    monkeypatch.setitem(sys.modules, "xhs", None)
    b = browser("manager")
    assert 'class="send-now"' in b.get("/outbox").text
    refused = b.post("/outbox/send", {"send_one": str(reply_id)})
    assert refused.status_code == 400 and "pip install -e &#39;.[live]&#39;" in refused.text
    assert reply_row(workspace, reply_id).status == "approved"  # nothing claimed


def test_the_cli_says_the_sender_is_off(workspace, world, cli):
    approved_reply(workspace, world)
    result = cli("outbox", "send")
    assert result.exit_code == 2 and "live sender is off" in result.output


# --- the xhs SDK, faked ---------------------------------------------------------------------------------

class RequestException(OSError):
    pass


class ConnectionError_(RequestException):
    pass


class Timeout(RequestException):
    pass


class ConnectTimeout(ConnectionError_, Timeout):
    pass


class ReadTimeout(Timeout):
    pass


class DataFetchError(RequestException):
    pass


class IPBlockError(RequestException):
    pass


class SignError(RequestException):
    pass


class NeedVerifyError(RequestException):
    pass


class NewConnectionError(Exception):
    pass


class ProtocolError(Exception):
    pass


class Response:
    def __init__(self, status_code):
        self.status_code = status_code


def fake_sdk(answer=None, raises=None, clients=None):
    """A stand-in for the xhs module: its client records calls and answers or raises like the SDK does."""

    class XhsClient:
        def __init__(self, cookie=None, sign=None, timeout=10, **_):
            self.cookie, self.sign, self.calls = cookie, sign, []
            if clients is not None:
                clients.append(self)

        def _post(self, *args):
            self.calls.append(args)
            self.sign("/api/sns/web/v1/comment/post", {"note_id": args[1]}, a1="19a7f3c2", web_session="sess")
            if raises is not None:
                print({"code": -1, "success": False})  # the SDK prints every answer
                raise raises
            return answer if answer is not None else {"comment": {"id": "67a1b2c3000000001c03d4e5"}}

        def comment_note(self, note_id, content):
            return self._post("comment_note", note_id, content)

        def comment_user(self, note_id, comment_id, content):
            return self._post("comment_user", note_id, comment_id, content)

    return Sdk(XhsClient=XhsClient, sign=lambda uri, data=None, a1="", **_: {"x-s": "XYW_x", "x-t": "1"},
               DataFetchError=DataFetchError, IPBlockError=IPBlockError, SignError=SignError,
               NeedVerifyError=NeedVerifyError, ConnectionError=ConnectionError_, ConnectTimeout=ConnectTimeout)


def test_xhs_sender_replies_under_a_comment_or_on_the_note(capsys):
    clients = []
    sender = XhsSender(cookie=COOKIE, sdk=fake_sdk(clients=clients))
    assert sender.post(Target("n1", "c42"), REPLY_TEXT) == "67a1b2c3000000001c03d4e5"
    assert sender.post(Target("n1"), "冲冲冲！") == "67a1b2c3000000001c03d4e5"
    assert clients[0].calls == [("comment_user", "n1", "c42", REPLY_TEXT), ("comment_note", "n1", "冲冲冲！")]
    assert clients[0].cookie == COOKIE
    assert "19a7f3c2" not in repr(sender) and COOKIE not in repr(sender)


def _sdk_error(exc):
    return XhsSender(cookie=COOKIE, sdk=fake_sdk(raises=exc))


@pytest.mark.parametrize(("raised", "code", "transient"), [
    (NeedVerifyError("出现验证码，请求失败，Verifytype: 102"), "need_verify", False),
    (SignError("浏览器异常，请尝试关闭/卸载风险插件或重启试试！"), "sign_rejected", False),
    (IPBlockError("网络连接异常，请检查网络设置或重启试试"), "rate_limited", True),
    (DataFetchError({"code": -100, "success": False, "msg": "登录已过期"}), "cookie_expired", False),
    (DataFetchError({"code": -510001, "success": False, "msg": "笔记状态异常，请稍后查看"}), "target_gone", False),
    (DataFetchError({"code": -9999, "success": False, "msg": "操作太频繁，请稍后再试"}), "rate_limited", True),
    (DataFetchError({"code": -9106, "success": False, "msg": "评论内容包含敏感词"}), "platform_refused", False),
    (ConnectTimeout("connect timed out"), "network", True),
    (ConnectionError_(SimpleNamespace(reason=NewConnectionError("Failed to establish a new connection"))), "network", True),
    # the request may have arrived: never retried by itself, the person checks first
    (ConnectionError_(ProtocolError("Connection aborted.")), "uncertain", False),
    (ReadTimeout("read timed out"), "uncertain", False),
    (ValueError("something new in the SDK"), "uncertain", False),
])
def test_xhs_sender_sorts_what_the_sdk_raises(raised, code, transient, capsys):
    with pytest.raises(SendError) as caught:
        _sdk_error(raised).post(Target("n1", "c42"), "好的～")
    assert caught.value.code == code and caught.value.transient is transient
    assert capsys.readouterr().out == ""  # the SDK's prints do not reach the terminal


@pytest.mark.parametrize(("status", "code"), [(503, "server_busy"), (429, "server_busy"), (200, "uncertain")])
def test_a_raw_answer_from_the_sdk_is_not_taken_for_success(status, code):
    sender = XhsSender(cookie=COOKIE, sdk=fake_sdk(answer=Response(status)))
    with pytest.raises(SendError) as caught:
        sender.post(Target("n1", "c42"), "好的～")
    assert caught.value.code == code


def test_an_unreachable_signing_service_is_a_transient_error(monkeypatch):
    import httpx

    def refused(*args, **kwargs):
        raise httpx.ConnectError("All connection attempts failed")

    monkeypatch.setattr(httpx, "post", refused)
    sender = XhsSender(cookie=COOKIE, sign_url="http://127.0.0.1:5005/sign", sdk=fake_sdk())
    with pytest.raises(SendError) as caught:
        sender.post(Target("n1", "c42"), "好的～")
    assert caught.value.code == "sign_unavailable" and caught.value.transient


def test_a_missing_sdk_says_how_to_install_it(monkeypatch):
    from fandesk.errors import Invalid

    monkeypatch.setitem(sys.modules, "xhs", None)  # import xhs now fails, as on a default install
    with pytest.raises(Invalid) as caught:
        XhsSender(cookie=COOKIE)
    assert "pip install -e '.[live]'" in str(caught.value)


def test_the_cookie_never_appears_in_the_page_or_the_audit_log(workspace, world, browser, live):
    # the platform's error echoes the cookie back: it is cut out before it is stored
    leak = DataFetchError({"code": -100, "msg": f"登录已过期 cookie={COOKIE}"})
    sender = XhsSender(cookie=COOKIE, sdk=fake_sdk(raises=leak))
    b = browser("manager")
    first, second = approved_reply(workspace, world), approved_reply(workspace, world, item="praise", text="爱你😘")
    send(workspace, world, first, sender)
    send(workspace, world, second, FakeSender())
    secrets = [COOKIE, "19a7f3c2d5e6b8a90c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", "040069b5e2f1a9c8d7e6f5a4b3c2d1e0"]
    assert reply_row(workspace, first).send_error_code == "cookie_expired"
    page = b.get("/outbox").text + b.get("/audit").text + b.get(f"/items/{world.items['question']}").text
    with transaction(workspace.sessions) as session:
        logged = " ".join(f"{e.before} {e.after}" for e in session.scalars(select(AuditEvent)))
    for secret in secrets:
        assert secret not in page and secret not in logged


def test_settings_turn_the_sender_on_only_with_a_whole_cookie(tmp_path):
    from fandesk.settings import load_settings

    with pytest.raises(ValueError) as caught:
        load_settings(tmp_path, live_sender=True, xhs_cookie="a1=19a7f3c2d5e6b8a90c1d; webId=7c4e1a2b")
    assert "web_session" in str(caught.value) and "19a7f3c2d5e6b8a90c1d" not in str(caught.value)
    settings = load_settings(tmp_path, live_sender=True, xhs_cookie=COOKIE, send_max_attempts=5)
    assert settings.send_max_attempts == 5 and COOKIE not in repr(settings)
    assert load_settings(tmp_path).live_sender is False
    with pytest.raises(ValueError):
        load_settings(tmp_path, send_max_attempts=0)


def test_the_cli_sends_the_outbox_and_summarises(workspace, world, cli, monkeypatch):
    from fandesk.replies import sender as sender_module

    first = approved_reply(workspace, world)
    second = approved_reply(workspace, world, item="praise", text="谢谢支持～[比心R]")
    held = dm_reply(workspace, world)
    answers = iter([{"comment": {"id": "67a1b2c3000000001c03d4e5"}},
                    DataFetchError({"code": -510001, "msg": "当前内容无法展示"})])

    class Client:
        def __init__(self, **_):
            pass

        def comment_user(self, note_id, comment_id, content):
            answer = next(answers)
            if isinstance(answer, Exception):
                raise answer
            return answer

    sdk = fake_sdk()
    monkeypatch.setattr(sender_module, "load_sdk", lambda: Sdk(**{**sdk.__dict__, "XhsClient": Client}))
    for name, value in (("LIVE_SENDER", "1"), ("XHS_COOKIE", COOKIE), ("XHS_ACCOUNT", "brand_a"),
                        ("SEND_BACKOFF_SECONDS", "0")):
        monkeypatch.setenv(f"FANDESK_{name}", value)
    result = cli("outbox", "send", "--account", "brand_a")
    assert result.exit_code == 0, result.output
    flat = re.sub(r"[\s│]", "", result.output)  # the table wraps its cells
    assert "1posted,1failed,1leftforaperson" in flat
    assert "当前内容无法展示" in flat and "PrivatemessagescannotbesentthroughtheSDK" in flat
    assert COOKIE not in result.output
    statuses = {r: reply_row(workspace, r).status for r in (first, second, held)}
    assert statuses == {first: "posted", second: "failed", held: "approved"}
    again = cli("outbox", "send", "--account", "nobody")
    assert again.exit_code == 2 and "nobody" in again.output


def test_every_reason_has_its_translatable_sentence():
    from fandesk.web.send_labels import SEND_REASONS

    assert SEND_REASONS == REASONS


def test_a_comment_is_answered_under_it_a_note_mention_on_the_note_and_a_dm_by_hand():
    from fandesk.replies.sender import plan_target

    assert plan_target(kind="reply", channel="comment", note_id="n1", comment_id="c9") == Target("n1", "c9")
    assert plan_target(kind="reply", channel="mention", note_id="n7", comment_id=None) == Target("n7")
    assert plan_target(kind="reply", channel="dm", note_id=None, comment_id=None) == "dm_by_hand"
    assert plan_target(kind="private_message", channel="comment", note_id="n1", comment_id="c9") == "dm_by_hand"
    assert plan_target(kind="reply", channel="comment", note_id=None, comment_id="c9") == "no_target"
