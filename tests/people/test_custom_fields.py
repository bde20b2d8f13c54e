"""Custom fields defined per account (text, number, date, choice): a manager defines them, the follower
card checks values by type, and imported values that do not fit are kept and marked."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from fandesk.audit.models import AuditEvent
from fandesk.db import transaction
from fandesk.inbox.actions import set_field
from fandesk.people import custom_fields as fields
from fandesk.people.card import follower_card
from fandesk.people.models import CustomFieldDefinition, PersonField

SKIN = ["干皮", "油皮", "混油皮", "敏感肌"]


def define(workspace, world, key, label, field_type, choices=(), account="brand_a"):
    with transaction(workspace.sessions) as session:
        account_id = world.accounts[account]
        return fields.add_definition(session, account_id=account_id, account_ids=[account_id],
                                     member_id=world.members["manager"], key=key, label=label,
                                     field_type=field_type, choices=list(choices)).id


def save(workspace, world, name, value, item="question"):
    with transaction(workspace.sessions) as session:
        set_field(session, item_id=world.items[item], account_ids=[world.accounts["brand_a"]],
                  member_id=world.members["moderator"], name=name, value=value)


def stored(workspace, world, name):
    with workspace.sessions() as session:
        return session.scalar(select(PersonField.value).where(PersonField.person_id == world.people["fan"],
                                                              PersonField.name == name))


def card(workspace, world):
    with workspace.sessions() as session:
        return {f["key"]: f for f in follower_card(session, account_id=world.accounts["brand_a"],
                                                   person_id=world.people["fan"])["custom_fields"]}


@pytest.fixture
def typed(workspace, world):
    """Skin type (choice; the world's fan already has 敏感肌), budget (number), last sample (date), concerns."""
    define(workspace, world, "skin_type", "肤质", "choice", SKIN)
    define(workspace, world, "budget", "预算", "number")
    define(workspace, world, "last_sample", "上次寄样", "date")
    define(workspace, world, "concerns", "关注问题", "text")
    return world


# -- service ---------------------------------------------------------------------------------------------

def test_values_are_checked_by_type_and_stored_plainly(workspace, typed):
    world = typed
    save(workspace, world, "skin_type", " 油皮 ")
    save(workspace, world, "budget", "２００")  # full-width digits from a Chinese keyboard
    save(workspace, world, "last_sample", "2026年5月20日")
    save(workspace, world, "concerns", "闭口+泛红[笑哭R] 换季就烂脸😭")
    assert [stored(workspace, world, n) for n in ("skin_type", "budget", "last_sample", "concerns")] == [
        "油皮", "200", "2026-05-20", "闭口+泛红[笑哭R] 换季就烂脸😭"]
    for name, value, message in [
        ("skin_type", "大油田", "肤质 must be one of 干皮, 油皮, 混油皮, 敏感肌"),
        ("budget", "两百左右", "预算 must be a number, like 3 or 2.5"),
        ("budget", "nan", "预算 must be a number"),
        ("last_sample", "下周二", "上次寄样 must be a date, like 2026-05-20"),
        ("last_sample", "2026-02-30", "上次寄样 must be a date"),
        ("concerns", "绝" * 2001, "关注问题 is too long"),
    ]:
        with pytest.raises(fields.FieldProblem, match=re.escape(message)):
            save(workspace, world, name, value)
    # nothing half-written: the refused values left the stored ones as they were
    assert [stored(workspace, world, n) for n in ("skin_type", "budget", "last_sample")] == [
        "油皮", "200", "2026-05-20"]


def test_an_empty_value_clears_the_field_and_is_audited(workspace, typed):
    world = typed
    save(workspace, world, "skin_type", "   ")
    assert stored(workspace, world, "skin_type") is None
    assert card(workspace, world)["skin_type"]["value"] == ""
    with workspace.sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.field")
                                .order_by(AuditEvent.id.desc())).first()
    assert "敏感肌" in event.before and event.after == '{"skin_type":null}'


