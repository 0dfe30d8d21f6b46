"""The Over time view as a user drives it: choose a figure, type events, before/after."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from views_corpus import shown_panel, views_results


@pytest.fixture(scope="module")
def results():
    return views_results()


@pytest.fixture
def panel(qtbot, results):
    from analysis.config import AnalysisConfig
    from sinoru_desktop.panels.timeline_panel import TimelinePanel

    widget = shown_panel(qtbot, TimelinePanel, results, (1024, 700), config=AnalysisConfig(n_boot=100, n_perm=200))
    return widget


def _line_points(panel, group):
    ax = panel.card.canvas.figure.axes[0]
    for line in ax.lines:
        if line.get_label().startswith(group):
            return list(line.get_ydata())
    raise AssertionError(f"no line for {group}")


def test_tone_per_month_per_group(panel, results):
    assert panel.measure.currentText() == "Sentence tone (VADER)"
    docs = results.table("documents")
    jan = docs[(docs["group_label"] == "state") & docs["date"].str.startswith("2022-01")]
    assert _line_points(panel, "state")[0] == pytest.approx(jan["sentiment.mean"].mean())
    assert len(_line_points(panel, "world")) == 3     # January, February, March
    panel.period.setCurrentIndex(panel.period.findData("quarter"))
    assert len(_line_points(panel, "world")) == 1


def test_events_are_marked_and_before_after_is_one_click(qtbot, panel, results):
    qtbot.keyClicks(panel.events_edit, "2022-02-04 joint statement; 2022-02-24 invasion")
    qtbot.keyClick(panel.events_edit, Qt.Key.Key_Return)
    assert "2022-02-24 invasion" in panel.card.caption.text()
    assert panel.state.ui["timeline_events"].endswith("invasion")
    panel.event_choice.setCurrentIndex(1)
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    assert panel.table.isVisible()
    frame = panel.table.model().frame.set_index("group")
    docs = results.table("documents")
    state_docs = docs[docs["group_label"] == "state"]
    before = state_docs[state_docs["date"] < "2022-02-24"]["sentiment.mean"].mean()
    assert frame.loc["state", "mean_before"] == pytest.approx(before)
    assert (frame.loc["state", "n_before"], frame.loc["state", "n_after"]) == (2, 2)


def test_a_bad_event_date_is_named(qtbot, panel):
    qtbot.keyClicks(panel.events_edit, "24/02/2022 invasion")
    qtbot.keyClick(panel.events_edit, Qt.Key.Key_Return)
    assert "event 1" in panel.message.text() and "YYYY-MM-DD" in panel.message.text()


def test_target_tone_over_time(panel):
    panel.measure.setCurrentIndex(panel.measure.findData("targets.russia"))
    assert "Tone toward Russia by month" in panel.card.canvas.figure.axes[0].get_title(loc="left")


def test_large_projects_compute_off_the_gui_thread(qtbot, panel, monkeypatch):
    from sinoru_desktop.panels import timeline_panel

    monkeypatch.setattr(timeline_panel, "SYNC_LIMIT", 0)
    panel.period.setCurrentIndex(panel.period.findData("quarter"))
    qtbot.waitUntil(lambda: not panel._runner.busy, timeout=10_000)
    qtbot.waitUntil(lambda: "by quarter" in
                    panel.card.canvas.figure.axes[0].get_title(loc="left"), timeout=5_000)
    assert len(_line_points(panel, "world")) == 1


def test_a_year_only_date_is_not_drawn_as_january(qtbot, results):
    """A document dated "2022" is left out of the months (the caption says so) and shown
    when the user chooses years."""
    from dataclasses import replace

    from views_corpus import views_corpus

    from analysis.config import AnalysisConfig
    from analysis.corpus import Corpus
    from analysis.pipeline import run_analysis
    from sinoru_desktop.panels.timeline_panel import TimelinePanel

    docs = [replace(d, meta={**d.meta, "date": "2022"}) if d.doc_id == "w2" else d
            for d in views_corpus()]
    vague = run_analysis(Corpus(docs), AnalysisConfig(n_boot=100, n_perm=100))
    panel = shown_panel(qtbot, TimelinePanel, vague, (1024, 700))
    world = vague.table("documents").set_index("doc_id")
    january = world.loc[["w1"], "sentiment.mean"].mean()     # w1 only, not the year-only w2
    assert _line_points(panel, "world") == pytest.approx([january, *_line_points(panel, "world")[1:]])
    assert len(_line_points(panel, "world")) == 2            # January and March; no February
    assert "1 document dated only by year is not placed in a month" in panel.card.caption.text()
    panel.period.setCurrentIndex(panel.period.findData("year"))
    assert _line_points(panel, "world") == pytest.approx(
        [world.loc[["w1", "w2", "w3", "w4"], "sentiment.mean"].mean()])
    assert "dated only by year" not in panel.card.caption.text()
