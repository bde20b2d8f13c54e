"""Xiaohongshu slang, sticker and emoji cues, written by hand from the team's glossary.

The learned models see these as features (so they generalise to sentences they were not
trained on) and the evidence shows them by name, so a person sees which words counted.
Weights are a rough strength, positive or negative; the models learn how much to trust them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache
from operator import itemgetter

# term -> polarity weight. Longest match wins, so "不好用" is read before "好用".
POSITIVE = {
    # XHS praise and recommendation
    "绝绝子": 2, "yyds": 2, "永远的神": 2, "种草": 1, "被种草": 1.5, "回购": 1.5, "无限回购": 2,
    "空瓶": 1, "爱了": 1.5, "爱了爱了": 2, "真香": 1.5, "宝藏": 1.5, "安利": 1, "闭眼入": 2, "闭眼冲": 2,
    "天花板": 1.5, "封神": 1.5, "惊艳": 1.5, "爱用物": 1.5, "冲冲冲": 1, "一整个爱住": 2, "狠狠爱住": 2,
    "爱住": 1.5, "出片": 1, "氛围感": 1, "好用到哭": 2, "平替": 0.5, "性价比高": 1.5, "性价比之王": 2,
    "绝了": 3, "太绝了": 3, "救命": 1, "救星": 1.5,
    # hyperbole that reads like distress but is delight; fans asking for the next post
    "发光": 1, "美哭": 2, "好看到哭": 2, "香哭": 2, "好吃到哭": 2, "美到窒息": 2, "神仙颜值": 2, "太爱了": 2,
    "绝美": 1.5, "透亮": 1, "拿捏": 1, "催更": 1, "求更新": 1, "快更新": 1,
    "本命": 1.5, "亲妈": 1.5, "神仙": 1, "无敌": 1, "治愈": 1, "超值": 1.5,
    # general Chinese positive words
    "好用": 1, "好看": 1, "好闻": 1, "好吃": 1, "喜欢": 1, "很喜欢": 1.5, "超喜欢": 2, "好评": 1.5,
    "满意": 1.5, "不错": 1, "推荐": 1, "值得": 1, "很值": 1.5, "太值了": 2, "划算": 1, "舒服": 1,
    "开心": 1.5, "快乐": 1.5, "幸福": 1.5, "感谢": 1, "谢谢": 0.5, "可爱": 1, "漂亮": 1, "美": 0.5,
    "温柔": 1, "惊喜": 1.5, "完美": 1.5, "优秀": 1.5, "赞": 1, "点赞": 1, "棒": 1, "厉害": 1,
    "给力": 1.5, "清爽": 1, "水润": 1, "显白": 1, "好喝": 1, "贴心": 1, "耐心": 1, "用心": 1,
    "愉快": 1, "期待": 0.5, "羡慕": 0.5, "甜": 0.5, "爱": 1, "哈哈": 0.5, "满足": 1,
    # stickers and emoji
    "[赞R]": 1.5, "[种草R]": 1.5, "[买爆R]": 1.5, "[萌萌哒R]": 0.5, "[害羞R]": 0.5, "[哇R]": 1,
    "[爱你]": 1, "[心]": 1, "[good]": 1, "[鼓掌]": 1, "[哈哈]": 0.5, "[太开心]": 1.5, "[给力]": 1,
    "😍": 1.5, "🥰": 1.5, "❤️": 1, "❤": 1, "💕": 1, "👍": 1, "🔥": 1, "✨": 0.5, "👏": 1, "🎉": 1,
    "💯": 1.5, "😊": 1, "🤩": 1.5, "💖": 1, "🙏": 0.3,
    # English
    "love": 1.5, "loved": 1.5, "obsessed": 2, "amazing": 2, "holy grail": 2, "best": 1.5, "great": 1,
    "perfect": 1.5, "gorgeous": 1.5, "impressed": 1.5, "recommend": 1, "worth it": 1.5,
    "worth every penny": 2, "repurchase": 1.5, "favorite": 1.5, "favourite": 1.5, "happy": 1, "glad": 1,
    "thank you": 1, "thanks": 0.5, "helpful": 1, "adorable": 1.5, "cute": 1, "good": 1, "nice": 1,
    "soft": 0.5, "in love": 2, "10/10": 2, "affordable": 1, "great value": 2, "so good": 1.5,
}
NEGATIVE = {
    # XHS warning-off and disappointment
    "避雷": 2, "踩雷": 2, "踩坑": 2, "拔草": 2, "翻车": 2, "劝退": 2, "智商税": 2, "交智商税": 2,
    "割韭菜": 2, "鸡肋": 1.5, "不值": 1.5, "坑": 1, "无语": 1.5, "呵呵": 1, "烂脸": 2, "闷痘": 1.5,
    "过敏": 1.5, "搓泥": 1.5, "刺痛": 1.5, "假滑": 1.5, "没效果": 2, "没用": 1.5, "不好用": 2,
    "慎入": 1.5, "别买": 2, "千万别": 1.5, "不推荐": 2, "失望": 2, "差评": 2, "垃圾": 2, "心累": 1.5,
    "一言难尽": 1.5, "服了": 1, "崩了": 1.5, "离谱": 1, "拔干": 1.5, "卡粉": 1.5, "氧化": 1,
    "起球": 1, "掉色": 1, "泛红": 1, "爆痘": 1.5, "长痘": 1, "红肿": 1.5, "质量差": 2, "太差": 2,
    "态度差": 2, "不理": 1, "已读不回": 1.5, "不回": 1, "太贵": 1.5, "贵": 0.5, "降价了": 1,
    "破损": 1.5, "还没到": 1, "还没发货": 1.5, "发货慢": 1.5, "快递慢": 1.5, "漏液": 1.5, "坏了": 1.5,
    "骗": 1.5, "骗子": 2, "假货": 2, "黑心": 2, "虚假宣传": 2,
    # general Chinese negative words
    "难过": 1.5, "伤心": 1.5, "生气": 1.5, "讨厌": 1.5, "恶心": 2, "烦": 1, "烦死": 2, "累": 0.5,
    "失眠": 1, "哭": 0.5, "难受": 1.5, "痛苦": 1.5, "崩溃": 2, "郁闷": 1.5, "委屈": 1.5, "后悔": 1.5,
    "差劲": 2, "糟糕": 2, "难用": 2, "难吃": 2, "难闻": 2, "难看": 1.5, "丑": 1.5, "可惜": 1,
    "不满": 1.5, "不行": 1, "不好": 1.5, "不喜欢": 1.5, "不舒服": 1.5, "担心": 1, "害怕": 1.5,
    "可怕": 1.5, "愤怒": 2, "气死": 2, "心疼": 1, "遗憾": 1, "无聊": 1, "孤独": 1, "绝望": 2,
    "滚": 1.5, "有病": 1.5, "脑残": 2, "智障": 2, "傻": 1.5, "蠢": 1.5, "猪": 0.5,
    # stickers and emoji
    "[哭惹R]": 0.3, "[生气R]": 2, "[拔草R]": 2, "[石化R]": 0.5, "[捂脸R]": 0.3, "[微笑R]": 0.3,
    "[泪]": 1, "[怒]": 1.5, "[衰]": 1, "[抓狂]": 1.5, "[伤心]": 1.5, "[失望]": 1.5, "[哼]": 1,
    "[生病]": 1, "[鄙视]": 1.5, "[委屈]": 1.5, "[可怜]": 1, "[吐]": 1.5, "[怒骂]": 2,
    "🥲": 1, "🙄": 1.5, "😡": 2, "😤": 1.5, "😅": 0.5, "😩": 1.5, "😞": 1.5, "😢": 1.5, "💔": 1.5,
    "🤮": 2, "😠": 2, "👎": 1.5, "😰": 1, "😓": 1,
    # English
    "avoid": 1.5, "disappointed": 2, "disappointing": 2, "waste of money": 2, "waste": 1.5,
    "broke me out": 2, "broke out": 1.5, "terrible": 2, "awful": 2, "worst": 2, "never again": 2,
    "not worth": 2, "overpriced": 2, "rude": 1.5, "ghosted": 1.5, "scam": 2, "fake": 1.5, "useless": 2,
    "flop": 1.5, "sad": 1.5, "hate": 2, "annoying": 1.5, "gross": 2, "ugly": 1.5, "poor quality": 2,
    "broken": 1.5, "stupid": 1.5, "disgusting": 2, "let down": 1.5, "meh": 1, "ugh": 1, "nope": 1,
}
HAS_LATIN = re.compile(r"[a-z0-9]")
NEGATORS = ("不", "没", "别", "未", "无")
EN_NEGATORS = ("not ", "never ", "no ", "n't ", "dont ", "didnt ")

# Category cues: the words a community manager would point at.
CATEGORY_CUES = {
    "complaint": (
        "色差", "太黏", "还不如", "越用越", "起皮", "堵了", "按不出来", "晕染", "配方改了", "不好用",
        "一般", "浪费", "别买", "慎入", "did nothing", "greasy", "stopped working", "not for",
        "overhyped", "frustrating", "doesn't work", "waste", "避雷", "踩雷", "踩坑", "拔草", "翻车",
        "劝退", "智商税", "失望", "差评", "质量", "不推荐", "没效果", "烂脸", "过敏", "闷痘", "搓泥",
        "avoid", "disappointed", "waste of money", "flop", "broke me out", "poor quality",
        "quality control",
    ),
    "product_question": (
        "是什么牌子", "什么香味", "是真皮", "几寸", "多厚", "透不透", "扎不扎", "是哑光", "有几个",
        "is this the", "what size are you",
        "available in",
        "保质期", "哪一款", "是什么", "哪家", "多大", "型号", "什么面料", "什么调", "会不会", "有没有",
        "正品", "小样", "where's your", "what's the name", "can you use it", "is the", "does this",
        "come in", "run small", "restock", "dupe", "求链接", "有链接吗", "链接", "怎么买", "哪里买",
        "在哪买", "什么牌子", "色号", "适合", "能用吗", "可以用吗", "蹲", "蹲一个", "蹲链接", "同求",
        "有货", "成分", "尺码", "什么码", "where can i", "link", "what shade", "which size", "does it",
        "is it", "is there", "what brand", "suitable",
    ),
    "advice_request": (
        "还需要", "要不要", "还要涂", "先用还是", "从多少开始", "浓度", "避开", "就够了吗", "小白", "清单",
        "多少度", "怎么处理", "怎么判断", "怎么洗",
        "怎么安排", "建议", "is it ok to", "too much", "what temperature", "how do i fix", "best way",
        "what should i do",
        "之前还是之后", "还是用", "怎么调理", "办法", "方法", "正常吗", "要注意什么", "怎么选",
        "怎么搭配", "怎么打理", "怎么分辨", "求教", "多少度", "best way", "how long should",
        "what's the right", "ok to use", "should i", "what order", "right order", "how many times",
        "any tips", "怎么用", "怎么办", "怎么画", "求教", "教程", "步骤", "顺序", "先用", "一起用",
        "叠加", "几次", "多久", "流程", "routine", "求推荐", "请教", "新手", "how often", "how do i",
        "how do you", "tips", "advice", "before or after", "help a beginner", "tutorial",
    ),
    "shipping": (
        "签收", "门卫", "快递柜", "发货地", "customs", "mailbox", "courier", "物流信息", "压坏", "被人拿走",
        "发错", "少发", "次日达", "当天", "送到", "包裹", "地址", "下单", "延误", "不派送", "到付",
        "order", "hasn't shipped", "packed", "ship to", "internationally", "express", "came", "late",
        "发货", "快递", "物流", "包邮", "到货", "签收", "派送", "驿站", "包装", "运费", "顺丰", "中转",
        "几天能到", "shipping", "ship", "shipped", "delivery", "delivered", "tracking", "courier",
        "package", "parcel", "arrived", "in transit",
    ),
    "pricing": (
        "满300", "满三百", "减多少", "价位", "溢价", "价格美丽", "价格很美丽", "超值", "不亏", "到手价", "拼团",
        "会员日", "买一送一", "补差价",
        "affordable", "cheaper", "cash grab", "value for money", "price",
        "价", "会员价", "大促", "渠道", "抢钱", "划算", "团购", "新人券", "赠品", "几折", "deal",
        "deals", "bundle", "discount code", "worth the price", "prices", "pricey", "steal",
        "how much is", "多少钱", "价格", "价钱", "太贵", "贵", "便宜", "降价", "优惠", "折扣", "打折",
        "满减", "优惠券", "保价", "差价", "性价比", "割韭菜", "活动价", "price", "expensive", "cheap",
        "discount", "sale", "overpriced", "how much", "value", "coupon",
    ),
    "returns": (
        "退款到账", "运费险", "退回去", "store credit", "send it back", "sending this back", "money back",
        "退", "换吗", "能换", "想换", "换小", "换大", "换个", "不给退", "退掉", "拆封", "仅退款", "原路",
        "processing", "money back", "return it", "returning", "退货", "退款", "换货", "换新", "售后",
        "退差价", "七天无理由", "退回", "退了", "换一个", "return", "refund", "exchange", "replacement",
        "store credit",
    ),
    "partnership": (
        "嘉宾", "代言", "结算", "按条", "接广告", "纯佣", "预算", "流量扶持", "creators", "invite you", "affiliate",
        "partnerships", "reach you", "feature your", "license it", "collab?",
        "我们是", "我们品牌", "品牌", "赞助", "推广", "广告", "授权", "转载", "档期", "联名", "沙龙",
        "市场部", "gift you", "send you", "agency", "manager", "business", "media kit", "press event",
        "our brand", "we'd love", "we're a", "sponsor", "repost", "合作", "商务", "商单", "置换", "寄样",
        "寄拍", "报备", "蒲公英", "探店", "邀约", "邀请", "报价", "品牌方", "签约", "经纪人", "体验官",
        "collab", "collaboration", "partnership", "sponsored", "rate card", "ambassador", "pr agency",
        "business inquir", "samples", "campaign", "gifted",
    ),
    "praise": (
        "名不虚传", "本命", "不粘", "显色", "适合我的", "五星好评", "超出预期", "game changer", "never been this",
        "does exactly what", "10/10",
        "舒服", "没得说", "好用", "放心", "太爱了", "好喜欢", "推荐给", "感动", "go-to", "comfortable",
        "ordered another", "glad", "heaven", "never going back", "thank you for", "绝绝子", "yyds",
        "回购", "空瓶", "爱了", "真香", "宝藏", "闭眼入", "天花板", "封神", "惊艳", "爱用物", "好用到哭",
        "狠狠爱住", "一整个爱住", "种草", "好评", "holy grail", "obsessed", "repurchase", "love",
        "amazing", "best",
    ),
    "casual": (
        "你们那边", "第几天", "who's here", "下雨了", "下雪了", "好治愈", "收藏", "滤镜", "vlog", "你家",
        "有缘", "weekend", "催更", "求更新", "快更新", "更新", "下一期", "下期", "后续", "第二集", "part 2",
        "next episode", "post more",
        "笑出声", "可爱", "名字", "羡慕", "城市", "来看看", "好巧", "追更", "占个位", "缘分", "好家伙",
        "路过", "晚安", "快看", "who else", "pov", "hi from", "greetings", "following since", "stuck in",
        "vibe", "vibes", "same here", "happy", "哈哈", "笑死", "第一", "路过", "打卡", "前排", "沙发",
        "晚安", "lol", "haha", "lmao",
    ),
    "ugc_share": (
        "拍了", "照片", "分享给大家", "我的第一", "灵感", "照着", "搭了一套", "晒", "交作业", "按你的",
        "我也去", "my take", "sharing my", "followed your", "redid", "after watching", "my first",
        "my attempt", "my version", "swipe", "交作业", "同款", "晒", "打卡", "day", "第一次", "我的版本",
        "发了笔记", "已发笔记", "对比", "复刻", "跟着", "附图", "记录", "挑战", "posted", "my version",
        "recreated", "check-in", "before and after", "made the", "tried your", "tagged you",
    ),
    "spam": (
        "关注我", "互相关注", "点头像", "批发", "价格私聊", "铺量", "代发", "不看后悔", "扫码", "进群",
        "微商", "赚钱", "零花钱", "招人", "work from home", "side hustle", "get paid", "message me",
        "add me", "best deals", "giveaways", "followers", "side income", "shop for", "私我", "私信我",
        "私[偷笑R]", "已私", "看我主页", "主页有", "主页", "互关", "互粉", "互赞", "加v", "加微", "vx",
        "wx", "威信", "薇", "卫星", "v信", "兼职", "日结", "代购", "低价出", "扣1", "滴滴", "接推广",
        "精准客户", "获客", "短信群发", "106", "引流", "涨粉", "刷量", "代运营", "一件代发", "货源",
        "dm me", "link in bio", "follow for follow", "follow back", "check my profile", "whatsapp",
        "telegram", "wholesale", "earn $", "make money",
    ),
    "abuse": (
        "晦气", "穷酸", "脸大", "大饼脸", "装嫩", "害不害臊", "整容脸", "丑人", "货色", "丢人", "想吐",
        "矮冬瓜", "煤球", "退网",
        "waste of space", "log off", "pathetic", "attention seeker", "a joke", "embarrassed", "fat legs",
        "难听", "磕碜", "网暴", "脑子有问题", "脑子进水", "丑八怪", "吓人", "傻", "蠢货", "笑话",
        "没脑子", "辣眼睛", "嫁不出去", "丑死", "横肉", "假脸", "idiots", "potato", "cow",
        "embarrassing yourself", "nobody likes you", "stop talking", "dumb", "delete your account",
        "unbearable", "plastic", "丑", "有病", "脑残", "智障", "傻x", "傻子", "滚", "恶心", "猪", "蠢",
        "胖", "肥", "矮子", "垃圾人", "ugly", "stupid", "idiot", "loser", "shut up", "disgusting",
        "clown", "moron", "fat", "pig", "gross", "die",
    ),
    "crisis": (
        "召回", "recall", "自燃", "爆炸", "爆了", "烧了", "立案", "控诉", "帮忙转发", "出来回应", "道歉",
        "消费者协会", "黑猫投诉", "生产许可证",
        "作坊", "收集证据", "律师函", "食物中毒", "失灵", "上百人", "consumer council", "regulator", "the media",
        "group complaint", "toxic", "exploded", "fined",
        "抵制", "罚款", "新闻", "漏电", "出人命", "市场监管", "报案", "卷钱跑路", "火灾", "着火", "冒烟",
        "删评", "控评", "受害者", "证据", "工商局", "caught fire", "fire", "deleting negative reviews",
        "going viral", "court", "safety", "press", "victims", "scammed", "forged", "曝光", "维权",
        "投诉", "举报", "12315", "消协", "起诉", "律师", "骗子", "黑心", "假货", "虚假宣传", "集体",
        "医院", "住院", "急诊", "报警", "媒体", "记者", "抵制", "热搜", "法律", "lawyer", "legal action",
        "lawsuit", "report", "reported", "counterfeit", "false advertising", "class action", "hospital",
        "boycott", "fraud", "police", "er", "authorities",
    ),
}

CAUSE_CUES = {
    "product_failure": ("烂脸", "过敏", "闷痘", "爆痘", "搓泥", "刺痛", "假滑", "没效果", "坏了", "断了", "漏",
                        "卡粉", "氧化", "起球", "掉色", "质量", "拔干", "泛白", "broke", "broke out", "pilled",
                        "oxidized", "snapped", "defective", "quality", "leak", "stopped working", "rash"),
    "customer_service": ("客服", "不理", "态度", "已读不回", "不回", "售后", "没人处理", "踢皮球", "拉黑",
                         "customer service", "support", "ghosted", "no reply", "nobody followed up", "rude"),
    "shipping_delay": ("发货", "快递", "物流", "还没到", "没收到", "破损", "签收", "派送", "预售", "驿站",
                       "shipping", "shipped", "tracking", "delivery", "courier", "parcel", "package",
                       "in transit", "arrived"),
    "pricing": ("太贵", "贵", "降价", "价格", "价钱", "不值这个价", "差价", "割韭菜", "溢价", "运费",
                "expensive", "overpriced", "price", "dropped", "hidden fees"),
    "other": (),
}

GLOSS = {
    "避雷": "warning others off", "踩雷": "a bad buy", "踩坑": "a bad buy", "拔草": "anti-recommend",
    "翻车": "went wrong", "种草": "made me want it", "绝绝子": "amazing", "yyds": "the best ever",
    "回购": "buying again", "空瓶": "used it up", "私我": "go to DMs", "加v": "WeChat, written around filters",
    "引流": "traffic diversion", "求链接": "link, please", "怎么买": "how to buy", "蹲": "waiting for an answer",
    "蹲一个": "waiting for an answer", "🥲": "smiling through pain", "[哭惹R]": "crying sticker",
    "智商税": "a rip-off", "劝退": "put off", "真香": "turned out great", "闭眼入": "buy without thinking",
}


def _trie_pattern(terms: Iterable[str], fan: int = 4) -> str:
    """A regex alternation shaped like a trie, so matching costs one pass, not one per term.

    Python's engine tries the branches of an alternation one after another, so a node with hundreds
    of children is split into groups of about `fan`, each behind a lookahead on its first characters:
    a position is tested against a few character classes instead of every branch."""
    trie: dict = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def group(branches: list[tuple[str, str]]) -> str:
        if len(branches) == 1:
            return branches[0][1]
        if len(branches) <= fan:
            return "(?:" + "|".join(body for _, body in branches) + ")"
        size = -(-len(branches) // fan)
        parts = []
        for i in range(0, len(branches), size):
            chunk = branches[i:i + size]
            first = "".join(re.escape(char) for char, _ in chunk)
            parts.append(f"(?=[{first}])" + group(chunk))
        return "(?:" + "|".join(parts) + ")"

    def build(node: dict) -> str:
        branches = [(char, re.escape(char) + build(child)) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = group(branches)
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class Lexicon:
    """Finds cue terms in lowercased text: CJK, sticker and emoji terms anywhere, English on word edges."""

    def __init__(self) -> None:
        tags: dict[str, list[tuple[str, str, float]]] = {}
        for term, weight in POSITIVE.items():
            tags.setdefault(term.lower(), []).append(("sentiment", "positive", float(weight)))
        for term, weight in NEGATIVE.items():
            tags.setdefault(term.lower(), []).append(("sentiment", "negative", float(weight)))
        for category, terms in CATEGORY_CUES.items():
            for term in terms:
                tags.setdefault(term.lower(), []).append(("category", category, 1.0))
        for cause, terms in CAUSE_CUES.items():
            for term in terms:
                tags.setdefault(term.lower(), []).append(("cause", cause, 1.0))
        self.tags = tags
        latin = [t for t in tags if t.isascii() and t[:1].isalnum()]
        other = [t for t in tags if t not in set(latin)]
        self._other = re.compile(_trie_pattern(other))
        self._latin = re.compile(r"(?<![a-z0-9])" + _trie_pattern(latin) + r"(?![a-z])")

    def find(self, lowered: str) -> list[tuple[str, bool]]:
        """Return (term, negated) for every cue found; negated when a negator sits just before it."""
        found = []
        for match in self._other.finditer(lowered):
            start = match.start()
            negated = start > 0 and lowered[max(0, start - 2):start].endswith(NEGATORS)
            found.append((match.group(), negated))
        if not lowered.isascii() and not HAS_LATIN.search(lowered):
            return found  # no Latin letters or digits: no English cue can match
        for match in self._latin.finditer(lowered):
            before = lowered[max(0, match.start() - 7):match.start()]
            found.append((match.group(), before.endswith(EN_NEGATORS)))
        return found


    def find_many(self, lowered: list[str]) -> tuple[list[int], list[str], list[bool]]:
        """`find` for a batch in one regex pass per script: (row, term, negated) for every cue, each
        row's CJK/sticker/emoji cues first, then its English ones, as `find` orders them."""
        joined = "\x00".join(lowered)  # NUL is no negator and no letter: nothing matches across it
        starts, offset = [], 0
        for text in lowered:
            starts.append(offset)
            offset += len(text) + 1
        found: list[tuple[int, int, str, bool]] = []
        for match in self._other.finditer(joined):
            start = match.start()
            found.append((bisect_right(starts, start) - 1, 0, match.group(),
                          start > 0 and joined[start - 1] in NEGATORS))
        if HAS_LATIN.search(joined):
            for match in self._latin.finditer(joined):
                start = match.start()
                found.append((bisect_right(starts, start) - 1, 1, match.group(),
                              joined[max(0, start - 7):start].endswith(EN_NEGATORS)))
        if len(found) > 1 and found[-1][1]:
            found.sort(key=itemgetter(0, 1))  # stable: keeps text order within a row
        return [f[0] for f in found], [f[2] for f in found], [f[3] for f in found]

@cache
def lexicon() -> Lexicon:
    """The shared lexicon, compiled on first use."""
    return Lexicon()
