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