def test_a_type_change_is_refused_while_stored_values_do_not_fit(workspace, world):
    field_id = define(workspace, world, "since", "入坑时间", "text")
    save(workspace, world, "since", "2026-03-01")
    save(workspace, world, "since", "去年双十一吧[捂脸R]", item="complaint")  # the other follower

    def change(field_type, choices=()):
        with transaction(workspace.sessions) as session:
            fields.update_definition(session, definition_id=field_id, account_ids=[world.accounts["brand_a"]],
                                     member_id=world.members["manager"], label="入坑时间", field_type=field_type,
                                     choices=list(choices))

    with pytest.raises(fields.FieldProblem) as refused:
        change("date")
    assert refused.value.code == "type_refused" and refused.value.params["count"] == 1
    assert "去年双十一吧[捂脸R]" in str(refused.value) and "入坑时间 cannot become date" in str(refused.value)
    with workspace.sessions() as session:
        assert session.get(CustomFieldDefinition, field_id).field_type == "text"
    save(workspace, world, "since", "2025-11-11", item="complaint")
    change("date")
    assert card(workspace, world)["since"]["type"] == "date"
    # a choice that followers have cannot be taken away either
    skin = define(workspace, world, "skin_type", "肤质", "choice", SKIN)
    refused = pytest.raises(fields.FieldProblem, match="1 stored value.* not among the new choices.*敏感肌")
    with refused, transaction(workspace.sessions) as session:
        fields.update_definition(session, definition_id=skin, account_ids=[world.accounts["brand_a"]],
                                 member_id=world.members["manager"], label="肤质", field_type="choice",
                                 choices=["干皮", "油皮"])


@pytest.mark.parametrize(("key", "label", "field_type", "choices", "code"), [
    ("肤质", "肤质", "text", [], "bad_key"),
    ("skin type", "肤质", "text", [], "bad_key"),
    ("1st_buy", "首单", "date", [], "bad_key"),
    ("skin_type", "肤质", "text", [], "duplicate_key"),
    ("mood", "  ", "text", [], "no_label"),
    ("mood", "心情", "emoji", [], "bad_type"),
    ("mood", "心情", "choice", ["", "  "], "no_choices"),
    ("mood", "心情", "choice", ["开心", "emo了", "开心"], "duplicate_choice"),
])
def test_definitions_are_validated(workspace, world, key, label, field_type, choices, code):
    define(workspace, world, "skin_type", "肤质", "choice", SKIN)
    with pytest.raises(fields.FieldProblem) as refused:
        define(workspace, world, key, label, field_type, choices)
    assert refused.value.code == code
    with workspace.sessions() as session:
        assert [d.key for d in fields.definitions(session, account_ids=list(world.accounts.values()))] == [
            "skin_type"]


def test_imported_values_are_kept_and_marked_and_undefined_fields_still_shown(workspace, typed, cli, tmp_path):
    world = typed
    with workspace.sessions() as session:
        from fandesk.people.models import Person

        user_id = session.get(Person, world.people["fan"]).platform_user_id
    sheet = tmp_path / "粉丝.csv"
    sheet.write_text("用户ID,昵称,肤质,预算,寄样日期,城市\n"
                     f"{user_id},小鹿,大油田😭,两百左右,2026/04/01,成都\n", encoding="utf-8-sig")
    result = cli("import", str(sheet), "--account", "brand_a", "--format", "followers", "--no-triage", "--map",
                 "user_id=用户ID,nickname=昵称,custom.skin_type=肤质,custom.budget=预算,"
                 "custom.last_sample=寄样日期,custom.city=城市")
    assert result.exit_code == 0, result.output
    assert stored(workspace, world, "skin_type") == "大油田😭"  # kept as the sheet had it
    shown = card(workspace, world)
    assert list(shown) == ["skin_type", "budget", "last_sample", "concerns", "city"]
    assert (shown["skin_type"]["problem"], shown["budget"]["problem"]) == ("choice", "number")
    assert shown["last_sample"]["problem"] is None and shown["last_sample"]["shown"] == "2026-04-01"
    assert shown["city"] == {"key": "city", "label": "city", "type": "text", "choices": [], "value": "成都",
                             "shown": "成都", "problem": None, "defined": False}
    # a deactivated field's values stay, shown as free text under the defined ones
    with transaction(workspace.sessions) as session:
        budget = session.scalars(select(CustomFieldDefinition).where(CustomFieldDefinition.key == "budget")).one()
        fields.set_active(session, definition_id=budget.id, account_ids=[world.accounts["brand_a"]],
                          member_id=world.members["manager"], active=False)
    shown = card(workspace, world)
    assert list(shown) == ["skin_type", "last_sample", "concerns", "budget", "city"]
    assert shown["budget"]["defined"] is False and shown["budget"]["problem"] is None
    save(workspace, world, "budget", "看心情")  # free text now
    assert stored(workspace, world, "budget") == "看心情"


