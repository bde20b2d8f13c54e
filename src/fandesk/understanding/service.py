"""analyze / analyze_many: rules and the shipped model together, with the evidence for each decision."""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice

import numpy as np
import scipy.sparse as sp

from .analysis import CATEGORIES, Analysis
from .cause_cues import cause_phrases
from .extract import Extracted, extract_many
from .features import CATEGORY_INDEX, MODEL_CHARS, CueHits, Cues, category_extra, category_view, featurize
from .lexicon import GLOSS
from .model import N_EXTRA, N_STACKED, Linear, Model, load_model

BATCH = 2048
SECONDARY_MIN = 0.2  # a second category is shown when the model gives it at least this probability
LEARNED_MIN = 0.05   # the smallest contribution worth showing as evidence
NOT_SPAM_WITH_CONTACT = {"partnership", "crisis", "returns", "shipping"}
# Negative feedback by definition: these get a cause even when the wording reads mild or mixed.
CAUSE_CATEGORIES = ("complaint", "crisis")


def _compact(linears: list[Linear], n_stacked: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Side by side, the weights of several linear models over the stacked space, kept only for the
    columns some model uses: (column -> row of the small table, or the zero row; the small table;
    the weights of the extra columns after the stacked ones)."""
    weights = sp.hstack([linear.weights for linear in linears], format="csr")
    stacked_part = weights[:n_stacked]
    columns = np.flatnonzero(np.diff(stacked_part.indptr))
    position = np.full(n_stacked, len(columns), dtype=np.int64)  # unused columns -> the zero row
    position[columns] = np.arange(len(columns))
    table = np.vstack([stacked_part[columns].toarray(), np.zeros((1, weights.shape[1]))])
    return position, table, weights[n_stacked:].toarray()


def _cue_text(term: str) -> str:
    gloss = GLOSS.get(term)
    return f"{term} ({gloss})" if gloss else term


def _learned_words(texts: list[str], rows: np.ndarray, grams: np.ndarray, contribution: np.ndarray,
                   gram_text: list[str], limit: int) -> list[list[str]]:
    """For each row, up to `limit` distinct n-grams that pushed its decision furthest, strongest first.
    Selection happens in numpy; Python only checks and formats the few candidates. A hashed column
    is named after one n-gram that falls in it; another n-gram of the text may share the column, so
    a name is shown only when it occurs in the text."""
    n_rows = len(texts)
    out: list[list[str]] = [_NOTHING] * n_rows  # shared empty list: callers only concatenate it
    keep = contribution > LEARNED_MIN
    rows, grams, contribution = rows[keep], grams[keep], contribution[keep]
    if not len(rows):
        return out
    order = np.lexsort((-contribution, rows))
    rows, grams, contribution = rows[order], grams[order], contribution[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = rank < limit + 3  # spare room: an n-gram can stand behind two columns, or not be in the text
    shown: list[int] = []
    last = -1
    for row, gram, value in zip(rows[keep].tolist(), grams[keep].tolist(), contribution[keep].tolist(),
                                strict=True):
        if row != last:
            last, shown = row, []
        if len(shown) < limit and gram not in shown:
            text = gram_text[gram]
            if text in texts[row]:
                if not shown:
                    out[row] = []
                shown.append(gram)
                out[row].append(f"'{text}' (learned, {value:+.2f})")
    return out


_NOTHING: list[str] = []


_EMPTY_EVIDENCE_SENTIMENT = "no words, emoji or stickers (empty or picture-only)"
_EMPTY_EVIDENCE_CATEGORY = "no words: treated as general chat (a picture or an empty comment)"


class Analyzer:
    """Runs the rules and one model over batches of text."""

    def __init__(self, model: Model):
        self.model = model
        n = model.polarity.shape[0]
        self.named = np.zeros(n, dtype=bool)
        named_columns = np.fromiter(model.ngram_of, dtype=np.int64, count=len(model.ngram_of))
        self.named[named_columns] = True
        # column -> id of the n-gram text it stands for (columns with the same text share one id)
        self.gram_text = list(dict.fromkeys(model.ngram_of.values()))
        text_id = {text: i for i, text in enumerate(self.gram_text)}
        self.gram_of = np.full(n, -1, dtype=np.int64)
        self.gram_of[named_columns] = [text_id[t] for t in model.ngram_of.values()]
        # category and cause side by side: one product scores both; the cause phrase groups come after
        cause = model.cause.weights
        main_cause = Linear(cause[:N_STACKED + N_EXTRA], model.cause.bias, model.cause.labels)
        self.position, self.table, self.extra = _compact([model.category, main_cause], n)
        self.cause_groups = cause[N_STACKED + N_EXTRA:].toarray()
        self.bias = np.concatenate([model.category.bias, model.cause.bias])
        self.n_categories = len(model.category.labels)
        self.cause_categories = np.isin(np.array(model.category.labels), CAUSE_CATEGORIES)

    def analyze_many(self, texts: Iterable[str], *, cause_for_all: bool = False) -> list[Analysis]:
        """`iter_analyze` as a list. `cause_for_all` (for evaluation): give every text with words a cause,
        as if each were negative feedback."""
        return list(self.iter_analyze(texts, cause_for_all=cause_for_all))

    def iter_analyze(self, texts: Iterable[str], *, cause_for_all: bool = False) -> Iterator[Analysis]:
        """Analyses in input order, computed a batch at a time (constant memory for any stream)."""
        iterator = iter(texts)
        while batch := list(islice(iterator, BATCH)):
            # A batch allocates many small containers and makes no reference cycles: pausing the cyclic
            # garbage collector spares it from rescanning every live object (the model's tables) meanwhile.
            was_enabled = gc.isenabled()
            gc.disable()
            try:
                results = self._batch(["" if t is None else str(t) for t in batch], cause_for_all)
            finally:
                if was_enabled:
                    gc.enable()
            yield from results

    def _batch(self, texts: list[str], cause_for_all: bool = False) -> list[Analysis]:
        model = self.model
        n = len(texts)
        # One NFKC call for the batch: NUL is a starter that never composes, so this equals per-text NFKC.
        joined = "\x00".join(texts)
        normal = unicodedata.normalize("NFKC", joined).split("\x00") if joined.count("\x00") == n - 1 else []
        if len(normal) != n:
            normal = [unicodedata.normalize("NFKC", t) for t in texts]
        found = extract_many(texts, normal)
        prepared = [t[:MODEL_CHARS].lower() for t in normal]
        features = featurize(prepared, found, model.char_idf, model.word_idf)
        stacked = features.stacked()
        polarity = stacked @ model.polarity + model.polarity_bias
        gate_x = np.column_stack([features.dense, polarity, np.abs(polarity)])
        gate = model.neutral_gate
        gate_score = gate_x @ gate.weights.toarray() + gate.bias
        p_polar = 1 / (1 + np.exp(-(gate_score[:, 1] - gate_score[:, 0])))
        # category and cause: remap the stacked columns to the small table, then one dense product
        entry_rows = np.repeat(np.arange(n), np.diff(stacked.indptr))
        category_data = category_view(stacked, entry_rows).data
        entry_position = self.position[stacked.indices]
        compact = sp.csr_matrix((category_data, entry_position, stacked.indptr), shape=(n, self.table.shape[0]))
        scores = compact @ self.table + category_extra(polarity) @ self.extra + self.bias
        k = self.n_categories
        category_p = _softmax(scores[:, :k])
        primary = category_p.argmax(axis=1)
        # Every piece of negative feedback gets a cause; only those rows read the cause phrases.
        has_signal = np.fromiter((bool(t.strip()) for t in texts), dtype=bool, count=n)
        wants_cause = has_signal & (((p_polar >= 0.5) & (polarity <= 0)) | self.cause_categories[primary]
                                    | cause_for_all)
        cause_rows = np.flatnonzero(wants_cause)
        phrases: list[list[str]] = [_NOTHING] * n
        if len(cause_rows):
            groups, found_phrases = cause_phrases().columns([prepared[i] for i in cause_rows])
            scores[cause_rows, k:] += groups @ self.cause_groups
            for i, found_here in zip(cause_rows.tolist(), found_phrases, strict=True):
                phrases[i] = found_here
        cause_p = _softmax(scores[:, k:])
        cause_index = cause_p.argmax(axis=1)

        # Evidence: only entries whose n-gram has a name can be shown, so score just those.
        named = self.named[stacked.indices]
        rows = entry_rows[named]
        columns = stacked.indices[named]
        values = stacked.data[named]
        category_values = category_data[named]
        positions = entry_position[named]
        grams = self.gram_of[columns]
        side = np.sign(polarity)[rows]
        # sentiment words are shown for a clear sentiment only, cause words for rows with a cause
        polar = (p_polar >= 0.5)[rows]
        sentiment_words = _learned_words(prepared, rows[polar], grams[polar],
                                         (values * model.polarity[columns] * side)[polar], self.gram_text, 3)
        category_words = _learned_words(prepared, rows, grams,
                                        category_values * self.table[positions, primary[rows]], self.gram_text, 3)
        caused = wants_cause[rows]
        cause_rows_of = rows[caused]
        cause_words = _learned_words(prepared, cause_rows_of, grams[caused],
                                     category_values[caused] * self.table[positions[caused],
                                                                          k + cause_index[cause_rows_of]],
                                     self.gram_text, 2)

        order = np.argsort(-category_p, axis=1, kind="stable")[:, :3]
        top_p = np.take_along_axis(category_p, order, axis=1)
        polarity_list, p_polar_list = polarity.tolist(), p_polar.tolist()
        score_list = np.round(p_polar * np.tanh(polarity / 2), 4).tolist()
        cause_max = cause_p.max(axis=1).tolist()
        spam_p = category_p[:, CATEGORY_INDEX["spam"]].tolist()
        wants_list = wants_cause.tolist()
        return [self._one(texts[i], found[i], features.cues, i, polarity_list[i], p_polar_list[i],
                          score_list[i], order[i].tolist(), top_p[i].tolist(), spam_p[i], int(cause_index[i]),
                          cause_max[i], sentiment_words[i], category_words[i], cause_words[i],
                          wants_list[i], phrases[i])
                for i in range(n)]

    def _one(self, text: str, found: Extracted, hits: CueHits, i: int, polarity: float, p_polar: float,
             score: float, order: list[int], top_p: list[float], spam_p: float, cause_index: int,
             cause_max: float, sentiment_words: list[str], category_words: list[str],
             cause_words: list[str], wants_cause: bool, phrases: list[str]) -> Analysis:
        evidence: dict[str, list[str]] = {}
        has_signal = bool(text.strip())
        cues = hits[i] if hits.indptr[i] != hits.indptr[i + 1] else _NO_CUES
        if not has_signal:
            score, sentiment = 0.0, "neutral"
            evidence["sentiment"] = [_EMPTY_EVIDENCE_SENTIMENT]
        else:
            sentiment = "neutral" if p_polar < 0.5 else ("positive" if polarity > 0 else "negative")
            if sentiment == "neutral":
                evidence["sentiment"] = [f"no clear sentiment (chance of a clear one {p_polar:.2f})"] + \
                    [_cue_text(t) for t in cues.positive + cues.negative][:4]
            else:
                side = cues.positive if polarity > 0 else cues.negative
                evidence["sentiment"] = [_cue_text(t) for t in dict.fromkeys(side)][:5] + sentiment_words

        if not has_signal:
            categories = ["casual"]
            evidence["category"] = [_EMPTY_EVIDENCE_CATEGORY]
        else:
            categories = [CATEGORIES[order[0]]] + [CATEGORIES[j] for j, p in zip(order[1:], top_p[1:], strict=True)
                                                  if p >= SECONDARY_MIN]
            primary = categories[0]
            shown = [f"model confidence {top_p[0]:.2f}"]
            if primary in cues.category:
                shown += [_cue_text(t) for t in dict.fromkeys(cues.category[primary])][:4]
            if primary == "spam" and found.contacts:
                shown.append("contact details: " + ", ".join(found.contact_evidence[:3]))
            if primary in ("product_question", "advice_request") and found.is_question:
                shown.append("asks a question")
            evidence["category"] = shown + category_words
        category = categories[0]

        contact_spam = bool(found.contacts) and category not in NOT_SPAM_WITH_CONTACT
        spam = category == "spam" or contact_spam
        if spam:
            reasons = [f"category spam ({spam_p:.2f})"] if category == "spam" else []
            if contact_spam:
                reasons.append("contact details: " + ", ".join(found.contact_evidence[:3]))
            reasons += [f"cue: {t}" for t in dict.fromkeys(cues.category.get("spam", []))][:3]
            evidence["spam"] = reasons
            if "spam" not in categories:
                categories.append("spam")
        else:
            evidence["spam"] = []

        cause = None
        if wants_cause:
            cause = self.model.cause.labels[cause_index]
            shown = [f"model confidence {cause_max:.2f}"]
            if sentiment != "negative":
                shown.append(f"negative feedback: category {category}")
            said = list(dict.fromkeys(cues.cause.get(cause, []) + [p for p in phrases if _PHRASE_CAUSE[p] == cause]))
            evidence["cause"] = shown + [_cue_text(t) for t in said][:4] + cause_words
        else:
            evidence["cause"] = []
        evidence["question"] = found.question_evidence
        return Analysis(
            text=text, sentiment=sentiment, sentiment_score=score, category=category, categories=categories,
            cause=cause, is_question=found.is_question, language=found.language, spam=spam,
            mentions=found.mentions, hashtags=found.hashtags, stickers=found.stickers, emoji=found.emoji,
            links=found.links, contacts=found.contacts, evidence=evidence,
        )


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


_NO_CUES = Cues([], [], {}, {})


class _PhraseCause(dict):
    """phrase -> the cause its (first) group speaks for, filled on first use."""

    def __missing__(self, phrase: str) -> str:
        # lazily: the cue tables are built on first use
        from .cause_cues import CAUSE_PHRASES

        groups = cause_phrases().group_of.get(phrase, [])
        value = list(CAUSE_PHRASES.values())[groups[0]][0] if groups else ""
        self[phrase] = value
        return value


_PHRASE_CAUSE = _PhraseCause()


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
