"""Grouping questions for the FAQ: Chinese paraphrases, mixed script and stickers, never two different
questions in one group; scored on the labelled contexts shipped in the package."""

from __future__ import annotations

import itertools
import json
from importlib import resources

from fandesk.understanding.questions import cluster_questions, question_terms


def groups_of(texts):
    clusters = cluster_questions(texts)
    assert sorted(i for c in clusters for i in c.members) == list(range(len(texts)))
    return [{texts[i] for i in c.members} for c in clusters]


def test_chinese_paraphrases_are_one_question():
    texts = ["这个多少钱", "多少钱呀姐妹", "价格是多少", "请问什么价位", "色号是多少", "求色号"]
    groups = groups_of(texts)
    assert {"这个多少钱", "多少钱呀姐妹", "价格是多少", "请问什么价位"} in groups
    assert {"色号是多少", "求色号"} in groups


def test_mixed_script_and_stickers():
    groups = groups_of(["求链接[哭惹R]", "有链接吗😭", "link pls", "求lj[偷笑R]", "🔗🔗", "how much is it", "多少钱"])
    assert {"求链接[哭惹R]", "有链接吗😭", "link pls", "求lj[偷笑R]", "🔗🔗"} in groups
    assert {"how much is it", "多少钱"} in groups


def test_different_questions_stay_apart():
    groups = groups_of(["适合油皮吗", "油皮能用吗", "适合干皮吗", "外套是什么牌子", "包包是什么牌子", "腮红色号", "口红色号",
                        "多少钱"])
    assert {"适合油皮吗", "油皮能用吗"} in groups
    for one, other in (("适合油皮吗", "适合干皮吗"), ("外套是什么牌子", "包包是什么牌子"), ("腮红色号", "口红色号")):
        assert not any(one in g and other in g for g in groups), (one, other)


def test_only_stickers_or_nothing_left_stays_alone():
    clusters = cluster_questions(["[哭惹R]？", "[哭惹R]？", "？？", "求链接"])
    assert sorted(c.count for c in clusters) == [1, 1, 2]
    assert question_terms("[哭惹R]？") == ([], "")


def test_cluster_shows_the_most_asked_wording_and_examples():
    clusters = cluster_questions(["有链接吗", "求链接", "求链接", "link"])
    assert clusters[0].label == "求链接" and clusters[0].count == 4
    assert clusters[0].examples[0] == "求链接" and len(clusters[0].examples) == 3


def test_precision_on_the_labelled_pairs():
    """Every pair of questions in a context is labelled same or different; the groups must be precise."""
    data = json.loads((resources.files("fandesk.understanding") / "data" / "question_groups.json").read_text("utf-8"))
    for which in ("dev", "test"):
        merged = wrong = 0
        for context in (c for c in data["contexts"] if c["set"] == which):
            texts = [q for qs in context["groups"].values() for q in qs]
            truth = [g for g, qs in context["groups"].items() for _ in qs]
            cluster_of = {i: k for k, c in enumerate(cluster_questions(texts)) for i in c.members}
            for i, j in itertools.combinations(range(len(texts)), 2):
                if cluster_of[i] == cluster_of[j]:
                    merged += 1
                    wrong += truth[i] != truth[j]
        assert merged > 40 and wrong / merged <= 0.05, (which, merged, wrong)
