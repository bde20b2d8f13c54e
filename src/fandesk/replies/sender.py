"""The optional live sender: posts an approved reply on Xiaohongshu through the `xhs` SDK (an extra:
pip install -e '.[live]'). What the SDK raises is sorted into transient (worth another attempt) and
permanent (a person must act); when the platform may already have the reply, the error says so and
nothing is retried by itself, so a follower never sees the same reply twice."""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from fandesk.errors import FandeskError, Invalid

SEND_TIMEOUT = 20.0  # seconds the SDK waits for Xiaohongshu
SIGN_TIMEOUT = 10.0  # seconds to wait for the signing service
INSTALL_HINT = "pip install -e '.[live]' (or pip install 'xhs==0.2.13')"

# Why a reply was not posted, in English (the CLI); web/send_labels.py holds the same sentences for translation.
REASONS = {
    # failed, after retries
    "rate_limited": "Xiaohongshu is limiting requests from this network: wait a while, then retry.",
    "network": "Could not reach Xiaohongshu: check the connection, then retry.",
    "sign_unavailable": "The signing service did not answer: start it (FANDESK_XHS_SIGN_URL), then retry.",
    "server_busy": "Xiaohongshu is busy: retry later.",
    # failed at once
    "cookie_expired": "The cookie has expired: sign in on xiaohongshu.com again, put the new cookie in "
                      "FANDESK_XHS_COOKIE, then retry.",
    "need_verify": "Xiaohongshu asks for a captcha: pass it on xiaohongshu.com in the browser the cookie came "
                   "from, then retry.",
    "sign_rejected": "Xiaohongshu refused the request signature: check the signing service and that its a1 "
                     "matches the cookie's a1, then retry.",
    "target_gone": "The note or comment is gone or hidden: nothing was posted.",
    "platform_refused": "Xiaohongshu refused the reply: read its message, then edit a new reply or post by hand.",
    "uncertain": "Xiaohongshu did not confirm: the reply may be posted. Check on Xiaohongshu, then mark it "
                 "posted or retry.",
    # held in the outbox, never sent by the SDK
    "dm_by_hand": "Private messages cannot be sent through the SDK: send it by hand, then mark it posted.",
    "no_target": "The note id is not known: post it by hand, then mark it posted.",
    "other_account": "The live sender posts as %(handle)s only: post this one by hand, then mark it posted.",
    # refused before sending
    "not_approved": "Only approved replies can be sent: this one is %(status)s.",
    "in_flight": "This reply is being sent right now.",
    "not_retryable": "Only a failed or interrupted send can be retried: this one is %(status)s.",
    "interrupted": "Sending was interrupted: check on Xiaohongshu, then mark it posted or retry.",
    "run_stopped": "Not tried: sending stopped at an error that would fail every reply. It stays approved.",
}
TRANSIENT = frozenset({"rate_limited", "network", "sign_unavailable", "server_busy"})
# errors about the sign-in, the network or the platform, not about one reply: the rest of a run would fail too
STOPS_THE_RUN = TRANSIENT | {"cookie_expired", "need_verify", "sign_rejected"}
NOTE_GONE_CODES = {-510001}
SESSION_CODES = {-100, -101}
TOO_FAST_WORDS = ("频繁", "频次", "too frequent")


class SendError(FandeskError):
    """A send that did not post: a reason code (REASONS) and the platform's own words, if any."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{REASONS[code]}" + (f" ({detail})" if detail else ""))

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT


@dataclass(frozen=True)
class Target:
    """Where a reply goes: under a comment (comment_user) or on the note itself (comment_note)."""

    note_id: str
    comment_id: str | None = None


class Sender(Protocol):
    def post(self, target: Target, text: str) -> str | None:
        """Post the text; return the platform's id of the new comment when known. Raises SendError."""


def plan_target(*, kind: str, channel: str, note_id: str | None, comment_id: str | None) -> Target | str:
    """Where the SDK can post this reply, or the reason code it stays in the outbox for a person."""
    if kind == "private_message" or channel == "dm":
        return "dm_by_hand"
    if not note_id:
        return "no_target"
    return Target(note_id=note_id, comment_id=comment_id or None)


