"""The per-document cache: a re-run reuses every entry whose inputs did not change, and
recomputes (never reuses) the rest."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest
from article_corpus import article_corpus, assert_same

from analysis.cli import main
from analysis.config import AnalysisConfig
from analysis.doc_cache import DocumentCache, SqliteDocumentCache
from analysis.pipeline import run_analysis
from analysis.resources import resource

CONFIG = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))


@pytest.fixture(scope="module")
def corpus():
    return article_corpus(n=12)


@pytest.fixture
def computed(monkeypatch):
    """Which analyzers ran on how many documents, per call of the chunk function."""
    import analysis.map_stage as stage

    calls: list[dict[str, int]] = []
    real = stage.analyze_chunk

    def spy(documents, todo, spec, progress=None):
        counts: dict[str, int] = {}
        for names in todo:
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        calls.append(counts)
        return real(documents, todo, spec, progress)

    monkeypatch.setattr(stage, "analyze_chunk", spy)
    return calls


def total(calls) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in calls:
        for name, n in c.items():
            out[name] = out.get(name, 0) + n
    return out


def edited_generic(extra_term: str) -> str:
    text = resource("codebooks", "generic.yaml").read_text(encoding="utf-8")
    return text.replace("  - conflict*\n", f"  - conflict*\n  - {extra_term}\n", 1)


def test_second_run_computes_nothing_and_gives_the_same_results(corpus, computed):
    cache = DocumentCache()
    first = run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    assert total(computed) == dict.fromkeys(
        ("frames", "sentiment", "targets", "markers", "readability", "sizes"), len(corpus))
    computed.clear()
    again = run_analysis(corpus, CONFIG, cache=DocumentCache.from_items(cache.items()),
                         jobs=1)
    assert computed == []
    assert_same(first, again)


def test_codebook_edit_recomputes_only_the_frames(corpus, computed):
    cache = DocumentCache()
    before = run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    computed.clear()
    edited = {"generic": edited_generic("partnership")}
    after = run_analysis(corpus, CONFIG, codebook_texts=edited, cache=cache, jobs=1)
    # Only the edited frame was matched again (in frame_reuse, not as a whole analyzer).
    assert total(computed) == {}
    # The edit shows (the old entries were not used) and equals a run without a cache.
    share = [d["frames"]["generic"]["conflict"] for d in after.data["documents"]]
    old = [d["frames"]["generic"]["conflict"] for d in before.data["documents"]]
    assert sum(share) > sum(old)
    assert_same(after, run_analysis(corpus, CONFIG, codebook_texts=edited, jobs=1))
    # Back to the built-in codebook: every entry is there again.
    computed.clear()
    assert_same(before, run_analysis(corpus, CONFIG, cache=cache, jobs=1))
    assert computed == []


def test_analyzer_version_change_recomputes_that_analyzer(corpus, computed, monkeypatch):
    from analysis.sentiment import SentimentAnalyzer

    cache = DocumentCache()
    run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    computed.clear()
    monkeypatch.setattr(SentimentAnalyzer, "version", "2-test")
    run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    assert total(computed) == {"sentiment": len(corpus)}


def test_stale_entry_is_never_used(corpus, monkeypatch):
    from analysis.sentiment import SentimentAnalyzer

    cache = DocumentCache()
    run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    # Entries claiming every sentence is positive: read while their key matches ...
    forged = DocumentCache.from_items(
        (k, json.dumps({"documents": [0.99, 1.0, 0.0]}).encode()
         if k.startswith("sentiment|") and not k.endswith("column-types") else v)
        for k, v in cache.items())
    tones = [d["sentiment"] for d in run_analysis(corpus, CONFIG, cache=forged,
                                                  jobs=1).data["documents"]]
    assert tones == [0.99] * len(corpus)
    # ... and never once the analyzer's version moved on.
    monkeypatch.setattr(SentimentAnalyzer, "version", "2-test")
    res = run_analysis(corpus, CONFIG, cache=forged, jobs=1)
    assert 0.99 not in [d["sentiment"] for d in res.data["documents"]]
    assert_same(res, run_analysis(corpus, CONFIG, jobs=1))


def test_target_edit_recomputes_only_target_tone(corpus, computed):
    cache = DocumentCache()
    run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    computed.clear()
    targets = "targets:\n- id: kremlin\n  label: The Kremlin\n  aliases: [Kremlin, Moscow]\n"
    res = run_analysis(corpus, CONFIG, targets_yaml=targets, cache=cache, jobs=1)
    assert total(computed) == {"targets": len(corpus)}
    assert [t["id"] for t in res.data["targets"]] == ["kremlin"]
    assert_same(res, run_analysis(corpus, CONFIG, targets_yaml=targets, jobs=1))
    computed.clear()
    run_analysis(corpus, replace(CONFIG, target_model="vader"), cache=cache, jobs=1)
    assert total(computed) == {"targets": len(corpus)}


def test_sqlite_cache_keeps_entries_between_runs(corpus, tmp_path, computed):
    path = tmp_path / "cache.sqlite"
    with SqliteDocumentCache(path) as cache:
        first = run_analysis(corpus, CONFIG, cache=cache, jobs=1)
        n = len(cache)
    # Six per-document analyzers (the detector is off; "sizes" counts words and
    # sentences) for every document, their column types, and the frame plan (its frame
    # fingerprints, and the list of recent plans) a codebook edit starts from.
    assert n == 6 * len(corpus) + 6 + 2
    computed.clear()
    with SqliteDocumentCache(path) as cache:
        assert len(cache) == n
        again = run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    assert computed == []
    assert_same(first, again)
    memory = DocumentCache.from_items(SqliteDocumentCache(path).items())
    assert len(memory) == n


def test_unusable_cache_file_is_named(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database\n" * 100, encoding="utf-8")
    with pytest.raises(OSError, match="notes.sqlite: not a usable cache file"):
        SqliteDocumentCache(bad)


def _write_corpus(folder, corpus) -> None:
    folder.mkdir()
    rows = ["file,group,outlet"]
    for d in corpus:
        (folder / f"{d.doc_id}.txt").write_text(d.text, encoding="utf-8")
        rows.append(f"{d.doc_id}.txt,{d.get('group')},{d.get('outlet')}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_cli_cache_and_jobs_flags(corpus, tmp_path, capsys):
    folder = tmp_path / "articles"
    _write_corpus(folder, corpus)
    cache = tmp_path / "runs.sqlite"
    args = [str(folder), "--manifest", str(folder / "manifest.csv"), "--quiet",
            "--n-boot", "100", "--topics", "2", "--jobs", "1", "--cache", str(cache),
            "--skip", "detector", "--skip", "topics"]
    assert main(["analyze", *args, "--out", str(tmp_path / "one")]) == 0
    with sqlite3.connect(cache) as db:
        entries = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    assert entries >= 6 * len(corpus)
    assert main(["analyze", *args, "--out", str(tmp_path / "two")]) == 0
    one = json.loads((tmp_path / "one" / "results.json").read_text(encoding="utf-8"))
    two = json.loads((tmp_path / "two" / "results.json").read_text(encoding="utf-8"))
    one.pop("created"), two.pop("created")
    assert one == two
    assert one["config"]["skip"] == ["detector", "topics"]
    assert one["topics"] == [] and "generic_detector" not in [c["id"] for c in one["codebooks"]]


@pytest.mark.parametrize("flags, message", [
    (["--jobs", "0"], "'0' is not a number of processes"),
    (["--cache", "."], "cannot use as a cache file (it is a folder)"),
])
def test_cli_rejects_bad_flags(tmp_path, capsys, flags, message, seeds_dir):
    with pytest.raises(SystemExit) if flags[0] == "--jobs" else _nothing():
        code = main(["analyze", str(seeds_dir), "--out", str(tmp_path / "out"), "--quiet",
                     *flags])
        assert code == 2
    assert message in capsys.readouterr().err


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_remembered_reduce_work_equals_fresh_work(corpus):
    # After a codebook edit the tone, marker and readability intervals and tests, the
    # topics and the term counts come from memory: the figures must be the ones fresh
    # work gives, column by column.
    from analysis import reduce_memo

    edited = {"generic": edited_generic("summit")}
    reduce_memo.clear()
    run_analysis(corpus, CONFIG, jobs=1)
    warm = run_analysis(corpus, CONFIG, codebook_texts=edited, jobs=1)
    reduce_memo.clear()
    assert_same(warm, run_analysis(corpus, CONFIG, codebook_texts=edited, jobs=1))


def test_damaged_entry_is_recomputed_not_trusted(corpus):
    cache = DocumentCache()
    clean = run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    damaged = DocumentCache.from_items(
        (k, b'{"documents": [0.5' if k.startswith("markers|") else v) for k, v in cache.items())
    res = run_analysis(corpus, CONFIG, cache=damaged, jobs=1)
    assert_same(clean, res)
    # The damaged entries were replaced by good ones.
    assert all(v.endswith(b"}") for k, v in damaged.items() if k.startswith("markers|"))


def test_language_change_recomputes_that_document(corpus, computed):
    # A user can set a document's language in the corpus table; analyzers read it, so an
    # entry made under another language must not be used.
    from analysis.corpus import Corpus

    cache = DocumentCache()
    run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    computed.clear()
    first = corpus.documents[0]
    changed = Corpus([first.with_meta(language="ru"), *corpus.documents[1:]])
    run_analysis(changed, CONFIG, cache=cache, jobs=1)
    assert total(computed) == dict.fromkeys(
        ("frames", "sentiment", "targets", "markers", "readability", "sizes"), 1)


def test_keys_are_the_same_in_every_process():
    # A cache file or a saved project is read by later processes: the keys must not
    # depend on the process (Python's string hashing differs between processes).
    import os
    import subprocess
    import sys

    code = ("from analysis.config import AnalysisConfig\n"
            "from analysis.doc_stage import analyzer_keys\n"
            "from analysis.map_stage import stage_spec\n"
            "from analysis.pipeline import resolve_inputs\n"
            "c = AnalysisConfig()\n"
            "print(sorted(analyzer_keys(stage_spec(c, resolve_inputs(c), True, True)).items()))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1 and "frames" in outputs.pop()


def test_a_codebook_fingerprint_follows_its_content_when_remembered():
    # Fingerprints of frozen values are remembered by value: an equal codebook parsed
    # again gets the same one, and an edited one (met after the original) another.
    from analysis.codebook import parse_codebook
    from analysis.doc_cache import fingerprint

    text = resource("codebooks", "generic.yaml").read_text(encoding="utf-8")
    first = fingerprint((parse_codebook(text),))
    assert fingerprint((parse_codebook(text),)) == first
    edited = parse_codebook(text.replace("  - conflict*\n", "  - conflict*\n  - summit\n", 1))
    assert fingerprint((edited,)) != first
    assert fingerprint((parse_codebook(text),)) == first
