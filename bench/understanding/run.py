"""Benchmark fandesk.understanding against SnowNLP, measured in the same run on one core.

    python bench/understanding/run.py [--shared DIR] [--snownlp-sample 2000]

Sentiment: the held-out 20% of the shared shopping reviews (fixed seeded split, the same one
training sets aside) and the Weibo set mapped to two classes. Category: the held-out part of the
hand-labelled comments shipped in the package. Cause: the held-out quarter of the real negative
reviews labelled by cause (understanding/data/causes.jsonl, texts rebuilt from the shared file).
Common questions: precision of the grouping on the labelled contexts (understanding/data/
question_groups.json). Speed: the whole analyze pipeline, one core.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score  # noqa: E402

from fandesk.understanding import CATEGORIES, CAUSES, SENTIMENTS  # noqa: E402
from fandesk.understanding.causes import rebuild  # noqa: E402
from fandesk.understanding.corpora import (  # noqa: E402
    SHOPPING_FILE,
    WEIBO_FILE,
    load_labelled,
    shared_dir,
    shopping_split,
    weibo_two_class,
)
from fandesk.understanding.service import default_analyzer  # noqa: E402

SAMPLE_SEED = 7


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def snownlp_scores(texts: list[str]) -> tuple[list[bool], float]:
    from snownlp import SnowNLP

    started = time.perf_counter()
    predictions = [SnowNLP(t).sentiments >= 0.5 for t in texts]
    return predictions, len(texts) / (time.perf_counter() - started)


def ours(texts: list[str]) -> tuple[list[bool], list[str], float]:
    analyzer = default_analyzer()
    started = time.perf_counter()
    results = analyzer.analyze_many(texts)
    rate = len(texts) / (time.perf_counter() - started)
    return [a.sentiment_score > 0 for a in results], [a.sentiment for a in results], rate


def row(table: list, task: str, system: str, n: int, truth, predicted, note: str = "", labels=None) -> None:
    labels = list(labels) if labels is not None else None
    table.append((task, system, n, accuracy_score(truth, predicted),
                  f1_score(truth, predicted, average="macro", labels=labels), note))


def cause_task(table: list, later: list, directory, with_snownlp: bool) -> None:
    """Cause on the real held-out reviews: through the pipeline (a review the desk gives no cause counts as
    wrong), and the cause model alone on every review (as if each were known to be negative feedback)."""
    _, shop_test = shopping_split(directory)
    unseen = {r.text for r in shop_test}
    held_out = [r for r in rebuild(directory) if r.split == "test"]
    analyzer = default_analyzer()
    texts = [r.text for r in held_out]
    truth = [r.cause for r in held_out]
    desk = analyzer.analyze_many(texts)
    forced = analyzer.analyze_many(texts, cause_for_all=True)
    none = sum(a.cause is None for a in desk)
    row(table, "cause: real reviews held-out", "fandesk", len(held_out), truth, [a.cause or "(no cause)" for a in desk],
        f"5 causes; {none} got no cause (the desk read them as not negative)", CAUSES)
    row(table, "cause: real reviews, cause model alone", "fandesk", len(held_out), truth, [a.cause for a in forced],
        "every review given a cause", CAUSES)
    fresh = [i for i, r in enumerate(held_out) if r.text in unseen]
    fresh_none = sum(desk[i].cause is None for i in fresh)
    row(table, "cause: ... reviews polarity never saw", "fandesk", len(fresh), [truth[i] for i in fresh],
        [desk[i].cause or "(no cause)" for i in fresh], f"in the shopping held-out 20%; {fresh_none} got no cause",
        CAUSES)
    if with_snownlp:
        snow, _ = snownlp_scores([texts[i] for i in fresh])
        caught = sum(not positive for positive in snow)
        ours_caught = sum(desk[i].cause is not None for i in fresh)
        later.append(lambda: print(
            f"\nreal negative reviews polarity never saw ({len(fresh)}): read as negative feedback by fandesk "
            f"{ours_caught}, by SnowNLP {caught} (SnowNLP gives no cause)"))
    later.append(lambda: print_confusion("cause confusion matrix, real reviews held-out, through the pipeline",
                                         [*CAUSES, "(no cause)"], truth, [a.cause or "(no cause)" for a in desk]))
    later.append(lambda: print_confusion("cause confusion matrix, real reviews held-out, cause model alone", CAUSES,
                                         truth, [a.cause for a in forced]))


def question_task() -> None:
    """Precision (and recall) of the common-question grouping on every labelled pair."""
    import itertools
    import json
    from importlib import resources

    from fandesk.understanding.questions import cluster_questions

    data = json.loads((resources.files("fandesk.understanding") / "data" / "question_groups.json").read_text("utf-8"))
    print("\ncommon questions: pairs of questions under one post, labelled same or different")
    print(f"  {'set':<6}{'questions':>10}{'pairs':>8}{'same':>7}{'grouped':>9}{'precision':>11}{'recall':>8}")
    for which in ("dev", "test"):
        n_texts = pairs = same = grouped = right = 0
        for context in (c for c in data["contexts"] if c["set"] == which):
            texts = [q for qs in context["groups"].values() for q in qs]
            truth = [g for g, qs in context["groups"].items() for _ in qs]
            cluster_of = {i: k for k, c in enumerate(cluster_questions(texts)) for i in c.members}
            n_texts += len(texts)
            for i, j in itertools.combinations(range(len(texts)), 2):
                pairs += 1
                same += truth[i] == truth[j]
                if cluster_of[i] == cluster_of[j]:
                    grouped += 1
                    right += truth[i] == truth[j]
        print(f"  {which:<6}{n_texts:>10}{pairs:>8}{same:>7}{grouped:>9}{right / max(grouped, 1):>11.3f}"
              f"{right / max(same, 1):>8.3f}")
    print("  (dev: the contexts the rules were written against; test: written afterwards, only scored)")


def print_table(table: list) -> None:
    print(f"\n{'task':<40}{'system':<22}{'n':>7}{'accuracy':>10}{'macro-F1':>10}  note")
    print("-" * 116)
    for task, system, n, acc, f1, note in table:
        print(f"{task:<40}{system:<22}{n:>7}{acc:>10.4f}{f1:>10.4f}  {note}")


def print_confusion(title: str, labels, truth, predicted) -> None:
    matrix = confusion_matrix(truth, predicted, labels=list(labels))
    short = [label[:7] for label in labels]
    print(f"\n{title} (rows: truth, columns: predicted)")
    print(" " * 17 + "".join(f"{s:>8}" for s in short))
    for label, line in zip(labels, matrix, strict=True):
        print(f"{label:<17}" + "".join(f"{v:>8}" for v in line))


def sentiment_tasks(table: list, directory, sample_size: int, with_snownlp: bool) -> None:
    _, held_out = shopping_split(directory)
    weibo = weibo_two_class(directory)
    for task, reviews in (("sentiment: shopping held-out", held_out), ("sentiment: Weibo 2-class", weibo)):
        truth = [r.positive for r in reviews]
        predicted, labels3, rate = ours([r.text for r in reviews])
        neutral = labels3.count("neutral") / len(labels3)
        row(table, task, "fandesk", len(reviews), truth, predicted,
            f"sign of score; {neutral:.0%} would show as neutral; {rate:,.0f}/s")
        sample = random.Random(SAMPLE_SEED).sample(range(len(reviews)), min(sample_size, len(reviews)))
        sample_truth = [truth[i] for i in sample]
        row(table, task + " (sample)", "fandesk", len(sample), sample_truth, [predicted[i] for i in sample],
            "same sample as SnowNLP")
        if with_snownlp:
            snow, snow_rate = snownlp_scores([reviews[i].text for i in sample])
            row(table, task + " (sample)", "SnowNLP 0.12", len(sample), sample_truth, snow,
                f"seeded sample of {len(sample)} (SnowNLP is slow); {snow_rate:,.0f}/s")


FIRST_ROUNDS = 2023  # xhs-0001..xhs-2023: the held-out rows the earlier models were scored on


def category_task(table: list, later: list) -> None:
    test = [r for r in load_labelled() if r["split"] == "test"]
    results = default_analyzer().analyze_many(r["text"] for r in test)
    truth = [r["category"] for r in test]
    predicted = [a.category for a in results]
    row(table, "category: labelled held-out", "fandesk", len(test), truth, predicted, "13 classes")
    earlier = [i for i, r in enumerate(test) if int(r["id"].split("-")[1]) <= FIRST_ROUNDS]
    row(table, "category: the earlier held-out rows", "fandesk", len(earlier), [truth[i] for i in earlier],
        [predicted[i] for i in earlier], "the 407 rows the last model scored 0.8545 on")
    row(table, "sentiment 3-class: labelled held-out", "fandesk", len(test), [r["sentiment"] for r in test],
        [a.sentiment for a in results], "positive / neutral / negative")
    negative = [(r, a) for r, a in zip(test, results, strict=True) if r["sentiment"] == "negative"]
    row(table, "cause: labelled negatives", "fandesk", len(negative), [r["cause"] for r, _ in negative],
        [a.cause or "(no cause)" for _, a in negative], "truth negative; '(no cause)' counts as wrong", CAUSES)
    print_table(table)
    for show in later:
        show()
    print_confusion("category confusion matrix", CATEGORIES, truth, predicted)
    print_confusion("sentiment confusion matrix (labelled held-out)", SENTIMENTS,
                    [r["sentiment"] for r in test], [a.sentiment for a in results])


def _clear_caches() -> None:
    """Forget the word splits and word hashes cached from earlier texts, so each corpus starts cold."""
    from fandesk.understanding import features, hashing

    features._TOKEN_CACHE.clear()
    hashing._CRC_CACHE.clear()


def speed(directory, have_shared: bool) -> None:
    analyzer = default_analyzer()
    comments = [r["text"] for r in load_labelled()]
    if have_shared:
        comments += [r.text for r in weibo_two_class(directory)]
    unique = list(dict.fromkeys(comments))
    corpora = {
        "short comments (labelled + Weibo)": (comments * (20_000 // len(comments) + 1))[:20_000],
        "the same, each text once": unique,
    }
    if have_shared:
        corpora["shopping reviews (longer)"] = [r.text for r in shopping_split(directory)[1]][:10_000]
    analyzer.analyze_many(["热身 warm-up [赞R]", "求链接"] * 50)  # model load, tokenizer dictionary
    print("\nthroughput of analyze_many, one core (model already loaded; word caches cleared per corpus)")
    for name, texts in corpora.items():
        _clear_caches()
        started = time.perf_counter()
        analyzer.analyze_many(texts)
        elapsed = time.perf_counter() - started
        mean = sum(map(len, texts)) / len(texts)
        print(f"  {name:<36}{len(texts):>7} texts, mean {mean:5.0f} chars: {len(texts) / elapsed:>9,.0f} /s")
    print("  (the first corpus repeats each text about 3.4 times, as a busy account's comments repeat\n"
          "   '求链接', '蹲' and spam waves; word splits of a repeated text are cached)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", help="directory with the shared sentiment CSV files")
    parser.add_argument("--snownlp-sample", type=int, default=2000)
    args = parser.parse_args()
    one_core()
    directory = shared_dir(args.shared)
    have_shared = (directory / SHOPPING_FILE).exists() and (directory / WEIBO_FILE).exists()
    if not have_shared:
        print(f"NOTE: shared sentiment data not found in {directory}: the sentiment rows are skipped "
              "(pass --shared DIR or set FANDESK_SENTIMENT_DATA).", file=sys.stderr)
    try:
        import snownlp  # noqa: F401
        with_snownlp = True
    except ImportError:
        with_snownlp = False
        print("NOTE: snownlp is not installed (pip install snownlp): no baseline rows.", file=sys.stderr)
    table: list = []
    later: list = []
    if have_shared:
        sentiment_tasks(table, directory, args.snownlp_sample, with_snownlp)
        cause_task(table, later, directory, with_snownlp)
    category_task(table, later)
    question_task()
    speed(directory, have_shared)


if __name__ == "__main__":
    main()
