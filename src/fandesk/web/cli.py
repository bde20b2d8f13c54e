"""`fandesk serve` and `fandesk user ...`: thin adapters over the web app and the sign-in service."""

from __future__ import annotations

import typer

from fandesk.db import transaction

user_app = typer.Typer(help="Who can sign in to the web app, and with which role.", no_args_is_help=True)


def llm_from_settings(settings):
    """An OpenAI-compatible endpoint for drafts, when the settings name one (llm_base_url)."""
    from fandesk.replies.llm import LlmConfig

    base_url = settings.llm_base_url.strip()
    if not base_url:
        return None
    return LlmConfig(base_url=base_url, model=settings.llm_model, api_key=settings.llm_api_key)


def default_workers() -> int:
    """One worker process per core (at most 4): a page is CPU work in Python, and one process runs one
    core. The desk's shared state (presence, sign-in limit, queue revision) lives in the database."""
    import os

    return max(1, min(os.cpu_count() or 1, 4))


def worker_app():
    """The app in a worker process: uvicorn calls this in each one; the parent passed the workspace
    and database through the environment (settings are read once, here, at the entry point)."""
    from fandesk.settings import load_settings
    from fandesk.web.app import create_app
    from fandesk.workspace.service import open_workspace

    _end_with_parent()
    workspace = open_workspace(load_settings(), migrate=False)
    return _frozen(create_app(workspace, llm=llm_from_settings(workspace.settings)))


def _end_with_parent() -> None:
    """A worker asks Linux to send it SIGTERM when the serving parent dies, even by SIGKILL, so no worker
    is left holding the port (elsewhere the parent's own shutdown is all there is)."""
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        return


def _serve_workers(options: dict, workers: int) -> None:
    """uvicorn's supervisor, except that SIGHUP (a closed terminal, a killed tmux session) stops the server
    like SIGTERM and Ctrl-C do, instead of starting new workers that keep the port."""
    import uvicorn
    from uvicorn.supervisors.multiprocess import Multiprocess

    class Supervisor(Multiprocess):
        def handle_hup(self) -> None:
            self.handle_term()

    config = uvicorn.Config("fandesk.web.cli:worker_app", factory=True, workers=workers, **options)
    sock = config.bind_socket()
    try:
        Supervisor(config, sockets=[sock]).run()
    finally:
        sock.close()


def _frozen(app):
    """Everything built so far (models, routes, the app) lives as long as the server: moved out of the
    garbage collector's sight, so its full collections stop walking it in the middle of requests (under
    load that cut the queue page's p95 by about 15 ms in bench/web)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)  # a request's garbage is freed by reference counting: collect less often
    return app


def proxy_options(settings) -> dict:
    """The client address comes from the connection, unless it comes through a proxy the settings trust
    (FANDESK_TRUSTED_PROXIES): then from its X-Forwarded-For. The sign-in limit counts per address."""
    trusted = settings.trusted_proxies.strip()
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def serve_workspace(workspace, *, host: str, port: int, workers: int | None = None) -> None:
    import os

    import uvicorn

    from fandesk.web.app import create_app

    workers = workers or default_workers()
    options = {"host": host, "port": port, "log_level": "info", "access_log": False,
               **proxy_options(workspace.settings)}
    if workers == 1:
        uvicorn.run(_frozen(create_app(workspace, llm=llm_from_settings(workspace.settings))), **options)
        return
    # the schema is already migrated (the workspace is open); workers reopen it from these
    os.environ["FANDESK_WORKSPACE"] = str(workspace.settings.workspace)
    os.environ["FANDESK_DATABASE_URL"] = workspace.settings.database_url
    workspace.dispose()
    _serve_workers(options, workers)


def serve_command(ctx: typer.Context,
                  host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
                  port: int = typer.Option(8000, "--port", help="Port to listen on."),
                  workers: int = typer.Option(0, "--workers", help="Worker processes (default: one per core, "
                                                                   "at most 4).")) -> None:
    """Serve the team inbox web app."""
    workspace = ctx.obj.open()
    typer.echo(f"fandesk: http://{host}:{port}/  (Ctrl+C to stop)")
    serve_workspace(workspace, host=host, port=port, workers=workers or None)


@user_app.command("add")
def user_add(ctx: typer.Context, name: str,
             role: str = typer.Option(..., "--role", help="manager, moderator, creator or viewer."),
             account: list[str] = typer.Option([], "--account", "-a", help="Account handle (repeat for more); "
                                               "default: every account."),
             password: str = typer.Option(None, "--password", help="Asked for when not given."),
             username: str = typer.Option(None, "--username", help="Sign-in name (default: NAME)."),
             language: str = typer.Option("zh", "--language", help="zh or en.")) -> None:
    """Add a team member who can sign in: the same checks and audit record as a manager's form."""
    from fandesk.errors import Invalid
    from fandesk.members.service import add_user
    from fandesk.workspace.service import account_by_handle, list_accounts

    workspace = ctx.obj.open()
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with transaction(workspace.sessions) as session:
        everyone = list_accounts(session)
        if not everyone:
            raise Invalid("there is no account yet: add one first (`fandesk account add HANDLE`)")
        chosen = [account_by_handle(session, h) for h in account] if account else everyone
        handles = [a.handle for a in chosen]
        # the command line runs every account: it may put someone on any of them
        member = add_user(session, actor_id=None, account_ids=[a.id for a in everyone], name=name,
                          username=username or name, password=password, role=role,
                          member_account_ids=[a.id for a in chosen], language=language)
        typer.echo(f"added {member.name} ({member.role}), signs in as {member.username}, on {', '.join(handles)}")


@user_app.command("password")
def user_password(ctx: typer.Context, name: str,
                  password: str = typer.Option(None, "--password", help="Asked for when not given.")) -> None:
    """Give an existing team member a sign-in, or a new password (ends their sessions)."""
    from sqlalchemy import select

    from fandesk.errors import NotFound
    from fandesk.members.models import Member
    from fandesk.members.sign_in import set_login

    workspace = ctx.obj.open()
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with transaction(workspace.sessions) as session:
        member = session.scalars(select(Member).where((Member.name == name) | (Member.username == name))).first()
        if member is None:
            raise NotFound(f"no team member {name!r}: see `fandesk member list`")
        set_login(session, member_id=member.id, password=password)
        typer.echo(f"{member.name} signs in as {member.username}; their open sessions have ended")


@user_app.command("unlock")
def user_unlock(ctx: typer.Context, name: str) -> None:
    """Let someone try to sign in again now: forgets the username's failed attempts, from every address."""
    from fandesk.audit.service import record
    from fandesk.members.limits import SignInLimiter

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        cleared = SignInLimiter().unlock(session, username=name)
        record(session, member_id=None, action="sign_in.unlock", object_type="member", object_id=None,
               after={"username": name, "counters": cleared})
    typer.echo(f"{name}: attempts forgotten ({cleared} counters); an address that tried many names stays "
               "limited until its window ends")


def mount(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.add_typer(user_app, name="user")
