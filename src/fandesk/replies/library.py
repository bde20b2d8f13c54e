"""The default template library (about 80% complete: the [bracketed] part is for a person to finish)
and how blanks are filled from the follower's record and the comment."""

from __future__ import annotations

import re

# category of an item -> the reply template key that answers it
TEMPLATE_FOR_CATEGORY = {
    "product_question": "product_question", "pricing": "product_question", "advice_request": "advice_request",
    "shipping": "shipping", "returns": "returns", "complaint": "negative_feedback", "crisis": "negative_feedback",
    "partnership": "partnership", "praise": "thanks", "ugc_share": "thanks", "casual": "thanks",
}
REPLY_KEYS = ("product_question", "advice_request", "shipping", "returns", "negative_feedback", "partnership",
              "thanks")
EVENT_KEYS = ("challenge", "qa_invitation", "ugc_call", "winner", "wrap_up")

# (kind, key, language, title, body)
DEFAULT_TEMPLATES: tuple[tuple[str, str, str, str, str], ...] = (
    ("reply", "product_question", "zh", "产品咨询",
     "@{nickname} 谢谢你问到“{quote}”！{product}[补充具体答案：成分/用法/适合的肤质]。"
     "建议先在耳后试用两天再上脸～你现在是什么肤质、最想解决什么问题呀？"),
    ("reply", "product_question", "en", "Product question",
     "@{nickname} Thanks for asking about “{quote}”! {product} [add the specific answer: ingredients / how to use / "
     "which skin types]. A tip: patch-test behind the ear for two days first. What's your skin type, and what would "
     "you most like it to help with?"),
    ("reply", "advice_request", "zh", "护肤建议",
     "@{nickname} 关于“{quote}”，我的建议是[补充具体步骤]。可以先从早晚各一次开始，坚持两周再看效果～"
     "你平时的护肤步骤是怎样的？"),
    ("reply", "advice_request", "en", "Routine advice",
     "@{nickname} About “{quote}”: I'd suggest [add the concrete steps]. Start once morning and night and give it "
     "two weeks. What does your routine look like today?"),
    ("reply", "shipping", "zh", "物流",
     "@{nickname} 抱歉让你久等了！关于“{quote}”，我们查了一下：[补充物流状态/单号进度]。"
     "如果明天还没更新，可以私信我们订单号，我们直接帮你跟进～现在显示到哪一站了呀？"),
    ("reply", "shipping", "en", "Shipping",
     "@{nickname} Sorry for the wait! About “{quote}”, we checked: [add the delivery status]. If nothing moves by "
     "tomorrow, DM us your order number and we'll chase it for you. Where does the tracking show it now?"),
    ("reply", "returns", "zh", "退换货",
     "@{nickname} 收到～关于“{quote}”，[补充退换步骤和时限]。可以私信我们订单号，我们帮你优先处理。"
     "方便说说是哪里不合适吗？我们也好改进～"),
    ("reply", "returns", "en", "Return or exchange",
     "@{nickname} Got it. About “{quote}”: [add the return steps and time limit]. DM us the order number and we'll "
     "handle it first. Could you tell us what didn't work, so we can improve?"),
    ("reply", "negative_feedback", "zh", "负面反馈",
     "@{nickname} 看到你说“{quote}”，真的很抱歉给你带来这样的体验。[补充我们的处理：原因/补救]。"
     "可以私信我们具体情况吗？我们想一对一帮你解决～"),
    ("reply", "negative_feedback", "en", "Negative feedback",
     "@{nickname} Reading “{quote}”, I'm really sorry it went that way. [add what we're doing about it]. Could you "
     "DM us the details? We'd like to sort it out with you one to one."),
    ("reply", "partnership", "zh", "合作咨询",
     "@{nickname} 谢谢你的合作意向！关于“{quote}”，[补充合作方式/对接人]。"
     "方便私信发一下你的主页数据和合作想法吗？"),
    ("reply", "partnership", "en", "Partnership inquiry",
     "@{nickname} Thanks for reaching out about “{quote}”! [add how we work with partners / who to contact]. Could "
     "you DM us your profile stats and what you have in mind?"),
    ("reply", "thanks", "zh", "感谢",
     "@{nickname} 看到“{quote}”好开心！[补充一句具体的回应]。小tips：{product}搭配保湿一起用效果更稳哦～"
     "你最近在用哪一步最喜欢呀？"),
    ("reply", "thanks", "en", "Thank-you",
     "@{nickname} “{quote}” made our day! [add one specific response]. Little tip: pair {product} with a "
     "moisturiser for steadier results. Which step are you enjoying most lately?"),
    ("event", "challenge", "zh", "挑战赛公告",
     "7天{topic}挑战开始啦！每天在评论区打卡，带上#{hashtag}，坚持7天抽3位送[奖品]。你准备好了吗？"),
    ("event", "challenge", "en", "Challenge announcement",
     "The 7-day {topic} challenge starts now! Check in under this post every day with #{hashtag}; three people who "
     "finish win [prize]. Are you in?"),
    ("event", "qa_invitation", "zh", "问答邀请",
     "本月问答来啦！关于{topic}有什么想问的，都留在评论区，[日期]统一回答～你最想先问什么？"),
    ("event", "qa_invitation", "en", "Q&A invitation",
     "This month's Q&A is here! Leave your questions about {topic} in the comments and we'll answer them all on "
     "[date]. What do you want to ask first?"),
    ("event", "ugc_call", "zh", "征集用户内容",
     "晒出你的{topic}！发笔记带上#{hashtag}，每周精选5-10篇转发，还有[奖励]～你会晒哪一款？"),
    ("event", "ugc_call", "en", "UGC call",
     "Show us your {topic}! Post with #{hashtag}; each week we feature 5-10 posts, with [reward]. Which one will "
     "you share?"),
    ("event", "winner", "zh", "获奖公布",
     "恭喜 @{nickname} 获得本期{topic}奖励！[补充获奖理由]。请在3天内私信我们领取～下一期你们想玩什么？"),
    ("event", "winner", "en", "Winner announcement",
     "Congratulations @{nickname}, this round's {topic} winner! [add why they won]. DM us within 3 days to claim "
     "it. What should the next round be?"),
    ("event", "wrap_up", "zh", "活动总结",
     "{topic}活动圆满结束！这次有[人数]位朋友参加，[补充亮点]。谢谢每一位～下次活动你们想要什么主题？"),
    ("event", "wrap_up", "en", "Wrap-up",
     "That's a wrap on {topic}! [number] of you joined, and [add highlights]. Thank you all. What theme should we "
     "do next?"),
)

