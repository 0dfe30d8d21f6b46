"""Compare's charts are built once their card is in view, on the render thread: results
arriving build none of the cards out of view, and scrolling to a card draws it (never
left blank)."""
from __future__ import annotations

from menu_actions import menu_action


def run_from_menu(qtbot, window):
    before = window.state.results
    menu_action(window, "analysis", "Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy and window.state.results is not before,
                    timeout=180_000)
    return window.state.results


def in_view(panel) -> list:
    return [c for c in panel.cards.values() if c.isVisible() and not c.visibleRegion().isEmpty()]


def out_of_view(panel) -> list:
    return [c for c in panel.cards.values() if c.visibleRegion().isEmpty()]


def wait_charts_in_view(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: in_view(panel) and all(c.built for c in in_view(panel)),
                    timeout=60_000)


def not_blank(widget) -> bool:
    image = widget.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    return len(colours) > 3


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
