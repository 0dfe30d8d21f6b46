"""Results whose row tables are on disk, written with those tables copied by worker
processes, give the very files Results.write gives."""
from __future__ import annotations

from article_corpus import article_corpus

from analysis.config import AnalysisConfig
from analysis.parallel_write import write_results
from analysis.pipeline import run_analysis


def test_worker_processes_write_the_files_results_write_writes(tmp_path):
    config = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))
    results = run_analysis(article_corpus(n=30), config, jobs=1, spill=True)
    on_disk = [name for name in results.tables if results.tables.on_disk(name)]
    assert len(on_disk) == 4
    results.write(tmp_path / "one")
    write_results(results, tmp_path / "many", jobs=2)
    assert all(results.tables.on_disk(name) for name in on_disk)  # never read whole here
    one = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert one == sorted(p.name for p in (tmp_path / "many").iterdir())
    assert {f"{name}.csv" for name in on_disk} <= set(one)
    for name in one:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes(), name
    assert (tmp_path / "many" / "sentences.csv").stat().st_size > 1000
