"""The codebook and targets editors: errors shown not raised, live term tests, import and
export (LIWC, WordStat, YAML), and edits saved into the project state."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from analysis.corpus import Corpus, Document

TEXTS = {
    "a1": ("chinese", "Beijing and Moscow deepened their strategic partnership. Mutual trust "
                      "is the foundation of the strategic partnership."),
    "a2": ("chinese", "Win-win cooperation in energy keeps growing, the ministry said."),
    "b1": ("western", "Analysts doubt the strategic partnership will survive sanctions."),
}


@pytest.fixture
def state(qtbot):
    from sinoru_desktop.state import AppState

    st = AppState()
    st.set_corpus(Corpus(Document(k, text, meta={"group": g, "outlet": f"Outlet {k}",
                                                  "title": f"Title {k}"})
                         for k, (g, text) in TEXTS.items()), dirty=False)
    return st


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget


def _select(panel, entry):
    from PySide6.QtCore import Qt

    for i in range(panel.books.count()):
        if panel.books.item(i).data(Qt.ItemDataRole.UserRole) == entry:
            panel.books.setCurrentRow(i)
            return
    raise AssertionError(f"no codebook {entry!r} listed")


# Codebook editor -------------------------------------------------------------------------
def test_codebook_editor_lists_the_builtin_codebooks(qtbot, state):
    from sinoru_desktop.panels import CodebookPanel

    panel = _show(qtbot, CodebookPanel(state))
    texts = [panel.books.item(i).text() for i in range(panel.books.count())]
    assert {"china_russia (built-in)", "generic (built-in)", "policy (built-in)"} <= set(texts)
    _select(panel, "generic")
    frames = [panel.frames.item(i).text() for i in range(panel.frames.count())]
    assert any(f.startswith("Conflict") for f in frames)
    assert "valid" in panel.status.text()


def test_a_yaml_syntax_error_shows_line_and_reason_without_crashing(qtbot, state):
    from sinoru_desktop.panels import CodebookPanel

    panel = _show(qtbot, CodebookPanel(state))
    _select(panel, "generic")
    lines = panel.source.toPlainText().splitlines()
    # Break line 5 with an unterminated quote.
    lines[4] = 'label: "broken'
    panel.source.setPlainText("\n".join(lines))
    qtbot.waitUntil(lambda: panel.error is not None, timeout=3000)
    text = panel.status.text()
    assert "Line " in text and "not valid YAML" in text
    assert f"Line {panel.error.line}:" in text
    assert not panel.apply_button.isEnabled()
    assert panel.source.extraSelections()  # the line is marked in the editor
    with qtbot.assertNotEmitted(state.analysisRequested):
        assert panel.apply() is False
    assert "generic" not in state.codebooks


def test_a_frame_without_terms_is_named_with_its_line(qtbot, state):
    from sinoru_desktop.panels import CodebookPanel

    panel = _show(qtbot, CodebookPanel(state))
    panel.new_codebook()
    text = panel.source.toPlainText().replace("  terms:\n  - example term\n", "")
    panel.source.setPlainText(text)
    qtbot.waitUntil(lambda: panel.error is not None, timeout=3000)
    assert "has no terms" in panel.status.text()
    assert "Line 6:" in panel.status.text()


def test_editing_terms_in_the_form_updates_yaml_and_applies(qtbot, state):
    from analysis.codebook import parse_codebook
    from sinoru_desktop.panels import CodebookPanel

    panel = _show(qtbot, CodebookPanel(state))
    _select(panel, "china_russia")
    panel.frames.setCurrentRow(0)
    panel.terms.add("ironclad friendship")
    assert "ironclad friendship" in panel.source.toPlainText()
    # The edit is in the project at once (saved with it), before any re-run.
    saved = parse_codebook(state.codebooks["china_russia"])
    assert ("ironclad friendship", "en") in saved.frames[0].terms
    assert state.dirty
    assert panel.books.currentItem().text() == "china_russia (built-in, edited)"
    with qtbot.waitSignal(state.analysisRequested, timeout=2000):
        assert panel.apply()
    assert parse_codebook(state.codebooks["china_russia"]) == saved
    # Discarding the edit goes back to the built-in codebook.
    panel.discard_edits()
    assert "china_russia" not in state.codebooks
    assert "ironclad friendship" not in panel.source.toPlainText()


def test_adding_and_removing_frames(qtbot, state):
    from sinoru_desktop.panels import CodebookPanel

    panel = _show(qtbot, CodebookPanel(state))
    _select(panel, "generic")
    n = len(panel.book.frames)
    panel.form.add_frame_button.click()
    assert len(panel.book.frames) == n + 1
    assert panel.frames.currentRow() == n
    assert panel.form.frame_label.text() == f"New frame {n + 1}"
    panel.form.frame_label.setText("Sovereignty")
    panel.form.frame_label.textEdited.emit("Sovereignty")
    assert "label: Sovereignty" in panel.source.toPlainText()
    panel.form.remove_frame_button.click()
    assert len(panel.book.frames) == n
    assert "Sovereignty" not in panel.source.toPlainText()


def test_live_term_test_counts_matches_and_shows_passages(qtbot, state):
    from sinoru_desktop.panels import CodebookPanel

    panel = _show(qtbot, CodebookPanel(state))
    panel.tester.term.setText("strategic partner*")
    qtbot.mouseClick(panel.tester.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "matches" in panel.tester.result.text(), timeout=10_000)
    # Hand count: twice in a1, once in b1.
    assert panel.tester.last_count == 3
    assert "matches 3 times in 2 of 3 documents" in panel.tester.result.text()
    assert panel.tester.sample.count() == 3
    assert "Outlet a1, Title a1" in panel.tester.sample.item(0).text()
    panel.tester.term.setText("*")
    qtbot.mouseClick(panel.tester.button, Qt.MouseButton.LeftButton)
    assert "cannot be used" in panel.tester.result.text()
    assert panel.tester.last_count is None


EVIL = "(a|aa)+$"


def _evil_state():
    from sinoru_desktop.state import AppState

    st = AppState()
    run = "a" * 60 + "h"
    st.set_corpus(Corpus(Document(f"d{i}", f"The crowd shouted {run} for a while.",
                                  meta={"group": "g", "title": f"T{i}"})
                         for i in range(3)), dirty=False)
    return st


def _tick_gaps(qtbot, until):
    """Run a 20 ms QTimer until ``until()``; returns the longest gap between its ticks."""
    import time

    from PySide6.QtCore import QTimer

    stamps = [time.monotonic()]
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: stamps.append(time.monotonic()))
    timer.start()
    try:
        qtbot.waitUntil(until, timeout=60_000)
    finally:
        timer.stop()
    return max(b - a for a, b in zip(stamps, stamps[1:], strict=False))


def test_a_catastrophic_regex_neither_freezes_the_window_nor_runs_forever(qtbot, monkeypatch):
    from analysis import patterns
    from sinoru_desktop.panels import CodebookPanel

    monkeypatch.setattr(patterns, "PATTERN_BUDGET", 0.5)
    panel = _show(qtbot, CodebookPanel(_evil_state()))
    qtbot.keyClicks(panel.tester.term, EVIL)
    panel.tester.regex.setChecked(True)
    qtbot.mouseClick(panel.tester.button, Qt.MouseButton.LeftButton)
    assert panel.tester.cancel_button.isVisible()
    gap = _tick_gaps(qtbot, lambda: "took longer" in panel.tester.result.text())
    assert gap < 0.2, f"the window froze for {gap:.2f} s"
    text = panel.tester.result.text()
    assert "This term cannot be used: the regex '(a|aa)+$' took longer than 0.5 s on " \
           "document 'd0'; rewrite it" in text
    assert not panel.tester.cancel_button.isVisible()


def test_cancel_stops_a_slow_term_test(qtbot, monkeypatch):
    from analysis import patterns
    from sinoru_desktop.panels import CodebookPanel

    monkeypatch.setattr(patterns, "PATTERN_BUDGET", 3.0)
    panel = _show(qtbot, CodebookPanel(_evil_state()))
    panel.tester.term.setText(EVIL)
    panel.tester.regex.setChecked(True)
    qtbot.mouseClick(panel.tester.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.tester.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.tester.result.text() == "Test cancelled."
    assert not panel.tester.busy and not panel.tester.cancel_button.isVisible()
    # A new test starts at once, even while the cancelled one unwinds on its worker.
    panel.tester.regex.setChecked(False)
    panel.tester.term.setText("crowd")
    qtbot.mouseClick(panel.tester.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.tester.last_count == 3, timeout=10_000)


@pytest.mark.parametrize("suffix", [".dic", ".cat", ".yaml"])
def test_export_then_import_round_trips(qtbot, state, tmp_path, monkeypatch, suffix):
    from analysis.codebook import load_codebook
    from sinoru_desktop.panels import CodebookPanel, codebook_io

    panel = _show(qtbot, CodebookPanel(state))
    _select(panel, "generic")
    path = tmp_path / f"generic{suffix}"
    monkeypatch.setattr(codebook_io, "ask_save_codebook", lambda parent, name: str(path))
    monkeypatch.setattr(codebook_io, "ask_open_codebook", lambda parent: str(path))
    assert panel.export_file() == str(path)
    assert path.is_file()
    entry = panel.import_file()
    assert entry is not None and panel.current == entry
    original = load_codebook("generic")
    imported = panel.book
    # Word lists survive every format (LIWC and WordStat carry no labels or regexes).
    assert {frozenset(f.terms) for f in imported.frames if f.terms} == \
        {frozenset(f.terms) for f in original.frames if f.terms}
    with qtbot.waitSignal(state.analysisRequested, timeout=2000):
        assert panel.apply()
    assert entry in state.codebooks


def test_importing_a_broken_dictionary_warns_and_goes_on(qtbot, state, tmp_path,
                                                         monkeypatch, no_dialogs):
    from sinoru_desktop.panels import CodebookPanel, codebook_io

    bad = tmp_path / "broken.dic"
    bad.write_text("no header here\nword 1\n", encoding="utf-8")
    panel = _show(qtbot, CodebookPanel(state))
    monkeypatch.setattr(codebook_io, "ask_open_codebook", lambda parent: str(bad))
    assert panel.import_file() is None
    assert any("broken.dic" in t for t in no_dialogs.texts("warning"))


# Targets editor --------------------------------------------------------------------------
def test_targets_editor_round_trip(qtbot, state):
    from analysis.targets import load_targets, parse_targets
    from sinoru_desktop.panels import TargetsPanel

    panel = _show(qtbot, TargetsPanel(state))
    builtin = load_targets()
    assert panel.model.rowCount() == len(builtin)
    frame = panel.frame()
    assert list(frame["id"]) == [t.id for t in builtin]
    panel.add_target()
    row = panel.model.rowCount() - 1
    model = panel.model
    model.setData(model.index(row, 0), "sco")
    model.setData(model.index(row, 1), "Shanghai Cooperation Organisation")
    model.setData(model.index(row, 2), "SCO; Shanghai Cooperation Organisation")
    with qtbot.waitSignal(state.analysisRequested, timeout=2000):
        assert panel.apply()
    saved = parse_targets(state.targets_yaml)
    assert saved[-1].id == "sco"
    assert saved[-1].aliases == ("SCO", "Shanghai Cooperation Organisation")
    assert [t.id for t in saved[:-1]] == [t.id for t in builtin]
    # "match exactly as written" survives the edit (NATO's "the Alliance").
    assert [t.case_sensitive for t in saved[:-1]] == [t.case_sensitive for t in builtin]
    assert state.dirty
    # A fresh editor on the same project shows the saved targets.
    again = _show(qtbot, TargetsPanel(state))
    assert list(again.frame()["id"])[-1] == "sco"
    assert "this project's own" in again.status.text()


def test_targets_editor_refuses_invalid_targets(qtbot, state):
    from sinoru_desktop.panels import TargetsPanel

    panel = _show(qtbot, TargetsPanel(state))
    panel.add_target()
    assert "has no aliases" in panel.status.text()
    row = panel.model.rowCount() - 1
    panel.model.setData(panel.model.index(row, 0), "1bad")
    panel.model.setData(panel.model.index(row, 2), "Moscow")
    assert "must start with a letter" in panel.status.text()
    assert "belongs to both" in panel.status.text()  # Moscow is already Russia's
    with qtbot.assertNotEmitted(state.analysisRequested):
        assert panel.apply() is False
    assert state.targets_yaml is None


def test_sentiment_model_chooser_states_each_models_accuracy_and_re_runs(qtbot, state):
    from analysis.models import measured_accuracy
    from sinoru_desktop.panels import TargetsPanel

    panel = _show(qtbot, TargetsPanel(state))
    combo = panel.scorer_combo
    items = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
    assert [value for _, value in items] == ["linear", "transformer", "vader"]
    shipped = measured_accuracy()
    linear_f1 = shipped["target_sentiment"]["accuracy"]["macro_f1"]
    transformer_f1 = shipped["target_sentiment_transformer"]["accuracy"]["macro_f1"]
    linear_domain = shipped["target_sentiment"]["accuracy"]["domain"]["macro_f1"]
    assert items[0][0] == (f"Linear model: fast, macro-F1 {linear_f1:.2f} "
                           f"(China–Russia check {linear_domain:.2f})")
    assert items[1][0].startswith(f"Transformer: more accurate, macro-F1 {transformer_f1:.2f}")
    assert combo.currentData() == "linear"  # "auto" is shown as the linear model

    with qtbot.waitSignal(state.analysisRequested):
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
    assert state.config.target_model == "transformer"
    assert state.dirty
