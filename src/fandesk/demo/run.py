"""The demo: generate realistic files, then import them through the real importers, as a user would."""

from __future__ import annotations

from sqlalchemy import select

from fandesk.db import transaction
from fandesk.team.models import Member
from fandesk.workspace.models import Account

# One of each role, as the web app will sign them in (issue: team inbox).
DEMO_TEAM = (("李经理", "manager"), ("阿敏", "moderator"), ("小周", "moderator"), ("Coco", "creator"),
             ("访客", "viewer"))
# Their sign-ins (username, language); every demo login has the same, printed, password.
DEMO_LOGINS = {"李经理": ("manager", "zh"), "阿敏": ("amin", "zh"), "小周": ("xiaozhou", "zh"), "Coco": ("coco", "en"),
               "访客": ("viewer", "zh")}
DEMO_PASSWORD = "fandesk-demo"


def run_demo(workspace, *, seed: int = 7, now=None, show_progress: bool = False):
    """Write the demo files into the workspace, create its accounts and team, import every job, triage."""
    from fandesk.auth.service import set_login
    from fandesk.demo.generate import generate_demo_files
    from fandesk.ingest.cli import run_import
    from fandesk.replies.templates import seed_templates
    from fandesk.team.service import add_member
    from fandesk.workspace.service import add_account

    manifest = generate_demo_files(workspace.settings.workspace / "demo-data", seed=seed, now=now)
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
    for number, job in enumerate(manifest.jobs, start=1):
        last = number == len(manifest.jobs)
        imported, _ = run_import(workspace, list(job.paths), account=job.account, fmt=job.format or "auto",
                                 mapping=job.column_map or None, show_progress=show_progress, triage=last)
        results.extend(imported)
    return manifest, results


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
