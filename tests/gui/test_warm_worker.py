"""Analyses run in the warm worker process: results, Cancel, and a worker that dies."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from analysis.corpus import Corpus, Document
from sinoru_desktop.project import Project
from sinoru_desktop.warm_worker import shared_worker


def small() -> Corpus:
    return Corpus([
        Document("r1", "Moscow and Beijing signed a trade deal. Officials praised the "
                       "partnership and promised growth.", meta={"group": "russian"}),
        Document("w1", "Analysts doubt the partnership. Critics warned of sanctions and "
                       "a threat to security.", meta={"group": "western"}),
    ])


def big(n: int = 300) -> Corpus:
    text = ("Beijing and Moscow agreed on trade while critics warned of sanctions. "
            "Officials praised the deal; analysts doubted the promises. ") * 30
    return Corpus(Document(f"d{i}", text, meta={"group": "ab"[i % 2]}) for i in range(n))


def edited_generic() -> str:
    """The built-in generic codebook with one term more, as the user would edit it."""
    path = Path(__file__).resolve().parents[2] / "resources" / "codebooks" / "generic.yaml"
    return path.read_text(encoding="utf-8").replace("  - war\n", "  - war\n  - sanction*\n", 1)


def action(window, text: str):
    for menu in window.menuBar().actions():
        for act in menu.menu().actions():
            if act.text() == text:
                return act
    raise AssertionError(f"no menu item {text!r}")


@pytest.fixture
def window(make_window):
    return make_window(auto_analyse=True)


def wait_for_progress(qtbot, window):
    """Wait until the worker reports progress on the running analysis."""
    seen = []
    window.runner.progressChanged.connect(seen.append)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] > 0.05, timeout=120_000)


def test_run_analysis_from_the_menu_runs_in_the_worker(qtbot, window, no_dialogs):
    window.load_into_state(Project(corpus=small()), None)
    worker = shared_worker()
    qtbot.waitUntil(lambda: worker.alive, timeout=10_000)  # started when the project opened
    assert worker.pid != os.getpid()
    action(window, "&Run Analysis").trigger()
    assert window.runner.busy
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    assert no_dialogs.calls == []
    results = window.state.results
    assert sorted(results.group_names) == ["russian", "western"]
    assert results.groups["western"]["n_documents"] == 1
    assert "Analysis finished: 2 groups" in window.statusBar().currentMessage()


def test_compare_lists_are_made_off_the_gui_thread_as_results_arrive(
        qtbot, window, no_dialogs, monkeypatch):
    """The Compare view's group and split lists pass over every document: they are made
    on the reader thread before the results reach the window, which then shows them."""
    import threading

    from sinoru_desktop.panels import groups

    made_on = []
    real = groups.remember_view_lists

    def recording(corpus, results, group_by):
        made_on.append((threading.get_ident(), results is not None, group_by))
        real(corpus, results, group_by)

    monkeypatch.setattr(groups, "remember_view_lists", recording)
    window.load_into_state(Project(corpus=small()), None)
    action(window, "&Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    assert no_dialogs.calls == []
    assert made_on and made_on[-1][1:] == (True, "group")
    assert made_on[-1][0] != threading.get_ident()
    panel = window.panels["compare"]
    combos = {name: [getattr(panel, name).itemText(i) for i in range(getattr(panel, name).count())]
              for name in ("group_by", "comparison", "split_by")}
    assert combos == {"group_by": ["group"], "comparison": ["russian vs western"],
                      "split_by": ["No split"]}


def test_cancel_during_a_run_frees_the_worker(qtbot, window, no_dialogs):
    window.load_into_state(Project(corpus=big()), None)
    action(window, "&Run Analysis").trigger()
    wait_for_progress(qtbot, window)
    qtbot.waitUntil(window.progress_widget.isVisible, timeout=5_000)
    cancel = window.progress_widget._cancel
    assert cancel.text() == "Cancel"
    cancel.click()
    assert not window.runner.busy
    assert window.statusBar().currentMessage() == (
        "Analysis cancelled. There are no results yet: press F5 to analyse.")
    # The worker stops (or is replaced) within about a second, and serves the next run.
    qtbot.waitUntil(lambda: not shared_worker()._tasks, timeout=3_000)
    window.load_into_state(Project(corpus=small()), None)
    action(window, "&Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    assert window.state.results is not None and no_dialogs.calls == []
    assert window.state.results.groups["russian"]["n_documents"] == 1


def test_killed_worker_gives_a_clear_message_and_the_work_stays(qtbot, window, no_dialogs):
    window.load_into_state(Project(corpus=big()), None)
    window.state.edit("Edit codebook", codebooks={"generic": edited_generic()})
    action(window, "&Run Analysis").trigger()
    wait_for_progress(qtbot, window)
    worker = shared_worker()
    old_pid = worker.pid
    os.kill(old_pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: bool(no_dialogs.calls), timeout=10_000)
    (text,) = no_dialogs.texts("warning")
    assert text.startswith("Analysis failed\nThe analysis could not run: the analysis "
                           "process stopped unexpectedly: it was killed (signal 9).")
    assert "your documents, codebooks and earlier results are unchanged" in text
    # The app is alive, nothing the user made is lost, and a new worker runs the next one.
    assert window.isVisible() and not window.runner.busy
    assert len(window.state.corpus) == 300
    assert window.state.codebooks == {"generic": edited_generic()}
    qtbot.waitUntil(lambda: worker.alive and worker.pid != old_pid, timeout=10_000)
    window.load_into_state(Project(corpus=small()), None)
    action(window, "&Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    assert sorted(window.state.results.group_names) == ["russian", "western"]


def test_charts_of_a_hidden_view_are_drawn_when_it_is_shown(qtbot, window, no_dialogs):
    window.load_into_state(Project(corpus=small()), None)
    outlets = window.panels["outlets"]  # views are built when first asked for: before results
    action(window, "&Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    window.show_panel("corpus")
    window.state.set_results(window.state.results)  # results arrive while Corpus is shown
    card = outlets.card
    # Not built while unseen (no freeze for it): the card still says what it said before.
    assert not card.isVisible()
    assert card.caption.text() == "Run the analysis to see the outlets inside each group."
    window.show_panel("outlets")
    assert card.isVisible()
    assert card.caption.text() and not card.caption.text().startswith("Run the analysis")


def test_large_results_are_read_without_full_collections_and_leave_the_collector_whole():
    """A large result is unpickled without full garbage collections (each would walk the
    whole heap holding the interpreter lock, stalling the window); afterwards the
    collector is on and nothing was frozen, so cyclic garbage (old charts) is freed."""
    import gc
    import weakref
    from multiprocessing.reduction import ForkingPickler

    from sinoru_desktop.warm_worker import _unpickle

    rows = [{"doc_id": f"d{i}", "frame": "conflict", "terms": [f"t{i}"]}
            for i in range(400_000)]
    big_done = bytes(ForkingPickler.dumps(("done", 7, rows)))
    collections = []

    def count(phase, info):
        if phase == "start" and info["generation"] == 2:
            collections.append(info)

    class Chart:  # stands for a figure: it refers to itself
        pass

    old_chart = Chart()
    old_chart.me = old_chart
    gone = weakref.ref(old_chart)

    # The app collects from a GUI-thread timer with automatic collection off
    # (sinoru_desktop.gui_gc); here it is on, as in a process without that timer.
    was_enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.enable()
    gc.collect()  # what earlier tests left uncollected is not this test's to count
    gc.callbacks.append(count)
    try:
        assert _unpickle(bytes(ForkingPickler.dumps(("progress", 7, 0.5)))) == \
            ("progress", 7, 0.5)
        message = _unpickle(big_done)
        assert collections == []  # no full collection while the rows were made
        assert message[:2] == ("done", 7) and message[2][-1] == rows[-1]
        assert len(message[2]) == len(rows)
        assert gc.isenabled() and gc.get_freeze_count() == frozen
        del old_chart
        gc.collect()
        assert gone() is None  # the replaced chart's cycle is still collected
    finally:
        gc.callbacks.remove(count)
        if not was_enabled:
            gc.disable()
