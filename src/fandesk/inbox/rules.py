"""Triage rules as data: TOML that people edit without code, checked with messages that name the
rules, the rule and the field. Each account has its own rules, and the workspace has rules for every
account; `inbox.rule_scopes` keeps them (per account, in the database) and says who may change which.

```toml
[[rule]]
name = "Legal words to the manager"
kind = "escalate"
words = ["律师", "起诉", "12315"]
categories = ["crisis", "partnership"]
```
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field

from fandesk.errors import Invalid
from fandesk.understanding.analysis import CATEGORIES

KINDS = ("keyword_alert", "vip", "escalate", "auto_assign", "auto_hide_spam")
TIERS = ("urgent", "important", "routine")

KINDS_HELP = """\
# kinds: keyword_alert (words, tier, notify), vip (people: user ids or nicknames),
# escalate (words and/or categories -> the manager), auto_assign (mode: round_robin | least_open),
# auto_hide_spam (hides spam in the desk and queues the platform action; undo restores it).
"""

DEFAULT_RULES = """\
# fandesk's workspace-wide triage rules (rule names are what the desk shows: write them in the team's language):
# they apply to every account, next to each account's own rules.
# Edit, then run `fandesk triage --all` to apply them to open items.
""" + KINDS_HELP + """\
# Optional on every rule: enabled = true; here also accounts = ["handle", ...] (default: every account).

[[rule]]
name = "危机、合作和法律相关的交给经理"
kind = "escalate"
categories = ["crisis", "partnership"]
words = ["律师", "起诉", "12315", "消协", "维权", "曝光", "lawyer", "sue"]

[[rule]]
name = "过敏和烂脸列为紧急"
kind = "keyword_alert"
words = ["过敏", "烂脸", "刺痛", "医院"]
tier = "urgent"
notify = true

[[rule]]
name = "隐藏垃圾评论和引流"
kind = "auto_hide_spam"

[[rule]]
name = "轮流分配待办"
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


def account_rules_help(handle: str) -> str:
    """The comment an account's rules start with until a manager writes some."""
    return (f"# Triage rules of {handle} only; the workspace-wide rules apply to it too.\n" + KINDS_HELP
            + "# Optional on every rule: enabled = true.\n")


def parse_rules(text: str, source: str = "rules.toml", *, account: str | None = None) -> RuleSet:
    """Validate every rule; an error names the rules (`source`), the rule and the field, and says what
    is allowed. An account's rules (`account`, its handle) apply to that account only."""
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
        if account is not None:
            if "accounts" in raw:
                raise Invalid(f"{where}, field 'accounts': these are the rules of {account} and apply to it "
                              "only; remove the field (a rule for every account is a workspace-wide rule)")
            raw = {**raw, "accounts": [account]}
        rules.append(_rule(raw, where))
    return RuleSet(rules)


FIELD_ORDER = ("name", "kind", "enabled", "words", "categories", "people", "tier", "notify", "mode", "accounts")


def rule_toml(raw: dict) -> str:
    """One [[rule]] table as TOML (a rule's values are strings, lists of strings and booleans; a JSON
    string is a valid TOML basic string)."""
    def value(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False)

    keys = [k for k in FIELD_ORDER if k in raw] + sorted(k for k in raw if k not in FIELD_ORDER)
    return "[[rule]]\n" + "".join(f"{k} = {value(raw[k])}\n" for k in keys)


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
