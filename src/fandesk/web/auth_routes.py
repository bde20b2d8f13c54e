"""Sign in, sign out, and the language switch (it sticks: on the member, and in a cookie before sign-in)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from fandesk.web.common import current_user, render, tx
from fandesk.web.i18n import LANGUAGES, gettext_, use_language

router = APIRouter()
LANG_COOKIE_DAYS = 365


def _safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


@router.get("/")
async def home(request: Request):
    current_user(request)
    return RedirectResponse("/queue", status_code=303)


@router.get("/login")
async def login_page(request: Request, next: str = "/queue"):
    if request.session.get("member_id"):
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/queue")):
    from fandesk.auth.service import authenticate

    limiter = request.app.state.limiter
    address = request.client.host if request.client else "unknown"
    keys = (f"user:{username.strip().lower()}", f"addr:{address}")
    with tx(request) as session:
        wait = limiter.retry_after(session, *keys)
    if wait:
        message = gettext_("Too many failed sign-ins. Try again in %(minutes)s minutes.", minutes=wait // 60 + 1)
        return render(request, "login.html", {"next": _safe_next(next), "error": message}, status_code=429,
                      headers={"Retry-After": str(wait)})
    with tx(request) as session:
        member = authenticate(session, username=username.strip(), password=password)
        if member is None:
            limiter.failed(session, *keys)
        else:
            member_id, fingerprint, language = member.id, member.password_hash[-16:], member.language
            limiter.succeeded(session, keys[0])
    if member is None:
        return render(request, "login.html", {"next": _safe_next(next),
                                              "error": gettext_("Wrong username or password.")}, status_code=401)
    request.session.clear()  # a fresh session (and CSRF token) on every sign-in
    request.session.update({"member_id": member_id, "pw": fingerprint, "lang": language})
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request):
    language = request.session.get("lang")
    request.session.clear()
    if language:
        request.session["lang"] = language
    return RedirectResponse("/login", status_code=303)


@router.post("/language")
def switch_language(request: Request, lang: str = Form("zh"), next: str = Form("/queue")):
    from fandesk.auth.service import set_language

    if lang not in LANGUAGES:
        lang = "zh"
    if request.session.get("member_id"):
        user = current_user(request)
        with tx(request) as session:
            set_language(session, member_id=user.id, language=lang)
    request.session["lang"] = lang
    use_language(lang)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie("fandesk_lang", lang, max_age=LANG_COOKIE_DAYS * 86400, samesite="lax", httponly=True)
    return response
