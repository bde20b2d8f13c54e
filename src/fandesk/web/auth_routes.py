"""Sign in, sign out, one's own sessions, and the language switch (it sticks: on the member, and in a
cookie set at sign-in and by the switch)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from fandesk.web.common import (
    SESSION_COOKIE,
    CurrentUser,
    NotSignedIn,
    current_user,
    off_loop,
    render,
    set_session_cookie,
    tx,
)
from fandesk.web.i18n import LANGUAGES, gettext_, use_language

router = APIRouter()
LANG_COOKIE_DAYS = 365


def _safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


def _signed_in(request: Request):
    try:
        return current_user(request)
    except NotSignedIn:
        return None


def _language_cookie(response, language: str) -> None:
    response.set_cookie("fandesk_lang", language, max_age=LANG_COOKIE_DAYS * 86400, samesite="lax", httponly=True)


@router.get("/")
async def home(request: Request, user: CurrentUser):
    return RedirectResponse("/queue", status_code=303)


@router.get("/login")
async def login_page(request: Request, next: str = "/queue"):
    if await off_loop(request, _signed_in, request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/queue")):
    """Count the attempt (or refuse it) before the password is checked, in its own committed step, so
    parallel attempts cannot pass the limit; then check it and, when right, start a new session."""
    from fandesk.members.limits import address_of
    from fandesk.members.sessions import LIFETIME, end_session, start_session
    from fandesk.members.sign_in import authenticate

    limiter = request.app.state.limiter
    name = username.strip()
    host = request.client.host if request.client else ""
    with tx(request) as session:
        attempt = limiter.reserve(session, username=name, address=address_of(host))
    if not attempt.allowed:
        if attempt.retry_after <= 1:  # only attempts still being checked: not a lockout
            message = gettext_("Too many sign-ins at the same moment. Try again in a second.")
        else:
            message = gettext_("Too many failed sign-ins. Try again in %(minutes)s minutes.",
                               minutes=attempt.retry_after // 60 + 1)
        return render(request, "login.html", {"next": _safe_next(next), "error": message}, status_code=429,
                      headers={"Retry-After": str(attempt.retry_after)})
    with tx(request) as session:
        member = authenticate(session, username=name, password=password)
        if member is None:
            limiter.failed(session, attempt)
        else:
            limiter.succeeded(session, attempt)
            # a sign-in over an open session ends that one: a browser holds one session at a time
            end_session(session, token=request.cookies.get(SESSION_COOKIE, ""))
            token = start_session(session, member_id=member.id, user_agent=request.headers.get("user-agent", ""),
                                  address=host)
            language = member.language
    if member is None:
        return render(request, "login.html", {"next": _safe_next(next),
                                              "error": gettext_("Wrong username or password.")}, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(request, response, token, max_age=int(LIFETIME.total_seconds()))
    _language_cookie(response, language)
    return response


@router.post("/logout")
def logout(request: Request):
    """Ends this session; whoever signs out is no longer shown on the items they had open."""
    from fandesk.inbox.presence import leave
    from fandesk.members.sessions import end_session

    try:
        member_id = current_user(request).id
    except NotSignedIn:
        member_id = None
    with tx(request) as session:
        end_session(session, token=request.cookies.get(SESSION_COOKIE, ""))
        if member_id is not None:
            leave(session, member_id=member_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=request.app.state.secure_cookies)
    return response


@router.post("/language")
def switch_language(request: Request, lang: str = Form("zh"), next: str = Form("/queue")):
    from fandesk.members.sign_in import set_language

    if lang not in LANGUAGES:
        lang = "zh"
    user = _signed_in(request)
    if user is not None:
        with tx(request) as session:
            set_language(session, member_id=user.id, language=lang)
    use_language(lang)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _language_cookie(response, lang)
    return response


# -- one's own sessions ---------------------------------------------------------------------------------

def browser_name(user_agent: str) -> str:
    """"Chrome · macOS" from a user agent, for the list of sessions (the full text is in its title)."""
    agent = user_agent or ""
    browser = next((name for token, name in (("Edg/", "Edge"), ("MicroMessenger", "WeChat"), ("Firefox/", "Firefox"),
                                             ("Chrome/", "Chrome"), ("Safari/", "Safari")) if token in agent), "")
    system = next((name for token, name in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
                                            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux"))
                   if token in agent), "")
    return " · ".join(part for part in (browser, system) if part) or agent[:40] or "?"


@router.get("/sessions")
def sessions_page(request: Request, user: CurrentUser):
    from fandesk.members.sessions import open_sessions

    with tx(request) as session:
        rows = open_sessions(session, member_id=user.id)
    return render(request, "sessions.html", {"sessions": rows, "current": user.session_id,
                                             "browser_name": browser_name}, user=user)


@router.post("/sessions/{session_id}/end")
def end_one_session(request: Request, user: CurrentUser, session_id: int):
    from fandesk.members.sessions import end_own_session

    with tx(request) as session:
        end_own_session(session, member_id=user.id, session_id=session_id)
    return RedirectResponse("/sessions", status_code=303)


@router.post("/sessions/end-others")
def end_other_sessions(request: Request, user: CurrentUser):
    from fandesk.members.sessions import end_sessions

    with tx(request) as session:
        end_sessions(session, member_id=user.id, reason="ended", keep_session_id=user.session_id)
    return RedirectResponse("/sessions", status_code=303)
