"""Turn texts into the features every model shares: hashed character and word n-grams plus cues.

Hashing keeps the model files small and needs no vocabulary; the hashing configuration is
stored with the weights, so a model is read back exactly as it was trained.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy.sparse as sp

from .analysis import CATEGORIES, CAUSES
from .extract import Extracted
from .hashing import char_counts, word_counts
from .lexicon import lexicon

CHAR_FEATURES = 2**20
WORD_FEATURES = 2**19
CHAR_NGRAMS = (1, 3)
MODEL_CHARS = 4000  # longer texts are read by the models up to here; rules still see everything
CUE_CAUSES = CAUSES[:-1]
DENSE_NAMES = (
    "lex_positive", "lex_negative",
    *(f"cue_{c}" for c in CATEGORIES), *(f"cause_{c}" for c in CUE_CAUSES),
    "has_contact", "has_link", "has_mention", "is_question", "has_hashtag", "has_sticker", "has_emoji",
    "is_english", "length",
)
CATEGORY_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
CAUSE_INDEX = {c: i for i, c in enumerate(CUE_CAUSES)}


def prepare(text: str) -> str:
    """The form the models read: width-normalised (full-width ！ becomes !), lowercased, capped."""
    return unicodedata.normalize("NFKC", text)[:MODEL_CHARS].lower()


_TOKEN_CACHE: dict[str, list[str]] = {}
_SPACE = re.compile(r"\s")
TOKEN_CACHE_SIZE = 50_000  # repeated texts (spam waves, "蹲", "求链接") are split into words once


def words(text: str) -> list[str]:
    """The words of a prepared text (rjieba), spaces dropped; repeated texts are looked up."""
    cached = _TOKEN_CACHE.get(text)
    if cached is not None:
        return cached
    import rjieba  # imported on first use: no work at import time

    tokens = rjieba.cut(text)
    if _SPACE.search(text):
        tokens = [t for t in tokens if not t.isspace()]
    if len(_TOKEN_CACHE) >= TOKEN_CACHE_SIZE:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[text] = tokens
    return tokens


@dataclass
class Cues:
    """Lexicon terms found in one text, sorted by what they speak to."""

    positive: list[str]
    negative: list[str]
    category: dict[str, list[str]]
    cause: dict[str, list[str]]


def _cues_of(matches) -> Cues:
    tags = lexicon().tags
    cues = Cues([], [], {}, {})
    for term, negated in matches:
        for kind, label, _weight in tags[term]:
            if kind == "sentiment":
                polarity = label if not negated else ("negative" if label == "positive" else "positive")
                shown = f"not {term}" if negated else term
                (cues.positive if polarity == "positive" else cues.negative).append(shown)
            elif kind == "category" and not negated:
                cues.category.setdefault(label, []).append(term)
            elif kind == "cause":
                cues.cause.setdefault(label, []).append(term)
    return cues


def find_cues(prepared: str) -> Cues:
    """Match the lexicon; a negated term ("不好用" is listed, "不 推荐" is flipped) counts the other way."""
    return _cues_of(lexicon().find(prepared))


class CueHits:
    """The lexicon matches of a batch, kept flat; `Cues` for one row are built only when asked for."""

    def __init__(self, n_rows: int, rows: list[int], terms: list[str], negated: list[bool]):
        self.terms, self.negated = terms, negated
        self.indptr = np.searchsorted(np.asarray(rows, dtype=np.int64), np.arange(n_rows + 1)).tolist()

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, i: int) -> Cues:
        a, b = self.indptr[i], self.indptr[i + 1]
        return _cues_of(zip(self.terms[a:b], self.negated[a:b], strict=True))


@cache
def _term_table() -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per lexicon term: its id, sentiment weights (positive, negative) and category and cause counts."""
    tags = lexicon().tags
    ids = {term: i for i, term in enumerate(tags)}
    positive, negative = np.zeros(len(ids)), np.zeros(len(ids))
    category, cause = np.zeros((len(ids), len(CATEGORIES))), np.zeros((len(ids), len(CUE_CAUSES)))
    for term, i in ids.items():
        polarity = next(((label, weight) for kind, label, weight in tags[term] if kind == "sentiment"), None)
        if polarity:
            (positive if polarity[0] == "positive" else negative)[i] = polarity[1]
        for kind, label, _weight in tags[term]:
            if kind == "category":
                category[i, CATEGORY_INDEX[label]] += 1
            elif kind == "cause" and label in CAUSE_INDEX:
                cause[i, CAUSE_INDEX[label]] += 1
    return ids, positive, negative, category, cause


