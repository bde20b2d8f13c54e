"""Feature hashing written for speed: character n-grams hashed for a whole batch at once in numpy.

FNV-1a over Unicode code points, then a 64-bit finaliser, modulo a power of two. The same
function exists for one string (`char_column`, `word_column`) so training can name the columns
it shows as evidence. Changing anything here changes every column: retrain after.
"""

from __future__ import annotations

import zlib
from itertools import chain

import numpy as np
import scipy.sparse as sp

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
FINAL_MULT = 0xBF58476D1CE4E5B9
MASK64 = (1 << 64) - 1
PAIR_MULT = 0x9E3779B97F4A7C15
CRC_CACHE_SIZE = 200_000
_CRC_CACHE: dict[str, int] = {}


def _finish(h):
    h = h ^ (h >> np.uint64(29)) if isinstance(h, np.ndarray) else h ^ (h >> 29)
    if isinstance(h, np.ndarray):
        h = h * np.uint64(FINAL_MULT)
        return h ^ (h >> np.uint64(32))
    h = (h * FINAL_MULT) & MASK64
    return h ^ (h >> 32)


def char_column(gram: str, n_features: int) -> int:
    """The column of one character n-gram (the same as `char_counts` gives it)."""
    h = FNV_OFFSET ^ len(gram)
    for char in gram:
        h = ((h ^ ord(char)) * FNV_PRIME) & MASK64
    return int(_finish(h) % n_features)


def word_column(token: str, n_features: int) -> int:
    """The column of one word."""
    return zlib.crc32(token.encode("utf-8")) % n_features


def pair_column(first: str, second: str, n_features: int) -> int:
    """The column of a pair of neighbouring words (the same as `word_counts` gives it)."""
    h = ((zlib.crc32(first.encode("utf-8")) * PAIR_MULT) & MASK64) ^ zlib.crc32(second.encode("utf-8"))
    return int(_finish(h) % n_features)


def char_counts(texts: list[str], n_max: int, n_features: int) -> sp.csr_matrix:
    """Counts of character 1..n_max-grams of each text, hashed into `n_features` columns."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    total = int(lengths.sum())
    if total == 0:
        return sp.csr_matrix((len(texts), n_features), dtype=np.float32)
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row_of = np.repeat(np.arange(len(texts)), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    room = lengths[row_of] - (np.arange(total) - starts[row_of])  # characters left in the text from here
    rows, columns = [], []
    prime = np.uint64(FNV_PRIME)
    for n in range(1, n_max + 1):
        usable = np.flatnonzero(room >= n)
        h = np.full(len(usable), FNV_OFFSET ^ n, dtype=np.uint64)
        for k in range(n):
            h = (h ^ points[usable + k]) * prime
        columns.append((_finish(h) % np.uint64(n_features)).astype(np.int64))
        rows.append(row_of[usable])
    rows_all, cols_all = np.concatenate(rows), np.concatenate(columns)
    counts = sp.csr_matrix((np.ones(len(rows_all), dtype=np.float32), (rows_all, cols_all)),
                           shape=(len(texts), n_features))
    counts.sum_duplicates()
    return counts


def word_counts(token_lists: list[list[str]], n_features: int) -> sp.csr_matrix:
    """Counts of hashed words and of neighbouring word pairs per row.

    Each distinct word is hashed once (a bounded cache lives across batches); pairs are combined
    from the two word hashes in numpy, so no pair string is ever built."""
    seen = _CRC_CACHE
    if len(seen) > CRC_CACHE_SIZE:
        seen.clear()
    for token in set(chain.from_iterable(token_lists)).difference(seen):
        seen[token] = zlib.crc32(token.encode("utf-8"))
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    hashes = np.fromiter(map(seen.__getitem__, chain.from_iterable(token_lists)), dtype=np.uint64,
                         count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(token_lists)), lengths)
    same_row = np.flatnonzero(rows[:-1] == rows[1:])
    pairs = _finish((hashes[same_row] * np.uint64(PAIR_MULT)) ^ hashes[same_row + 1])
    columns = np.concatenate([hashes % np.uint64(n_features), pairs % np.uint64(n_features)]).astype(np.int64)
    all_rows = np.concatenate([rows, rows[same_row]])
    counts = sp.csr_matrix((np.ones(len(all_rows), dtype=np.float32), (all_rows, columns)),
                           shape=(len(token_lists), n_features))
    counts.sum_duplicates()
    return counts
