"""The Outlets view: a group figure with each outlet of the group as its own point."""
from __future__ import annotations

import pytest
from views_corpus import views_corpus, views_results


@pytest.fixture(scope="module")
def results():
    return views_results()


def test_each_outlet_is_its_own_point(qtbot, results):
    from analysis.config import AnalysisConfig
    from sinoru_desktop.panels.outlets_panel import OutletsPanel
    from sinoru_desktop.state import AppState

    state = AppState()
    state.set_config(AnalysisConfig(n_boot=100))
    state.set_corpus(views_corpus())
    state.set_results(results)
    panel = OutletsPanel(state)
    qtbot.addWidget(panel)
    panel.resize(1024, 700)
    with qtbot.waitExposed(panel):
        panel.show()
    ax = panel.card.canvas.figure.axes[0]
    labels = sorted(t.get_text() for t in ax.texts)
    assert labels == ["Daily Herald (2)", "Evening Post (2)", "Morning Wire (2)",
                      "Night Report (2)"]
    docs = results.table("documents")
    herald = docs[docs["outlet"] == "Daily Herald"]["sentiment.mean"].mean()
    xs = [x for c in ax.collections for x, _y in c.get_offsets()]
    assert any(x == pytest.approx(herald) for x in xs)
    panel.measure.setCurrentIndex(panel.measure.findData("targets.russia"))
    assert "Tone toward Russia" in ax.figure.axes[0].get_title(loc="left")


@pytest.mark.parametrize("module, name", [
    ("termmap_panel", "TermMapPanel"), ("wordshift_panel", "WordShiftPanel"),
    ("collocations_panel", "CollocationsPanel"), ("timeline_panel", "TimelinePanel"),
    ("outlets_panel", "OutletsPanel")])
def test_each_view_says_what_to_do_before_any_analysis(qtbot, module, name):
    import importlib

    from PySide6.QtWidgets import QLabel

    from sinoru_desktop.state import AppState

    panel = getattr(importlib.import_module(f"sinoru_desktop.panels.{module}"), name)(AppState())
    qtbot.addWidget(panel)
    with qtbot.waitExposed(panel):
        panel.show()
    texts = " ".join(label.text() for label in panel.findChildren(QLabel))
    if name == "CollocationsPanel":
        assert panel.target.count() == 0
    else:
        assert "Run the analysis" in texts
