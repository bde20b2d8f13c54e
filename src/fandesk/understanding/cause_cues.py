"""Phrases that say why a person is unhappy, grouped by what the team would have to fix.

Only the cause model reads these (one column per group), so they can be many and specific without
moving sentiment or category. Written by hand from general Chinese and English review language,
before the held-out reviews were scored; the evidence names the phrase that matched.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

import numpy as np

from .lexicon import _trie_pattern

# group -> (cause it speaks for, phrases). Phrases are lowercased; English ones match on word edges.
CAUSE_PHRASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "staff": ("customer_service", (
        "客服", "售后", "服务态度", "态度差", "态度不好", "态度很差", "态度恶劣", "态度极差", "态度冷淡", "态度生硬",
        "服务差", "服务太差", "服务不好", "服务很差", "服务极差", "服务一般", "服务员", "前台", "总台", "保安", "门童",
        "经理", "不理", "不回复", "没人理", "没回复", "不搭理", "爱理不理", "推卸", "踢皮球", "敷衍", "搪塞",
        "店大欺客", "店家", "卖家", "商家", "没人接", "打不通", "占线", "已读不回", "拉黑", "答复", "解释",
        "customer service", "support", "seller", "staff", "front desk", "reception", "rude", "ghosted",
        "no reply", "never replied", "ignored", "nobody answered", "the shop",
    )),
    "returns": ("customer_service", (
        "退货", "退款", "换货", "退换", "不给退", "不让退", "不给换", "拒绝退", "审核", "三包", "保修", "维修",
        "返厂", "售后服务", "refund", "return", "exchange", "warranty", "replacement",
    )),
    "wrong_or_missing": ("customer_service", (
        "少发", "漏发", "发错", "错发", "乱发", "发成", "少了一", "少一", "缺了", "没发给", "没给我", "没有给",
        "赠品没", "没有赠品", "没送", "说好的送", "说好送", "说好的赠", "赠送的没", "不送", "没货", "缺货", "尺码不对",
        "码数不对", "型号不对", "颜色不对", "给我发了", "发来的是", "不是我买的", "不是我要的", "wrong item",
        "wrong size", "missing", "didn't include", "not included", "sent the wrong",
    )),
    "invoice": ("customer_service", ("发票", "增票", "开票", "收据", "invoice", "receipt")),
    "booking": ("customer_service", (
        "订单", "预订", "预定", "确认单", "取消了", "办理入住", "入住手续", "房型", "换房", "安排", "booking",
        "reservation", "check-in", "checked in",
    )),
    "slow": ("shipping_delay", (
        "物流", "快递", "发货", "送货", "配送", "派送", "到货", "天才到", "才到", "还没到", "还没收到", "没收到",
        "没有收到", "迟迟", "延迟", "延误", "耽误", "太慢", "好慢", "很慢", "速度慢", "顺丰", "圆通", "韵达",
        "中通", "申通", "邮局", "邮政", "自提", "自取", "驿站", "送上门", "送货上门", "签收", "代签", "快递员",
        "快递小哥", "送货员", "配送员", "验货", "shipping", "shipped", "delivery", "delivered", "courier",
        "tracking", "parcel", "package", "in transit", "arrived", "still hasn't", "never arrived", "late",
    )),
    "transit_damage": ("shipping_delay", (
        "压坏", "压扁", "压烂", "挤压", "磕碰", "破损", "包装破", "箱子破", "盒子破", "箱子都破", "摔", "漏了",
        "漏液", "漏出", "洒", "撒了", "包装差", "包装太", "包装很", "暴力", "变形", "冻了", "冻的", "不冰", "湿了",
        "打湿", "运输", "打包", "包装不好", "包装太差", "包装很差", "crushed", "dented", "damaged", "leaked",
        "smashed", "soaked",
    )),
    "price_drop": ("pricing", (
        "降价", "掉价", "跌价", "保价", "价格保护", "价保", "差价", "又降", "就降", "降了", "涨价", "便宜了",
        "price drop", "price dropped", "cheaper now", "went on sale",
    )),
    "value": ("pricing", (
        "太贵", "贵了", "好贵", "偏贵", "很贵", "价格高", "价格偏高", "价钱", "价格", "价位", "不值", "性价比",
        "坑钱", "抢钱", "浪费钱", "白花", "买贵", "收费", "安装费", "材料费", "配件费", "运费", "费用", "多收",
        "加价", "优惠", "活动", "满减", "秒杀", "溢价", "割韭菜", "智商税", "房价", "元一晚", "expensive",
        "overpriced", "price", "not worth", "rip-off", "ripoff", "fees", "charged", "value for money",
    )),
    "broken": ("product_failure", (
        "坏了", "坏的", "故障", "死机", "黑屏", "花屏", "白屏", "重启", "关机", "不能用", "用不了", "失灵", "卡顿",
        "很卡", "发热", "发烫", "噪音", "声音小", "电池", "待机", "信号", "断网", "掉线", "坏点", "破洞", "开线",
        "脱线", "掉色", "褪色", "起球", "起毛", "缩水", "缺页", "漏页", "印刷", "裂", "生锈", "漏水", "不工作",
        "broke", "broken", "stopped working", "defective", "doesn't work", "not working", "faulty", "cracked",
        "leaks", "pilled", "peeling",
    )),
    "fake": ("product_failure", (
        "有毒", "毒奶", "毒药", "毒害", "生命危险", "篡改", "生产日期", "过期", "虫子", "不敢喝", "不敢吃",
        "丑闻", "造假", "食品安全", "拉肚子", "假货", "假的", "正品", "盗版", "水货", "山寨", "冒牌", "翻新", "二手",
        "用过的", "被人用过", "fake",
        "counterfeit", "knockoff", "used one", "refurbished",
    )),
    "quality": ("product_failure", (
        "质量", "做工", "材质", "面料", "布料", "手感", "难吃", "难喝", "不新鲜", "烂", "发霉", "霉", "酸",
        "不甜", "个头", "太小", "很小", "味道", "异味", "头屑", "头皮屑", "痒", "油腻", "干枯", "涩", "尺码",
        "偏大", "偏小", "色差", "不符", "图片", "描述", "内容", "情节", "文笔", "翻译", "作者", "写的", "房间",
        "设施", "陈旧", "老旧", "隔音", "卫生", "脏", "霉味", "空调", "早餐", "热水", "床", "吵", "效果", "没用",
        "不好用", "地摊货", "烂脸", "过敏", "闷痘", "搓泥", "刺痛", "quality", "flimsy", "cheaply made", "tastes",
        "smell", "itchy", "rash", "breakout", "broke me out", "dirty", "noisy", "small", "thin",
        "doesn't fit", "not as described", "nothing like the picture",
    )),
    # Praise for one part of the purchase says the complaint is about another part.
    "praised_delivery": ("other", (
        "物流很快", "物流超快", "物流快", "物流不错", "物流给力", "发货很快", "发货快", "发货速度很快", "快递很快",
        "快递不错", "送货很快", "送货快", "速度很快", "配送很快", "到货很快", "快递服务还可以", "物流还可以",
        "fast shipping", "arrived quickly", "quick delivery",
    )),
    "praised_service": ("other", (
        "服务很好", "服务不错", "客服很好", "客服不错", "态度很好", "服务态度很好", "很耐心", "很有礼貌", "挺有礼貌",
        "服务相当不错", "售后很好", "卖家很好", "店家很好", "great service", "helpful staff",
    )),
    "advice_against": ("other", ("不值得推荐", "不推荐", "不建议购买", "不建议买", "别买", "不要买", "千万别买")),
    "brand_anger": ("other", (
        "抵制", "倒闭", "无良", "良心", "远离", "不买了", "不会再买", "再也不", "无耻", "广告", "骗子", "垃圾",
        "boycott", "never again", "shame on",
    )),
}
GROUPS = tuple(CAUSE_PHRASES)
GROUP_VALUE = 2.0  # beside l2-normalised n-grams a found group counts this much (cross-validated: 1 to 3)


class CausePhrases:
    """Finds the cause phrases in lowercased texts, a batch in one regex pass per script."""

    def __init__(self) -> None:
        self.group_of: dict[str, list[int]] = {}
        for index, (_cause, phrases) in enumerate(CAUSE_PHRASES.values()):
            for phrase in phrases:
                groups = self.group_of.setdefault(phrase.lower(), [])
                if index not in groups:
                    groups.append(index)
        latin = [p for p in self.group_of if p.isascii() and p[:1].isalnum()]
        other = [p for p in self.group_of if not (p.isascii() and p[:1].isalnum())]
        self._other = re.compile(_trie_pattern(other))
        self._latin = re.compile(r"(?<![a-z0-9])" + _trie_pattern(latin) + r"(?![a-z])")

    def columns(self, lowered: list[str]) -> tuple[np.ndarray, list[list[str]]]:
        """(rows x groups): GROUP_VALUE for each group found; and the phrases found in each row."""
        out = np.zeros((len(lowered), len(GROUPS)), dtype=np.float32)
        found: list[list[str]] = [[] for _ in lowered]
        joined = "\x00".join(lowered)
        starts, offset = [], 0
        for text in lowered:
            starts.append(offset)
            offset += len(text) + 1
        for pattern in (self._other, self._latin):
            for match in pattern.finditer(joined):
                row = bisect_right(starts, match.start()) - 1
                phrase = match.group()
                out[row, self.group_of[phrase]] = GROUP_VALUE
                found[row].append(phrase)
        return out, found


@cache
def cause_phrases() -> CausePhrases:
    """The compiled cause phrases, built on first use."""
    return CausePhrases()
