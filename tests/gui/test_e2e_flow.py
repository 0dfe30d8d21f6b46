"""The main flow, end to end: demo project, import the seed articles, compare the groups,
drill down from a distinctive term to the passages, open the document, save, reopen."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

# Few resamples keep the run short; every figure is still the engine's own.
FAST = {"n_boot": 100, "n_perm": 100}


def _wait_idle(qtbot, window, timeout=180_000):
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=timeout)


@pytest.fixture
def window(qtbot):
    from sinoru_desktop.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    with qtbot.waitExposed(w):
        w.show()
    yield w
    w.state.set_dirty(False)
    w.runner.shutdown()


def _first_term_used_by_both(qtbot, compare, state):
    """Click distinctive terms until one has passages in both groups; return it."""
    from matplotlib.backend_bases import MouseEvent, PickEvent

    canvas = compare.card("keyness", 0).canvas
    for gid in canvas.pickable_gids():
        if not gid.startswith("term|"):
            continue
        artist = canvas.figure.findobj(lambda a, g=gid: a.get_gid() == g)[0]
        mouse = MouseEvent("button_press_event", canvas, 5, 5, button=1)
        canvas.callbacks.process("pick_event", PickEvent("pick_event", canvas, mouse, artist))
        if all(lst.spans() for lst in compare.drill.lists.values()):
            return gid
    raise AssertionError("no distinctive term is used by both groups")


def test_demo_import_compare_drill_open_save_reopen(qtbot, window, seeds_dir, tmp_path,
                                                     no_dialogs):
    from sinoru_desktop.main_window import MainWindow

    state = window.state
    state.set_config(replace(state.config, **FAST), dirty=False)

    # 1. The demo project: its articles are imported and analysed.
    window.open_demo()
    _wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: state.results is not None and not window.runner.busy,
                    timeout=180_000)
    n_demo = len(state.corpus)
    assert n_demo >= 10

    # 2. Import the seed articles with their manifest: added, then analysed again.
    files = sorted(str(p) for p in seeds_dir.iterdir() if p.suffix == ".txt")
    window.start_import(files, str(seeds_dir / "manifest.csv"))
    qtbot.waitUntil(lambda: len(state.corpus) == n_demo + len(files), timeout=120_000)
    qtbot.waitUntil(lambda: state.results is not None and not window.runner.busy,
                    timeout=180_000)

    # 3. Compare, grouped by the "group" column.
    window.show_panel("compare")
    compare = window.panels["compare"]
    if state.config.group_by != "group":
        compare.group_by.setCurrentText("group")
        qtbot.waitUntil(lambda: state.results is not None and not window.runner.busy,
                        timeout=180_000)
    assert state.results.data["group_by"] == "group"
    assert set(state.results.group_names) == {"chinese", "western"}
    assert compare.card("frames").caption.text()

    # 4. A distinctive term drills down to passages from both groups, with sources.
    gid = _first_term_used_by_both(qtbot, compare, state)
    term = gid.split("|")[1]
    western = compare.drill.lists["western"]
    line = western.item(0).text()
    doc_id, start, end = western.spans()[0]
    doc = state.corpus[doc_id]
    assert doc.get("outlet", "unknown outlet") in line and doc.title in line

    # 5. Double-clicking the line opens the document at that passage.
    rect = western.visualItemRect(western.item(0))
    qtbot.mouseClick(western.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(western.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    document = window.panels["document"]
    qtbot.waitUntil(lambda: window.panel_stack.currentWidget() is document, timeout=5000)
    assert document.doc_id == doc_id
    selected = document.text.textCursor().selectedText()
    assert " ".join(selected.lower().split()) == " ".join(term.split()) or \
        selected == doc.text[start:end]

    # 6. Save, then reopen in a fresh window: documents, grouping and results are there.
    path = tmp_path / "study.sinoru"
    assert window.save_to(str(path))
    qtbot.waitUntil(lambda: not window.saver.busy and path.exists(), timeout=60_000)
    again = MainWindow()
    qtbot.addWidget(again)
    try:
        assert again.open_project(str(path))
        _wait_idle(qtbot, again)
        st = again.state
        assert st.corpus.ids == state.corpus.ids
        assert st.config.group_by == "group"
        assert st.results is not None
        assert set(st.results.group_names) == {"chinese", "western"}
        again.show_panel("compare")
        assert again.panels["compare"].card("keyness", 0).canvas.pickable_gids()
    finally:
        again.state.set_dirty(False)
        again.runner.shutdown()


def test_choosing_the_transformer_re_runs_and_the_chart_names_it(qtbot, window, no_dialogs):
    state = window.state
    state.set_config(replace(state.config, **FAST), dirty=False)
    window.open_demo()
    qtbot.waitUntil(lambda: state.results is not None and not window.runner.busy,
                    timeout=180_000)
    assert state.results.data["models"]["target_sentiment"]["name"].startswith("tsc-linear")

    window.show_panel("targets")
    combo = window.panels["targets"].scorer_combo
    index = combo.findData("transformer")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    qtbot.waitUntil(lambda: state.results is not None and not window.runner.busy
                    and state.results.data["models"]["target_sentiment"]["name"]
                    == "tsc-minilm-v1", timeout=180_000)
    window.show_panel("compare")
    caption = window.panels["compare"].card("targets").caption.text()
    assert "Model: tsc-minilm-v1." in caption
