"""Every slang term named in issue 3, in sentences written for the tests (not in the training data)."""

import pytest

from fandesk.understanding import analyze
from fandesk.understanding.corpora import load_labelled

NEGATIVE_SLANG = {
    "避雷": "姐妹们避雷这家的卸妆水，擦完眼睛一直流泪",
    "踩雷": "这次真的踩雷了，香味像廉价空气清新剂",
    "拔草": "看完测评果断拔草，成分表太一般了",
    "翻车": "新出的口红翻车了吧，试色和实物差好远",
    "🥲": "用了一周还是没变化🥲",
    "[哭惹R]": "等了好久终于到了，结果盖子是裂的[哭惹R]",
}
PRAISE_SLANG = {
    "种草": "被你种草了这个香氛，下班就去专柜闻",
    "绝绝子": "这个搭配绝绝子，温柔又高级",
    "yyds": "这家的芝士蛋糕yyds！",
    "回购": "回购了第五次，家里人都在用",
    "空瓶": "又空瓶一支，真的离不开它了",
}
SPAM_SLANG = {
    "私我": "要同款的私我，给你们内部价",
    "私[偷笑R]": "想要的私[偷笑R]",
    "加V": "加V了解更多祛痘方法",
    "引流": "专业引流，帮你引流到私域，一天几百精准粉",
}
QUESTION_SLANG = {
    "求链接": "求链接！！！这个收纳架太实用了",
    "怎么买": "这个香皂怎么买呀",
    "蹲": "蹲博主回复，这个发夹哪家的",
    "蹲一个": "蹲一个这款包的链接",
}
ALL = {**NEGATIVE_SLANG, **PRAISE_SLANG, **SPAM_SLANG, **QUESTION_SLANG}


def test_slang_sentences_are_not_training_data():
    training = {row["text"] for row in load_labelled()}
    assert not set(ALL.values()) & training


@pytest.mark.parametrize("term", NEGATIVE_SLANG)
def test_warning_off_slang_reads_negative(term):
    result = analyze(NEGATIVE_SLANG[term])
    assert result.sentiment == "negative"
    assert result.sentiment_score < 0
    assert result.cause is not None


@pytest.mark.parametrize("term", ["避雷", "踩雷", "拔草", "翻车"])
def test_warning_off_slang_is_a_complaint_and_shown_as_evidence(term):
    result = analyze(NEGATIVE_SLANG[term])
    assert result.category == "complaint"
    assert any(term in item for item in result.evidence["sentiment"])


@pytest.mark.parametrize("term", PRAISE_SLANG)
def test_praise_slang_reads_positive_praise(term):
    result = analyze(PRAISE_SLANG[term])
    assert result.sentiment == "positive"
    assert result.category == "praise"
    assert any(term in item for item in result.evidence["sentiment"] + result.evidence["category"])


@pytest.mark.parametrize("term", SPAM_SLANG)
def test_self_promotion_slang_is_spam(term):
    result = analyze(SPAM_SLANG[term])
    assert result.spam
    assert result.category == "spam"
    assert result.evidence["spam"]


def test_look_alike_wechat_spellings_are_contacts():
    for text, contact in [("加V：glow_2024 领小样", "wechat:glow_2024"), ("vx：abc_8899", "wechat:abc_8899"),
                          ("有需要的加薇 lucky6688", "wechat:lucky6688"), ("➕v 咨询", "wechat:➕v"),
                          ("电话 139 1234 5678", "phone:13912345678"), ("扣扣：2837465910", "qq:2837465910")]:
        assert contact.lower() in [c.lower() for c in analyze(text).contacts], text


def test_rose_is_not_a_wechat_contact():
    assert analyze("蔷薇色的口红好温柔").contacts == []


@pytest.mark.parametrize("term", QUESTION_SLANG)
def test_purchase_questions(term):
    result = analyze(QUESTION_SLANG[term])
    assert result.is_question
    assert result.category == "product_question"
    assert any(term in item for item in result.evidence["question"])
