"""Compare's charts are built once their card is in view, on the render thread: results
arriving build none of the cards out of view, scrolling to a card draws it (never left
blank), a re-run after a codebook edit shows the new numbers, and a reopened project
shows its charts."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from menu_actions import menu_action


def run_from_menu(qtbot, window):
    before = window.state.results
    menu_action(window, "analysis", "Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy and window.state.results is not before,
                    timeout=180_000)
    return window.state.results


def conflict_share(results, group: str) -> float:
    return results.groups[group]["frames"]["generic"]["conflict"]["share"]


def in_view(panel) -> list:
    return [c for c in panel.cards.values() if c.isVisible() and not c.visibleRegion().isEmpty()]


def out_of_view(panel) -> list:
    return [c for c in panel.cards.values() if c.visibleRegion().isEmpty()]


def wait_charts_in_view(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: in_view(panel) and all(c.built for c in in_view(panel)),
                    timeout=60_000)


def frame_bars(card, groups) -> dict[str, float]:
    """The frame chart's Conflict bar per group, as drawn (percent of sentences)."""
    bars = {}
    for g in groups:
        found = card.canvas.figure.findobj(lambda a, g=g: a.get_gid() == f"frames|conflict|{g}")
        assert found, f"no Conflict bar for {g}: {card.canvas.pickable_gids()[:10]}"
        bars[g] = found[0].get_width()
    return bars


def frames_card(panel):
    return next(c for k, c in panel.cards.items() if panel._instances[k].chart_id == "frames")


def not_blank(widget) -> bool:
    image = widget.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    return len(colours) > 3


@pytest.fixture
def window(make_window):
    return make_window(auto_analyse=False)


def test_results_build_only_the_charts_in_view_and_scrolling_draws_the_rest(
        qtbot, two_group_window, tmp_path):
    window = two_group_window
    run_from_menu(qtbot, window)
    compare = window.panels["compare"]
    assert window.panel_stack.currentWidget() is compare
    wait_charts_in_view(qtbot, compare)
    hidden = out_of_view(compare)
    assert hidden, "the test needs cards below the fold"
    # Nothing was built for the cards the user cannot see (their figures are empty).
    assert not any(c.built for c in hidden)
    assert all(c.canvas.figure.axes == [] for c in hidden)
    assert all(not_blank(c.canvas) for c in in_view(compare))
    # Scrolling down draws each card as it comes into view.
    last = hidden[-1]
    compare.scroll.ensureWidgetVisible(last)
    qtbot.waitUntil(lambda: last.built, timeout=60_000)
    assert last.canvas.figure.axes and not_blank(last.canvas)
    assert last.caption.text()
    compare.grab().save(str(tmp_path / "compare_scrolled.png"))


def test_rerun_after_a_term_edit_draws_the_new_shares(qtbot, window, seeds_dir):
    window.start_import([str(seeds_dir)], str(seeds_dir / "manifest.csv"))
    qtbot.waitUntil(lambda: window.state.has_documents and not window.runner.busy,
                    timeout=60_000)
    first = run_from_menu(qtbot, window)
    compare = window.panels["compare"]
    card = frames_card(compare)
    compare.scroll.ensureWidgetVisible(card)
    qtbot.waitUntil(lambda: card.built, timeout=60_000)
    groups = first.group_names
    shown = frame_bars(card, groups)
    assert shown == pytest.approx({g: 100 * conflict_share(first, g) for g in groups})

    window.show_panel("codebooks")
    panel = window.panels["codebooks"]
    for i in range(panel.books.count()):
        if panel.books.item(i).data(Qt.ItemDataRole.UserRole) == "generic":
            panel.books.setCurrentRow(i)
    panel.frames.setCurrentRow(0)
    panel.terms.add("partnership*")
    with qtbot.waitSignal(window.runner.finished, timeout=180_000):
        assert panel.apply()  # Apply re-runs the analysis
    qtbot.waitUntil(lambda: window.state.results is not first, timeout=180_000)
    second = window.state.results
    assert window.panel_stack.currentWidget() is compare
    card = frames_card(compare)
    compare.scroll.ensureWidgetVisible(card)
    qtbot.waitUntil(lambda: card.built, timeout=60_000)
    again = frame_bars(card, groups)
    assert again == pytest.approx({g: 100 * conflict_share(second, g) for g in groups})
    assert any(again[g] > shown[g] for g in groups)  # the seeds speak of partnership


def test_a_reopened_project_shows_its_charts(qtbot, two_group_window, make_window, tmp_path,
                                             monkeypatch):
    results = run_from_menu(qtbot, two_group_window)
    path = tmp_path / "two.sinoru"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    menu_action(two_group_window, "file", "Save As").trigger()
    qtbot.waitUntil(lambda: not two_group_window.saver.busy
                    and not two_group_window.state.dirty, timeout=60_000)
    two_group_window.close()

    window = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    menu_action(window, "file", "Open").trigger()
    qtbot.waitUntil(lambda: window.state.project_path == str(path.resolve())
                    and window.state.results is not None, timeout=60_000)
    compare = window.panels["compare"]
    assert window.panel_stack.currentWidget() is compare
    wait_charts_in_view(qtbot, compare)
    card = frames_card(compare)
    compare.scroll.ensureWidgetVisible(card)
    qtbot.waitUntil(lambda: card.built, timeout=60_000)
    groups = results.group_names
    assert frame_bars(card, groups) == pytest.approx(
        {g: 100 * conflict_share(results, g) for g in groups})
    assert not_blank(card.canvas)
