"""Compare: split every chart by a second column (here the year), drill down to one
cell's passages, and show each outlet as its own point beside its group."""
from __future__ import annotations

from dataclasses import replace

import pytest
from chart_clicks import pick
from PySide6.QtCore import QPoint, Qt
from views_corpus import views_corpus

from analysis.corpus import Corpus

#: The views corpus with its March articles moved to 2023: two years per group.
LATER = {"s3": "2023-03-07", "s4": "2023-03-21", "w3": "2023-03-09", "w4": "2023-03-28"}


def _two_years() -> Corpus:
    return Corpus([replace(d, meta={**d.meta, "date": LATER.get(d.doc_id, d.get("date"))})
                   for d in views_corpus()])


@pytest.fixture(scope="module")
def results():
    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis

    return run_analysis(_two_years(), AnalysisConfig(n_boot=100, n_perm=100))


@pytest.fixture
def panel(qtbot, results):
    from analysis.config import AnalysisConfig
    from sinoru_desktop.panels.compare_panel import ComparePanel
    from sinoru_desktop.state import AppState

    state = AppState()
    state.set_config(AnalysisConfig(n_boot=100, n_perm=100))
    state.set_corpus(_two_years())
    state.set_results(results)
    widget = ComparePanel(state)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget



def _legend(card) -> list[str]:
    legend = card.canvas.figure.axes[0].get_legend()
    return [t.get_text() for t in legend.get_texts()]


def _choose(qtbot, combo, text: str) -> None:
    """Pick ``text`` in a combo box with the keyboard, as a user would."""
    combo.setFocus()
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    while combo.currentIndex() != index:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)


def test_split_by_year_shows_each_group_and_year_with_its_passages(qtbot, panel, results):
    assert [panel.split_by.itemText(i) for i in range(panel.split_by.count())] == \
        ["No split", "Outlet", "Year"]
    assert len([k for k in panel.cards if k.startswith("keyness")]) == 2
    _choose(qtbot, panel.split_by, "Year")
    cells = ["state \u00b7 2022 (n=2)", "state \u00b7 2023 (n=2)", "world \u00b7 2022 (n=2)",
             "world \u00b7 2023 (n=2)"]
    assert _legend(panel.card("sentiment")) == cells
    assert _legend(panel.card("frames")) == cells
    assert not [k for k in panel.cards if k.startswith(("keyness", "topics"))]
    assert "Split by year" in panel.hint.text()
    # A cell's mean is the mean of its documents; too small for an interval, its
    # documents are shown instead (the range of these documents).
    docs = results.table("documents").set_index("doc_id")
    mean = panel.card("sentiment").canvas.figure.findobj(
        lambda a: a.get_gid() == "sentiment|mean|world \u00b7 2023")[0]
    assert mean.get_xdata()[0] == pytest.approx(docs.loc[["w3", "w4"], "sentiment.mean"].mean())
    assert "the range of these documents" in panel.card("sentiment").caption.text()
    # Drill down: the passages of that cell only.
    pick(panel.card("sentiment").canvas, "sentiment|mean|world \u00b7 2023")
    assert panel.drill.isVisible()
    assert list(panel.drill.lists) == [c.rsplit(" (", 1)[0] for c in cells]
    shown = panel.drill.passages_frame()
    later = shown[shown["group"] == "world \u00b7 2023"]
    assert len(later) and set(later["doc_id"]) <= {"w3", "w4"}
    assert set(shown[shown["group"] == "state \u00b7 2022"]["doc_id"]) <= {"s1", "s2"}
    assert panel.state.ui["compare"]["split"] == "year"
    _choose(qtbot, panel.split_by, "No split")
    assert _legend(panel.card("sentiment")) == ["state (n=4)", "world (n=4)"]
    assert panel.drill.cells is None


def test_outlet_points_name_each_outlet_beside_its_group(qtbot, panel, results):
    from analysis.charts._common import tip_of

    card = panel.card("targets")
    assert not card.canvas.figure.findobj(lambda a: bool(tip_of(a)))
    box = panel.outlet_points
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    card = panel.card("targets")
    marks = card.canvas.figure.findobj(lambda a: getattr(a, "sinoru_outlet", None) is not None)
    # Russia is mentioned in every article: one square per outlet (four), and the
    # partnership in every article too.
    russia = [m for m in marks if abs(m.get_ydata()[0]) < 0.5]
    assert sorted(m.sinoru_outlet for m in russia) == ["Daily Herald", "Evening Post",
                                                      "Morning Wire", "Night Report"]
    herald = next(m for m in russia if m.sinoru_outlet == "Daily Herald")
    docs = results.table("documents").set_index("doc_id")
    assert herald.get_xdata()[0] == pytest.approx(docs.loc[["s1", "s2"], "targets.russia"].mean())
    assert tip_of(herald).startswith("Daily Herald (state): ")
    assert tip_of(herald).endswith("over 2 documents")
    assert "Squares: each outlet's own mean" in card.caption.text()
    frames = panel.card("frames").canvas.figure
    assert frames.findobj(lambda a: getattr(a, "sinoru_outlet", None) == "Night Report")
    assert panel.state.ui["compare"]["outlet_points"] is True


def test_the_report_carries_the_split_chosen_in_compare(qtbot, no_dialogs):
    """File > Export report… starts with the Compare view's split; the outline lists it."""
    from gui_corpus import analyse, close_window, make_corpus, open_window

    from sinoru_desktop.exports import show_report_export

    corpus = make_corpus()
    window = open_window(qtbot, corpus, analyse(corpus))
    try:
        window.show_panel("compare")
        compare = window.panels["compare"]
        _choose(qtbot, compare.split_by, "Outlet")
        assert "Xinhua" in " ".join(_legend(compare.card("sentiment")))
        dialog = show_report_export(window)
        qtbot.addWidget(dialog)
        assert dialog.split_by.currentData() == "outlet"
        assert dialog.options().split_by == "outlet"
        outline = [dialog.outline.item(i).text() for i in range(dialog.outline.count())]
        assert any(line.startswith("Charts split by outlet") for line in outline)
        _choose(qtbot, dialog.split_by, "No split")
        outline = [dialog.outline.item(i).text() for i in range(dialog.outline.count())]
        assert not any("split by" in line for line in outline)
        dialog.close()
    finally:
        close_window(window)
