"""Xiaohongshu hyperbole: distress words and crying stickers that mean delight, and fans asking for the next
post. Sentences written for the tests, not in the training data."""

from __future__ import annotations

import pytest

from fandesk.understanding import analyze_many
from fandesk.understanding.corpora import load_labelled

POSITIVE = ["救命这个妆绝了", "用完皮肤会发光", "救命！！这个发型也太好看了", "被美哭了，已经种草",
            "呜呜呜太爱了，一整个爱住", "香哭了[哭惹R]", "美到窒息，求同款"]
FANS_ASKING_FOR_MORE = ["催更[哭惹R]", "博主快更新吧[哭惹R]等得好辛苦", "蹲下一期，天天来看"]
STILL_NEGATIVE = ["救命，用完脸上全是闭口[哭惹R]", "哭了，快递十天还没到"]


def test_sentences_are_not_training_data():
    training = {r["text"] for r in load_labelled()}
    assert not set(POSITIVE + FANS_ASKING_FOR_MORE + STILL_NEGATIVE) & training


@pytest.mark.parametrize("text", POSITIVE)
def test_hyperbole_is_praise(text):
    result = analyze_many([text])[0]
    assert result.sentiment == "positive", (text, result.sentiment_score, result.evidence["sentiment"])
    assert result.category != "complaint" and result.cause is None


@pytest.mark.parametrize("text", FANS_ASKING_FOR_MORE)
def test_asking_for_the_next_post_is_not_a_complaint(text):
    result = analyze_many([text])[0]
    assert result.sentiment != "negative", (text, result.sentiment_score, result.evidence["sentiment"])
    assert result.category not in ("complaint", "crisis") and result.cause is None, (text, result.categories)


@pytest.mark.parametrize("text", STILL_NEGATIVE)
def test_a_crying_sticker_on_a_real_complaint_stays_negative(text):
    result = analyze_many([text])[0]
    assert result.sentiment == "negative" and result.cause is not None, (text, result.evidence)
