"""The shipped model: plain numpy arrays in one .npz file, read once and cached.

Linear models only, so loading does not depend on the scikit-learn version and scoring a batch
is a few sparse matrix products.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .cause_cues import GROUPS
from .features import CHAR_FEATURES, DENSE_NAMES, WORD_FEATURES, Features

MODEL_FILE = "understanding.npz"
# 2: category and cause also read the polarity (N_EXTRA columns); out-of-fold scores
# 3: the cause model also reads the cause phrase groups (cause_cues.GROUPS), after the N_EXTRA columns
FORMAT_VERSION = 3
READABLE_FORMATS = (1, 2, 3)
N_STACKED = CHAR_FEATURES + WORD_FEATURES + len(DENSE_NAMES)
N_EXTRA = 3  # features.category_extra
N_CAUSE_GROUPS = len(GROUPS)


@dataclass
class Linear:
    """Weights over the stacked feature space, kept as a sparse (features x classes) matrix."""

    weights: sp.csr_matrix
    bias: np.ndarray
    labels: tuple[str, ...]

    def scores(self, stacked: sp.csr_matrix) -> np.ndarray:
        product = stacked @ self.weights
        return (product.toarray() if sp.issparse(product) else np.asarray(product)) + self.bias

    def probabilities(self, stacked: sp.csr_matrix) -> np.ndarray:
        scores = self.scores(stacked)
        if len(self.labels) == 2 and scores.shape[1] == 1:
            positive = 1 / (1 + np.exp(-scores[:, 0]))
            return np.column_stack([1 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        coo = self.weights.tocoo()
        return {f"{prefix}_rows": coo.row.astype(np.int32), f"{prefix}_cols": coo.col.astype(np.int16),
                f"{prefix}_vals": coo.data.astype(np.float32), f"{prefix}_bias": self.bias.astype(np.float32),
                f"{prefix}_labels": np.array(json.dumps(self.labels))}

    @classmethod
    def from_arrays(cls, arrays, prefix: str, n_features: int = N_STACKED + N_EXTRA) -> Linear:
        labels = tuple(json.loads(str(arrays[f"{prefix}_labels"])))
        bias = arrays[f"{prefix}_bias"]
        weights = sp.csr_matrix(
            (arrays[f"{prefix}_vals"], (arrays[f"{prefix}_rows"], arrays[f"{prefix}_cols"].astype(np.int32))),
            shape=(n_features, len(bias)))
        return cls(weights, bias, labels)


@dataclass
class Model:
    """Everything the analyzer needs: idf weights, four linear models and a reverse n-gram lookup."""

    char_idf: np.ndarray
    word_idf: np.ndarray
    polarity: np.ndarray  # dense weights over the stacked space; score > 0 means positive
    polarity_bias: float
    neutral_gate: Linear  # labels (neutral, polar); reads the cue features plus the polarity score
    category: Linear
    cause: Linear  # over the stacked space, N_EXTRA and the N_CAUSE_GROUPS columns (zero before format 3)
    ngram_of: dict[int, str]  # stacked column -> the n-gram it stands for, for evidence
    info: dict
    # id of a shipped training comment -> its polarity score from a polarity model that did not see it,
    # so a retrain without the review data can refit the neutral gate on honest scores (see train.py)
    out_of_fold: dict[str, float] = field(default_factory=dict)

    def polarity_scores(self, features: Features) -> np.ndarray:
        return features.stacked() @ self.polarity + self.polarity_bias

    def save(self, path: Path) -> None:
        """Write the model as numpy arrays (no pickles)."""
        columns = np.fromiter(self.ngram_of.keys(), dtype=np.int32, count=len(self.ngram_of))
        arrays = {
            "info": np.array(json.dumps(self.info, ensure_ascii=False)),
            "char_idf": self.char_idf.astype(np.float16), "word_idf": self.word_idf.astype(np.float16),
            "polarity": self.polarity.astype(np.float32), "polarity_bias": np.float32(self.polarity_bias),
            "ngram_columns": columns, "ngram_text": np.array("\x1f".join(self.ngram_of.values())),
            **self.neutral_gate.to_arrays("gate"), **self.category.to_arrays("category"),
            **self.cause.to_arrays("cause"),
            "oof_ids": np.array(json.dumps(list(self.out_of_fold))),
            "oof_polarity": np.array(list(self.out_of_fold.values()), dtype=np.float32),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> Model:
        with np.load(path, allow_pickle=False) as arrays:
            info = json.loads(str(arrays["info"]))
            if info.get("format") not in READABLE_FORMATS:
                raise ValueError(f"{path}: model format {info.get('format')} is not {FORMAT_VERSION}; retrain it")
            if info.get("format") == 3 and info.get("cause_groups") != list(GROUPS):
                raise ValueError(f"{path}: its cause phrase groups are not this version's; retrain it "
                                 "(python -m fandesk.understanding.train)")
            out_of_fold = {}
            if "oof_ids" in arrays:
                out_of_fold = dict(zip(json.loads(str(arrays["oof_ids"])), arrays["oof_polarity"].tolist(),
                                       strict=True))
            texts = str(arrays["ngram_text"]).split("\x1f")
            return cls(
                char_idf=arrays["char_idf"].astype(np.float32), word_idf=arrays["word_idf"].astype(np.float32),
                polarity=arrays["polarity"], polarity_bias=float(arrays["polarity_bias"]),
                neutral_gate=Linear.from_arrays(arrays, "gate", len(DENSE_NAMES) + 2),
                # format 1 has no weights for the extra columns: they stay zero
                category=Linear.from_arrays(arrays, "category", N_STACKED + N_EXTRA),
                cause=Linear.from_arrays(arrays, "cause", N_STACKED + N_EXTRA + N_CAUSE_GROUPS),
                ngram_of=dict(zip(arrays["ngram_columns"].tolist(), texts, strict=True)) if texts != [""] else {},
                info=info, out_of_fold=out_of_fold,
            )


def shipped_model_path() -> Path:
    return Path(str(resources.files("fandesk.understanding") / "model" / MODEL_FILE))


@cache
def load_model(path: str | None = None) -> Model:
    """The model at `path`, or the one shipped in the package; loaded on first use and cached."""
    return Model.load(Path(path) if path else shipped_model_path())
