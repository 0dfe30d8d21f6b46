"""A folder read by worker processes gives the corpus and report of the same folder read in
one process: ids, texts, metadata, skipped files and their reasons, warnings in order,
duplicates. Cancel stops the workers."""
from __future__ import annotations

import multiprocessing
import os
import random
import re
import time
import unicodedata
from pathlib import Path

import pytest

from analysis.ingest import import_paths, importer
from analysis.ingest.layout import _INVISIBLE, normalise_chars
from analysis.ingest.workers import in_order
from analysis.progress import Cancelled
from benchmarks.hostile import hostile_case

WORDS = ("port ferry council harbour minister talks agreement timetable weather budget "
         "trade shipping coast city officials pilots strike museum bridge tariff").split()


def _article(rng: random.Random, n: int) -> str:
    title = " ".join(rng.choice(WORDS) for _ in range(5)).title()
    body = " ".join(rng.choice(WORDS) for _ in range(n))
    return f"{title}\n\nBy Ann Lee\n\n{body.capitalize()}.\n\nShare this article\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    rng = random.Random(3)
    root = tmp_path_factory.mktemp("mixed")
    texts = [_article(rng, rng.randint(40, 400)) for _ in range(40)]
    for i, text in enumerate(texts):
        (root / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
    for i in range(4):  # wire copies: exact (other case) and lightly edited
        (root / f"copy{i}.txt").write_text(texts[i].upper(), encoding="utf-8")
        words = texts[10 + i].split(" ")
        words[len(words) // 2] = "edited"
        (root / f"near{i}.txt").write_text(" ".join(words), encoding="utf-8")
    hostile = root / "hostile"
    hostile.mkdir()
    for i in range(24):
        _kind, suffix, data = hostile_case(rng, "import", max_size=8192)
        (hostile / f"h{i:02d}{suffix}").write_bytes(data)
    # Refused after it was given its id ("same"): the next "same" is "same-2".
    (root / "one").mkdir()
    (root / "one" / "same.txt").write_text("Share this article\n", encoding="utf-8")
    (root / "two").mkdir()
    (root / "two" / "same.txt").write_text(texts[20], encoding="utf-8")
    stray = texts[21].replace("port", "café crème").replace("city", "市长")
    (root / "stray.txt").write_bytes(stray.encode("utf-8") + b"\xfe")
    (root / "rows.csv").write_text(f'title,text\nOne,"{texts[22]}"\nTwo,\n', encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "odd.xyz").write_text("not an article", encoding="utf-8")
    (root / "manifest.csv").write_text(
        "file,outlet,html\na00.txt,Reuters,\na01.txt,CGTN,bogus\nmissing.txt,X,\n",
        encoding="utf-8")
    return root


def _everything(result) -> tuple:
    docs = [(d.doc_id, d.text, dict(d.meta), d.raw_text, d.removed, d.source, d.sha256)
            for d in result.corpus]
    report = result.report
    return docs, report.imported, report.skipped, report.duplicates, report.warnings


def test_workers_give_the_corpus_and_report_of_one_process(folder, monkeypatch):
    monkeypatch.setattr(importer, "_CHUNK", 5)  # many chunks, answered out of order
    manifest = folder / "manifest.csv"
    alone = import_paths([folder], manifest, jobs=1)
    shared = import_paths([folder], manifest, jobs=2)
    assert _everything(shared) == _everything(alone)
    # What the comparison covers is there to compare.
    report = shared.report
    assert "same-2" in shared.corpus.ids
    assert {d.kind for d in report.duplicates} == {"exact", "near"}
    reasons = {Path(s.path.split("#")[0]).name: s.reason for s in report.skipped}
    assert reasons["same.txt"] == "nothing left after removing boilerplate"
    assert reasons["empty.txt"] == "empty file"
    assert any(name.startswith("h") for name in reasons)
    warnings = "\n".join(report.warnings)
    assert "a01.txt: manifest html value 'bogus'" in warnings
    assert f"{folder / 'stray.txt'}: decoded as utf-8" in warnings
    assert "names 'missing.txt'" in warnings


def test_cancel_stops_the_workers(folder, monkeypatch):
    monkeypatch.setattr(importer, "_CHUNK", 2)
    seen = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_paths([folder], jobs=2, progress=progress)
    assert max(seen) < 0.9  # stopped while reading, not after
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert multiprocessing.active_children() == []


def _normalise_chars_before(text: str) -> str:
    """normalise_chars as it was, spacing line by line (each line's runs, then its ends)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\v", "\n").translate(_INVISIBLE)
    spaces = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    return "\n".join(spaces.sub(" ", line).strip() for line in text.split("\n"))


def test_spaces_are_normalised_as_line_by_line():
    rng = random.Random(5)
    alphabet = ["a", "b", "e\u0301", " ", " ", " ", "\t", "\n", "\r", "\xa0", "\u2003",
                "\u202f", "\u3000", "\x0c", "\x1c", "\x85", "\u1680", "\u205f", "\u200a",
                "\u200b", "\u2028", "\u2029", "\v", "."]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
             for _ in range(5000)]
    assert [normalise_chars(t) for t in texts] == [_normalise_chars_before(t) for t in texts]
    assert normalise_chars("  a \t\u00a0 b  \n\u3000c ") == "a b\nc"


def _nothing() -> None:
    pass


def _doubled_unless_a_worker(tasks: list[int]) -> list[int]:
    if multiprocessing.parent_process() is not None and 6 in tasks:
        os._exit(1)  # a worker killed while reading (out of memory, say)
    return [2 * t for t in tasks]


def test_a_worker_that_dies_leaves_the_rest_to_the_calling_process():
    got = list(in_order(_doubled_unless_a_worker, range(20), workers=2, chunk=3,
                        initializer=_nothing))
    assert got == [(t, 2 * t) for t in range(20)]