_BLANK = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
PLACEHOLDER = re.compile(r"\[[^\[\]]{1,80}\]")
FALLBACK = {"zh": {"product": "这款", "nickname": "", "quote": "这个问题", "topic": "护肤", "hashtag": "话题"},
            "en": {"product": "it", "nickname": "", "quote": "this", "topic": "skincare", "hashtag": "topic"}}


def blanks(body: str) -> list[str]:
    return _BLANK.findall(body)


def fill(body: str, values: dict[str, str], language: str) -> str:
    """Replace each {blank} with the follower's or the comment's value; a blank with no value gets a
    neutral word so the text still reads, never a raw brace."""
    fallback = FALLBACK.get(language, FALLBACK["zh"])

    def one(match: re.Match) -> str:
        name = match.group(1)
        value = values.get(name)
        if value:
            return value
        return fallback.get(name, "")

    return _BLANK.sub(one, body)


def quote_of(text: str, language: str, limit: int = 14) -> str:
    """The words the reply refers to: the start of what they said, cut at a sentence end."""
    text = re.sub(r"\[[^\]]{1,10}R\]", "", text or "")  # sticker codes such as [哭惹R]
    text = re.sub(r"@\S+", "", text).strip()
    for stop in "。！？!?\n":
        head = text.split(stop)[0]
        if head:
            text = head
            break
    limit = limit if language != "en" else limit * 3
    return text[:limit] + ("…" if len(text) > limit else "")
