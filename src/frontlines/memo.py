"""A bounded memo: answers remembered by key, forgotten all at once when there are too many.

For answers asked again and again within a run (a name's gazetteer candidates, whether a
sentence may hold a trigger): a long document cannot grow it without bound, and a run that
fills it starts afresh.  Safe to share between threads (at worst an answer is worked out twice).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    __slots__ = ("limit", "_answers")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._answers: dict[Hashable, T] = {}

    def get(self, key: Hashable, answer: Callable[[], T]) -> T:
        try:
            return self._answers[key]
        except KeyError:
            if len(self._answers) >= self.limit:
                self._answers.clear()
            found = self._answers[key] = answer()
            return found
