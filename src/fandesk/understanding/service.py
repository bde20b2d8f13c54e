"""analyze / analyze_many: rules and the shipped model together, with the evidence for each decision."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice

import numpy as np
import scipy.sparse as sp

from .analysis import CATEGORIES, Analysis
from .extract import Extracted, extract
from .features import CATEGORY_INDEX, MODEL_CHARS, Cues, featurize
from .lexicon import GLOSS
from .model import Linear, Model, load_model

BATCH = 2048
SECONDARY_MIN = 0.2  # a second category is shown when the model gives it at least this probability
LEARNED_MIN = 0.05   # the smallest contribution worth showing as evidence
NOT_SPAM_WITH_CONTACT = {"partnership", "crisis", "returns", "shipping"}


def _compact(linear: Linear, n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """Per feature column, its row in a small (used columns x classes) weight table, or -1."""
    weights = linear.weights.tocsr()
    columns = np.flatnonzero(np.diff(weights.indptr))
    position = np.full(n_features, -1, dtype=np.int32)
    position[columns] = np.arange(len(columns), dtype=np.int32)
    table = np.vstack([np.asarray(weights[columns].todense()), np.zeros((1, weights.shape[1]))])
    return position, table  # the extra zero row answers for unused columns (-1)


def _top_learned(stacked: sp.csr_matrix, weight_of_entry: np.ndarray, direction: np.ndarray,
                 named: np.ndarray, ngram_of: dict[int, str], limit: int = 3) -> list[list[str]]:
    """For each row, the n-grams that pushed its decision furthest, strongest first."""
    rows = np.repeat(np.arange(stacked.shape[0]), np.diff(stacked.indptr))
    contribution = stacked.data * weight_of_entry * direction[rows]
    keep = (contribution > LEARNED_MIN) & named[stacked.indices]
    rows, columns, contribution = rows[keep], stacked.indices[keep], contribution[keep]
    order = np.lexsort((-contribution, rows))
    out: list[list[str]] = [[] for _ in range(stacked.shape[0])]
    for row, column, value in zip(rows[order].tolist(), columns[order].tolist(),
                                  contribution[order].tolist(), strict=True):
        gram = ngram_of[column]
        if len(out[row]) < limit and not any(f"'{gram}'" in shown for shown in out[row]):
            out[row].append(f"'{gram}' (learned, {value:+.2f})")
    return out


def _cue_text(term: str) -> str:
    gloss = GLOSS.get(term)
    return f"{term} ({gloss})" if gloss else term


class Analyzer:
    """Runs the rules and one model over batches of text."""

    def __init__(self, model: Model):
        self.model = model
        n = model.polarity.shape[0]
        self.named = np.zeros(n, dtype=bool)
        self.named[np.fromiter(model.ngram_of, dtype=np.int64, count=len(model.ngram_of))] = True
        self.category_position, self.category_weights = _compact(model.category, n)
        self.cause_position, self.cause_weights = _compact(model.cause, n)

    def analyze_many(self, texts: Iterable[str]) -> list[Analysis]:
        return list(self.iter_analyze(texts))

    def iter_analyze(self, texts: Iterable[str]) -> Iterator[Analysis]:
        """Analyses in input order, computed a batch at a time (constant memory for any stream)."""
        iterator = iter(texts)
        while batch := list(islice(iterator, BATCH)):
            yield from self._batch(["" if t is None else str(t) for t in batch])

    @staticmethod
    def _class_weights(stacked, position, weights, classes):
        """For every stored feature value, the weight of its row's chosen class."""
        rows = np.repeat(np.arange(stacked.shape[0]), np.diff(stacked.indptr))
        return weights[position[stacked.indices], classes[rows]]

    def _batch(self, texts: list[str]) -> list[Analysis]:
        model = self.model
        normal = [unicodedata.normalize("NFKC", t) for t in texts]
        found = [extract(t, n) for t, n in zip(texts, normal, strict=True)]
        prepared = [n[:MODEL_CHARS].lower() for n in normal]
        features = featurize(prepared, found, model.char_idf, model.word_idf)
        stacked = features.stacked()
        polarity = stacked @ model.polarity + model.polarity_bias
        gate_x = sp.csr_matrix(np.column_stack([features.dense, polarity, np.abs(polarity)]))
        p_polar = model.neutral_gate.probabilities(gate_x)[:, 1]
        category_p = model.category.probabilities(stacked)
        cause_p = model.cause.probabilities(stacked)
        primary = category_p.argmax(axis=1)
        cause_index = cause_p.argmax(axis=1)

        direction = np.sign(polarity)
        sentiment_words = _top_learned(stacked, model.polarity[stacked.indices], direction, self.named,
                                       model.ngram_of)
        ones = np.ones(len(texts))
        category_words = _top_learned(
            stacked, self._class_weights(stacked, self.category_position, self.category_weights, primary), ones,
            self.named, model.ngram_of)
        cause_words = _top_learned(
            stacked, self._class_weights(stacked, self.cause_position, self.cause_weights, cause_index), ones,
            self.named, model.ngram_of, limit=2)

        out = []
        for i, text in enumerate(texts):
            out.append(self._one(text, found[i], features.cues[i], float(polarity[i]), float(p_polar[i]),
                                 category_p[i], cause_p[i], sentiment_words[i], category_words[i],
                                 cause_words[i]))
        return out

    def _one(self, text: str, found: Extracted, cues: Cues, polarity: float, p_polar: float,
             category_p: np.ndarray, cause_p: np.ndarray, sentiment_words: list[str],
             category_words: list[str], cause_words: list[str]) -> Analysis:
        model = self.model
        evidence: dict[str, list[str]] = {}
        has_signal = bool(text.strip())
        if not has_signal:
            score, sentiment = 0.0, "neutral"
            evidence["sentiment"] = ["no words, emoji or stickers (empty or picture-only)"]
        else:
            score = round(p_polar * float(np.tanh(polarity / 2)), 4)
            sentiment = "neutral" if p_polar < 0.5 else ("positive" if polarity > 0 else "negative")
            side = cues.positive if polarity > 0 else cues.negative
            if sentiment == "neutral":
                evidence["sentiment"] = [f"no clear sentiment (chance of a clear one {p_polar:.2f})"] + \
                    [_cue_text(t) for t in cues.positive + cues.negative][:4]
            else:
                evidence["sentiment"] = [_cue_text(t) for t in dict.fromkeys(side)][:5] + sentiment_words

        order = np.argsort(-category_p, kind="stable")
        if not has_signal:
            categories = ["casual"]
            evidence["category"] = ["no words: treated as general chat (a picture or an empty comment)"]
        else:
            categories = [CATEGORIES[order[0]]] + [CATEGORIES[j] for j in order[1:3]
                                                  if category_p[j] >= SECONDARY_MIN]
            primary = categories[0]
            shown = [f"model confidence {category_p[order[0]]:.2f}"]
            shown += [_cue_text(t) for t in dict.fromkeys(cues.category.get(primary, []))][:4]
            if primary == "spam" and found.contacts:
                shown.append("contact details: " + ", ".join(found.contact_evidence[:3]))
            if primary in ("product_question", "advice_request") and found.is_question:
                shown.append("asks a question")
            evidence["category"] = shown + category_words
        category = categories[0]

        spam_reasons = []
        if category == "spam":
            spam_reasons.append(f"category spam ({category_p[CATEGORY_INDEX['spam']]:.2f})")
        if found.contacts and category not in NOT_SPAM_WITH_CONTACT:
            spam_reasons.append("contact details: " + ", ".join(found.contact_evidence[:3]))
        spam_reasons += [f"cue: {t}" for t in dict.fromkeys(cues.category.get("spam", []))][:3]
        spam = category == "spam" or (bool(found.contacts) and category not in NOT_SPAM_WITH_CONTACT)
        if spam and "spam" not in categories:
            categories.append("spam")
        evidence["spam"] = spam_reasons if spam else []

        cause = None
        if sentiment == "negative":
            cause = model.cause.labels[int(cause_p.argmax())]
            evidence["cause"] = [f"model confidence {cause_p.max():.2f}"] + \
                [_cue_text(t) for t in dict.fromkeys(cues.cause.get(cause, []))][:4] + cause_words
        else:
            evidence["cause"] = []
        evidence["question"] = found.question_evidence
        return Analysis(
            text=text, sentiment=sentiment, sentiment_score=score, category=category, categories=categories,
            cause=cause, is_question=found.is_question, language=found.language, spam=spam,
            mentions=found.mentions, hashtags=found.hashtags, stickers=found.stickers, emoji=found.emoji,
            links=found.links, contacts=found.contacts, evidence=evidence,
        )


@cache
def default_analyzer() -> Analyzer:
    """The analyzer over the shipped model, built on first use."""
    return Analyzer(load_model())


def analyze(text: str) -> Analysis:
    """Understand one comment: sentiment, category, cause, signals and the evidence for each."""
    return default_analyzer().analyze_many([text])[0]


def analyze_many(texts: Iterable[str]) -> list[Analysis]:
    """Understand many comments at once; batched, so far faster per comment than `analyze`."""
    return default_analyzer().analyze_many(texts)
