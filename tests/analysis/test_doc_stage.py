"""The per-document stage: the same results whether it runs serially, in worker processes
or on any executor, with progress and Cancel still working."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pandas as pd
import pytest
from article_corpus import article_corpus, assert_same

from analysis import Cancelled
from analysis.config import AnalysisConfig
from analysis.corpus import Corpus
from analysis.pipeline import run_analysis

FAST = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return article_corpus()


@pytest.fixture(scope="module")
def serial(corpus):
    return run_analysis(corpus, FAST, jobs=1)


def test_worker_processes_give_the_serial_results(corpus, serial):
    # Spawned processes, as in the frozen app; chunks of 8 documents cross the boundary,
    # so the generic-frame detector's encoder batches differ from the serial run's.
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    with pool:
        parallel = run_analysis(corpus, FAST, executor=pool)
    assert serial.data["documents"][0]["frames"]  # something was measured
    assert_same(serial, parallel)


def test_any_executor_gives_the_serial_results_without_the_detector(corpus):
    config = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))
    with ThreadPoolExecutor(3) as pool:
        threaded = run_analysis(corpus, config, executor=pool)
    assert_same(run_analysis(corpus, config, jobs=1), threaded)


class _OneSlotExecutor(ThreadPoolExecutor):
    """Says it runs one task at a time (as a cluster says how many threads it has), and
    notes how many of the stage's chunks it held at most, not yet taken back."""

    slots = 1

    def __init__(self) -> None:
        super().__init__(1)
        self.held, self.most, self.chunks = set(), 0, 0

    def submit(self, fn, /, *args, **kwargs):
        future = super().submit(fn, *args, **kwargs)
        if fn.__name__ == "analyze_sent_chunk":
            self.chunks += 1
            # Still held until the stage takes its result (a new submit means it has).
            self.held = {f for f in self.held if not f.done()} | {future}
            self.most = max(self.most, len(self.held))
        return future


def test_an_executor_that_says_its_slots_gets_a_few_chunks_at_a_time():
    corpus = article_corpus(n=60)   # chunks of 8 documents: eight of them
    config = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))
    with _OneSlotExecutor() as pool:
        windowed = run_analysis(corpus, config, executor=pool)
    assert pool.chunks > 4 and pool.most <= 4   # four chunks in flight per slot
    assert_same(run_analysis(corpus, config, jobs=1), windowed)


def test_chunked_serial_run_equals_one_analyzer_call(corpus, serial, monkeypatch):
    # The stage splits results per document and joins them again: that must give back
    # exactly what the analyzer returns for the whole corpus in one call.
    from analysis.sentiment import SentimentAnalyzer

    monkeypatch.setattr("analysis.map_stage._LOCAL_CHUNK", 5)
    chunked = run_analysis(corpus, FAST, jobs=1)
    assert_same(serial, chunked)
    whole = SentimentAnalyzer().fit_transform(corpus)
    pd.testing.assert_frame_equal(chunked.tables["sentences"], whole.sentences)


def test_progress_rises_to_one_and_cancel_stops_a_parallel_run(corpus):
    seen = []
    run_analysis(corpus, FAST, seen.append, jobs=1)
    assert seen[-1] == 1.0 and seen == sorted(seen)

    def cancel_in_documents(fraction):
        if fraction > 0.1:
            raise Cancelled()

    with ThreadPoolExecutor(2) as pool, pytest.raises(Cancelled):
        run_analysis(corpus, FAST, cancel_in_documents, executor=pool)


def test_small_corpus_runs_in_this_process_by_default(corpus, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a small corpus must not start worker processes")

    monkeypatch.setattr("analysis.map_stage.ProcessPoolExecutor", no_pool)
    res = run_analysis(corpus, FAST)
    assert len(res.data["documents"]) == len(corpus)


def test_daemonic_process_runs_the_stage_itself(corpus, monkeypatch):
    # An app's worker process is daemonic, and a daemonic process may not start
    # processes: a large corpus there must run in that process, not fail.
    class Daemonic:
        daemon = True

    def no_pool(*args, **kwargs):
        raise AssertionError("daemonic processes are not allowed to have children")

    monkeypatch.setattr("analysis.map_stage.multiprocessing.current_process", Daemonic)
    monkeypatch.setattr("analysis.map_stage.ProcessPoolExecutor", no_pool)
    monkeypatch.setattr("analysis.map_stage.PARALLEL_MIN_DOCUMENTS", 1)
    config = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))
    res = run_analysis(corpus, config)
    assert len(res.data["documents"]) == len(corpus)



def test_own_workers_get_a_few_chunks_at_a_time_and_taken_results_are_freed(corpus,
                                                                             monkeypatch):
    # 100,000 articles: sending every chunk at once copied every text for sending, and
    # the finished futures kept every chunk's entries until the stage ended (about
    # 20 KB an article). Only a window of chunks may be out at once, and when the next
    # chunk is sent, the futures already taken must be gone.
    import weakref

    made: list = []
    out_at_submit: list[int] = []
    done_alive_at_submit: list[int] = []

    class Recording(ThreadPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            alive = [f for f in (r() for r in made) if f is not None]
            out_at_submit.append(sum(not f.done() for f in alive) + 1)
            done_alive_at_submit.append(sum(f.done() for f in alive))
            fut = super().submit(fn, *args, **kwargs)
            made.append(weakref.ref(fut))
            return fut

    monkeypatch.setattr("analysis.map_stage.ProcessPoolExecutor",
                        lambda jobs, mp_context=None, initializer=None: Recording(jobs))
    monkeypatch.setattr("analysis.map_stage._IN_FLIGHT_PER_JOB", 1)   # a window of 2
    config = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))
    windowed = run_analysis(corpus, config, jobs=2)
    assert len(made) == 3                      # 24 documents in chunks of 8
    assert max(out_at_submit) <= 2
    assert done_alive_at_submit[-1] <= 1       # a taken chunk is no longer held
    assert_same(run_analysis(corpus, config, jobs=1), windowed)


def test_own_worker_processes_settle_after_their_first_chunk_and_give_the_serial_results(
        corpus, serial, monkeypatch):
    # The stage's own workers leave what they loaded with their first chunk out of the
    # garbage collector's walks (analysis.gc_pause.settle) once, before their second;
    # any other process (this one, a cluster's worker) never does.
    from analysis import map_stage
    from analysis.pipeline import resolve_inputs

    settled: list[int] = []
    monkeypatch.setattr(map_stage, "settle", lambda: settled.append(map_stage._chunks_done))
    docs = [(d.doc_id, d.text, dict(d.meta)) for d in corpus.documents[:2]]
    spec = map_stage.stage_spec(FAST, resolve_inputs(FAST), False, True)
    todo = [("sizes",)] * len(docs)
    for _ in range(3):
        map_stage.analyze_sent_chunk(docs, todo, spec)
    assert settled == []                       # not one of the stage's own workers
    map_stage._own_worker()
    try:
        for _ in range(4):
            map_stage.analyze_sent_chunk(docs, todo, spec)
    finally:
        map_stage._chunks_done = None
    assert settled == [1]
    assert_same(serial, run_analysis(corpus, FAST, jobs=2))   # spawned, settled workers
