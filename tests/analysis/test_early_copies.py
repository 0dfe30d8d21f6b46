"""The row tables' CSV files started while the groups are compared (TableCopies) are the
files Results.write writes, and a run that fails leaves none of them behind."""
from __future__ import annotations

import json

import pytest
from article_corpus import article_corpus

from analysis import cli
from analysis import pipeline as pipeline_module
from analysis.config import AnalysisConfig
from analysis.parallel_write import TableCopies, write_results
from analysis.pipeline import run_analysis

CONFIG = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_started_copies_give_the_files_results_write_writes(tmp_path):
    started = {}

    def start(tables):
        started["copies"] = TableCopies(tables, tmp_path / "early", jobs=2)

    results = run_analysis(article_corpus(n=30), CONFIG, jobs=1, spill=True, row_tables=start)
    copies = started["copies"]
    assert sorted(copies.where) == sorted(n for n in results.tables if results.tables.on_disk(n))
    results.write(tmp_path / "one")
    write_results(results, tmp_path / "early", jobs=2, started=copies)
    assert _files(tmp_path / "early") == _files(tmp_path / "one")   # no scratch folder left
    copies.cancel()   # after finish: nothing to undo
    assert _files(tmp_path / "early") == _files(tmp_path / "one")


def test_cancelled_copies_leave_nothing(tmp_path):
    tables = {}
    results = run_analysis(article_corpus(n=30), CONFIG, jobs=1, spill=True,
                           row_tables=tables.update)
    copies = TableCopies(tables, tmp_path / "new" / "out", jobs=1)
    copies.cancel()
    assert not (tmp_path / "new" / "out").exists()
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "old.txt").write_text("from before")
    copies = TableCopies(tables, tmp_path / "kept", jobs=1)
    copies.cancel()
    assert [p.name for p in (tmp_path / "kept").iterdir()] == ["old.txt"]
    assert len(results.tables["sentences"])


def _analyze(folder, out, *extra) -> int:
    return cli.main(["analyze", str(folder), "--manifest", str(folder / "manifest.csv"),
                     "--out", str(out), "--quiet", "--n-boot", "20", "--n-perm", "20",
                     "--topics", "2", "--skip", "detector", *extra])


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    rows = ["file,title,outlet,group"]
    for doc in article_corpus(n=30):
        (folder / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
        rows.append(f"{doc.doc_id}.txt,{doc.doc_id},{doc.get('outlet')},{doc.get('group')}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_analyze_writes_the_same_folder(articles, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pipeline_module, "SPILL_MIN_DOCUMENTS", 1)   # row tables on disk
    made = []
    monkeypatch.setattr("analysis.parallel_write.TableCopies.finish",
                        _noting(TableCopies.finish, made))
    assert _analyze(articles, tmp_path / "serial", "--jobs", "1") == 0
    assert not made
    assert _analyze(articles, tmp_path / "early", "--jobs", "2") == 0
    assert made   # the copies were started early
    capsys.readouterr()
    serial, early = _files(tmp_path / "serial"), _files(tmp_path / "early")
    assert sorted(serial) == sorted(early)
    assert {"sentences.csv", "frame_matches.csv"} <= set(early)
    for name in serial:
        if name == "results.json":
            a, b = json.loads(serial[name]), json.loads(early[name])
            a.pop("created"), b.pop("created")
            assert a == b
        else:
            assert serial[name] == early[name], name


def test_a_failed_analysis_leaves_no_file(articles, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pipeline_module, "SPILL_MIN_DOCUMENTS", 1)

    def fail(*args, **kwargs):
        raise RuntimeError("comparing failed")

    monkeypatch.setattr("analysis.compare.build_results", fail)
    with pytest.raises(RuntimeError):
        _analyze(articles, tmp_path / "out", "--jobs", "2")
    capsys.readouterr()
    assert list((tmp_path / "out").iterdir()) == []   # made empty beforehand, as before


def _noting(finish, made):
    def noted(self):
        made.append(self)
        return finish(self)
    return noted
