"""A JSON list of records (MediaCrawler's .json files), cut into records without parsing the whole file.

The list is scanned for the brackets that open and close each record (strings skipped by a regular
expression); each record's bytes are then parsed by orjson, as a JSON Lines line is. So a record reads
the same from either container: the same numbers, the same refusal of a lone surrogate; a broken or
cut-off record is a bad record that --skip-bad passes over; a record longer than MAX_RECORD_BYTES or
nested deeper than MAX_NESTING is refused while it is being skipped, without keeping it in memory.
(ijson, used before, builds a path string per nesting level, so memory grew with the square of the
depth: 20,000 levels, a 40 KB file, took 1 GB; and it turned a lone surrogate into "?".)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

import orjson

from fandesk.errors import BadFile

# Everything up to the next bracket outside a string; stops before a string that is not complete yet.
_OUTSIDE = re.compile(rb'[^"\[\]{}]*+(?:"(?:[^"\\]++|\\.)*+"[^"\[\]{}]*+)*+', re.S)
_STRING_REST = re.compile(rb'(?:[^"\\]++|\\.)*+', re.S)
_WHITESPACE = b" \t\r\n"
CHUNK = 64 * 1024
MAX_BETWEEN = 64 * 1024  # what may stand between two records (a comma and spaces) is never this long


class Record:
    """One element of the list: its number and its bytes, or the problem that refused it (found as soon
    as it shows, before the element is read to its end)."""

    __slots__ = ("number", "text", "problem")

    def __init__(self, number: int, text: bytes | None, problem: tuple[str, str] | None = None):
        self.number = number
        self.text = text
        self.problem = problem  # (problem, hint)


def split(handle: BinaryIO, file: str, *, max_bytes: int, max_nesting: int) -> Iterator[Record]:
    """The elements of the top-level list in `handle`, in order. The list's own syntax (the commas
    between records) must hold: a stray character between records refuses the file (BadFile); a file
    that ends inside the list gives a last record that is cut short."""
    buf = handle.read(CHUNK)
    pos = 3 if buf.startswith(b"\xef\xbb\xbf") else 0
    depth = 0  # 1: inside the list, between records; 2 and more: inside record `number`
    number = 0
    start = gap = pos  # where the current record, or the text between two records, began
    refused: tuple[str, str] | None = None  # the current record's problem, found while reading it
    in_string = False
    while True:
        if in_string:
            pos = _STRING_REST.match(buf, pos).end()
            if pos < len(buf) and buf[pos] == 0x22:  # the closing quote
                pos += 1
                in_string = False
                continue
        else:
            pos = _OUTSIDE.match(buf, pos).end()
            if pos < len(buf) and buf[pos] == 0x22:  # a string that goes on past what is read
                in_string = True
                pos += 1
                continue
        if pos >= len(buf) or in_string:  # read more, keeping only what is still needed
            keep = start if depth >= 2 and refused is None else gap if depth <= 1 else pos
            if depth >= 2 and refused is None and len(buf) - start > max_bytes:
                refused = (f"longer than {size_text(max_bytes)}: not a crawler record",
                           "check that this is the crawler's output")
                yield Record(number, None, refused)  # now: read on only if asked to pass over it
                keep = pos
            if depth <= 1 and pos - gap > MAX_BETWEEN:
                raise BadFile(file, f"after record {number}: {buf[gap:gap + 30]!r}... is not a record",
                              "the file must be a list of records")
            more = handle.read(max(CHUNK, len(buf) - keep))
            if not more:
                break
            buf = buf[keep:] + more
            pos, start, gap = pos - keep, start - keep, gap - keep
            continue
        bracket = buf[pos]
        if bracket in b"[{":
            if depth == 1:
                _between(buf[gap:pos], number, expect_comma=number > 0, file=file)
                number += 1
                start, refused = pos, None
            elif depth == 0:
                if bracket != 0x5B or buf[gap:pos].strip(_WHITESPACE):
                    raise BadFile(file, "is not a JSON list of records")
                gap = pos + 1
            depth += 1
            if depth - 1 > max_nesting and refused is None:
                refused = (f"nested deeper than {max_nesting} levels: not a crawler record",
                           "check that this is the crawler's output")
                yield Record(number, None, refused)
        else:
            depth -= 1
            if depth == 1:
                if refused is None:
                    yield Record(number, buf[start:pos + 1])
                gap = pos + 1
            elif depth == 0:
                _between(buf[gap:pos], number, expect_comma=False, file=file)
                _nothing_after(handle, buf[pos + 1:], file)
                return
            elif depth < 0:
                raise BadFile(file, "is not a JSON list of records")
        pos += 1
    if depth == 0:
        raise BadFile(file, "is not a JSON list of records")
    if depth == 1 or refused is None:  # (a record refused already is not reported twice)
        yield Record(number if depth >= 2 else number + 1, None,
                     ("the JSON ends early: the file is cut short", "was the crawl interrupted? export it again"))


def _between(text: bytes, number: int, *, expect_comma: bool, file: str) -> None:
    """What stands between two records (or a record and the list's bracket) must be a comma or nothing."""
    text = text.strip(_WHITESPACE)
    if text == (b"," if expect_comma else b""):
        return
    first = text.lstrip(b",").split(b",")[0].strip(_WHITESPACE)
    try:
        value = orjson.loads(first)
    except orjson.JSONDecodeError:
        raise BadFile(file, f"after record {number}: invalid JSON ({text[:30]!r})",
                      "the file is damaged: export it again") from None
    raise BadFile(file, f"record {number + 1} is a JSON {type(value).__name__}, not an object",
                  "the file must be a list of records")


def _nothing_after(handle: BinaryIO, rest: bytes, file: str) -> None:
    if rest.strip(_WHITESPACE) or handle.read(CHUNK).strip(_WHITESPACE):
        raise BadFile(file, "has more after the end of its list",
                      "one record a line is JSON Lines: name the file .jsonl")


def size_text(limit: int) -> str:
    """16 MB, 512 KB: a limit as the messages say it."""
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
