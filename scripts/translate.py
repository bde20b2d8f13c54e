"""Refresh the web app's catalogue: extract the strings, merge them into the Chinese catalogue, apply
translations given as JSON ({"English msgid": "中文"}), and compile. Runs under a file lock so several
people (or helpers) can add strings at once.

    python scripts/translate.py [translations.json ...]

Prints the msgids still untranslated; the catalogue test fails while any are left.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "src" / "fandesk" / "web"
LOCALE = WEB / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "messages.po"


def main(paths: list[str]) -> int:
    from babel.messages.pofile import read_po, write_po

    wanted: dict[str, str] = {}
    for path in paths:
        wanted.update(json.loads(Path(path).read_text(encoding="utf-8")))
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    with open(LOCALE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run([pybabel, "-q", "extract", "-F", "babel.cfg", "-k", "gettext_", "--no-location",
                        "--omit-header", "-o", "locale/messages.pot", "."], cwd=WEB, check=True)
        subprocess.run([pybabel, "-q", "update", "--no-fuzzy-matching",
                        "-i", "locale/messages.pot", "-d", "locale", "-D", "messages"], cwd=WEB, check=True)
        with PO.open("rb") as f:
            catalog = read_po(f, locale="zh_CN")
        for message in catalog:
            if message.id and message.id in wanted:
                message.string = wanted[message.id]
                message.flags.discard("fuzzy")
            elif isinstance(message.id, tuple) and message.id[0] in wanted:  # ngettext: Chinese has one form
                message.string = (wanted[message.id[0]],)
                message.flags.discard("fuzzy")
        with PO.open("wb") as f:
            write_po(f, catalog, no_location=True, width=120)
        subprocess.run([pybabel, "-q", "compile", "-d", "locale", "-D", "messages"], cwd=WEB, check=True)
        missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    for msgid in missing:
        print("untranslated:", json.dumps(msgid, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
