"""``sinoru analyze --scheduler``: the per-document stage on a real local Dask cluster (a
scheduler and two worker processes) gives the same results.json as a local run."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.cluster import ClusterError, cluster_executor, normalise_address
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


def test_cluster_results_equal_the_local_results(dask_cluster, tmp_path):
    from distributed import get_task_stream

    address, client = dask_cluster
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, seed=11, mean_words=250)
    local = _analyze(corpus, tmp_path / "local")
    with get_task_stream(client) as stream:
        remote = _analyze(corpus, tmp_path / "cluster", "--scheduler", address)
    workers = {task["worker"] for task in stream.data}
    assert len(workers) == 2, f"the documents ran on {sorted(workers)}, not on both workers"
    assert len(remote["documents"]) == 40
    assert remote == local


def test_unreachable_scheduler_is_named_with_the_reason():
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(ClusterError, match=rf"cannot reach the Dask scheduler at {address}: "
                                           r"\S.*"):
        with cluster_executor(address, timeout=1):
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
