"""The analyzers that learn from the whole corpus (topics, the term counts), fitted while
the per-document stage runs.

Neither reads a per-document result: they need only the texts. On a large corpus they are
therefore fitted in a process of their own, started before the documents are measured.
The per-document stage keeps both cores busy with its worker processes while this process
mostly waits for their chunks; without the side process the fits ran afterwards, on one
core, while the other sat idle. The results are the same objects a fit in this process
gives (the fits are deterministic: seeded NMF, exact counts).

The side process is not sent the texts: they are written once to a scratch file
(:mod:`analysis.text_file`) and it reads each text when it needs it, so no process holds a
second copy of the corpus, whatever its size.

On a cluster (a run given an executor) there is no side process: the fits are one task of
the cluster, submitted before the documents' chunks, and the view tables that read the
texts another, submitted before the groups are compared; the task that runs the analysis
no longer does either after the documents, one after the other (about 11 s of its work
at 10,000 articles).
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
from dataclasses import dataclass
from functools import partial

from analysis import __version__
from analysis.corpus import Corpus

__all__ = ["CorpusStage", "SIDE_MIN_DOCUMENTS", "make_view_tables"]

#: From this many documents on, the corpus analyzers are fitted in a side process (below
#: it, starting a process and importing the engine there costs more than it saves).
SIDE_MIN_DOCUMENTS = 1000
#: How often the wait for the side process lets the progress callback cancel (seconds).
_POLL = 0.25
#: How long a result sent just before its process ended may take to arrive (seconds).
_ENDED_GRACE = 5.0
#: From this many documents on, the side process does not keep the segmentation cache
#: (8,192 texts, about 250 MB): it empties it every 1,024 texts it reads
#: (:class:`analysis.text_file.FileCorpus`). Its fits and view tables read each text
#: once, one after the other; what the cache keeps from the fits spares the view tables
#: at most 8,192 segmentations, less than a quarter of them on a corpus four times the
#: cache's size (a smaller corpus keeps it: at 10,000 articles it spares them 80 %).
#: From the same size on, the process of the fits ends once they are back, and the view
#: tables get a fresh process: what the fits left held nothing the tables use, yet at
#: 100,000 articles it was about 0.7 GB, held to the end of the per-document stage and
#: then under the view tables' own memory while the groups are compared.
FORGET_SEGMENTATIONS_FROM = 4 * 8192
_FORGET_EVERY = 1024


@dataclass(frozen=True)
class _Job:
    output: str       # name in the per-document outputs ("topics", "terms")
    step: str         # progress step and memory kind ("topics", "keyness")
    analyzer: object
    documents: Corpus
    parts: tuple      # what the result depends on (analysis.reduce_memo.remembered)


def _jobs(corpus: Corpus, config, texts: tuple) -> list[_Job]:
    from analysis.keyness import TermCounter
    from analysis.topics import TopicAnalyzer

    topic_docs = Corpus() if "topics" in config.skip else corpus
    topics = TopicAnalyzer(n_topics=config.n_topics, seed=config.seed)
    kw = config.keyness
    counter = TermCounter(ngram_max=kw.ngram_max, min_docs=kw.min_docs,
                          stopwords=kw.stopword_setting())
    out = []
    for output, step, analyzer, docs in (("topics", "topics", topics, topic_docs),
                                         ("terms", "keyness", counter, corpus)):
        parts = (texts if len(docs) else (), _params(analyzer), type(analyzer).version,
                 __version__)
        out.append(_Job(output, step, analyzer, docs, parts))
    return out


def _params(analyzer) -> list:
    return sorted((k, repr(v)) for k, v in analyzer.get_params().items())


class CorpusStage:
    """Topics and term counts for ``corpus``: :meth:`start` before the per-document stage,
    :meth:`results` after it; :meth:`close` always (it stops a side process left running,
    e.g. when the analysis is cancelled).

    A result whose texts and settings are those of a recent run comes from memory
    (:mod:`analysis.reduce_memo`: a codebook edit changes neither) and is never fitted again.
    """

    def __init__(self, corpus: Corpus, config, texts: tuple) -> None:
        self.corpus = corpus
        self.jobs = _jobs(corpus, config, texts)
        self.pool = self.process = self.texts = self.terms = self.executor = None
        # output -> AsyncResult of the side process, or Future of the executor's task
        self.pending: dict[str, object] = {}
        self.tasks: list[concurrent.futures.Future] = []   # the executor's, to cancel
        self._read: dict = {}                 # AsyncResult -> what it gave, read once
        large = len(corpus) >= FORGET_SEGMENTATIONS_FROM
        #: Whether the side process forgets segmentations as it reads, and is fresh for the
        #: view tables (None, or how often it empties the cache).
        self.forget = _FORGET_EVERY if large else None

    def start(self, side_process: bool, executor: concurrent.futures.Executor | None = None
              ) -> None:
        """Start fitting what is not in memory: as one task of ``executor`` when given (a
        cluster), else in a side process when ``side_process`` and the corpus is large
        enough for it to pay."""
        from analysis.reduce_memo import is_remembered

        if executor is not None:
            todo = [j for j in self.jobs
                    if len(j.documents) and not is_remembered(j.step, j.parts)]
            if todo:
                self.executor = executor
                fits = self._submit(fit_corpus, self.corpus, [(j.output, j.analyzer)
                                                             for j in todo])
                self.pending.update((j.output, fits) for j in todo)
            return
        todo = [j for j in self.jobs
                if SIDE_MIN_DOCUMENTS <= len(j.documents)
                and not is_remembered(j.step, j.parts)]
        # A daemonic process (e.g. the app's worker) may not start processes of its own.
        if not (side_process and todo) or multiprocessing.current_process().daemon:
            return
        from analysis.text_file import TextFile

        try:
            self.texts = TextFile(self.corpus)
        except OSError:   # no room for the texts on disk: they are fitted here
            return
        self._start_side_process()
        # One process fits them one after the other: the per-document workers keep the
        # cores busy meanwhile. It reads the texts from the file, one at a time.
        batch = self.pool.apply_async(_fit_in_side_process,
                                      ([(j.output, j.analyzer) for j in todo],
                                       self.texts.where(), self.forget))
        for j in todo:
            self.pending[j.output] = batch
        if self.forget:
            # It ends once the fits are back (:data:`FORGET_SEGMENTATIONS_FROM`).
            self.pool.close()

    def _submit(self, fn, *args) -> concurrent.futures.Future:
        task = self.executor.submit(fn, *args)
        self.tasks.append(task)
        return task

    def _start_side_process(self) -> None:
        self.pool = multiprocessing.get_context("spawn").Pool(1)
        # The pool's one worker: if it dies (e.g. out of memory), the pool would start
        # another and never finish the lost task; this process then works here instead.
        self.process = self.pool._pool[0]

    def results(self, step) -> dict:
        """Each analyzer's result by output name; ``step(name)`` gives its progress
        callback (raise ``analysis.Cancelled`` from it to stop)."""
        from analysis.reduce_memo import remembered

        out: dict = {}
        for job in self.jobs:
            progress = step(job.step)
            progress(0.0)
            out[job.output] = remembered(job.step, job.parts,
                                         partial(self._result, job, progress))
            progress(1.0)
        self.terms = out.get("terms")
        return out

    def _result(self, job: _Job, progress):
        if job.output in self.pending:
            found = self._fits(self.pending[job.output], progress)
            if found is not None:
                return found[job.output]
        return job.analyzer.fit_transform(job.documents, progress)

    def _fits(self, batch, progress) -> dict | None:
        """What the side process fitted, read once from the file it wrote
        (:func:`_handed_over`), or None when it is lost."""
        if batch not in self._read:
            if isinstance(batch, concurrent.futures.Future):
                self._read[batch] = _wait_for_task(batch, progress)
            else:
                found = _wait(batch, progress, self.process)
                self._read[batch] = _taken(found) if isinstance(found, str) else found
        return self._read[batch]

    def view_tables(self, labels, config, mentions, pairs: list[tuple[str, str]], here):
        """A function giving the view tables (:func:`make_view_tables`): those that read
        the texts made in the side process, which reads them from its file, when the
        fits were made there (started now); else, or when that process is lost, by
        ``here()``.

        The term map is made here, from the term counts this process holds anyway, when
        the function is called (after the groups are compared, whose memory is then
        let go): the side process keeps no copy of the term counts, the largest thing
        it would hold (about 350 MB at 100,000 articles).

        On a cluster, the same tables are a task of its own, while this process compares
        the groups."""
        from analysis.word_tally import MentionsByDoc

        if self.executor is not None and "terms" in self.pending:
            made = self._submit(text_tables, self.corpus, labels, config,
                                MentionsByDoc(mentions), pairs)
            return partial(self._tables, labels, config, pairs,
                           lambda: _wait_for_task(made, lambda fraction: None))
        if self.pool is None or "terms" not in self.pending:
            return here
        if self.forget:   # the fits' process has ended: a fresh one reads the file
            self._end_side_process()
            self._start_side_process()
        # Sent grouped by document, as the tables read them: about a third of the table's
        # bytes (about 5 million mentions at 100,000 articles), and the side process does
        # not hold the table and its grouping at once.
        made = self.pool.apply_async(_views_in_side_process,
                                     (self.texts.where(), self.forget, labels, config,
                                      MentionsByDoc(mentions), pairs))

        def found():
            return _wait(made, lambda fraction: None, self.process)

        return partial(self._tables, labels, config, pairs, found, here)

    def _tables(self, labels, config, pairs, found, here=None) -> dict:
        """The view tables: the term map made here (while the tables that read the texts
        may still be being made elsewhere, not after them), the others ``found()``
        (None: lost, made by ``here()``)."""
        from analysis.view_tables import VIEW_TABLES

        term_map = make_view_tables(self.corpus, labels, config, self.terms, None, pairs,
                                    names=("term_map",))
        elsewhere = found()
        if elsewhere is None:
            return here()
        return {name: (term_map | elsewhere)[name] for name in VIEW_TABLES}

    def close(self) -> None:
        for task in self.tasks:   # not started yet: dropped (a running one finishes)
            task.cancel()
        self._end_side_process()
        if self.texts is not None:
            # After the side process, which reads the texts; the fits it handed over are
            # left when the run stopped before they were read.
            with contextlib.suppress(OSError):
                os.remove(self.texts.path + ".fits")
            self.texts.remove()
            self.texts = None

    def _end_side_process(self) -> None:
        if self.pool is not None:
            self.pool.terminate()   # nothing is left to wait for once results are taken
            self.pool.join()
            self.pool = None


def _wait_for_task(task: concurrent.futures.Future, progress):
    """The executor's task's result (its error raised here)."""
    while True:
        try:
            return task.result(timeout=_POLL)
        except TimeoutError:
            progress(0.0)  # lets a cancel through while the task runs


def _wait(batch, progress, process):
    """The side process's result, or None when that process ended without giving it."""
    while not batch.ready():
        if not process.is_alive():
            # The process of the fits of a large corpus ends by itself once it has sent
            # them: the pool's thread may not have taken the result from the pipe yet.
            batch.wait(_ENDED_GRACE)
            return batch.get() if batch.ready() else None
        progress(0.0)  # lets a cancel through while the side process works
        batch.wait(_POLL)
    return batch.get()


