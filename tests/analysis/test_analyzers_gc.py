"""Tone, targets, markers and readability run with cyclic garbage collection paused: the
same results as the undecorated ``transform``, no collection meanwhile, and the
collector left as it was found (on or off)."""
from __future__ import annotations

import gc
import random
import sys

import pandas as pd
import pytest

from analysis.corpus import Corpus, Document
from analysis.markers import MarkerAnalyzer
from analysis.readability import ReadabilityAnalyzer
from analysis.sentiment import SentimentAnalyzer
from analysis.targets import TargetSentimentAnalyzer
from benchmarks.make_corpus import make_article

_ANALYZERS = [SentimentAnalyzer, TargetSentimentAnalyzer, MarkerAnalyzer, ReadabilityAnalyzer]


def _corpus(n: int = 40) -> Corpus:
    rng = random.Random(5)
    return Corpus([Document(f"d{k}", make_article(rng, rng.choice(["chinese", "western"]), 300))
                   for k in range(n)])


@pytest.fixture(autouse=True)
def _collector_on():
    """Each test starts with automatic collection on, and leaves it as it found it."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _frames(result) -> dict[str, pd.DataFrame]:
    return {k: v for k, v in vars(result).items() if isinstance(v, pd.DataFrame)}


@pytest.mark.parametrize("cls", _ANALYZERS)
def test_same_result_without_collections(cls, monkeypatch):
    corpus = _corpus()
    analyzer = cls()
    module = sys.modules[cls.__module__]
    segment = module.segment
    collector_on: list[bool] = []

    def probed(*args, **kwargs):  # each analyzer segments every text it reads
        collector_on.append(gc.isenabled())
        return segment(*args, **kwargs)

    monkeypatch.setattr(module, "segment", probed)
    paused = analyzer.transform(corpus)
    assert collector_on and not any(collector_on)
    assert gc.isenabled()
    plain = type(analyzer).transform.__wrapped__(analyzer, corpus)
    assert all(collector_on[-len(corpus):])
    assert _frames(paused).keys() == _frames(plain).keys()
    for name, frame in _frames(paused).items():
        pd.testing.assert_frame_equal(frame, _frames(plain)[name], check_exact=True)


@pytest.mark.parametrize("cls", _ANALYZERS)
def test_collector_left_as_found(cls):
    gc.disable()
    try:
        cls().transform(_corpus(2))
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises((AttributeError, TypeError)):
        cls().transform(None)  # an error on the way out still turns the collector back on
    assert gc.isenabled()
