"""The brand team's own spreadsheets: a follower sheet with custom fields (Excel), shop orders,
referrals (saved by Excel on Chinese Windows, so GB18030), a satisfaction survey and costs."""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from fandesk.demo import phrases as P
from fandesk.demo.mediacrawler import Written, write_csv
from fandesk.demo.world import DAY_MS, HOUR_MS, SHANGHAI, Comment, Person, World, sample_active_time

PURCHASE_COLUMNS = ["订单号", "用户ID", "小红书昵称", "商品", "数量", "实付金额", "下单时间", "渠道", "订单状态"]
PURCHASE_MAP = {"order_id": "订单号", "user_id": "用户ID", "nickname": "小红书昵称", "product": "商品",
                "amount": "实付金额", "purchased_at": "下单时间"}
REFERRAL_COLUMNS = ["推荐人ID", "推荐人昵称", "被推荐人ID", "被推荐人昵称", "推荐日期", "首单金额", "推荐码"]
REFERRAL_MAP = {"referrer_user_id": "推荐人ID", "referred_user_id": "被推荐人ID", "referred_at": "推荐日期",
                "revenue": "首单金额"}
FOLLOWER_COLUMNS = ["用户ID", "小红书昵称", "关注时间", "肤质", "关注问题", "在用产品", "所在城市", "备注"]
FOLLOWER_MAP = {"user_id": "用户ID", "nickname": "小红书昵称", "followed_at": "关注时间",
                "custom.skin_type": "肤质", "custom.concerns": "关注问题", "custom.products_used": "在用产品",
                "custom.city": "所在城市", "custom.remark": "备注"}
# The custom fields the follower sheet carries, as the demo defines them: (key, type, choices); the label
# is the sheet's column.
FOLLOWER_FIELDS = (("skin_type", "choice", tuple(P.SKIN_TYPES)), ("concerns", "text", ()),
                   ("products_used", "text", ()), ("city", "text", ()), ("remark", "text", ()))
SURVEY_COLUMNS = ["提交时间", "用户ID", "昵称", "满意度(1-5)", "推荐意愿(0-10)", "建议"]
SURVEY_MAP = {"answered_at": "提交时间", "user_id": "用户ID", "nickname": "昵称", "satisfaction": "满意度(1-5)",
              "nps": "推荐意愿(0-10)", "answer": "建议"}
COST_COLUMNS = ["月份", "类别", "金额(元)", "工时", "备注"]
COST_MAP = {"month": "月份", "category": "类别", "amount": "金额(元)", "hours": "工时", "note": "备注"}
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


@dataclass
class Purchase:
    person: Person
    order_id: str
    product: str
    quantity: int
    amount: float
    at_ms: int
    refunded: bool


