"""A document's text is held as UTF-8 when it is not plain ASCII (half the memory of a
Python str with one character beyond Latin-1, as news text with curly quotes has), and
reads back exactly."""
from __future__ import annotations

import dataclasses
import pickle
import sys

import pytest

from analysis.corpus import Corpus, Document

QUOTED = "The minister said: \u201cWe will talk.\u201d It\u2019s a \u2013 first. " * 40


def test_text_with_curly_quotes_takes_about_half_the_memory_and_reads_back():
    doc = Document("d1", QUOTED, {"title": "Talks"})
    assert doc.text == QUOTED and doc.raw_text == QUOTED
    held = doc.__dict__["_text"]
    assert isinstance(held, bytes)
    assert sys.getsizeof(held) < 0.6 * sys.getsizeof(QUOTED)
    assert doc.__dict__["_raw_text"] is held          # not a second copy
    # The importer passes the raw text too, equal when nothing was removed.
    imported = Document("d2", QUOTED, raw_text="".join([QUOTED[:5], QUOTED[5:]]))
    assert imported.__dict__["_raw_text"] is imported.__dict__["_text"]


def test_any_text_round_trips_exactly():
    for text in ("plain ascii", "\u4e2d\u4fc4\u5173\u7cfb", "\u0420\u043e\u0441\u0441\u0438\u044f",
                 "lone surrogate \udc80 kept", "emoji \U0001F600", ""):
        doc = Document("x", text or "t", raw_text=text)
        assert doc.text == (text or "t")
        assert doc.raw_text == (text or doc.text)


def test_copies_pickles_and_equality_see_the_text():
    doc = Document("d1", QUOTED, {"outlet": "A"}, raw_text=QUOTED + " Advertisement")
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc and again.text == QUOTED and again.raw_text.endswith("Advertisement")
    changed = dataclasses.replace(doc, text="other \u201ctext\u201d")
    assert changed.text == "other \u201ctext\u201d" and changed != doc
    assert doc.with_meta(outlet="B").text == QUOTED
    assert Corpus([doc])["d1"].text == QUOTED
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]
