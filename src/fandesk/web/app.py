"""`create_app(workspace)`: the web app over an open workspace (the composition root the CLI also builds)."""

from __future__ import annotations

from importlib import resources

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.datastructures import MutableHeaders

from fandesk.errors import Conflict, Forbidden, Invalid, NotFound
from fandesk.members.limits import SignInLimiter
from fandesk.web import i18n, labels
from fandesk.web.common import CsrfRefused, NotSignedIn, csrf_protect, is_htmx, local_time, render

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _gettext_markup(message: str, **variables) -> Markup:
    return Markup(i18n.translations(i18n.current_language()).gettext(message)) % variables


def _templates() -> Environment:
    from fandesk.web.names import initial, person_name

    # auto_reload off: templates ship in the package, so there is no need to stat them on every render
    env = Environment(loader=PackageLoader("fandesk.web", "templates"), autoescape=True, auto_reload=False,
                      extensions=["jinja2.ext.i18n"], undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(
        lambda message: i18n.translations(i18n.current_language()).gettext(message),
        lambda singular, plural, n: i18n.translations(i18n.current_language()).ngettext(singular, plural, n),
        newstyle=True)
    # `_()` straight to the catalogue: the extension's version goes through three context calls per
    # string, and a page shows dozens. Same result: escaped Markup, %-formatted (so %% is a percent).
    env.globals["_"] = _gettext_markup
    env.filters["local"] = local_time
    env.filters["label"] = labels.label
    env.filters["reason"] = labels.reason_text
    env.filters["audit"] = labels.audit_text
    env.filters["person_name"] = person_name  # nicknames: no bidi controls (fandesk.web.names)
    env.filters["initial"] = initial  # an avatar's character, likewise
    env.globals.update(label=labels.label, check_name=labels.check_name, check_detail=labels.check_detail)
    return env


class LanguageAndHeaders:
    """The request's language (its cookie, set at sign-in and by the switch; else Chinese) and the
    security headers on every answer. Plain ASGI: a BaseHTTPMiddleware costs an extra task and stream per request.

    Like nginx's keepalive_requests, it also asks a client to reconnect after KEEPALIVE_REQUESTS answers
    on one connection: a kept-alive connection stays with the worker process that accepted it, so without
    this a burst of connections accepted by one worker keeps it busy while another idles; a reconnect
    tends to land on the worker with time to accept it."""

    KEEPALIVE_REQUESTS = 100

    def __init__(self, app):
        self.app = app
        self.served: dict[tuple, int] = {}  # answers per client connection (address, port)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = Request(scope).cookies.get("fandesk_lang")
        token = i18n.use_language(language or i18n.DEFAULT_LANGUAGE)
        cache = "public, max-age=3600" if scope["path"].startswith("/static/") else "no-store"
        reconnect = self._count(scope.get("client"))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
                                    ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"),
                                    ("Cache-Control", cache)):
                    headers.setdefault(name, value)
                if reconnect:
                    headers["Connection"] = "close"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            i18n._current.reset(token)

    def _count(self, client) -> bool:
        """Count an answer on this connection; True when it is the connection's last."""
        if not client:
            return False
        key = tuple(client)
        served = self.served.get(key, 0) + 1
        if served >= self.KEEPALIVE_REQUESTS:
            self.served.pop(key, None)
            return True
        if len(self.served) > 10_000:  # connections that closed on their own
            self.served.clear()
        self.served[key] = served
        return False


def create_app(workspace, *, secure_cookies: bool | None = None, llm=None, sign_in_limit: int = 5) -> FastAPI:
    """The app over an open workspace. Cookies are Secure outside development unless told otherwise.
    Sessions live in the database (members.sessions); CSRF tokens are derived with the configured secret
    or the one generated into the workspace (workspace.service.secret_key), never a known value."""
    from fandesk.web import (
        audit_routes,
        auth_routes,
        field_routes,
        item_routes,
        queue_routes,
        reply_routes,
        settings_routes,
    )
    from fandesk.workspace.service import secret_key

    settings = workspace.settings
    if secure_cookies is None:
        secure_cookies = settings.environment != "development"
    app = FastAPI(title="fandesk", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(csrf_protect)])
    app.state.workspace = workspace
    app.state.templates = _templates()
    app.state.limiter = SignInLimiter(limit=sign_in_limit)
    app.state.secret_key = secret_key(workspace).encode()
    app.state.secure_cookies = secure_cookies
    app.state.llm = llm
    app.state.count_cache = {}

    app.add_middleware(LanguageAndHeaders)
    app.mount("/static", StaticFiles(directory=str(resources.files("fandesk.web") / "static")), name="static")

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, _exc):
        target = "/login"
        if request.method == "GET" and request.url.path not in ("/", "/login"):
            target += "?next=" + request.url.path
        if is_htmx(request):
            return HTMLResponse("", status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _exc):
        return _problem(request, 403, i18n.gettext_("This form has expired or did not come from fandesk. "
                                                     "Reload the page and try again."))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, _exc):
        return _problem(request, 404, i18n.gettext_("Not found, or not on your accounts."))

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, _exc):
        return _problem(request, 403, i18n.gettext_("Your role may not do this."))

    @app.exception_handler(Invalid)
    @app.exception_handler(Conflict)
    async def _invalid(request: Request, exc):
        return _problem(request, 400 if isinstance(exc, Invalid) else 409, str(exc))

    for module in (auth_routes, queue_routes, item_routes, reply_routes, audit_routes, field_routes,
                   settings_routes):
        app.include_router(module.router)
    from fandesk.web import dashboard_routes, question_routes

    app.include_router(dashboard_routes.router)
    app.include_router(question_routes.router)
    return app


def _problem(request: Request, status: int, message: str):
    if is_htmx(request):
        # htmx-config in base.html swaps error responses too; this one goes to the flash area, whole (not
        # through the hx-select a page's container sets for its own answers).
        return render(request, "_flash.html", {"message": message, "kind": "error"}, status_code=status,
                      headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML", "HX-Reselect": "unset"})
    return render(request, "problem.html", {"status": status, "message": message}, status_code=status)