def make_view_tables(corpus, labels, config, terms, mentions, pairs,
                     names: tuple[str, ...] | None = None) -> dict:
    """The term map, word shift and collocation tables of the ``(a, b)`` comparisons
    (:func:`analysis.view_tables.view_tables`), those in ``names`` (None: all)."""
    from types import SimpleNamespace

    from analysis.view_tables import VIEW_TABLES, view_tables

    outputs = {"terms": terms, "targets": SimpleNamespace(mentions=mentions)}
    return view_tables(corpus, labels, config, None, outputs,
                       {"comparisons": [{"a": a, "b": b} for a, b in pairs]},
                       names or VIEW_TABLES)


#: In the side process: the corpus of its fits (read from its file), kept for the view
#: tables when the same process makes them (a small corpus: its segmentation cache).
_KEPT: dict = {}


def _fit_in_side_process(jobs: list, where: tuple, forget_every: int | None) -> dict:
    """Fit each ``(output, analyzer)`` on the documents of the text file at ``where``
    (:meth:`analysis.text_file.TextFile.where`), in the side process."""
    from analysis.text_file import FileCorpus

    corpus = FileCorpus(where, forget_every=forget_every)
    out = _fitted(jobs, corpus, together=forget_every is None)
    _KEPT.update(corpus=corpus)
    return _handed_over(out, where[0] + ".fits")


