"""New results reach the Compare view over a few passes of the event loop (so the window
keeps responding while they are taken in); whatever arrives, in whatever order, the view
ends up showing exactly the newest results, every chart in its place."""
from __future__ import annotations

import pytest
from views_corpus import views_corpus

#: Every group of both analyses: the corpus's groups and its outlets.
ALL_GROUPS = ({d.get("group") for d in views_corpus()}
              | {d.get("outlet") for d in views_corpus()})


@pytest.fixture(scope="module")
def by_group_and_by_outlet():
    """Two analyses of one corpus: its groups, and its four outlets as the groups."""
    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis

    fast = {"n_boot": 50, "n_perm": 50, "n_topics": 2}
    return (run_analysis(views_corpus(), AnalysisConfig(**fast)),
            run_analysis(views_corpus(), AnalysisConfig(group_by="outlet", **fast)))


@pytest.fixture
def panel(qtbot):
    from sinoru_desktop.panels.compare_panel import ComparePanel
    from sinoru_desktop.state import AppState

    state = AppState()
    state.set_corpus(views_corpus())
    widget = ComparePanel(state)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget


def settle(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: not panel._results_steps.pending, timeout=10_000)


def chart_words(panel) -> set[str]:
    """Every text on the sentiment chart (labels, legend), as the user reads them."""
    figure = panel.card("sentiment").canvas.figure
    return {t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))}


def shown_groups(panel, candidates) -> set[str]:
    words = chart_words(panel)
    return {g for g in candidates if any(g in w for w in words)}


def layout_order(panel) -> list[str]:
    """The cards' chart keys in the order the user sees them (row, then column)."""
    grid = panel._grid
    placed = []
    for key, card in panel.cards.items():
        row, col, _rs, _cs = grid.getItemPosition(grid.indexOf(card))
        placed.append(((row, col), key))
    return [key for _pos, key in sorted(placed)]


def expect(panel, results) -> None:
    wanted = [inst.key for inst in panel.visible_instances()]
    assert panel.shown_results() is results
    assert list(panel.cards) == wanted          # none lost, none left from before
    assert layout_order(panel) == wanted        # in report order on screen
    assert shown_groups(panel, ALL_GROUPS) == set(results.group_names)


def test_results_are_taken_in_over_several_passes_and_all_charts_shown(
        qtbot, panel, by_group_and_by_outlet):
    by_group, _ = by_group_and_by_outlet
    panel.state.set_results(by_group)
    assert panel._results_steps.pending  # the rest waits for the next passes
    settle(qtbot, panel)
    expect(panel, by_group)
    # The split columns were scanned in a later pass, and are offered.
    offered = [panel.split_by.itemData(i) for i in range(panel.split_by.count())]
    assert "outlet" in offered


def test_results_replaced_while_the_previous_ones_are_being_taken_in_show_only_the_newest(
        qtbot, panel, by_group_and_by_outlet):
    by_group, by_outlet = by_group_and_by_outlet
    panel.state.set_results(by_group)
    panel._results_steps._on_next()   # one pass of the older results is done
    assert panel._results_steps.pending
    panel.state.set_results(by_outlet)  # a re-run finished meanwhile
    settle(qtbot, panel)
    expect(panel, by_outlet)
    assert len(by_outlet.group_names) == 4
    # Nothing of the older run is applied later on.
    qtbot.wait(50)
    expect(panel, by_outlet)


def test_a_chart_asked_for_while_results_are_being_taken_in_is_the_newest(
        qtbot, panel, by_group_and_by_outlet):
    by_group, by_outlet = by_group_and_by_outlet
    panel.state.set_results(by_group)
    settle(qtbot, panel)
    panel.state.set_results(by_outlet)
    # Code that needs a chart at once (an export, a grab) gets the new one.
    assert shown_groups(panel, ALL_GROUPS) == set(by_outlet.group_names)
    assert not panel._results_steps.pending
    expect(panel, by_outlet)
