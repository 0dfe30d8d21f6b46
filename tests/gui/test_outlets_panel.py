"""The Outlets view: a group figure with each outlet of the group as its own point."""
from __future__ import annotations

import pytest
from views_corpus import shown_panel, views_corpus, views_results


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
    labels = [t.get_text().strip() for t in ax.get_yticklabels()]
    assert labels == ["state (n=4)", "Daily Herald (2)", "Evening Post (2)",
                      "world (n=4)", "Morning Wire (2)", "Night Report (2)"]
    docs = results.table("documents")
    herald = docs[docs["outlet"] == "Daily Herald"]["sentiment.mean"].mean()
    dots = {line.get_ydata()[0]: line for line in ax.lines if line.get_marker() == "o"}
    assert dots[1].get_xdata()[0] == pytest.approx(herald)    # the row of its name
    from analysis.charts._common import tip_of
    assert tip_of(dots[1]).startswith("Daily Herald (state): mean ")
    assert tip_of(dots[1]).endswith("over 2 documents")
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


def _all_texts(figure):
    """Every text drawn on the chart, with its box on the canvas."""
    renderer = figure.canvas.get_renderer()
    out = []
    for ax in figure.axes:
        texts = [ax.title, ax.xaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels(),
                 *ax.texts]
        out += [(t.get_text(), t.get_window_extent(renderer)) for t in texts
                if t.get_visible() and t.get_text()]
    return out


@pytest.fixture(scope="module")
def six_outlets():
    """Three outlets per group, with real-length group names."""
    from gui_corpus import analyse, make_corpus

    corpus = make_corpus()
    return corpus, analyse(corpus)


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
@pytest.mark.parametrize("which", ["views", "six_outlets"])
def test_outlet_names_collide_with_nothing(qtbot, results, six_outlets, size, which):
    """Outlet names used to sit on the axis line, across the y axis and across the
    group's own marker."""
    from sinoru_desktop.panels.outlets_panel import OutletsPanel
    from sinoru_desktop.state import AppState

    if which == "views":
        panel = shown_panel(qtbot, OutletsPanel, results, size)
        outlets = ("Daily Herald", "Evening Post", "Morning Wire", "Night Report")
    else:
        state = AppState()
        state.set_corpus(six_outlets[0])
        state.set_results(six_outlets[1])
        panel = OutletsPanel(state)
        qtbot.addWidget(panel)
        panel.resize(*size)
        with qtbot.waitExposed(panel):
            panel.show()
        outlets = ("Xinhua", "China Daily", "Global Times", "Reuters", "BBC", "The Guardian")
    panel.card.canvas.flush()
    figure = panel.card.canvas.figure
    figure.canvas.draw()
    texts = _all_texts(figure)
    names = [t for t, _ in texts]
    for outlet in outlets:
        assert any(outlet in name for name in names)
    for i, (text, box) in enumerate(texts):
        for other, obox in texts[:i]:
            assert not box.overlaps(obox), f"'{text}' overlaps '{other}'"
    ax = figure.axes[0]
    frame = ax.get_window_extent()
    spine_y = frame.y0
    for text in ax.texts:
        box = text.get_window_extent(figure.canvas.get_renderer())
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, f"'{text.get_text()}' leaves the axes"
        assert box.y0 > spine_y, f"'{text.get_text()}' sits on the axis line"
    # No name covers a group's mean (the diamonds).
    renderer = figure.canvas.get_renderer()
    for line in ax.lines:
        if line.get_marker() == "D":
            x, y = ax.transData.transform((line.get_xdata()[0], line.get_ydata()[0]))
            for text, box in texts:
                assert not box.contains(x, y), f"'{text}' covers a group's mean"
    assert renderer is not None
