"""The demo: generate realistic files, then import them through the real importers, as a user would."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select

from fandesk.db import transaction
from fandesk.members.models import Member
from fandesk.workspace.models import Account

# One of each role, as the web app will sign them in (issue: team inbox).
DEMO_TEAM = (("李经理", "manager"), ("阿敏", "moderator"), ("小周", "moderator"), ("Coco", "creator"),
             ("访客", "viewer"))
# Their sign-ins (username, language); every demo login has the same, printed, password.
DEMO_LOGINS = {"李经理": ("manager", "zh"), "阿敏": ("amin", "zh"), "小周": ("xiaozhou", "zh"), "Coco": ("coco", "en"),
               "访客": ("viewer", "zh")}
DEMO_PASSWORD = "fandesk-demo"


SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_META = "demo"  # the workspace fact that says which demo built it and whether that build finished


def prepare_demo_workspace(workspace, *, seed: int, now, scale: float = 1.0) -> str | None:
    """Make sure the demo starts from an empty workspace, so two demo worlds never mix: a workspace an
    earlier demo built (finished or not) is rebuilt from scratch, and the reason is returned to say so;
    one that holds anything else is refused, since dropping it would lose a team's data."""
    from sqlalchemy import func

    from fandesk.errors import Conflict
    from fandesk.workspace.service import read_meta, reset_database, write_meta

    with transaction(workspace.sessions) as session:
        earlier = read_meta(session, DEMO_META)
        handles = set(session.scalars(select(Account.handle)))
        members = session.scalar(select(func.count()).select_from(Member))
    demo_handles = {"chengji_lab", "xiaomei_daily"}
    if earlier is None and handles and not handles <= demo_handles:
        raise Conflict(f"{workspace.settings.workspace} holds a workspace that is not a demo (accounts: "
                       f"{', '.join(sorted(handles))}); the demo would mix its data into it. Build the demo in "
                       "another folder with --dir PATH (and an empty database if FANDESK_DATABASE_URL is set)")
    note = None
    if earlier is not None or handles or members:
        reset_database(workspace)
        if earlier is None:
            note = "an earlier demo that did not finish was here: rebuilt the demo from scratch"
        else:
            finished = "finished" if earlier.get("state") == "ready" else "did not finish"
            note = (f"an earlier demo (seed {earlier.get('seed')}, --now {earlier.get('now')}, {finished}) "
                    "was here: rebuilt the demo from scratch")
    with transaction(workspace.sessions) as session:
        write_meta(session, DEMO_META, {"seed": seed, "now": now.isoformat(timespec="minutes"), "scale": scale,
                                        "state": "building"})
    return note


def run_demo(workspace, *, seed: int = 7, now=None, scale: float = 1.0, progress=None):
    """Write the demo files into the workspace, create its accounts and team, import every job, triage.
    Start from `prepare_demo_workspace`: each job commits on its own, and the workspace is marked
    finished only at the end."""
    from fandesk.demo.generate import generate_demo_files
    from fandesk.members.service import add_member
    from fandesk.members.sign_in import set_login
    from fandesk.pipeline import import_and_triage, triage_pending
    from fandesk.replies.templates import seed_templates
    from fandesk.workspace.service import add_account, write_meta

    manifest = generate_demo_files(workspace.settings.workspace / "demo-data", seed=seed, now=now, scale=scale)
    with transaction(workspace.sessions) as session:
        known = set(session.scalars(select(Account.handle)))
        for account in manifest.accounts:
            if account.handle not in known:
                add_account(session, handle=account.handle, name=account.name, platform_user_id=account.user_id,
                            creator_hash=account.creator_hash, time_zone=account.time_zone)
        members = set(session.scalars(select(Member.name)))
        handles = [a.handle for a in manifest.accounts]
        for name, role in DEMO_TEAM:
            if name not in members:
                member = add_member(session, name=name, role=role, accounts=handles)
                username, language = DEMO_LOGINS[name]
                set_login(session, member_id=member.id, password=DEMO_PASSWORD, username=username,
                          language=language)
        seed_templates(session)
        _define_follower_fields(session, manifest)
    results = []
    for job in manifest.jobs:
        outcome = import_and_triage(workspace, list(job.paths), account=job.account, fmt=job.format or "auto",
                                    mapping=job.column_map or None, progress=progress, triage=False,
                                    clock_ms=int(manifest.now.timestamp() * 1000))
        results.extend(outcome.results)
    triage_pending(workspace, progress=progress)  # once, over everything: as a team would after a backfill
    _open_the_desk_this_morning(workspace, manifest)
    with transaction(workspace.sessions) as session:
        write_meta(session, DEMO_META, {"seed": seed, "now": manifest.now.replace(tzinfo=None).isoformat(
            timespec="minutes"), "scale": scale, "state": "ready"})
    return manifest, results


def _open_the_desk_this_morning(workspace, manifest) -> None:
    """The demo team answered the past as it came (the crawl holds their replies) and opened the desk at
    08:00 today, Shanghai time (yesterday's 08:00 before then): what came since and is unanswered is the
    morning's work, the rest history. A real workspace's desk starts a week before its newest item
    (inbox.history) until someone moves it."""
    from datetime import UTC, timedelta

    from fandesk.inbox.history import set_desk_start

    local = manifest.now.astimezone(SHANGHAI)
    morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
    if morning > local:
        morning -= timedelta(days=1)
    start = morning.astimezone(UTC).replace(tzinfo=None)
    with transaction(workspace.sessions) as session:
        for account in session.scalars(select(Account)):
            set_desk_start(session, account_id=account.id, desk_start=start, member_id=None,
                           now=manifest.now.astimezone(UTC).replace(tzinfo=None))


def _define_follower_fields(session, manifest) -> None:
    """The follower sheet's custom fields, typed (skin type is one of the demo's skin types), on the
    account the sheet is imported into, so the demo card shows typed fields."""
    from fandesk.demo.sheets import FOLLOWER_FIELDS, FOLLOWER_MAP
    from fandesk.people.custom_fields import add_definition, definitions

    for job in manifest.jobs:
        if job.sheet_kind != "followers":
            continue
        account = session.scalars(select(Account).where(Account.handle == job.account)).one()
        known = {d.key for d in definitions(session, account_ids=[account.id])}
        for key, field_type, choices in FOLLOWER_FIELDS:
            if key not in known:
                add_definition(session, account_id=account.id, account_ids=[account.id], member_id=None, key=key,
                               label=FOLLOWER_MAP[f"custom.{key}"], field_type=field_type, choices=list(choices))
