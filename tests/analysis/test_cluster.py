"""``sinoru analyze --scheduler``: the whole analysis on a real local Dask cluster (a
scheduler and two worker processes), its corpus stage on a worker and not in the client,
gives the same results.json as a local run."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.cluster import STAGE_TOPIC, ClusterError, cluster_client, normalise_address
from analysis.doc_cache import SqliteDocumentCache
from benchmarks.local_dask import free_port, local_dask_cluster
from benchmarks.make_corpus import write_corpus

_FAST = ["--n-boot", "200", "--topics", "3", "--quiet"]


def _analyze(corpus: Path, out: Path, *extra: str) -> dict:
    code = main(["analyze", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--out", str(out), *_FAST, *extra])
    assert code == 0
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    data.pop("created")  # the time of the run
    return data


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A real scheduler and two worker processes (skipped without the cluster extra)."""
    pytest.importorskip("distributed", reason="the cluster extra is not installed "
                        '(pip install "sinoru-desktop[cluster]")')
    with local_dask_cluster(tmp_path_factory.mktemp("dask")) as cluster:
        yield cluster


def test_cluster_results_equal_the_local_results(dask_cluster, tmp_path, monkeypatch):
    from distributed import get_task_stream

    import analysis.compare
    import analysis.view_tables

    address, client = dask_cluster
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, seed=11, mean_words=250)
    local = _analyze(corpus, tmp_path / "local")
    # From here on the corpus stage cannot run in this (the client's) process.
    for module, name in ((analysis.compare, "build_results"),
                         (analysis.view_tables, "view_tables")):
        monkeypatch.setattr(module, name, _must_not_run(name))
    with get_task_stream(client) as stream:
        remote = _analyze(corpus, tmp_path / "cluster", "--scheduler", address)
    assert len(remote["documents"]) == 40
    assert remote == local

    workers = set(client.scheduler_info()["workers"])
    ran = {task["key"]: task["worker"] for task in stream.data}
    analysis_task = [w for key, w in ran.items() if str(key).startswith("sinoru-analysis-")]
    assert len(analysis_task) == 1 and analysis_task[0] in workers
    # What each worker itself recorded (its own address, from inside the task).
    events = [msg for _, msg in client.get_events(STAGE_TOPIC)]
    run = [e for e in events if e["stage"] == "analysis"][-1]
    assert run["worker"] == analysis_task[0] and run["documents"] == 40
    chunks = [e for e in events if e["stage"] == "documents" and e["run"] == run["run"]]
    assert {e["worker"] for e in chunks} == workers, "the documents did not run on both workers"
    assert sum(e["documents"] for e in chunks) == 40
    # The corpus stage's fits and the view tables that read the texts were tasks of their
    # own on a worker, over the whole corpus, not work of the task that ran the analysis.
    stages = [e for e in events if e["run"] == run["run"] and e["stage"] in ("fits", "views")]
    assert sorted(e["stage"] for e in stages) == ["fits", "views"]
    assert all(e["worker"] in workers and e["documents"] == 40 for e in stages)


def _must_not_run(name: str):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} ran in the client, not on the cluster")
    return refuse


def test_a_cache_sends_its_entries_and_gets_the_new_ones(dask_cluster, tmp_path):
    address, _client = dask_cluster
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 12, seed=5, mean_words=120)
    cache = tmp_path / "cache.sqlite"
    first = _analyze(corpus, tmp_path / "first", "--cache", str(cache), "--scheduler", address)
    with SqliteDocumentCache(cache) as entries:
        computed = len(entries)
        frames = [k for k, _ in entries.items() if k.startswith("frames|")]
    # One per document, the column types, and the frame plan a codebook edit starts
    # from (its fingerprints and the list of recent plans).
    assert len(frames) == 12 + 1 + 2
    again = _analyze(corpus, tmp_path / "again", "--cache", str(cache), "--scheduler", address)
    with SqliteDocumentCache(cache) as entries:
        assert len(entries) == computed  # nothing new: every entry was found
    assert again == first


def test_unreachable_scheduler_is_named_with_the_reason():
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(ClusterError, match=rf"cannot reach the Dask scheduler at {address}: "
                                           r"\S.*"):
        with cluster_client(address, timeout=1):
            pass


def test_missing_extra_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    # As if dask were not installed: importing it fails.
    monkeypatch.setitem(sys.modules, "distributed", None)
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 3, seed=1, mean_words=80)
    code = main(["analyze", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--out", str(tmp_path / "out"), "--quiet", "--scheduler", "cluster-host"])
    err = capsys.readouterr().err
    assert code == 2
    assert "tcp://cluster-host:8786" in err
    assert 'pip install "sinoru-desktop[cluster]"' in err
    assert not (tmp_path / "out" / "results.json").exists()


@pytest.mark.parametrize(("given", "expected"), [
    ("10.0.0.5", "tcp://10.0.0.5:8786"),
    ("head-node:9000", "tcp://head-node:9000"),
    ("tls://head.example.org:8786", "tls://head.example.org:8786"),
])
def test_scheduler_addresses_are_normalised(given, expected):
    assert normalise_address(given) == expected


@pytest.mark.parametrize("bad", ["", "tcp://", "http://host:8786", "host:99999", "a b"])
def test_bad_scheduler_addresses_are_refused(bad):
    with pytest.raises(ValueError, match="scheduler address|out of range"):
        normalise_address(bad)


def test_results_the_client_cannot_keep_are_refused_with_the_reason(dask_cluster, tmp_path,
                                                                     monkeypatch):
    # The row tables come as a file the client writes to its scratch folder: a full disk
    # there is named, with the scheduler, not a traceback.
    from analysis.cluster import analyze_on_cluster
    from analysis.ingest import import_paths

    address, _client = dask_cluster
    folder = tmp_path / "corpus"
    write_corpus(folder, 12, seed=5, mean_words=120)
    corpus = import_paths([str(folder)], manifest=str(folder / "manifest.csv")).corpus

    def full_disk(packed):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("analysis.table_store.unpack_tables", full_disk)
    with pytest.raises(ClusterError, match=r"cannot keep the results from tcp://127\.0\.0\.1:"
                                           r"\d+ .*scratch file \(No space left on device\)"):
        analyze_on_cluster(address, corpus)


def test_cancel_stops_the_run_on_the_cluster(dask_cluster, tmp_path):
    from analysis import Cancelled
    from analysis.cluster import analyze_on_cluster
    from analysis.ingest import import_paths

    address, client = dask_cluster
    folder = tmp_path / "corpus"
    # Large enough that the run cannot finish within the cancel's round trip (a poll of
    # the progress, then the stop event seen at the worker's next report) on a fast machine.
    write_corpus(folder, 1000, seed=3, mean_words=300)
    corpus = import_paths([str(folder)], manifest=str(folder / "manifest.csv")).corpus
    seen = []

    def cancel_once_started(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0:
            raise Cancelled()

    before = len(client.get_events(STAGE_TOPIC))
    with pytest.raises(Cancelled):
        analyze_on_cluster(address, corpus, progress=cancel_once_started)
    # The task on the cluster stops too: nothing is left running, no analysis finished.
    deadline = time.monotonic() + 60
    while any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(client.processing().values())
    events = [msg for _, msg in client.get_events(STAGE_TOPIC)[before:]]
    # Chunks (and the corpus stage's fits, if it started before the cancel) ran; the
    # analysis itself did not finish.
    assert events and not any(e["stage"] == "analysis" for e in events)
    chunks = [e for e in events if e["stage"] == "documents"]
    assert sum(e["documents"] for e in chunks) < 1000
