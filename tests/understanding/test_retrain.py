"""Retraining on a user's machine, without the public review data, must not undo the shipped model, and
the team's cause corrections move the cause model only as far as they pull."""

from fandesk.understanding.corpora import load_labelled
from fandesk.understanding.model import Model, load_model
from fandesk.understanding.service import Analyzer, default_analyzer
from fandesk.understanding.train import evaluate, train

CORRECTED = "用了两天就坏了，找客服也没用"  # read as a negative complaint; its cause is what the team corrects


def test_retrain_without_reviews_is_not_worse_and_learns_causes(tmp_path):
    shipped = evaluate(load_model(), load_labelled(), [])
    before = default_analyzer().analyze_many([CORRECTED], cause_for_all=True)[0].cause
    wanted = "customer_service" if before != "customer_service" else "other"
    rows = [{"id": "label-1", "text": "快递一直不派送，打电话也没人接", "category": "shipping", "categories": ["shipping"],
             "sentiment": "negative", "cause": "shipping_delay", "split": "train"},
            {"id": "label-2", "text": "请问这个口红有几个色号", "category": "product_question",
             "categories": ["product_question"], "sentiment": "neutral", "cause": None, "split": "train"}]
    rows += [{"id": f"label-{3 + i}", "text": CORRECTED + "！" * i, "category": "complaint", "categories": ["complaint"],
              "sentiment": "negative", "cause": wanted, "split": "train"} for i in range(2)]
    empty = tmp_path / "no-reviews"
    empty.mkdir()
    after = train(extra_labelled=rows, out_dir=tmp_path, shared=empty, log=lambda *_: None)
    assert "shopping_macro_f1" not in after and "cause_real_macro_f1" not in after
    for key in ("category_macro_f1", "sentiment3_macro_f1", "cause_macro_f1"):
        assert after[key] >= shipped[key] - 0.002, (key, shipped, after)
    model = Model.load(tmp_path / "understanding.npz")
    assert model.out_of_fold == load_model().out_of_fold  # the shipped rows' honest scores are carried on
    assert Analyzer(model).analyze_many([CORRECTED], cause_for_all=True)[0].cause == wanted
    # the reviews the shipped cause model learned from are not here: it is kept, plus a correction
    assert model.info["cause_reviews"] == 0
