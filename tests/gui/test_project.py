"""The .sinoru project file: round trip, atomic save, damaged and foreign files."""
from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from analysis.config import AnalysisConfig, KeynessConfig
from analysis.corpus import Corpus, Document, Removal
from analysis.results import SCHEMA, Results
from sinoru_desktop import project as project_mod
from sinoru_desktop.project import Project, ProjectError, load_project, save_project


def make_project() -> Project:
    raw = "Beijing, May 8 (Xinhua) -- Leaders met.\nFollow us on WeChat."
    docs = [
        Document("d1", text="Leaders met.", raw_text=raw,
                 removed=(Removal(41, 61, "Follow us on WeChat.", "social footer"),),
                 meta={"title": "Summit", "outlet": "Xinhua", "group": "state", "date": "2024-05-08"},
                 source="articles/a1.txt", sha256="ab" * 32),
        Document("d2", text="Sanctions bite. “Quote” ünïcode.",
                 meta={"title": "Sanctions", "outlet": "Reuters", "group": "western",
                       "desk": "Europe"}, source="articles/t.csv#2", sha256="cd" * 32),
    ]
    results = Results({"schema": SCHEMA, "schema_version": 1, "groups": {"state": {"n_documents": 1}},
                       "warnings": ["group 'state' has fewer than 5 documents"]},
                      {"documents": pd.DataFrame({"doc_id": ["d1", "d2"], "sentiment": [0.25, -0.5]})})
    return Project(
        corpus=Corpus(docs),
        config=AnalysisConfig(groups=("state", "western"), n_topics=4,
                              keyness=KeynessConfig(top_n=12)),
        codebooks={"generic": "id: generic\nframes: []\n"},
        targets_yaml="targets:\n  - id: russia\n",
        results=results,
        provenance=[{"time": "2026-01-01T00:00:00+00:00", "event": "import",
                     "detail": {"files": [{"path": "a1.txt", "sha256": "ab" * 32}]}}],
        ui={"corpus_columns": [120, 80]},
    )


def test_round_trip_keeps_every_part(tmp_path):
    path = tmp_path / "study.sinoru"
    original = make_project()
    save_project(original, path)
    loaded = load_project(path)

    assert loaded.corpus.ids == ["d1", "d2"]
    d1 = loaded.corpus["d1"]
    assert d1.text == "Leaders met."
    assert d1.raw_text.endswith("Follow us on WeChat.")
    assert d1.removed == (Removal(41, 61, "Follow us on WeChat.", "social footer"),)
    assert dict(d1.meta) == {"title": "Summit", "outlet": "Xinhua", "group": "state",
                             "date": "2024-05-08"}
    assert d1.source == "articles/a1.txt" and d1.sha256 == "ab" * 32
    assert loaded.corpus["d2"].text == "Sanctions bite. “Quote” ünïcode."
    assert loaded.corpus["d2"].meta["desk"] == "Europe"
    assert loaded.config == original.config
    assert loaded.config.keyness.top_n == 12
    assert loaded.codebooks == {"generic": "id: generic\nframes: []\n"}
    assert loaded.targets_yaml == "targets:\n  - id: russia\n"
    assert loaded.results.data["warnings"] == ["group 'state' has fewer than 5 documents"]
    assert loaded.results.table("documents")["sentiment"].tolist() == [0.25, -0.5]
    assert loaded.provenance[0]["detail"]["files"][0]["sha256"] == "ab" * 32
    assert loaded.ui == {"corpus_columns": [120, 80]}
    assert loaded.app_version


def test_project_without_results_or_targets(tmp_path):
    path = tmp_path / "empty.sinoru"
    save_project(Project(), path)
    loaded = load_project(path)
    assert len(loaded.corpus) == 0 and loaded.results is None and loaded.targets_yaml is None