def fit_corpus(corpus, jobs: list) -> dict:
    """Task of a run's executor (a cluster): each ``(output, analyzer)`` of ``jobs`` fitted
    on ``corpus``."""
    return _fitted(jobs, corpus, together=len(corpus) < FORGET_SEGMENTATIONS_FROM)


def text_tables(corpus, labels, config, by_doc, pairs) -> dict:
    """The view tables that read the texts (:data:`analysis.view_tables.TEXT_TABLES`);
    ``by_doc``: the target mentions (:class:`analysis.word_tally.MentionsByDoc`)."""
    from analysis.view_tables import TEXT_TABLES

    return make_view_tables(corpus, labels, config, None, by_doc, pairs, names=TEXT_TABLES)


#: What a cluster records each task of the corpus stage as (analysis.cluster.STAGE_TOPIC).
fit_corpus.stage, text_tables.stage = "fits", "views"


def _fitted(jobs: list, corpus, together: bool) -> dict:
    """Each ``(output, analyzer)`` of ``jobs`` fitted on ``corpus``.

    ``together``: the topics count the words the term counts read
    (:meth:`analysis.keyness.TermCounter.words_read`), when both are fitted, instead of
    reading every text into words a second time (about 1.3 CPU s at 10,000 articles);
    the same results. The term counts' words of every document are then held while the
    topics are fitted, about 2.4 KB a 600-word article: not on a corpus as large as
    :data:`FORGET_SEGMENTATIONS_FROM`, where the process's memory is kept down."""
    analyzers = dict(jobs)
    topics, terms = analyzers.get("topics"), analyzers.get("terms")
    if not together or topics is None or terms is None:
        return {output: analyzer.fit_transform(corpus) for output, analyzer in jobs}
    encoded = terms.fit_encoded(corpus)
    read = (list(terms.word_ids_), terms.words_read(encoded, corpus))
    out = {"topics": topics.fit_transform(corpus, read=read)}
    out["terms"] = terms.count_encoded(encoded, corpus)
    return {output: out[output] for output, _ in jobs}


