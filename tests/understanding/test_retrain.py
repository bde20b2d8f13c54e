"""Retraining on a user's machine, without the public review data, must not undo the shipped model."""

from fandesk.understanding.corpora import load_labelled
from fandesk.understanding.model import Model, load_model
from fandesk.understanding.train import evaluate, train


def test_retrain_without_reviews_is_not_worse(tmp_path):
    shipped = evaluate(load_model(), load_labelled(), [])
    rows = [{"id": "label-1", "text": "快递一直不派送，打电话也没人接", "category": "shipping", "categories": ["shipping"],
             "sentiment": "negative", "cause": "shipping_delay", "split": "train"},
            {"id": "label-2", "text": "请问这个口红有几个色号", "category": "product_question",
             "categories": ["product_question"], "sentiment": "neutral", "cause": None, "split": "train"}]
    empty = tmp_path / "no-reviews"
    empty.mkdir()
    after = train(extra_labelled=rows, out_dir=tmp_path, shared=empty, log=lambda *_: None)
    assert "shopping_macro_f1" not in after
    for key in ("category_macro_f1", "sentiment3_macro_f1"):
        assert after[key] >= shipped[key] - 0.002, (key, shipped, after)
    model = Model.load(tmp_path / "understanding.npz")
    assert model.out_of_fold == load_model().out_of_fold  # the shipped rows' honest scores are carried on
