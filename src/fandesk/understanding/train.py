"""Train the shipped model: `python -m fandesk.understanding.train [--out DIR] [--shared DIR]`.

Deterministic: fixed splits, fixed solvers, sorted vocabularies. Reads the shared review sets
(for polarity) and the hand-labelled comments shipped in the package (for everything else).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .analysis import CATEGORIES, CAUSES
from .cause_cues import GROUPS, cause_phrases
from .causes import rebuild
from .corpora import SHOPPING_FILE, load_labelled, shared_dir, shopping_split
from .extract import extract
from .features import (
    CHAR_FEATURES,
    CHAR_NGRAMS,
    DENSE_NAMES,
    WORD_FEATURES,
    category_extra,
    category_view,
    count_ngrams,
    featurize,
    prepare,
    words,
)
from .hashing import char_column, pair_column, word_column
from .model import FORMAT_VERSION, MODEL_FILE, Linear, Model, load_model, shipped_model_path

LABELLED_WEIGHT = 3.0  # a hand-labelled comment counts as much as three shopping reviews
POLARITY_C = 8.0
DENSE_SCALE = 2.0
EVIDENCE_COLUMNS = 40_000
CATEGORY_C = 50.0  # picked by 5-fold cross-validation on the training rows (10 to 200)
CAUSE_C = 3.0  # cause, by 5-fold cross-validation on the real reviews' training rows (1 to 30)
CAUSE_BALANCE = 0.5  # class weights (n / (k * n_class)) ** this: 1 over-favours the rare causes
CORRECTION_WEIGHT = 3.0  # a team correction counts as much as three shipped rows when the cause is refit
CAUSE_CATEGORIES = ("complaint", "crisis")  # negative feedback whatever the wording: these have a cause


def _idf(*counts: sp.csr_matrix) -> np.ndarray:
    n_docs = sum(c.shape[0] for c in counts)
    df = sum(np.bincount(c.indices, minlength=c.shape[1]) for c in counts)
    idf = np.log((1 + n_docs) / (1 + df)) + 1
    return idf.astype(np.float16).astype(np.float32)  # exactly what the saved file gives back


def _nb_ratio(x: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
    present = x.copy()
    present.data[:] = 1
    pos = np.asarray(present[y == 1].sum(axis=0)).ravel() + 1
    neg = np.asarray(present[y == 0].sum(axis=0)).ravel() + 1
    return np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32)


def _fit_nb_logistic(x: sp.csr_matrix, y: np.ndarray, weight: np.ndarray, scale_dense: int) -> tuple:
    """NB-weighted logistic regression; returns weights already multiplied by the NB ratios."""
    from sklearn.linear_model import LogisticRegression

    ratio = _nb_ratio(x, y)
    if scale_dense:
        ratio[-scale_dense:] = DENSE_SCALE  # cue columns are few and strong: let them speak up
    model = LogisticRegression(C=POLARITY_C, solver="liblinear", max_iter=3000, random_state=0)
    model.fit(x @ sp.diags(ratio), y, sample_weight=weight)
    return model.coef_.ravel() * ratio, float(model.intercept_[0])


def _fit_linear(x: sp.csr_matrix, labels: list[str], label_set: tuple[str, ...], c: float,
                balance: float = 1.0) -> Linear:
    from sklearn.linear_model import LogisticRegression

    y = np.array([label_set.index(v) for v in labels])
    # Columns no training row uses get exactly zero weight under L2, so fit on the used ones only.
    used = np.unique(x.indices)
    model = LogisticRegression(C=c, max_iter=3000)
    counts = np.bincount(y, minlength=len(label_set)).astype(float)
    # balance 1 is scikit-learn's class_weight="balanced"
    class_weight = (len(y) / (np.count_nonzero(counts) * np.maximum(counts, 1))) ** balance
    model.fit(x[:, used], y, sample_weight=class_weight[y])
    fitted = np.zeros((model.coef_.shape[0], x.shape[1]))
    fitted[:, used] = model.coef_
    coef = np.zeros((len(label_set), x.shape[1]), dtype=np.float32)
    bias = np.full(len(label_set), -30.0, dtype=np.float32)  # a label never seen in training never wins
    if len(model.classes_) == 2:
        coef[model.classes_[1]] = fitted[0]
        bias[model.classes_[1]], bias[model.classes_[0]] = model.intercept_[0], 0.0
    else:
        coef[model.classes_] = fitted
        bias[model.classes_] = model.intercept_
    coef[np.abs(coef) < 1e-5] = 0
    return Linear(sp.csr_matrix(coef.T), bias, label_set)


def _ngram_lookup(texts: list[str], polarity: np.ndarray, category: Linear) -> dict[int, str]:
    """Which n-gram each strong column stands for, so evidence can show words instead of numbers."""
    strength = np.abs(polarity[: CHAR_FEATURES + WORD_FEATURES]).copy()
    cat_strength = np.asarray(abs(category.weights[: CHAR_FEATURES + WORD_FEATURES]).max(axis=1).todense()).ravel()
    wanted = set(np.argsort(-strength, kind="stable")[:EVIDENCE_COLUMNS].tolist())
    wanted |= set(np.argsort(-cat_strength, kind="stable")[: EVIDENCE_COLUMNS // 2].tolist())
    lookup: dict[int, str] = {}
    for text in texts:
        grams = {text[i:i + n] for n in range(2, CHAR_NGRAMS[1] + 1) for i in range(len(text) - n + 1)}
        for gram in sorted(grams):
            column = char_column(gram, CHAR_FEATURES)
            if column in wanted and column not in lookup and not gram.isspace():
                lookup[column] = gram
        tokens = words(text)
        for token in sorted(set(tokens)):
            column = CHAR_FEATURES + word_column(token, WORD_FEATURES)
            if column in wanted and column not in lookup and len(token) > 1:
                lookup[column] = token
        for first, second in sorted(set(zip(tokens, tokens[1:], strict=False))):
            column = CHAR_FEATURES + pair_column(first, second, WORD_FEATURES)
            if column in wanted and column not in lookup:
                lookup[column] = f"{first}{second}" if not first.isascii() else f"{first} {second}"
    return dict(sorted(lookup.items()))


def _fit_polarity(shop, shop_positive, lab, train_rows, polar_rows) -> tuple[np.ndarray, float]:
    """Average of a character and a word NB-logistic model over reviews plus labelled comments."""
    y = np.concatenate([shop_positive, [train_rows[i]["sentiment"] == "positive" for i in polar_rows]]).astype(int)
    # a row may say what it weighs in polarity ("polarity_weight", else LABELLED_WEIGHT): the hyperbole rows,
    # whose 哭 and 呜呜 mean delight, would otherwise teach the reviews' and Weibo's sorrow away
    weight = np.concatenate([np.ones(len(shop_positive)),
                             [train_rows[i].get("polarity_weight", LABELLED_WEIGHT) for i in polar_rows]])
    chars_dense = sp.vstack([sp.hstack([shop.chars, sp.csr_matrix(shop.dense)]),
                             sp.hstack([lab.chars, sp.csr_matrix(lab.dense)])[polar_rows]], format="csr")
    word_x = sp.vstack([shop.words, lab.words[polar_rows]], format="csr")
    char_w, char_b = _fit_nb_logistic(chars_dense, y, weight, len(DENSE_NAMES))
    word_w, word_b = _fit_nb_logistic(word_x, y, weight, 0)
    polarity = 0.5 * np.concatenate([char_w[:CHAR_FEATURES], word_w, char_w[CHAR_FEATURES:]])
    return polarity, 0.5 * (char_b + word_b)


def _cause_view(cat_x: sp.csr_matrix, prepared: list[str]) -> sp.csr_matrix:
    """What the cause model reads: the category model's input plus the cause phrase groups."""
    groups, _ = cause_phrases().columns(prepared)
    return sp.hstack([cat_x, sp.csr_matrix(groups)], format="csr")


