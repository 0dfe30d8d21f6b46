"""Progress reporting and cancellation for long engine calls."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

__all__ = ["Cancelled", "ProgressCallback", "wrap_progress", "no_progress", "iterate"]

T = TypeVar("T")

#: A callable that receives the fraction done, 0.0 to 1.0. The GUI's callback raises
#: :class:`Cancelled` when the user presses Cancel, so the engine needs no flag argument.
ProgressCallback = Callable[[float], None]


class Cancelled(Exception):
    """Raised from inside a progress callback to stop the work in hand."""


def no_progress(_fraction: float) -> None:
    """A progress callback that ignores progress (the default everywhere)."""


def wrap_progress(callback: ProgressCallback | None, start: float, end: float) -> ProgressCallback:
    """Map a sub-step's 0..1 progress onto ``start..end`` of the parent's callback."""
    parent = callback or no_progress
    span = end - start

    def sub(fraction: float) -> None:
        parent(start + span * min(max(fraction, 0.0), 1.0))

    return sub


def iterate(items: Sequence[T] | Iterable[T], progress: ProgressCallback | None,
            total: int | None = None, every: int = 1) -> Iterator[T]:
    """Yield ``items``, reporting progress (and so giving Cancel a chance) as it goes.

    ``every`` throttles the callback for long loops of cheap items.
    """
    callback = progress or no_progress
    if total is None:
        total = len(items) if isinstance(items, Sequence) else 0
    callback(0.0)
    for i, item in enumerate(items):
        if i % every == 0 and total:
            callback(i / total)
        yield item
    callback(1.0)
