"""Who is on an item right now, so two moderators do not answer the same item unknowingly.
In memory and per process: it only needs to be right for the next minute."""

from __future__ import annotations

import threading
import time

FRESH_SECONDS = 90


class Presence:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._seen: dict[int, dict[str, float]] = {}
        self._lock = threading.Lock()

    def touch(self, item_id: int, name: str) -> None:
        with self._lock:
            self._seen.setdefault(item_id, {})[name] = self.clock()

    def others(self, item_id: int, me: str) -> list[str]:
        now = self.clock()
        with self._lock:
            seen = self._seen.get(item_id, {})
            return sorted(n for n, at in seen.items() if n != me and now - at < FRESH_SECONDS)

    def on_items(self, item_ids: list[int], me: str) -> dict[int, list[str]]:
        return {i: names for i in item_ids if (names := self.others(i, me))}
