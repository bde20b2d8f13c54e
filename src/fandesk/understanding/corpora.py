"""The training and evaluation data: the shipped hand-labelled comments and the shared review sets.

Only training and the benchmark read the shared review sets; the product never needs them.
"""

from __future__ import annotations

import csv
import json
import os
import random
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SHOPPING_FILE = "online_shopping_10_cats.train.csv"
WEIBO_FILE = "clue_emotion2020_weibo.valid.csv"
SPLIT_SEED = 20240603
HELD_OUT_SHARE = 0.2
WEIBO_POSITIVE = {"happiness", "like"}
WEIBO_NEGATIVE = {"sadness", "disgust", "anger", "fear"}


@dataclass(frozen=True)
class Review:
    text: str
    positive: bool


def shared_dir(path: str | Path | None = None) -> Path:
    """Where the shared sentiment data sets live: the argument, $FANDESK_SENTIMENT_DATA, or /work/shared."""
    if path:
        return Path(path)
    return Path(os.environ.get("FANDESK_SENTIMENT_DATA", "/work/shared/data/sentiment"))


def labelled_path() -> Path:
    return Path(str(resources.files("fandesk.understanding") / "data" / "labelled.jsonl"))


def load_labelled(path: Path | None = None) -> list[dict]:
    """The hand-written Xiaohongshu-style comments; each row says whether it is 'train' or 'test'."""
    with open(path or labelled_path(), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def shopping_split(directory: Path) -> tuple[list[Review], list[Review]]:
    """The shopping reviews, de-duplicated and split 80/20 with a fixed seed: (train, held out)."""
    seen: set[str] = set()
    reviews = []
    with open(directory / SHOPPING_FILE, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = row["review"].replace("\ufeff", "").strip()
            if text and text not in seen:
                seen.add(text)
                reviews.append(Review(text, row["label"] == "1"))
    order = list(range(len(reviews)))
    random.Random(SPLIT_SEED).shuffle(order)
    cut = int(len(order) * HELD_OUT_SHARE)
    return [reviews[i] for i in order[cut:]], [reviews[i] for i in order[:cut]]


def weibo_two_class(directory: Path) -> list[Review]:
    """Weibo posts mapped to two classes; 'surprise' is left out because it has no polarity."""
    out = []
    with open(directory / WEIBO_FILE, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = row["content"].replace("\ufeff", "").strip()
            if text and row["label"] in WEIBO_POSITIVE | WEIBO_NEGATIVE:
                out.append(Review(text, row["label"] in WEIBO_POSITIVE))
    return out