def local_text(ms: int, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(ms / 1000, SHANGHAI).strftime(fmt)


def brand_commenters(world: World) -> dict[int, list[Comment]]:
    found: dict[int, list[Comment]] = {}
    for comment in world.comments:
        if isinstance(comment.author, Person) and comment.note.account is world.brand:
            found.setdefault(comment.author.index, []).append(comment)
    return found


def plan_purchases(rng: random.Random, world: World, angry: list[Person]) -> list[Purchase]:
    """~1,500 orders by people who also comment: fans buy often, complainers bought before complaining,
    everyone hurt in the crisis bought the new serum in the week before it."""
    commenters = brand_commenters(world)
    products = P.BRAND_PRODUCTS
    orders: list[Purchase] = []
    latest = world.now_ms - DAY_MS
    launch = world.crisis_start_ms

    def order(person: Person, at_ms: int, product=None) -> None:
        full, _, price = product or rng.choice(products[:3] + products)
        if full.startswith("澄肌焕亮") and not launch - 7 * DAY_MS <= at_ms < launch + DAY_MS:  # on sale a week
            full, _, price = products[0]
        quantity = rng.choices([1, 2, 3], weights=[80, 15, 5])[0]
        amount = round(price * quantity * rng.choice([1, 1, 0.9, 0.85, 0.8]), 2)
        stamp = local_text(at_ms, "%Y%m%d")
        orders.append(Purchase(person, f"{stamp}{rng.randrange(10**9, 10**10)}", full, quantity, amount, at_ms,
                               refunded=False))

    angry_ids = {p.index for p in angry}
    for index in sorted(commenters):
        comments = commenters[index]
        person = comments[0].author
        first, last = comments[0].created_ms, comments[-1].created_ms
        planned = {"super_fan": rng.randint(3, 8), "regular": rng.choice([0, 0, 1, 1, 2, 2, 3])}.get(
            person.kind, 1 if rng.random() < 0.08 else 0)
        if person.kind in ("spammer", "partner", "abuser"):
            planned = 0
        for _ in range(planned):
            opens = max(world.start_ms, first - 30 * DAY_MS)
            order(person, min(latest, sample_active_time(rng, opens, max(opens + HOUR_MS, last + DAY_MS))))
        if index in angry_ids:
            order(person, rng.randrange(launch - 6 * DAY_MS, launch - HOUR_MS), products[3])
        complaint = next((c for c in comments if c.topic in ("complaint", "shipping", "returns")), None)
        if complaint is not None and index not in angry_ids:
            order(person, max(world.start_ms, complaint.created_ms - rng.randrange(HOUR_MS, 12 * DAY_MS)))
            orders[-1].refunded = complaint.topic == "returns"
    orders.sort(key=lambda o: (o.at_ms, o.order_id))
    return orders


def write_purchases(path: Path, orders: list[Purchase], written: Written) -> None:
    rows = []
    for purchase in orders:
        written.actor(purchase.person)
        rows.append({
            "订单号": purchase.order_id, "用户ID": purchase.person.user_id,
            "小红书昵称": purchase.person.nickname_at(purchase.at_ms), "商品": purchase.product,
            "数量": purchase.quantity, "实付金额": f"{purchase.amount:.2f}", "下单时间": local_text(purchase.at_ms),
            "渠道": "小红书店铺" if purchase.order_id[-1] in "0123456" else "天猫旗舰店",
            "订单状态": "已退款" if purchase.refunded else "已完成",
        })
    write_csv(path, PURCHASE_COLUMNS, rows)


def write_referrals(rng: random.Random, path: Path, world: World, orders: list[Purchase], written: Written) -> int:
    """Advocates bring friends: a few bring ten or more, most bring one or two."""
    fans = [p for p in world.people if p.follows_account("brand") and p.kind in ("super_fan", "regular")]
    fans.sort(key=lambda p: (-(p.kind == "super_fan"), -p.planned_comments, p.index))
    pool = [p for p in world.people if p.follows_account("brand") and p.kind in ("casual", "lurker")]
    first_order = {}
    for purchase in orders:
        first_order.setdefault(purchase.person.index, purchase)
    rows = []
    for rank, referrer in enumerate(fans[:40]):
        count = rng.randint(10, 14) if rank < 3 else rng.randint(3, 6) if rank < 13 else rng.randint(1, 2)
        for _ in range(count):
            friend = rng.choice(pool)
            when = sample_active_time(rng, referrer.active_from, referrer.active_to - DAY_MS)
            bought = first_order.get(friend.index)
            revenue = bought.amount if bought else rng.choice(P.BRAND_PRODUCTS)[2]
            rows.append((when, {
                "推荐人ID": referrer.user_id, "推荐人昵称": referrer.nickname_at(when), "被推荐人ID": friend.user_id,
                "被推荐人昵称": friend.nickname_at(when), "推荐日期": local_text(when, "%Y-%m-%d"),
                "首单金额": f"{revenue:.2f}", "推荐码": f"CJ{referrer.user_id[-6:].upper()}",
            }))
            written.actor(referrer)
            written.actor(friend)
    rows.sort(key=lambda r: (r[0], r[1]["被推荐人ID"]))
    write_csv(path, REFERRAL_COLUMNS, [r for _, r in rows], encoding="gb18030")
    return len(rows)


def write_followers(rng: random.Random, path: Path, world: World, orders: list[Purchase], written: Written) -> int:
    """The team's follower sheet: who follows since when, with skin type and concerns as custom fields."""
    from openpyxl import Workbook

    commenters = brand_commenters(world)
    used: dict[int, list[str]] = {}
    for purchase in orders:
        short = purchase.product.split(" ")[0].removeprefix("澄肌")
        used.setdefault(purchase.person.index, [])
        if short not in used[purchase.person.index]:
            used[purchase.person.index].append(short)
    chosen = [p for p in world.people if p.follows_account("brand") and (
        p.kind in ("super_fan", "regular", "lurker") or (p.index in commenters and rng.random() < 0.3))
        and p.kind != "spammer"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "粉丝名单"
    sheet.append(FOLLOWER_COLUMNS)
    for person in chosen:
        followed = max(world.start_ms - 300 * DAY_MS, person.active_from - rng.randrange(20 * DAY_MS))
        followed_at = datetime.fromtimestamp(followed // 1000, SHANGHAI).replace(tzinfo=None)
        remark = rng.choice(["", "", "", "", "核心圈候选", "已寄样", "KOC", "投诉过", "参加过打卡挑战"])
        sheet.append([person.user_id, person.nickname, followed_at, person.skin_type, "、".join(person.concerns),
                      "、".join(used.get(person.index, [])), person.city, remark])
        written.actor(person)
    workbook.properties.creator = "澄肌实验室运营"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_frozen_xlsx(buffer.getvalue()))
    return len(chosen)


def _frozen_xlsx(data: bytes) -> bytes:
    """openpyxl stamps the save time into the workbook and its zip entries; pin both, so the same
    seed gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_survey(rng: random.Random, path: Path, world: World, written: Written) -> int:
    """The monthly satisfaction survey: 1-5 and would-recommend 0-10; unhappy customers answer too."""
    commenters = brand_commenters(world)
    rows = []
    for index in sorted(commenters):
        if rng.random() >= 0.09:
            continue
        comments = commenters[index]
        person = comments[0].author
        unhappy = any(c.topic in ("complaint", "crisis", "shipping", "returns") for c in comments)
        when = min(world.now_ms - DAY_MS, comments[-1].created_ms + rng.randrange(DAY_MS, 20 * DAY_MS))
        satisfaction = rng.choice([1, 2, 2, 3]) if unhappy else rng.choice([3, 4, 4, 5, 5, 5])
        nps = min(10, max(0, satisfaction * 2 + rng.randint(-2, 1)))
        advice = rng.choice(["", "", "希望出小样装", "发货再快一点", "客服回复太慢", "希望多办打卡活动",
                             "焕亮精华的事希望给个说法", "包装可以更环保", "价格再友好一点"])
        rows.append((when, {"提交时间": local_text(when), "用户ID": person.user_id, "昵称": person.nickname_at(when),
                            "满意度(1-5)": satisfaction, "推荐意愿(0-10)": nps, "建议": advice}))
        written.actor(person)
    rows.sort(key=lambda r: (r[0], r[1]["用户ID"]))
    write_csv(path, SURVEY_COLUMNS, [r for _, r in rows])
    return len(rows)


def write_costs(rng: random.Random, path: Path, world: World) -> int:
    """What the community cost each month: team hours, tools and rewards."""
    now = datetime.fromtimestamp(world.now_ms / 1000, SHANGHAI)
    months = []
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(6):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    rows = []
    windows = [datetime.fromtimestamp(opens / 1000, SHANGHAI).strftime("%Y-%m") for opens, _ in world.challenge_windows]
    for month in reversed(months):
        label = month.strftime("%Y-%m")
        hours = rng.randint(120, 180) + (40 if label in windows else 0)
        rows.append({"月份": label, "类别": "团队工时", "金额(元)": f"{hours * 85:.2f}", "工时": hours,
                     "备注": "2名运营+1名主管，按85元/小时"})
        rows.append({"月份": label, "类别": "工具", "金额(元)": "1299.00", "工时": "", "备注": "千瓜数据订阅"})
        rows.append({"月份": label, "类别": "工具", "金额(元)": "199.00", "工时": "", "备注": "素材库会员"})
        ugc = rng.randint(6, 14)
        rows.append({"月份": label, "类别": "奖励", "金额(元)": f"{ugc * 50:.2f}", "工时": "",
                     "备注": f"UGC精选奖励 {ugc}×50元店铺券"})
        if label in windows:
            rows.append({"月份": label, "类别": "奖励", "金额(元)": "2590.00", "工时": "",
                         "备注": "打卡挑战奖品 10瓶正装"})
    write_csv(path, COST_COLUMNS, rows)
    return len(rows)