def test_failed_save_leaves_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "study.sinoru"
    save_project(make_project(), path)
    before = path.read_bytes()

    def explode(con, project, progress=None):
        con.execute("CREATE TABLE half (x)")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_mod, "_write", explode)
    with pytest.raises(ProjectError, match="study.sinoru: could not be saved.*No space left"):
        save_project(Project(), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.sinoru"]
    assert load_project(path).corpus.ids == ["d1", "d2"]


def test_a_cancelled_save_leaves_the_old_file_and_no_litter(tmp_path):
    from analysis.progress import Cancelled

    path = tmp_path / "study.sinoru"
    save_project(make_project(), path)
    before = path.read_bytes()
    big = Project(corpus=Corpus(Document(f"n{i}", f"Text number {i}.") for i in range(1200)))
    seen: list[float] = []

    def cancel_midway(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        save_project(big, path, progress=cancel_midway)
    assert seen[0] == 0.0 and seen[-1] > 0.3  # progress came while documents were written
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.sinoru"]


def test_save_replaces_rather_than_edits(tmp_path):
    path = tmp_path / "study.sinoru"
    save_project(make_project(), path)
    inode = path.stat().st_ino
    save_project(Project(), path)
    assert path.stat().st_ino != inode
    assert len(load_project(path).corpus) == 0


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty"),
    (b"title,outlet\nA,B\n", "not a Sinoru project file"),
    (bytes(range(256)) * 40, "not a Sinoru project file"),
])
def test_foreign_files_are_refused_with_reason(tmp_path, content, reason):
    path = tmp_path / "thing.sinoru"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=f"thing.sinoru: .*{reason}"):
        load_project(path)


def test_truncated_project_is_damaged(tmp_path):
    path = tmp_path / "study.sinoru"
    project = make_project()
    project.corpus = Corpus(Document(f"d{i}", text="word " * 2000) for i in range(40))
    save_project(project, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProjectError, match="study.sinoru: the file is damaged"):
        load_project(path)


def test_other_sqlite_database_is_not_a_project(tmp_path):
    path = tmp_path / "other.sinoru"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="other.sinoru: this is an SQLite database, but not"):
        load_project(path)


def test_newer_project_format_asks_for_update(tmp_path):
    path = tmp_path / "future.sinoru"
    save_project(make_project(), path)
    con = sqlite3.connect(path)
    con.execute("UPDATE info SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="future.sinoru: it was saved by a newer Sinoru"):
        load_project(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectError, match="nope.sinoru: the file does not exist"):
        load_project(tmp_path / "nope.sinoru")
    with pytest.raises(ProjectError, match="a folder"):
        load_project(tmp_path)


def test_cache_entries_and_word_counts_round_trip(tmp_path):
    path = tmp_path / "cached.sinoru"
    project = make_project()
    project.doc_cache = {"frames|1|abc|" + "0" * 64: b'{"conflict": 2}',
                         "tone|2|def|" + "1" * 64: bytes(range(256))}
    project.word_counts = {"d1": 2, "d2": 5, "gone": 9}  # a removed document's count is not kept
    save_project(project, path)
    loaded = load_project(path)
    assert loaded.doc_cache == project.doc_cache
    assert loaded.word_counts == {"d1": 2, "d2": 5}
    loaded_again, counts = project_mod.load_with_word_counts(str(path), progress=lambda f: None)
    assert counts == {"d1": 2, "d2": 5}


def test_project_saved_before_the_cache_opens_with_counts_made_at_load(tmp_path):
    path = tmp_path / "old.sinoru"
    project = make_project()
    project.doc_cache = {"k": b"v"}
    project.word_counts = {"d1": 99}
    save_project(project, path)
    con = sqlite3.connect(path)
    with con:
        con.execute("DROP TABLE doc_cache")
        con.execute("DROP TABLE word_counts")
    con.close()
    loaded, counts = project_mod.load_with_word_counts(str(path), progress=lambda f: None)
    assert loaded.doc_cache == {}
    assert loaded.corpus.ids == ["d1", "d2"]
    assert counts == {"d1": 2, "d2": 4}  # "Leaders met." / "Sanctions bite. “Quote” ünïcode."