def test_the_demo_defines_its_follower_sheet_fields(workspace, world):
    from fandesk.demo import phrases
    from fandesk.demo.run import _define_follower_fields

    manifest = SimpleNamespace(jobs=[SimpleNamespace(sheet_kind="purchases", account="brand_b"),
                                     SimpleNamespace(sheet_kind="followers", account="brand_a")])
    for _ in range(2):  # a second demo run adds nothing
        with transaction(workspace.sessions) as session:
            _define_follower_fields(session, manifest)
    with workspace.sessions() as session:
        defined = fields.definitions(session, account_ids=list(world.accounts.values()))
    assert [(d.key, d.label, d.field_type) for d in defined] == [
        ("skin_type", "肤质", "choice"), ("concerns", "关注问题", "text"), ("products_used", "在用产品", "text"),
        ("city", "所在城市", "text"), ("remark", "备注", "text")]
    assert fields.choices_of(defined[0]) == phrases.SKIN_TYPES
    assert card(workspace, world)["skin_type"]["problem"] is None  # the world's 敏感肌 is a demo skin type


def test_every_refusal_is_marked_for_translation():
    from fandesk.web.field_routes import PROBLEM_MESSAGES

    assert PROBLEM_MESSAGES == fields.PROBLEMS


# -- HTTP ------------------------------------------------------------------------------------------------

def test_a_manager_defines_edits_orders_and_deactivates_fields(workspace, world, browser):
    b = browser("manager")
    a = world.accounts["brand_a"]
    assert b.get("/settings/fields").status_code == 200
    for key, label, field_type, choices in [("skin_type", "肤质", "choice", "干皮\n油皮\n\n混油皮\n敏感肌"),
                                            ("budget", "预算", "number", ""), ("birthday", "生日", "date", "")]:
        response = b.post("/settings/fields", {"account_id": str(a), "key": key, "label": label,
                                               "field_type": field_type, "choices": choices})
        assert response.status_code == 303, response.text
    page = b.get("/settings/fields").text
    assert page.index("肤质") < page.index("预算") < page.index("生日")
    assert "干皮、油皮、混油皮、敏感肌" in page and "1 个值" in page  # the fan's 敏感肌
    ids = {d.key: d.id for d in _definitions(workspace)}
    assert b.post(f"/settings/fields/{ids['birthday']}/move", {"direction": "up"}).status_code == 303
    assert [d.key for d in _definitions(workspace)] == ["skin_type", "birthday", "budget"]
    assert 'id="edit-field"' in b.get(f"/settings/fields?edit={ids['budget']}").text
    assert b.post(f"/settings/fields/{ids['budget']}", {"label": "月预算(元)", "field_type": "number",
                                                        "choices": ""}).status_code == 303
    assert b.post(f"/settings/fields/{ids['birthday']}/active", {"active": "0"}).status_code == 303
    page = b.get(f"/items/{world.items['question']}").text
    assert "月预算(元)" in page and 'type="number"' in page and "生日" not in page
    assert b.post(f"/settings/fields/{ids['birthday']}/active", {"active": "1"}).status_code == 303
    assert 'type="date"' in b.get(f"/items/{world.items['question']}").text
    audit = b.get("/audit?action=field.").text
    for action in ("field.add", "field.move", "field.edit", "field.deactivate", "field.reactivate"):
        assert action in audit


def test_refused_definitions_say_why_in_the_readers_language(world, browser):
    b = browser("manager")
    a = str(world.accounts["brand_a"])
    response = b.post("/settings/fields", {"account_id": a, "key": "肤质", "label": "肤质", "field_type": "text"})
    assert response.status_code == 400 and "键名“肤质”不能用" in response.text
    response = b.post("/settings/fields", {"account_id": a, "key": "skin", "label": "肤质", "field_type": "choice",
                                           "choices": "\n \n"})
    assert response.status_code == 400 and "单选字段至少需要一个选项" in response.text
    b.post("/language", {"lang": "en"})
    response = b.post("/settings/fields", {"account_id": a, "key": "skin", "label": "", "field_type": "text"})
    assert response.status_code == 400 and "Give the field a label" in response.text


