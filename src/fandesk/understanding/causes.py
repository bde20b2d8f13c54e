"""Cause labels on real negative reviews: ids and labels ship, the texts are rebuilt from the shared file.

The shared review set has no licence, so the package ships only `data/causes.jsonl`: for each labelled
review its stable id (`shop-<row>`: the 0-based data row of `online_shopping_10_cats.train.csv`), a
short hash of its text (to notice when the file changed under the labels), its product category and its
cause. `rebuild` joins them back to the text; only training and the benchmark need it.

    python -m fandesk.understanding.causes candidates [--shared DIR]   # round 1: what the annotator read
    python -m fandesk.understanding.causes candidates2 [--shared DIR]  # round 2 (training only)
    python -m fandesk.understanding.causes candidates3 [--shared DIR]  # round 3 (training only)
    python -m fandesk.understanding.causes check [--shared DIR]        # every label finds its text
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .corpora import SHOPPING_FILE, shared_dir

CAUSE_FILE = "causes.jsonl"
CODES = {"P": "product_failure", "S": "customer_service", "D": "shipping_delay", "R": "pricing", "O": "other"}
EXCLUDED = "not_a_complaint"  # the review is not negative at all: the data set's label is wrong
HELD_OUT_SHARE = 0.25
SPLIT_SALT = "fandesk-cause-split:"
PER_CATEGORY = 175
SAMPLE_SEED = 20261201


@dataclass(frozen=True)
class CauseRow:
    """One labelled review, with its text once rebuilt."""

    id: str
    text_hash: str
    product: str
    cause: str
    split: str
    text: str = ""


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def cause_split(row_id: str) -> str:
    """'test' for a fixed quarter of the ids (a seeded hash), 'train' for the rest; never moves."""
    value = int(hashlib.sha1((SPLIT_SALT + row_id).encode("utf-8")).hexdigest()[:8], 16) / 0x1_0000_0000
    return "test" if value < HELD_OUT_SHARE else "train"


def causes_path() -> Path:
    return Path(str(resources.files("fandesk.understanding") / "data" / CAUSE_FILE))


def load_cause_labels(path: Path | None = None) -> list[CauseRow]:
    """The shipped labels, without text: the excluded reviews (not complaints) are left out."""
    rows = []
    with open(path or causes_path(), encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                data = json.loads(line)
                if data["cause"] != EXCLUDED:
                    # round 1 is split by the hash; rounds 2 and 3 were drawn for the rarer causes and only train
                    split = "train" if data.get("round") in (2, 3) else cause_split(data["id"])
                    rows.append(CauseRow(data["id"], data["hash"], data["cat"], data["cause"], split))
    return rows


def shopping_rows(directory: Path) -> list[tuple[str, str, str]]:
    """(category, label, review text) for every data row of the shared file, in file order."""
    with open(directory / SHOPPING_FILE, encoding="utf-8") as handle:
        return [(row["cat"], row["label"], row["review"].replace("\ufeff", "").strip())
                for row in csv.DictReader(handle)]


def rebuild(directory: str | Path | None = None, path: Path | None = None) -> list[CauseRow]:
    """The labelled reviews with their text, read from the shared file; refuses a file that changed."""
    source = shared_dir(directory)
    reviews = shopping_rows(source)
    out = []
    for row in load_cause_labels(path):
        index = int(row.id.removeprefix("shop-"))
        if index >= len(reviews) or text_hash(reviews[index][2]) != row.text_hash:
            raise ValueError(f"{source / SHOPPING_FILE}: row {index} ({row.id} in {CAUSE_FILE}) is not the text "
                             "that was labelled; use the file the labels were made on (see the data card)")
        out.append(CauseRow(row.id, row.text_hash, row.product, row.cause, row.split, reviews[index][2]))
    return out


def candidates(directory: str | Path | None = None) -> list[tuple[str, str, str]]:
    """What the annotator labels: up to PER_CATEGORY negative reviews per product category, drawn with a
    fixed seed, distinct texts only, as (id, category, text), grouped by category."""
    reviews = shopping_rows(shared_dir(directory))
    by_category: dict[str, list[int]] = {}
    seen: set[str] = set()
    for index, (category, label, text) in enumerate(reviews):
        if label == "0" and text and text not in seen:
            seen.add(text)
            by_category.setdefault(category, []).append(index)
    rng = random.Random(SAMPLE_SEED)
    out = []
    for category in sorted(by_category):
        rows = by_category[category]
        chosen = sorted(rng.sample(rows, min(PER_CATEGORY, len(rows))))
        out += [(f"shop-{i}", category, reviews[i][2]) for i in chosen]
    return out


ROUND2_PER_CATEGORY = 90
ROUND2_SEED = 20261202
ROUND2_WORDS = re.compile(r"客服|售后|发票|赠品|少发|发错|漏发|物流|快递|发货|送货|配送|降价|价格|贵|不值|性价比|"
                          r"安装费|服务|前台|退货|退款|换货|包装|价|送|态度")


def candidates_round2(directory: str | Path | None = None) -> list[tuple[str, str, str]]:
    """Round 2, for training only: negative reviews not in round 1 that name service, delivery or price
    words (the rarer causes), up to ROUND2_PER_CATEGORY per category, shorter than 300 characters."""
    reviews = shopping_rows(shared_dir(directory))
    seen = {reviews[index][2] for index, _ in _round1_ids()}
    by_category: dict[str, list[int]] = {}
    for index, (category, label, text) in enumerate(reviews):
        if label == "0" and text and text not in seen and ROUND2_WORDS.search(text) and len(text) < 300:
            seen.add(text)
            by_category.setdefault(category, []).append(index)
    rng = random.Random(ROUND2_SEED)
    out = []
    for category in sorted(by_category):
        rows = by_category[category]
        chosen = sorted(rng.sample(rows, min(ROUND2_PER_CATEGORY, len(rows))))
        out += [(f"shop-{i}", category, reviews[i][2]) for i in chosen]
    return out


ROUND3_SERVICE = 50
ROUND3_VAGUE = 20
ROUND3_SEED = 20261203
ROUND3_WORDS = re.compile(r"客服|售后|服务|态度|前台|发票|赠品|退货|退款|换货|少发|发错|漏发|没收到|不理|回复|"
                          r"商家|卖家")


def candidates_round3(directory: str | Path | None = None) -> list[tuple[str, str, str]]:
    """Round 3, for training only: per category, negative reviews not labelled before that name the seller,
    the staff or after-sales (the weakest cause in round 2's cross-validation), and short ones that name no
    reason at all (for 'other')."""
    reviews = shopping_rows(shared_dir(directory))
    seen = {reviews[index][2] for index, _ in _labelled_ids()}
    service: dict[str, list[int]] = {}
    vague: dict[str, list[int]] = {}
    for index, (category, label, text) in enumerate(reviews):
        if label != "0" or not text or text in seen or len(text) >= 300:
            continue
        seen.add(text)
        if ROUND3_WORDS.search(text):
            service.setdefault(category, []).append(index)
        elif len(text) <= 15 and not ROUND2_WORDS.search(text):
            vague.setdefault(category, []).append(index)
    rng = random.Random(ROUND3_SEED)
    out = []
    for category in sorted(set(service) | set(vague)):
        chosen = rng.sample(service.get(category, []), min(ROUND3_SERVICE, len(service.get(category, []))))
        chosen += rng.sample(vague.get(category, []), min(ROUND3_VAGUE, len(vague.get(category, []))))
        out += [(f"shop-{i}", category, reviews[i][2]) for i in sorted(chosen)]
    return out


def _labelled_ids(rounds: tuple = (None, 2)) -> list[tuple[int, str]]:
    with open(causes_path(), encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [(int(r["id"].removeprefix("shop-")), r["cat"]) for r in rows if r.get("round") in rounds]


def _round1_ids() -> list[tuple[int, str]]:
    return _labelled_ids((None,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("candidates", "candidates2", "candidates3", "check"))
    parser.add_argument("--shared", help="directory with online_shopping_10_cats.train.csv")
    args = parser.parse_args()
    if args.command.startswith("candidates"):
        chosen = {"candidates": candidates, "candidates2": candidates_round2,
                  "candidates3": candidates_round3}[args.command](args.shared)
        for row_id, category, text in chosen:
            print(json.dumps({"id": row_id, "cat": category, "text": text}, ensure_ascii=False))
    else:
        rows = rebuild(args.shared)
        print(f"{len(rows)} labels, every text found")
        print(dict(Counter((r.split, r.cause) for r in rows)))


if __name__ == "__main__":
    main()
