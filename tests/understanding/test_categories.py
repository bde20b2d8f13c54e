"""One Chinese and one English comment per category, written for the tests."""

import pytest

from fandesk.understanding import CATEGORIES, analyze_many
from fandesk.understanding.corpora import load_labelled

CASES = {
    "complaint": ["这个洁面用完脸又干又痒，不推荐", "This toner made my skin peel and burn, really disappointed"],
    "product_question": ["请问这个杯子能进洗碗机吗", "Does this come in a bigger size?"],
    "advice_request": ["刷酸之后第二天可以化妆吗，求教", "How should I layer the serum and sunscreen in the morning?"],
    "shipping": ["付款五天了还没发货，麻烦查一下物流", "My parcel has been stuck in transit for ten days"],
    "pricing": ["这个现在多少钱，有没有优惠", "Any discount on this right now? The price is a bit high"],
    "returns": ["收到尺码不对，想换小一号怎么操作", "I'd like a refund, please send me the return address"],
    "partnership": ["您好，我们是一家香薰品牌，想跟您谈谈商务合作",
                    "Hi, we're a tea brand and would love to collaborate with you on a sponsored post"],
    "praise": ["用完皮肤真的透亮了，太爱了，已经推荐给我妈", "Honestly the best cleanser I've ever used, love it"],
    "casual": ["哈哈哈你家狗狗好会演", "lol your dog is such a drama queen 😂"],
    "ugc_share": ["交作业！跟着博主做了同款发型", "Just posted my version of your recipe, tagged you!"],
    "spam": ["兼职刷单日赚500，加微信了解", "Make money from home, DM me on WhatsApp"],
    "abuse": ["这么丑还天天发自拍，辣眼睛", "You're so ugly, nobody wants to see this"],
    "crisis": ["用了你们的面霜孩子住院了，我要曝光你们", "I'm contacting a lawyer, this gave me burns and put me in hospital"],
}
EXPECTED_SENTIMENT = {"complaint": "negative", "praise": "positive", "abuse": "negative", "crisis": "negative"}


def test_every_category_has_cases_in_both_languages():
    assert set(CASES) == set(CATEGORIES)


def test_cases_are_not_training_data():
    training = {row["text"] for row in load_labelled()}
    assert not {t for texts in CASES.values() for t in texts} & training


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("language", [0, 1], ids=["zh", "en"])
def test_category(category, language):
    text = CASES[category][language]
    result = analyze_many([text])[0]
    assert result.category == category, (text, result.categories, result.evidence["category"])
    assert result.categories[0] == category
    assert result.evidence["category"]
    if category in EXPECTED_SENTIMENT:
        assert result.sentiment == EXPECTED_SENTIMENT[category]


def test_language_of_cases():
    zh, en = analyze_many([CASES["praise"][0], CASES["praise"][1]])
    assert (zh.language, en.language) == ("zh", "en")
    assert analyze_many(["这个 serum 真的 holy grail，油皮闭眼冲"])[0].language == "mixed"


def test_negative_feedback_has_a_cause():
    product, shipping, price, service = analyze_many([
        "精华用了两天就烂脸了，闷痘一大片",
        "快递慢死了，下单十天还没到，物流也不更新",
        "太贵了，这个价格完全不值",
        "客服态度太差了，问什么都不理人",
    ])
    assert product.cause == "product_failure"
    assert shipping.cause == "shipping_delay"
    assert price.cause == "pricing"
    assert service.cause == "customer_service"
    assert all(r.evidence["cause"] for r in (product, shipping, price, service))


def test_neutral_questions_and_no_cause_when_not_negative():
    question, praise = analyze_many(["请问这个有小样吗", "好好用，已经回购了"])
    assert question.sentiment == "neutral"
    assert abs(question.sentiment_score) < 0.5
    assert praise.cause is None and question.cause is None