def _handed_over(out: dict, path: str) -> dict | str:
    """``out`` pickled to the file ``path`` (beside the texts), and its name; or ``out``
    itself when the file cannot be written.

    Sent through the pool's pipe, the fits were pickled to one bytes object beside them
    here, and received as one bytes object beside what was unpickled from it there: the
    term counts (about 350 MB at 100,000 articles) twice in each process for the seconds
    of the hand-over, which made the peak of the whole process tree. Pickled to a file,
    the arrays' bytes go straight to it, and are read straight into the new arrays."""
    import pickle

    try:
        with open(path, "wb") as f:
            pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:   # no room on disk: through the pipe, as before
        with contextlib.suppress(OSError):
            os.remove(path)
        return out
    return path


def _taken(path: str) -> dict | None:
    """What :func:`_handed_over` wrote to ``path``, the file removed; None (fit here
    instead) when it cannot be read."""
    import pickle

    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    finally:
        with contextlib.suppress(OSError):
            os.remove(path)


def _views_in_side_process(where: tuple, forget_every: int | None, labels, config,
                           by_doc, pairs) -> dict:
    """The view tables that read the texts, over the corpus of the fits when this process
    made them, else the file at ``where``; ``by_doc``: the target mentions
    (:class:`analysis.word_tally.MentionsByDoc`)."""
    from analysis.text_file import FileCorpus

    corpus = _KEPT.get("corpus")
    if corpus is None:
        corpus = FileCorpus(where, forget_every=forget_every)
    return text_tables(corpus, labels, config, by_doc, pairs)
