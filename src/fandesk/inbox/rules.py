"""Triage rules as data: a TOML file in the workspace (`rules.toml`) that people edit without code,
validated with messages that name the rule and the field. The web app will edit the same data.

```toml
[[rule]]
name = "Legal words to the manager"
kind = "escalate"
words = ["律师", "起诉", "12315"]
categories = ["crisis", "partnership"]
```
"""

from __future__ import annotations

import tomllib
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from fandesk.errors import Invalid
from fandesk.understanding.analysis import CATEGORIES

KINDS = ("keyword_alert", "vip", "escalate", "auto_assign", "auto_hide_spam")
TIERS = ("urgent", "important", "routine")

DEFAULT_RULES = """\
# fandesk triage rules. Edit, then run `fandesk triage --all` to apply them to open items.
# kinds: keyword_alert (words, tier, notify), vip (people: user ids or nicknames),
# escalate (words and/or categories -> the manager), auto_assign (mode: round_robin | least_open),
# auto_hide_spam (hides spam in the desk and queues the platform action; undo restores it).
# Optional on every rule: accounts = ["handle", ...] (default: every account), enabled = true.

[[rule]]
name = "Crisis, partnership and legal words go to the manager"
kind = "escalate"
categories = ["crisis", "partnership"]
words = ["律师", "起诉", "12315", "消协", "维权", "曝光", "lawyer", "sue"]

[[rule]]
name = "Allergy and breakouts are urgent"
kind = "keyword_alert"
words = ["过敏", "烂脸", "刺痛", "医院"]
tier = "urgent"
notify = true

[[rule]]
name = "Hide spam and traffic diversion"
kind = "auto_hide_spam"

[[rule]]
name = "Share the queue"
kind = "auto_assign"
mode = "least_open"
"""


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    words: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    tier: str | None = None
    notify: bool = False
    mode: str = "round_robin"
    accounts: tuple[str, ...] = ()
    enabled: bool = True

    def applies_to(self, account_handle: str) -> bool:
        return self.enabled and (not self.accounts or account_handle in self.accounts)

    def matching_words(self, text: str) -> list[str]:
        lowered = text.lower()
        return [w for w in self.words if w.lower() in lowered]


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)

    def of_kind(self, kind: str, account_handle: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind and r.applies_to(account_handle)]


def parse_rules(text: str, source: str = "rules.toml") -> RuleSet:
    """Validate every rule; an error names the file, the rule and the field, and says what is allowed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Invalid(f"{source}: not valid TOML ({exc}); fix the file and run again") from None
    unknown_top = set(data) - {"rule"}
    if unknown_top:
        raise Invalid(f"{source}: unknown section {sorted(unknown_top)[0]!r}; rules are [[rule]] tables")
    rules = []
    for number, raw in enumerate(data.get("rule", []), start=1):
        where = f"{source}: rule {number} ({raw.get('name', 'unnamed')!r})"
        rules.append(_rule(raw, where))
    return RuleSet(rules)


def _strings(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise Invalid(f"{where}, field '{key}': expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _rule(raw: dict, where: str) -> Rule:
    allowed = {"name", "kind", "words", "categories", "people", "tier", "notify", "mode", "accounts", "enabled"}
    extra = set(raw) - allowed
    if extra:
        raise Invalid(f"{where}: unknown field {sorted(extra)[0]!r}; fields are {', '.join(sorted(allowed))}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise Invalid(f"{where}, field 'name': every rule needs a name (it is shown as the reason)")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise Invalid(f"{where}, field 'kind': {kind!r} is not one of {', '.join(KINDS)}")
    rule = Rule(name=name.strip(), kind=kind, words=_strings(raw, "words", where),
                categories=_strings(raw, "categories", where), people=_strings(raw, "people", where),
                tier=raw.get("tier"), notify=bool(raw.get("notify", False)), mode=raw.get("mode", "round_robin"),
                accounts=_strings(raw, "accounts", where), enabled=bool(raw.get("enabled", True)))
    bad_categories = [c for c in rule.categories if c not in CATEGORIES]
    if bad_categories:
        raise Invalid(f"{where}, field 'categories': {bad_categories[0]!r} is not one of {', '.join(CATEGORIES)}")
    if kind == "keyword_alert":
        if not rule.words:
            raise Invalid(f"{where}, field 'words': a keyword alert needs at least one word")
        if rule.tier not in TIERS:
            raise Invalid(f"{where}, field 'tier': {rule.tier!r} is not one of {', '.join(TIERS)}")
    if kind == "vip" and not rule.people:
        raise Invalid(f"{where}, field 'people': list the VIPs' user ids or nicknames")
    if kind == "escalate" and not (rule.words or rule.categories):
        raise Invalid(f"{where}: an escalation needs words, categories or both")
    if kind == "auto_assign" and rule.mode not in ("round_robin", "least_open"):
        raise Invalid(f"{where}, field 'mode': {rule.mode!r} is not round_robin or least_open")
    return rule


def rules_path(workspace: Path) -> Path:
    return workspace / "rules.toml"


def load_rules(workspace: Path) -> RuleSet:
    """The workspace's rules; a workspace without a rules file gets the defaults written for editing."""
    path = rules_path(workspace)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DEFAULT_RULES, encoding="utf-8")
    return parse_rules(path.read_text(encoding="utf-8"), str(path))


def rules_text(workspace: Path) -> str:
    """The rules file as the manager edits it (the defaults until there is one)."""
    path = rules_path(workspace)
    return path.read_text(encoding="utf-8") if path.exists() else DEFAULT_RULES


def save_rules(session, *, workspace: Path, member_id: int, text: str) -> RuleSet:
    """Check the whole file, then replace it atomically (a temporary file renamed over it: a crash
    leaves the old file or the new one, never half of one) and log the change with both texts.
    Invalid text changes nothing; the error names the rule and the field."""
    import os
    import tempfile

    from fandesk.auth.audit import record

    text = text.replace("\r\n", "\n")
    rules = parse_rules(text, "rules.toml")
    path = rules_path(workspace)
    before = rules_text(workspace) if path.exists() else None
    if text == before:
        return rules
    record(session, member_id=member_id, action="settings.rules", object_type="rules", object_id=None,
           before=before, after=text)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".rules-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return rules


def last_rules_change(session) -> dict | None:
    """When the rules were last changed in the web app, and by whom (from the audit log)."""
    from sqlalchemy import select

    from fandesk.auth.models import AuditEvent
    from fandesk.team.models import Member

    row = session.execute(select(AuditEvent.at, Member.name).outerjoin(Member, Member.id == AuditEvent.member_id)
                          .where(AuditEvent.action == "settings.rules")
                          .order_by(AuditEvent.id.desc()).limit(1)).first()
    return None if row is None else {"at": row.at, "member": row.name}
