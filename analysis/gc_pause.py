"""Cyclic garbage collection paused while many short-lived objects are made."""
from __future__ import annotations

import contextlib
import gc

__all__ = ["collection_paused"]


@contextlib.contextmanager
def collection_paused():
    """No automatic cyclic garbage collection meanwhile (where it was on).

    Decoding thousands of cache entries, or unpickling the results of a large analysis,
    makes millions of objects, none in a cycle. Each counts towards the next collection,
    and the full ones walk the whole heap of a warm process: 1.5-3 CPU s of an edit re-run
    at 10,000 articles, and in the app 0.1-0.3 s each with the interpreter lock held (so
    the window froze). Afterwards Python's own rule (a full collection only once a
    quarter as many objects again have survived) keeps them rare. (``gc.freeze`` would
    skip those objects in later walks too, but it makes every object alive at that moment
    immortal, among them the cyclic matplotlib figures of charts about to be replaced: a
    leak on every re-run.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle() -> None:
    """Collect once, leave every object alive now out of later collections, and collect
    the young objects less often.

    For a worker process that has loaded what it keeps until it ends (the engine's
    modules, models, lexicons). Measured at 10,000 articles, the collector took about 8 %
    of a worker's CPU, half of it in full collections that walked all of that again
    (about 55 ms each, every 1.3 CPU s). ``gc.freeze`` does not keep a frozen object
    from being freed when nothing refers to it any more; only a cycle among frozen
    objects would never be collected. In a worker that ends with its run that costs
    nothing; a long-lived process must not do this (see :func:`collection_paused`).
    """
    gc.collect()
    gc.freeze()
    # What it makes from then on is mostly short-lived: a young generation of 10,000
    # objects instead of 700 lets most of them be freed before a collection walks them.
    gc.set_threshold(10_000, *gc.get_threshold()[1:])