def test_a_moderator_edits_typed_values_on_the_card_but_not_definitions(workspace, typed, browser):
    world = typed
    b = browser("moderator")
    q = world.items["question"]
    page = b.get(f"/items/{q}").text
    card_html = page[page.index('class="fields"'):]
    assert '<select name="value" aria-label="肤质">' in card_html and '<option value="敏感肌" selected>' in card_html
    assert 'type="number"' in card_html and 'type="date"' in card_html
    assert card_html.index("肤质") < card_html.index("预算") < card_html.index("上次寄样") < card_html.index("关注问题")
    assert "/settings/fields" not in page  # defining fields is for managers
    assert b.post(f"/items/{q}/fields", {"name": "last_sample", "value": "2026-05-20"}).status_code == 303
    assert stored(workspace, world, "last_sample") == "2026-05-20"
    response = b.post(f"/items/{q}/fields", {"name": "skin_type", "value": "黄黑皮"}, htmx=True)
    assert response.status_code == 400 and "肤质 必须是以下之一：干皮、油皮、混油皮、敏感肌" in response.text
    assert response.headers["hx-retarget"] == "#flash"
    response = b.post(f"/items/{q}/fields", {"name": "budget", "value": "看活动"})
    assert response.status_code == 400 and "预算 必须是数字" in response.text
    assert stored(workspace, world, "budget") is None
    assert b.get("/settings/fields").status_code == 403
    assert b.post("/settings/fields", {"account_id": str(world.accounts["brand_a"]), "key": "mood", "label": "心情",
                                       "field_type": "text"}).status_code == 403
    field_id = _definitions(workspace)[0].id
    for url, data in [(f"/settings/fields/{field_id}", {"label": "x", "field_type": "text"}),
                      (f"/settings/fields/{field_id}/move", {"direction": "down"}),
                      (f"/settings/fields/{field_id}/active", {"active": "0"})]:
        assert b.post(url, data).status_code == 403, url


@pytest.mark.parametrize("role", ["creator", "viewer"])
def test_creators_and_viewers_may_not_edit_values(workspace, typed, browser, role):
    b = browser(role)
    q = typed.items["question"]
    page = b.get(f"/items/{q}").text
    assert "肤质" in page and "敏感肌" in page and 'name="value"' not in page
    assert b.post(f"/items/{q}/fields", {"name": "skin_type", "value": "油皮"}).status_code == 403
    assert stored(workspace, typed, "skin_type") == "敏感肌"
    assert b.get("/settings/fields").status_code == 403


def test_another_accounts_definition_is_not_found(workspace, world, browser):
    theirs = define(workspace, world, "vip_level", "会员等级", "number", account="brand_b")
    b = browser("manager")
    page = b.get("/settings/fields").text
    assert "会员等级" not in page and "Brand B" not in page
    assert b.get(f"/settings/fields?edit={theirs}").status_code == 404
    for url, data in [(f"/settings/fields/{theirs}", {"label": "抢来的", "field_type": "text"}),
                      (f"/settings/fields/{theirs}/move", {"direction": "up"}),
                      (f"/settings/fields/{theirs}/active", {"active": "0"}),
                      ("/settings/fields", {"account_id": str(world.accounts["brand_b"]), "key": "x", "label": "x",
                                            "field_type": "text"})]:
        assert b.post(url, data).status_code == 404, url
    with workspace.sessions() as session:
        mine = session.get(CustomFieldDefinition, theirs)
        assert (mine.label, mine.active) == ("会员等级", True)


def test_hostile_labels_and_choices_are_escaped(workspace, world, browser):
    hostile = "<script>alert(1)</script>"
    define(workspace, world, "skin_type", hostile, "choice", ['<img src=x onerror=alert(1)>', "油皮"])
    b = browser("manager")
    for url in ("/settings/fields", f"/items/{world.items['question']}"):
        page = b.get(url).text
        assert hostile not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fields_page_renders_in_both_languages(world, browser, lang):
    define_page = browser("manager")
    define_page.post("/language", {"lang": lang})
    page = define_page.get("/settings/fields").text
    assert ("自定义字段" if lang == "zh" else "Custom fields") in page
    assert "skin_type" in page  # the world's imported field, offered for a definition


def _definitions(workspace):
    with workspace.sessions() as session:
        return fields.definitions(session, account_ids=list(range(1, 10)))
