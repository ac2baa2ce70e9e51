"""A sequence the views read one page at a time (a search's matches, a selection of fundings)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Paged(Sequence[T]):
    """Indexing and slicing as one :meth:`page` read; a slice with plain bounds needs no count first."""

    @abstractmethod
    def page(self, offset: int, limit: int) -> list[T]:
        """``limit`` items from ``offset`` (fewer at the end)."""

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, int):
            found = self.page(index if index >= 0 else len(self) + index, 1)
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step in (None, 1) and (index.start or 0) >= 0 and index.stop is not None and index.stop >= 0:
            start = index.start or 0
            return self.page(start, max(0, index.stop - start))
        start, stop, step = index.indices(len(self))
        if step != 1:
            return list(self)[index]
        return self.page(start, max(0, stop - start))

    def __eq__(self, other: object) -> bool:
        # Equal to the list of its items, as the lists these sequences replace were.
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