def cue_columns(prepared: list[str]) -> tuple[np.ndarray, CueHits]:
    """The lexicon's dense columns (sentiment strength, category and cause cue counts) for a batch."""
    rows, terms, negated = lexicon().find_many(prepared)
    ids, pos_w, neg_w, category, cause = _term_table()
    n = len(prepared)
    out = np.zeros((n, 2 + len(CATEGORIES) + len(CUE_CAUSES)))
    if terms:
        row = np.asarray(rows, dtype=np.int64)
        term = np.fromiter((ids[t] for t in terms), dtype=np.int64, count=len(terms))
        neg = np.asarray(negated, dtype=bool)
        # A negated term counts the other way at 0.7 of its weight ("不推荐" reads negative).
        positive = np.bincount(row, np.where(neg, 0.7 * neg_w[term], pos_w[term]), minlength=n)
        negative = np.bincount(row, np.where(neg, 0.7 * pos_w[term], neg_w[term]), minlength=n)
        out[:, 0], out[:, 1] = np.log1p(positive), np.log1p(negative)
        category_counts = np.zeros((n, len(CATEGORIES)))
        np.add.at(category_counts, row[~neg], category[term[~neg]])
        cause_counts = np.zeros((n, len(CUE_CAUSES)))
        np.add.at(cause_counts, row, cause[term])
        out[:, 2:2 + len(CATEGORIES)] = np.minimum(category_counts, 3) / 3
        out[:, 2 + len(CATEGORIES):] = np.minimum(cause_counts, 3) / 3
    return out, CueHits(n, rows, terms, negated)


def signal_columns(found: list[Extracted], prepared: list[str]) -> np.ndarray:
    """The dense columns from the rule-based signals and the length."""
    out = np.array([(3.0 * bool(f.contacts), bool(f.links), bool(f.mentions), f.is_question, bool(f.hashtags),
                     bool(f.stickers), bool(f.emoji), f.language == "en") for f in found],
                   dtype=np.float64).reshape(len(found), 8)
    length = np.fromiter((len(p) for p in prepared), dtype=np.float64, count=len(prepared))
    return np.column_stack([out, np.minimum(np.log1p(length) / 6, 1.5)])


def category_view(stacked: sp.csr_matrix, rows: np.ndarray | None = None) -> sp.csr_matrix:
    """The stacked features as the category and cause models read them: the character n-grams
    binary (present or not) and l2-normalised instead of tf·idf, which cross-validated better on
    the small labelled set. Same sparsity pattern, so evidence can index both alike."""
    n = stacked.shape[0]
    if rows is None:
        rows = np.repeat(np.arange(n), np.diff(stacked.indptr))
    is_char = stacked.indices < CHAR_FEATURES
    n_char = np.bincount(rows[is_char], minlength=n)
    scale = (1 / np.sqrt(np.maximum(n_char, 1))).astype(np.float32)
    data = np.where(is_char, scale[rows], stacked.data).astype(np.float32)
    return sp.csr_matrix((data, stacked.indices, stacked.indptr), shape=stacked.shape)


def category_extra(polarity: np.ndarray) -> np.ndarray:
    """What the category and cause models read besides the shared features: the polarity, signed and
    split by side, so a praise and a complaint about the same thing are easy to tell apart."""
    strength = np.tanh(np.asarray(polarity, dtype=np.float64) / 2)
    return np.column_stack([strength, np.maximum(strength, 0), np.maximum(-strength, 0)])


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf times idf, each row scaled to unit length."""
    from sklearn.preprocessing import normalize

    out = counts.copy()
    out.data = (1.0 + np.log(out.data)) * idf[out.indices]
    return normalize(out, copy=False)


def count_ngrams(prepared: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Raw hashed counts of character 1-3-grams and of words and word pairs."""
    return (char_counts(prepared, CHAR_NGRAMS[1], CHAR_FEATURES),
            word_counts([words(p) for p in prepared], WORD_FEATURES))


@dataclass
class Features:
    chars: sp.csr_matrix
    words: sp.csr_matrix
    dense: np.ndarray
    cues: CueHits

    def stacked(self) -> sp.csr_matrix:
        return sp.hstack([self.chars, self.words, sp.csr_matrix(self.dense)], format="csr")


def featurize(prepared: list[str], found: list[Extracted], char_idf: np.ndarray,
              word_idf: np.ndarray) -> Features:
    """All features for a batch of prepared texts and their rule-based signals."""
    char_counts, word_counts = count_ngrams(prepared)
    cue_part, hits = cue_columns(prepared)
    dense = np.column_stack([cue_part, signal_columns(found, prepared)]).astype(np.float32)
    return Features(tfidf(char_counts, char_idf), tfidf(word_counts, word_idf), dense, hits)
