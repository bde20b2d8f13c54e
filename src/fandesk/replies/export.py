"""The outbox as CSV for a spreadsheet: every cell reads as the text it is, never as a formula."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable

_STARTS = "=+-@"
_CALL_OR_LINK = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*[(|]")  # SUM( or cmd| (a DDE link)


def formula_safe(value):
    """The cell, with a leading ' when a spreadsheet (Excel, WPS, LibreOffice) would run it as a formula,
    and as written otherwise: replies start with "@nickname" and lists with "-", and a ' before every
    one of them is noise in the sheet and in what is pasted from it.

    A text runs as a formula when, after any spaces, tabs or line breaks (which some programs drop), it
    starts with "=", or starts with "+", "-" or "@" and holds a function call (a name then "(") or a
    DDE link (a name then "|"): without one, "-2+3" only computes a number. Fullwidth forms count as
    what Excel reads them as ("＝", "＋", "－", "＠", fullwidth letters and brackets, from Chinese and
    Japanese input): the text is compared in its NFKC form. So "@小鹿 谢谢！" and "- 先试用两天" stay as
    they are, while "=1+1", "＝HYPERLINK(…)", "@SUM(1,1)" and "-2+cmd|' /C calc'!A0" get their '."""
    if not isinstance(value, str) or not value:
        return value
    text = unicodedata.normalize("NFKC", value).lstrip(" \t\r\n")
    if not text or text[0] not in _STARTS:
        return value
    if text[0] == "=" or _CALL_OR_LINK.search(text):
        return "'" + value
    return value


def outbox_csv(rows: Iterable[dict], fields: tuple[str, ...], headers: dict[str, str] | None = None) -> str:
    """UTF-8 CSV with a byte order mark (so Excel on Chinese Windows reads it as UTF-8), formula-safe; the
    first row names the columns in the reader's words (`headers`, by field), else by field."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writerow({f: (headers or {}).get(f, f) for f in fields})
    for row in rows:
        writer.writerow({key: formula_safe(value) for key, value in row.items()})
    return "\ufeff" + buffer.getvalue()