def _with_reviews(cause_x, cause_labels, real, char_idf, word_idf, polarity, polarity_bias):
    """The labelled comments' cause rows followed by the real reviews' (their texts rebuilt from the
    shared file, read through the same features)."""
    if not real:
        return cause_x, cause_labels
    prepared = [prepare(r.text) for r in real]
    stacked = featurize(prepared, [extract(r.text) for r in real], char_idf, word_idf).stacked()
    pol = stacked @ polarity + polarity_bias
    review_x = sp.hstack([category_view(stacked), sp.csr_matrix(category_extra(pol))], format="csr")
    return (sp.vstack([cause_x, _cause_view(review_x, prepared)], format="csr"),
            cause_labels + [r.cause for r in real])


def _fit_offset(x: sp.csr_matrix, labels: list[str], base: Linear, from_team: np.ndarray,
                c: float = 1.0) -> Linear:
    """The base cause model plus a correction fitted to these rows, with the base scores held fixed: a
    multinomial logistic regression with an offset, L2 on the correction only. With no disagreement the
    correction stays near zero, so the shipped model's knowledge is kept; team rows weigh CORRECTION_WEIGHT."""
    from scipy.optimize import minimize

    y = np.array([CAUSES.index(v) for v in labels])
    used = np.unique(x.indices)
    xu = x[:, used].tocsr()
    offset = base.scores(x)
    weight = np.where(from_team, CORRECTION_WEIGHT, 1.0)
    n_classes = len(CAUSES)
    onehot = np.eye(n_classes)[y]

    def loss(flat):
        delta = flat.reshape(len(used), n_classes)
        z = offset + xu @ delta
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        value = -(weight * np.log(p[np.arange(len(y)), y] + 1e-12)).sum() + (delta ** 2).sum() / (2 * c)
        gradient = xu.T @ ((p - onehot) * weight[:, None]) + delta / c
        return value, np.asarray(gradient).ravel()

    fitted = minimize(loss, np.zeros(len(used) * n_classes), jac=True, method="L-BFGS-B",
                      options={"maxiter": 500})
    delta = np.zeros((x.shape[1], n_classes), dtype=np.float32)
    delta[used] = fitted.x.reshape(len(used), n_classes)
    delta[np.abs(delta) < 1e-5] = 0
    return Linear((base.weights + sp.csr_matrix(delta)).tocsr(), base.bias, base.labels)


