"""Evaluations, roadmaps and rendered reports already made in this worker process, by knowledge base and input.

The library is deterministic (same input and knowledge base, same output), so a page shown again for an
unchanged round (a final round's roadmap, the progress page between two changes) reuses them instead of
evaluating and planning again. Keys name the knowledge base's content hash, so a changed knowledge base never
meets an old entry; the bound keeps a worker's memory flat. Each worker keeps its own: nothing is shared
between processes or machines, and a miss only costs the computation.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

T = TypeVar("T")
#: entries per worker; one holds an evaluation and a roadmap (tens of kilobytes)
SIZE = 256


def digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class Memo:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()  # the development server answers on several threads
        self.hits = self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]  # type: ignore[no-any-return]
        value = make()  # outside the lock: a slow evaluation does not hold up other threads' hits
        with self._lock:
            self.misses += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


computed = Memo()
#: the results page's report rendered, by round, knowledge base, input and language
reports = Memo(64)
