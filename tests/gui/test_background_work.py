"""Saves and imports run in the task runner: the window stays usable, progress is shown,
and edits made during a save do not leak into the file being written."""
from __future__ import annotations

import pytest
from menu_actions import menu_action

from analysis.corpus import Corpus, Document
from sinoru_desktop.project import Project, load_project
from sinoru_desktop.stall_probe import StallProbe

SENTENCES = ("Officials met in Moscow to discuss pipeline routes and payment channels.",
             "Trade volume rose again, the customs office said on Monday.",
             "Analysts doubt the partnership will survive new sanctions.")


def article(i: int) -> str:
    return f"Report number {i}\n" + " ".join(SENTENCES[(i + k) % 3] for k in range(6)) + "\n"


@pytest.fixture
def window(make_window):
    return make_window()


def test_save_runs_in_the_background_and_writes_a_snapshot(qtbot, window, tmp_path,
                                                         no_dialogs):
    corpus = Corpus(Document(f"d{i}", article(i), meta={"group": "g" + str(i % 2)})
                    for i in range(2000))
    path = tmp_path / "big.sinoru"
    window.load_into_state(Project(corpus=corpus), str(path), dirty=True)

    menu_action(window, "file", "Save").trigger()
    assert window.saver.busy and window.saver.label == "Saving big.sinoru…"
    # The user goes on working while the save runs: regroup one document.
    window.state.update_documents([window.state.corpus["d0"].with_meta(group="late")],
                                  "Set group")
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=60_000)

    saved = load_project(path)
    assert len(saved.corpus) == 2000
    assert saved.corpus["d0"].get("group") == "g0"  # the state when Save was chosen
    assert window.isWindowModified()                  # the later edit is still unsaved
    assert no_dialogs.calls == []
    # Saving again writes the edit and clears the "*".
    menu_action(window, "file", "Save").trigger()
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=60_000)
    assert load_project(path).corpus["d0"].get("group") == "late"
    assert not window.isWindowModified()


def test_an_analysis_started_during_a_save_does_not_cancel_it(qtbot, window, tmp_path,
                                                             no_dialogs):
    corpus = Corpus(Document(f"d{i}", article(i), meta={"group": "g" + str(i % 2)})
                    for i in range(400))
    path = tmp_path / "study.sinoru"
    window.load_into_state(Project(corpus=corpus), str(path), dirty=True)
    menu_action(window, "file", "Save").trigger()
    menu_action(window, "analysis", "Run Analysis").trigger()
    assert window.saver.busy and window.runner.busy
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=60_000)
    assert len(load_project(path).corpus) == 400
    window.runner.cancel()


def test_import_runs_in_the_task_runner_with_progress_and_the_window_stays_usable(
        qtbot, window, tmp_path, no_dialogs):
    folder = tmp_path / "articles"
    folder.mkdir()
    # Enough files that the import outlasts the 50 ms progress throttle several times.
    for i in range(1200):
        (folder / f"a{i:03d}.txt").write_text(article(i), encoding="utf-8")

    fractions: list[float] = []
    window.runner.progressChanged.connect(fractions.append)
    with StallProbe() as probe:
        window.start_import([str(folder)])
        assert window.runner.busy and window.runner.label == "Importing articles…"
        # The window answers while the files are read: Help › About opens.
        menu_action(window, "help", "About Sinoru").trigger()
        about = window._dialogs[-1]
        assert about.windowTitle() == "About Sinoru" and about.isVisible()
        about.reject()
        qtbot.waitUntil(lambda: window.state.has_documents and not window.runner.busy,
                        timeout=60_000)
    assert len(window.state.corpus) == 1200
    assert any(0.0 < f < 1.0 for f in fractions)  # progress arrived while it ran
    assert probe.ticks > 0                       # the event loop kept turning
    report = window._dialogs[-1]
    assert report.windowTitle() == "Import report"
    report.reject()


def test_the_stall_probe_sees_a_blocked_event_loop(qtbot):
    import time

    with StallProbe(interval_ms=5) as probe:
        qtbot.wait(30)
        time.sleep(0.25)  # the GUI thread does not return to the event loop
        qtbot.wait(30)
    assert probe.longest >= 0.25
    assert probe.ticks >= 2



def test_the_stall_probe_tells_gui_thread_work_from_waiting(qtbot):
    """``longest_cpu`` counts what the GUI thread computed between ticks, not the time it
    waited (a busy machine, another thread holding the interpreter)."""
    import time

    with StallProbe(interval_ms=5) as waiting:
        qtbot.wait(30)
        time.sleep(0.25)
        qtbot.wait(30)
    with StallProbe(interval_ms=5) as working:
        qtbot.wait(30)
        end = time.thread_time() + 0.25
        while time.thread_time() < end:  # the GUI thread busy for 0.25 CPU s
            pass
        qtbot.wait(30)
    assert waiting.longest >= 0.25 and waiting.longest_cpu < 0.1
    assert working.longest_cpu >= 0.25