def _prepare(texts: list[str]):
    found = [extract(t) for t in texts]
    return [prepare(t) for t in texts], found


def train(extra_labelled: list[dict] | None = None, out_dir: str | Path | None = None,
          shared: str | Path | None = None, log=print) -> dict:
    """Build a model from the shipped labels plus `extra_labelled` (always training rows); save it
    under `out_dir` and return its metrics on the fixed held-out sets. Without the shared review
    sets the polarity weights of the shipped model are kept and only the rest is relearned."""
    started = time.time()
    labelled = load_labelled()
    train_rows = [r for r in labelled if r["split"] == "train"]
    n_shipped = len(train_rows)
    train_rows += list(extra_labelled or [])
    directory = shared_dir(shared)
    have_reviews = (directory / SHOPPING_FILE).exists()
    shop_train, shop_test = shopping_split(directory) if have_reviews else ([], [])
    log(f"training on {len(train_rows)} labelled comments and {len(shop_train)} shopping reviews")

    lab_prepared, lab_found = _prepare([r["text"] for r in train_rows])
    shop_prepared = [prepare(r.text) for r in shop_train]
    shop_found = [extract(r.text) for r in shop_train]
    if have_reviews:
        lab_chars, lab_words = count_ngrams(lab_prepared)
        shop_chars, shop_words = count_ngrams(shop_prepared)
        char_idf, word_idf = _idf(shop_chars, lab_chars), _idf(shop_words, lab_words)
    else:
        base = load_model()
        char_idf, word_idf = base.char_idf, base.word_idf

    lab = featurize(lab_prepared, lab_found, char_idf, word_idf)
    lab_x = lab.stacked()
    shipped_ids = {r["id"] for r in labelled if r["split"] == "train"}
    is_shipped = np.array([r["id"] in shipped_ids and i < n_shipped for i, r in enumerate(train_rows)])
    if have_reviews:
        shop = featurize(shop_prepared, shop_found, char_idf, word_idf)
        polar_rows = [i for i, r in enumerate(train_rows) if r["sentiment"] != "neutral"]
        polarity, polarity_bias = _fit_polarity(shop, [r.positive for r in shop_train], lab, train_rows,
                                                polar_rows)
        # The gate and the category model must see polarity as it is on text the model has not
        # memorised: score each half of the labelled rows with a polarity model trained without it.
        pol = np.zeros(len(train_rows))
        halves = np.arange(len(train_rows)) % 2
        for half in (0, 1):
            fold_w, fold_b = _fit_polarity(shop, [r.positive for r in shop_train], lab, train_rows,
                                           [i for i in polar_rows if halves[i] != half])
            pol[halves == half] = lab_x[halves == half] @ fold_w + fold_b
        log(f"polarity trained ({time.time() - started:.0f}s)")
    else:
        # Keep the shipped polarity. Its out-of-fold scores for the shipped rows were stored with it;
        # the team's rows were never seen by it, so their plain scores are out-of-sample already.
        polarity, polarity_bias = base.polarity, base.polarity_bias
        pol = lab_x @ polarity + polarity_bias
        stored = np.array([is_shipped[i] and r["id"] in base.out_of_fold for i, r in enumerate(train_rows)])
        pol[stored] = [base.out_of_fold[r["id"]] for i, r in enumerate(train_rows) if stored[i]]
        if not stored[is_shipped].all():
            log("the base model has no out-of-fold scores for every shipped row: keeping its neutral gate")
    out_of_fold = {r["id"]: float(np.float32(pol[i])) for i, r in enumerate(train_rows) if is_shipped[i]}

    # The neutral gate reads only cues and polarity strength: few inputs, so it holds up on new wording.
    gate_x = sp.csr_matrix(np.column_stack([lab.dense, pol, np.abs(pol)]))
    if have_reviews or stored[is_shipped].all():
        gate = _fit_linear(gate_x, ["neutral" if r["sentiment"] == "neutral" else "polar" for r in train_rows],
                           ("neutral", "polar"), c=2.0)
    else:
        gate = base.neutral_gate
    cat_x = sp.hstack([category_view(lab_x), sp.csr_matrix(category_extra(pol))], format="csr")
    category = _fit_linear(cat_x, [r["category"] for r in train_rows], CATEGORIES, c=CATEGORY_C)
    feedback = [i for i, r in enumerate(train_rows) if r.get("cause")
                and (r["sentiment"] == "negative" or r["category"] in CAUSE_CATEGORIES)]
    cause_x = _cause_view(cat_x[feedback], [lab_prepared[i] for i in feedback])
    cause_labels = [train_rows[i]["cause"] for i in feedback]
    from_team = np.array([not is_shipped[i] for i in feedback])
    real = [r for r in rebuild(directory) if r.split == "train"] if have_reviews else []
    if have_reviews:
        cause_x, cause_labels = _with_reviews(cause_x, cause_labels, real, char_idf, word_idf, polarity,
                                              polarity_bias)
        from_team = np.concatenate([from_team, np.zeros(len(real), dtype=bool)])
        cause = _fit_linear(cause_x, cause_labels, CAUSES, c=CAUSE_C, balance=CAUSE_BALANCE)
    elif from_team.any() and base.info.get("format") == 3:
        # The reviews the shipped cause model learned from are not here: keep it, and learn only how far the
        # team's corrections move it (see _fit_offset).
        cause = _fit_offset(cause_x, cause_labels, base.cause, from_team)
    else:
        cause = base.cause
    log(f"cause trained on {len(cause_labels)} rows, {len(real)} of them real reviews ({time.time() - started:.0f}s)")

    lookup = _ngram_lookup(lab_prepared + shop_prepared, polarity, category)
    info = {"format": FORMAT_VERSION, "char_features": CHAR_FEATURES, "word_features": WORD_FEATURES,
            "char_ngrams": list(CHAR_NGRAMS), "dense": list(DENSE_NAMES), "labelled_train": len(train_rows),
            "extra_labelled": len(extra_labelled or []), "shopping_train": len(shop_train),
            "cause_groups": list(GROUPS), "cause_reviews": len(real),
            "polarity_from": "shared reviews + labels" if have_reviews else "shipped model"}
    model = Model(char_idf, word_idf, polarity.astype(np.float32), float(polarity_bias), gate, category, cause,
                  lookup, info, out_of_fold)
    path = Path(out_dir or shipped_model_path().parent) / MODEL_FILE
    model.save(path)
    cause_test = [r for r in rebuild(directory) if r.split == "test"] if have_reviews else []
    metrics = evaluate(Model.load(path), labelled, shop_test, cause_test)
    metrics["seconds"] = round(time.time() - started, 1)
    log(f"saved {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return metrics


def evaluate(model: Model, labelled: list[dict], shop_test, cause_test=()) -> dict:
    """Held-out metrics through the same pipeline the product runs. Cause: the team's labels on negative
    comments, and (given `cause_test`, real reviews rebuilt by `causes.rebuild`) on real reviews, where a
    review the desk gives no cause counts as wrong."""
    from sklearn.metrics import accuracy_score, f1_score

    # lazily, like scikit-learn above: training imports the service only to evaluate
    from .service import Analyzer

    analyzer = Analyzer(model)
    test = [r for r in labelled if r["split"] == "test"]
    results = analyzer.analyze_many([r["text"] for r in test])
    metrics = {
        "category_accuracy": accuracy_score([r["category"] for r in test], [a.category for a in results]),
        "category_macro_f1": f1_score([r["category"] for r in test], [a.category for a in results],
                                      average="macro"),
        "sentiment3_macro_f1": f1_score([r["sentiment"] for r in test], [a.sentiment for a in results],
                                        average="macro"),
    }
    negative = [(r, a) for r, a in zip(test, results, strict=True) if r["sentiment"] == "negative"]
    metrics["cause_accuracy"] = float(np.mean([r["cause"] == (a.cause or "other") for r, a in negative]))
    metrics["cause_macro_f1"] = f1_score([r["cause"] for r, _ in negative], [a.cause or "(none)" for _, a in negative],
                                         labels=list(CAUSES), average="macro")
    if cause_test:
        real = analyzer.analyze_many([r.text for r in cause_test])
        truth = [r.cause for r in cause_test]
        metrics["cause_real_macro_f1"] = f1_score(truth, [a.cause or "(none)" for a in real], labels=list(CAUSES),
                                                  average="macro")
        metrics["cause_real_without_cause"] = sum(a.cause is None for a in real)
    if shop_test:
        scores = [a.sentiment_score for a in analyzer.analyze_many(r.text for r in shop_test)]
        truth = [r.positive for r in shop_test]
        metrics["shopping_accuracy"] = accuracy_score(truth, [s > 0 for s in scores])
        metrics["shopping_macro_f1"] = f1_score(truth, [s > 0 for s in scores], average="macro")
    return {k: round(float(v), 4) for k, v in metrics.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the fandesk understanding model.")
    parser.add_argument("--out", help="directory for understanding.npz (default: inside the package)")
    parser.add_argument("--shared", help="directory with the shared sentiment CSV files")
    args = parser.parse_args()
    for name, value in train(out_dir=args.out, shared=args.shared).items():
        print(f"{name:>22}: {value}")


if __name__ == "__main__":
    main()
