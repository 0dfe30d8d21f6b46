"""Topics and term counts fitted in a side process (or as a task of a run's executor) while
the documents are measured, and the view tables made there while the groups are compared,
are exactly what the analysing process makes itself; a cancel stops the side process; the file it reads the texts from
is removed."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from article_corpus import article_corpus, assert_same

from analysis import Cancelled, reduce_memo
from analysis.config import AnalysisConfig
from analysis.corpus_stage import CorpusStage
from analysis.pipeline import _texts_key, run_analysis

FAST = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))


@pytest.fixture(scope="module")
def corpus():
    return article_corpus(n=40)


@pytest.fixture
def side_process_for_any_corpus(monkeypatch):
    monkeypatch.setattr("analysis.corpus_stage.SIDE_MIN_DOCUMENTS", 1)
    reduce_memo.clear()  # a remembered fit is never sent to the side process
    yield
    reduce_memo.clear()


def _fits(corpus, side_process: bool):
    stage = CorpusStage(corpus, FAST, _texts_key(corpus))
    try:
        stage.start(side_process=side_process)
        started = stage.pool is not None
        return stage.results(lambda name: lambda fraction: None), started
    finally:
        stage.close()


def test_fits_in_the_side_process_equal_fits_here(corpus, side_process_for_any_corpus):
    side, started = _fits(corpus, side_process=True)
    assert started
    reduce_memo.clear()
    here, started_here = _fits(corpus, side_process=False)
    assert not started_here
    assert side["topics"].topics == here["topics"].topics and side["topics"].topics
    assert side["topics"].documents.equals(here["topics"].documents)
    a, b = side["terms"], here["terms"]
    assert a.terms == b.terms and a.doc_ids == b.doc_ids and a.terms
    assert (a.n_words == b.n_words).all()
    assert a.matrix.shape == b.matrix.shape and (a.matrix != b.matrix).nnz == 0


@pytest.mark.parametrize("large", [False, True], ids=["one side process", "fresh for views"])
def test_whole_analysis_with_the_side_process_equals_one_process(corpus, large,
                                                                side_process_for_any_corpus,
                                                                monkeypatch):
    """``large``: as on a corpus of FORGET_SEGMENTATIONS_FROM documents or more, the
    process of the fits (emptying its segmentation cache every 3 texts) ends by itself
    once they are back, and a fresh one makes the view tables from the text file."""
    if large:
        monkeypatch.setattr("analysis.corpus_stage.FORGET_SEGMENTATIONS_FROM", 1)
        monkeypatch.setattr("analysis.corpus_stage._FORGET_EVERY", 3)
    started, views_there, fits_process_ended = [], [], []
    start, view_tables = CorpusStage.start, CorpusStage.view_tables

    def recording_start(self, side_process, executor=None):
        start(self, side_process, executor)
        started.append(self.pool is not None)

    def recording_view_tables(self, *args):
        if self.process is not None:
            self.process.join(10 if large else 0.1)   # the fits are back: it ends if large
            fits_process_ended.append(not self.process.is_alive())
        made = view_tables(self, *args)
        views_there.append(made is not args[-1])   # not the fallback made here
        return made

    monkeypatch.setattr(CorpusStage, "start", recording_start)
    monkeypatch.setattr(CorpusStage, "view_tables", recording_view_tables)
    overlapped = run_analysis(corpus, FAST)   # jobs not 1: the side process may be used
    reduce_memo.clear()
    serial = run_analysis(corpus, FAST, jobs=1)
    assert started == [True, False] and views_there == [True, False]
    assert fits_process_ended == [large]
    assert overlapped.data["topics"] and len(overlapped.tables["collocations"])
    assert_same(serial, overlapped)


class _RecordingExecutor(ThreadPoolExecutor):
    """A thread pool that notes the functions it was given (a cluster's, in effect)."""

    def __init__(self) -> None:
        super().__init__(2)
        self.ran: list[str] = []

    def submit(self, fn, /, *args, **kwargs):
        self.ran.append(fn.__name__)
        return super().submit(fn, *args, **kwargs)


def test_with_an_executor_the_fits_and_text_tables_are_its_tasks(corpus,
                                                                  side_process_for_any_corpus):
    # As on a cluster: the fits are one task, submitted before the documents' chunks, and
    # the view tables that read the texts another; the results are one process's.
    with _RecordingExecutor() as pool:
        parallel = run_analysis(corpus, FAST, executor=pool)
    reduce_memo.clear()
    serial = run_analysis(corpus, FAST, jobs=1)
    assert pool.ran[0] == "fit_corpus" and pool.ran[-1] == "text_tables"
    assert pool.ran.count("fit_corpus") == pool.ran.count("text_tables") == 1
    assert parallel.data["topics"] and len(parallel.tables["collocations"])
    assert_same(serial, parallel)


def test_a_remembered_fit_starts_no_side_process(corpus, side_process_for_any_corpus):
    _fits(corpus, side_process=False)
    _, started = _fits(corpus, side_process=True)
    assert not started


def test_cancel_while_waiting_for_the_side_process_stops_it(corpus,
                                                           side_process_for_any_corpus):
    stage = CorpusStage(corpus, FAST, _texts_key(corpus))
    stage.start(side_process=True)
    process = stage.pool._pool[0]

    def cancel(fraction):
        raise Cancelled()

    try:
        with pytest.raises(Cancelled):
            stage.results(lambda name: cancel)
    finally:
        stage.close()
    process.join(10)
    assert not process.is_alive()


def test_a_lost_side_process_is_replaced_by_fits_here(corpus, side_process_for_any_corpus):
    here, _ = _fits(corpus, side_process=False)
    reduce_memo.clear()
    stage = CorpusStage(corpus, FAST, _texts_key(corpus))
    try:
        stage.start(side_process=True)
        stage.process.kill()   # as the system would when memory runs out
        stage.process.join(10)
        lost = stage.results(lambda name: lambda fraction: None)
    finally:
        stage.close()
    assert lost["topics"].documents.equals(here["topics"].documents)
    assert (lost["terms"].matrix != here["terms"].matrix).nnz == 0


def test_the_text_file_is_removed_when_the_stage_closes(corpus, side_process_for_any_corpus):
    stage = CorpusStage(corpus, FAST, _texts_key(corpus))
    try:
        stage.start(side_process=True)
        path = stage.texts.path
        assert os.path.getsize(path) == sum(len(d.text.encode()) for d in corpus)
        stage.results(lambda name: lambda fraction: None)
    finally:
        stage.close()
    assert not os.path.exists(path)


def test_no_room_for_the_text_file_fits_here(corpus, side_process_for_any_corpus,
                                             monkeypatch):
    def full_disk(corpus):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("analysis.text_file.TextFile", full_disk)
    fitted, started = _fits(corpus, side_process=True)
    assert not started
    assert fitted["topics"].topics and fitted["terms"].terms


def test_the_fits_come_back_through_a_file_that_is_removed_once_read(
        corpus, side_process_for_any_corpus, monkeypatch):
    from analysis import corpus_stage

    taken, take = [], corpus_stage._taken

    def recording_taken(path):
        taken.append((path, os.path.getsize(path)))
        return take(path)

    monkeypatch.setattr(corpus_stage, "_taken", recording_taken)
    stage = CorpusStage(corpus, FAST, _texts_key(corpus))
    try:
        stage.start(side_process=True)
        fits = stage.results(lambda name: lambda fraction: None)
        texts = stage.texts.path
    finally:
        stage.close()
    # Read once for both fits, from the file beside the texts, and then removed.
    assert [path for path, _ in taken] == [texts + ".fits"]
    assert taken[0][1] > fits["terms"].matrix.data.nbytes
    assert not os.path.exists(texts + ".fits")
    assert fits["terms"].terms and fits["topics"].topics


def test_fits_left_unread_by_a_cancel_are_removed(corpus, side_process_for_any_corpus):
    stage = CorpusStage(corpus, FAST, _texts_key(corpus))

    def cancel(fraction):
        raise Cancelled()

    try:
        stage.start(side_process=True)
        handed_over = stage.texts.path + ".fits"
        next(iter(stage.pending.values())).wait(60)   # the side process has written them
        assert os.path.exists(handed_over)
        with pytest.raises(Cancelled):
            stage.results(lambda name: cancel)
    finally:
        stage.close()
    assert not os.path.exists(handed_over)


def test_a_result_sent_as_its_process_ended_is_taken():
    """The fits' process of a large corpus ends by itself once it has sent them; the
    pool's thread may take the result from the pipe only after that."""
    from analysis.corpus_stage import _wait

    class Ended:
        def is_alive(self):
            return False

    class ArrivesOnWait:
        arrived = False

        def ready(self):
            return self.arrived

        def wait(self, timeout):
            self.arrived = True

        def get(self):
            return {"terms": "counted"}

    assert _wait(ArrivesOnWait(), lambda fraction: None, Ended()) == {"terms": "counted"}
