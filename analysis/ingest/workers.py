"""Run a function over chunks of tasks in worker processes, results back in task order.

The import reads, decodes and cleans files this way on every core while its own process
gives ids, keeps the report and looks for duplicates in file order, so the result is the
same as reading the files one after another in one process.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import Any, TypeVar

__all__ = ["cores_for", "in_order"]

T = TypeVar("T")
R = TypeVar("R")

#: How long the calling process waits for a chunk before it reports progress again (a
#: progress callback is where the app's Cancel takes effect).
_POKE_SECONDS = 0.2


def cores_for(n_tasks: int, minimum: int) -> int:
    """Worker processes worth starting for ``n_tasks``: none (0) below ``minimum`` tasks,
    on one core, or inside a daemonic process (the app's analysis worker), which may not
    start processes of its own; else one per core."""
    cores = os.cpu_count() or 1
    if n_tasks < minimum or cores < 2 or multiprocessing.current_process().daemon:
        return 0
    return cores


def _chunks(tasks: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(tasks)
    while chunk := list(islice(it, size)):
        yield chunk


def in_order(fn: Callable[[list[T]], list[R]], tasks: Iterable[T], *, workers: int,
             chunk: int, initializer: Callable[..., None], initargs: tuple[Any, ...] = (),
             poke: Callable[[], None] = lambda: None) -> Iterator[tuple[T, R]]:
    """Each task with its result, in task order.

    ``fn`` maps a list of tasks to their results. With ``workers`` > 0 it runs in that many
    spawned processes (each started with ``initializer(*initargs)``), a few chunks ahead
    of the caller, so memory holds only those. Without workers, or when a worker dies,
    the calling process runs it itself from the first chunk not yet returned, after
    calling ``initializer`` too. ``poke`` is called about every 0.2 s while a chunk is
    awaited; an exception it raises (Cancel) stops the workers.
    """
    chunks = _chunks(tasks, chunk)
    if workers > 0:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=initializer, initargs=initargs)
        ahead: deque[tuple[list[T], Future]] = deque()
        unsent: list[list[T]] = []
        try:
            for part in chunks:
                unsent = [part]
                ahead.append((part, pool.submit(fn, part)))
                unsent = []
                if len(ahead) > 3 * workers:
                    yield from _first_done(ahead, poke)
            while ahead:
                yield from _first_done(ahead, poke)
            pool.shutdown()  # the workers' memory is free before the caller goes on
            return
        except BrokenProcessPool:
            # A worker died (killed, out of memory): the rest is read here, as without
            # workers, starting with the chunks that were sent out.
            chunks = chain([part for part, _ in ahead], unsent, chunks)
        finally:
            # Cancel, or a crash: chunks not started are dropped; running ones end on
            # their own (a chunk is a fraction of a second of work).
            pool.shutdown(wait=False, cancel_futures=True)
    initializer(*initargs)
    for part in chunks:
        poke()
        yield from zip(part, fn(part), strict=True)


def _first_done(ahead: deque, poke: Callable[[], None]) -> Iterator[tuple[Any, Any]]:
    part, future = ahead[0]
    while not wait([future], timeout=_POKE_SECONDS, return_when=FIRST_COMPLETED).done:
        poke()
    results = future.result()  # raises BrokenProcessPool with the chunk still in ``ahead``
    ahead.popleft()
    yield from zip(part, results, strict=True)
