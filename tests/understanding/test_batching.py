"""The batched fast paths give exactly what the one-text functions give."""

import unicodedata

from fandesk.understanding.corpora import load_labelled
from fandesk.understanding.extract import extract, extract_many
from fandesk.understanding.features import CueHits, cue_columns, find_cues
from fandesk.understanding.lexicon import lexicon

TRICKY = ["不推荐，not good at all", "", "vx：abc12345 加我", "@小鹿 [赞R]😍 #护肤[话题]#", "never again\x00不好用",
          "138 1234 5678", "薇", "蔷薇花好看", "dont recommend", "好用不贵yyds"]


def texts():
    return TRICKY + [r["text"] for r in load_labelled()[:400]]


def test_lexicon_batch_equals_single():
    lowered = [unicodedata.normalize("NFKC", t).lower() for t in texts()]
    rows, terms, negated = lexicon().find_many(lowered)
    hits = CueHits(len(lowered), rows, terms, negated)
    for i, text in enumerate(lowered):
        if "\x00" not in text:
            assert hits[i] == find_cues(text), text
    dense, _ = cue_columns(lowered)
    assert dense.shape[0] == len(lowered)


def test_extract_batch_equals_single():
    batch = [t for t in texts() if "\x00" not in t]
    normal = [unicodedata.normalize("NFKC", t) for t in batch]
    for text, found in zip(batch, extract_many(batch, normal), strict=True):
        single = extract(text)
        assert (found.contacts, found.contact_evidence, found.mentions, found.is_question, found.language) == \
            (single.contacts, single.contact_evidence, single.mentions, single.is_question, single.language), text


def test_text_with_nul_keeps_its_place():
    from fandesk.understanding import analyze_many

    results = analyze_many(["a\x00b 好用", "避雷", "ok"])
    assert [r.text for r in results] == ["a\x00b 好用", "避雷", "ok"]
