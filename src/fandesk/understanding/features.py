"""Turn texts into the features every model shares: hashed character and word n-grams plus cues.

Hashing keeps the model files small and needs no vocabulary; the hashing configuration is
stored with the weights, so a model is read back exactly as it was trained.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

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


def words(text: str) -> list[str]:
    """The words of a prepared text (rjieba), spaces dropped."""
    import rjieba  # imported on first use: no work at import time

    return [t for t in rjieba.cut(text) if not t.isspace()]


@dataclass
class Cues:
    """Lexicon terms found in one text, sorted by what they speak to."""

    positive: list[str]
    negative: list[str]
    category: dict[str, list[str]]
    cause: dict[str, list[str]]


def find_cues(prepared: str) -> Cues:
    """Match the lexicon; a negated term ("不好用" is listed, "不 推荐" is flipped) counts the other way."""
    tags = lexicon().tags
    cues = Cues([], [], {}, {})
    for term, negated in lexicon().find(prepared):
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


def _weight(term: str, polarity: str) -> float:
    base = term[4:] if term.startswith("not ") else term
    for kind, _label, weight in lexicon().tags.get(base, ()):
        if kind == "sentiment":
            return weight if term == base else weight * 0.7
    return 1.0 if polarity else 0.0


def dense_row(cues: Cues, found: Extracted, prepared: str) -> list[float]:
    row = [0.0] * len(DENSE_NAMES)
    if cues.positive:
        row[0] = math.log1p(sum(_weight(t, "positive") for t in cues.positive))
    if cues.negative:
        row[1] = math.log1p(sum(_weight(t, "negative") for t in cues.negative))
    offset = 2
    for category, terms in cues.category.items():
        row[offset + CATEGORY_INDEX[category]] = min(len(terms), 3) / 3
    offset += len(CATEGORIES)
    for cause, terms in cues.cause.items():
        if cause in CAUSE_INDEX:
            row[offset + CAUSE_INDEX[cause]] = min(len(terms), 3) / 3
    offset += len(CUE_CAUSES)
    row[offset:] = (
        3.0 * bool(found.contacts), bool(found.links), bool(found.mentions), found.is_question,
        bool(found.hashtags), bool(found.stickers), bool(found.emoji), found.language == "en",
        min(math.log1p(len(prepared)) / 6, 1.5),
    )
    return row


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
    cues: list[Cues]

    def stacked(self) -> sp.csr_matrix:
        return sp.hstack([self.chars, self.words, sp.csr_matrix(self.dense)], format="csr")


def featurize(prepared: list[str], found: list[Extracted], char_idf: np.ndarray,
              word_idf: np.ndarray) -> Features:
    """All features for a batch of prepared texts and their rule-based signals."""
    char_counts, word_counts = count_ngrams(prepared)
    cues = [find_cues(p) for p in prepared]
    dense = np.array([dense_row(c, f, p) for c, f, p in zip(cues, found, prepared, strict=True)],
                     dtype=np.float32).reshape(len(prepared), len(DENSE_NAMES))
    return Features(tfidf(char_counts, char_idf), tfidf(word_counts, word_idf), dense, cues)
