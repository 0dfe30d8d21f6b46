"""The multilingual one-pass matcher gives English codebooks the very figures the earlier
matcher gave: every share and every match of the built-in codebooks on the demo corpus
and the seed articles equals the results stored before the change
(``fixtures/frames_before_multilingual.json``, written by ``tests/support/frame_snapshot.py``)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from frame_snapshot import corpus_of, snapshot

from analysis.resources import resource_path

BEFORE = json.loads((Path(__file__).parent / "fixtures" / "frames_before_multilingual.json")
                    .read_text(encoding="utf-8"))


def _compare(now: dict, before: dict) -> None:
    assert now["columns"] == before["columns"]
    assert len(now["matches"]) == len(before["matches"])
    assert now["matches"] == before["matches"]
    assert now["shares"] == before["shares"]


def test_demo_corpus_frames_are_unchanged():
    _compare(snapshot(corpus_of(resource_path("demo"))), BEFORE["demo"])


def test_seed_frames_are_unchanged(seeds_dir):
    now = snapshot(corpus_of(seeds_dir))
    _compare(now, BEFORE["seeds"])
    # Not a vacuous comparison: the seeds carry hundreds of matches, some negated.
    assert len(now["matches"]) > 500 and any(m[-1] for m in now["matches"])


@pytest.mark.parametrize("language", ["", "en", "EN", "en-GB"])
def test_documents_without_or_with_english_language_match_english_terms(language):
    from analysis.codebook import load_codebook
    from analysis.corpus import Corpus, Document
    from analysis.frames import FrameAnalyzer

    doc = Document("a", "The two sides deepened their strategic partnership.",
                   meta={"language": language})
    shares = FrameAnalyzer([load_codebook("china_russia")]).transform(Corpus([doc])).documents
    assert shares.loc["a", "china_russia.strategic_partnership"] == 1.0