def scrub(text: str, secrets: list[str]) -> str:
    """The cookie and every value in it, cut out of a message that may be shown or stored."""
    for secret in sorted((s for s in secrets if len(s) >= 6), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text[:500]


def cookie_secrets(cookie: str) -> list[str]:
    return [cookie.strip()] + [part.split("=", 1)[1].strip() for part in cookie.split(";") if "=" in part]


@dataclass(frozen=True)
class Sdk:
    """The parts of `xhs` (and `requests`, which it raises through) the sender uses; tests pass a fake."""

    XhsClient: Callable[..., Any]
    sign: Callable[..., dict]
    DataFetchError: type[BaseException]
    IPBlockError: type[BaseException]
    SignError: type[BaseException]
    NeedVerifyError: type[BaseException]
    ConnectionError: type[BaseException]
    ConnectTimeout: type[BaseException]


def load_sdk() -> Sdk:
    """Import the `xhs` SDK only when live sending is used: the default install stays lean."""
    try:
        import requests.exceptions as http_errors
        import xhs
        import xhs.exception as errors
        import xhs.help as help_
    except ImportError:
        raise Invalid(f"the live sender needs the xhs SDK, which is not installed: {INSTALL_HINT}") from None
    return Sdk(XhsClient=xhs.XhsClient, sign=help_.sign, DataFetchError=errors.DataFetchError,
               IPBlockError=errors.IPBlockError, SignError=errors.SignError, NeedVerifyError=errors.NeedVerifyError,
               ConnectionError=http_errors.ConnectionError, ConnectTimeout=http_errors.ConnectTimeout)


# The SDK prints every answer to stdout: calls are serialised so the redirect below never tangles
# between threads (web sends run in the thread pool), which also keeps one process posting one at a time.
_SDK_LOCK = threading.Lock()
_NEVER_SENT = ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")


class XhsSender:
    """Posts through `xhs.XhsClient` with the user's cookie (comment_user under a comment, comment_note
    on a note). Signing: the signing service at sign_url when given, else the SDK's own signer."""

    def __init__(self, *, cookie: str, sign_url: str = "", sdk: Sdk | None = None, timeout: float = SEND_TIMEOUT):
        if not cookie.strip():
            raise Invalid("FANDESK_XHS_COOKIE is empty: paste the cookie of the signed-in account")
        self.sdk = sdk or load_sdk()
        self.sign_url = sign_url.strip()
        self._secrets = cookie_secrets(cookie)
        self._client = self.sdk.XhsClient(cookie=cookie, sign=self._sign, timeout=timeout)

    def __repr__(self) -> str:  # never the cookie
        return f"XhsSender(sign_url={self.sign_url!r})"

    def post(self, target: Target, text: str) -> str | None:
        try:
            with _SDK_LOCK, contextlib.redirect_stdout(io.StringIO()):
                if target.comment_id:
                    answer = self._client.comment_user(target.note_id, target.comment_id, text)
                else:
                    answer = self._client.comment_note(target.note_id, text)
        except SendError as exc:  # from the signing service, through the SDK
            raise SendError(exc.code, scrub(exc.detail, self._secrets)) from None
        except Exception as exc:
            raise self.classify(exc) from None
        return self._comment_id(answer)

    def classify(self, exc: BaseException) -> SendError:
        """What the SDK raised, as a reason: transient ones are retried, the rest wait for a person."""
        sdk = self.sdk
        detail = scrub(_words(exc), self._secrets)
        if isinstance(exc, sdk.NeedVerifyError):
            return SendError("need_verify", detail)
        if isinstance(exc, sdk.SignError):
            return SendError("sign_rejected", detail)
        if isinstance(exc, sdk.IPBlockError):
            return SendError("rate_limited", detail)
        if isinstance(exc, sdk.DataFetchError):
            answer = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
            code, message = answer.get("code"), str(answer.get("msg") or detail)
            message = scrub(message, self._secrets)
            if code in SESSION_CODES:
                return SendError("cookie_expired", message)
            if code in NOTE_GONE_CODES:
                return SendError("target_gone", message)
            if any(word in message for word in TOO_FAST_WORDS):
                return SendError("rate_limited", message)
            return SendError("platform_refused", message)
        if isinstance(exc, sdk.ConnectTimeout) or (isinstance(exc, sdk.ConnectionError) and _never_sent(exc)):
            return SendError("network", detail)
        # a read timeout, a dropped connection, anything else: the request may have arrived
        return SendError("uncertain", f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__)

    def _comment_id(self, answer) -> str | None:
        status = getattr(answer, "status_code", None)
        if status is not None:  # the SDK hands back the raw response when the body is not JSON
            if status in (429, 503):
                raise SendError("server_busy", f"HTTP {status}")
            raise SendError("uncertain", f"HTTP {status}")
        if isinstance(answer, dict):
            comment = answer.get("comment") if isinstance(answer.get("comment"), dict) else answer
            found = comment.get("id")
            return str(found)[:64] if found else None
        return None

    def _sign(self, uri, data=None, a1="", web_session=""):
        if not self.sign_url:
            return self.sdk.sign(uri, data, a1=a1)
        import httpx

        try:
            # web_session is the sign-in itself: the signing service does not need it, so it is not sent
            response = httpx.post(self.sign_url, json={"uri": uri, "data": data, "a1": a1, "web_session": ""},
                                  timeout=SIGN_TIMEOUT)
            response.raise_for_status()
            signs = response.json()
            headers = {"x-s": str(signs["x-s"]), "x-t": str(signs["x-t"])}
            if signs.get("x-s-common"):
                headers["x-s-common"] = str(signs["x-s-common"])
            return headers
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise SendError("sign_unavailable", f"{type(exc).__name__}: {exc}") from None


def _words(exc: BaseException) -> str:
    if exc.args and isinstance(exc.args[0], dict):
        return str(exc.args[0].get("msg") or exc.args[0])
    return str(exc)


def _never_sent(exc: BaseException) -> bool:
    """A connection error from before the request left (refused, no DNS), not one from mid-answer."""
    inner = exc.args[0] if exc.args else None
    reason = getattr(inner, "reason", inner)
    return any(cls.__name__ in _NEVER_SENT for cls in type(reason).__mro__)


def sender_from_settings(settings, *, sdk: Sdk | None = None) -> XhsSender:
    """The live sender the settings describe; refuses clearly when it is off or the SDK is missing."""
    if not settings.live_sender:
        raise Invalid("the live sender is off (FANDESK_LIVE_SENDER): export the outbox and post by hand, "
                      "or turn it on with the account's cookie")
    return XhsSender(cookie=settings.xhs_cookie.get_secret_value(), sign_url=settings.xhs_sign_url, sdk=sdk)
