"""Names people wrote themselves (nicknames), as the pages show them.

A nickname may hold the Unicode controls that reorder text (U+202A-U+202E, U+2066-U+2069): with a
right-to-left override, "\u202ebal_ijgnehc" shows as "chengji_lab", the brand's own name, and an
unclosed one reverses what the page puts after it (the time, the message). Pages show a nickname
without them, inside <bdi> (so a genuinely right-to-left name cannot reorder its surroundings either);
the stored nickname and the raw record keep them, as the platform sent them.
"""

from __future__ import annotations

BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def person_name(name: str | None) -> str:
    """The nickname as pages show it: without bidi embedding, override and isolate controls."""
    return (name or "").translate(BIDI_CONTROLS)


def initial(name: str | None) -> str:
    """The first character an avatar shows: of the nickname as pages show it (no control character),
    "?" without one."""
    return person_name(name).strip()[:1] or "?"
