"""Extraction, edge cases and the shape of the public API."""

import json
import time

import pytest

from fandesk.understanding import Analysis, analyze, analyze_many


def test_stickers_emoji_mentions_hashtags_links():
    result = analyze("@小鹿 快看[笑哭R][doge]😭🔥 #护肤分享[话题]# 详情 https://xhslink.com/a1B2")
    assert result.stickers == ["[笑哭R]", "[doge]"]
    assert result.emoji == ["😭", "🔥"]
    assert result.mentions == ["小鹿"]
    assert result.hashtags == ["护肤分享"]
    assert result.links == ["https://xhslink.com/a1B2"]


def test_sticker_and_emoji_carry_sentiment():
    happy, sad = analyze_many(["[赞R][赞R]😍", "[生气R]😡"])
    assert happy.sentiment == "positive"
    assert sad.sentiment == "negative"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_and_picture_only(text):
    result = analyze(text)
    assert result.language == "none"
    assert (result.sentiment, result.sentiment_score, result.category) == ("neutral", 0.0, "casual")
    assert result.cause is None and not result.spam and not result.is_question
    assert result.evidence["sentiment"]


def test_very_long_text_is_fast_and_keeps_signals():
    text = "这个面霜真的踩雷了，用完脸上一直刺痛。" * 800 + " 联系我 vx：tail_id99"
    assert len(text) > 10_000
    started = time.perf_counter()
    result = analyze(text)
    assert time.perf_counter() - started < 2
    assert result.sentiment == "negative"
    assert "wechat:tail_id99" in result.contacts  # rules read the whole text, past the model's cap


def test_to_dict_is_json_ready_and_frozen():
    result = analyze("求链接！这个好好看😍")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert {"sentiment", "sentiment_score", "category", "categories", "cause", "is_question", "language",
            "spam", "mentions", "hashtags", "stickers", "emoji", "links", "contacts", "evidence"} <= set(data)
    assert set(data["evidence"]) == {"sentiment", "category", "cause", "spam", "question"}
    assert -1 <= data["sentiment_score"] <= 1
    with pytest.raises(AttributeError):
        result.category = "spam"
    assert isinstance(result, Analysis)


def test_batch_matches_single_and_keeps_order():
    texts = ["避雷这款粉底", "Where can I buy this?", "", "哈哈哈哈"]
    batch = analyze_many(iter(texts))
    assert [r.text for r in batch] == texts
    assert [r.category for r in batch] == [analyze(t).category for t in texts]


def test_english_question_detection():
    assert analyze("does it work on dry skin").is_question
    assert not analyze("It works on dry skin.").is_question
    assert not analyze("这是什么神仙面霜啊，好用到哭").is_question
