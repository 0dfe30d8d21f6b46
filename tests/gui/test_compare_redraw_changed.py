"""A re-run redraws only the Compare charts whose figures changed: after a codebook edit
that changes one frame, the frame chart shows the new shares and the other charts in view
keep the picture they had (nothing is drawn for them); a re-run that changes nothing
redraws nothing."""
from __future__ import annotations

import pytest


@pytest.fixture
def window(make_window):
    return make_window(auto_analyse=False)


def menu_action(window, text: str):
    return next(a for m in window.menuBar().actions() for a in m.menu().actions()
                if a.text() == text)


def in_view(panel) -> dict:
    return {key: card for key, card in panel.cards.items()
            if card.isVisible() and not card.visibleRegion().isEmpty()}


def wait_charts_in_view(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: in_view(panel) and all(c.built for c in in_view(panel).values()),
                    timeout=60_000)


def run_from_menu(qtbot, window):
    before = window.state.results
    menu_action(window, "&Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy and window.state.results is not before,
                    timeout=180_000)
    wait_charts_in_view(qtbot, window.panels["compare"])
    return window.state.results


def conflict_bars(card) -> dict[str, float]:
    """The Conflict bars' lengths the user sees on the frame chart, by group (percent)."""
    return {artist.get_gid().rsplit("|", 1)[1]: artist.get_width()
            for artist in card.canvas.figure.findobj(
                lambda a: str(a.get_gid()).startswith("frames|generic.conflict|"))}


def pictures(cards: dict) -> dict:
    """Each card's figure and the pixels it shows."""
    return {key: (card.canvas.figure, card.canvas.grab().toImage()) for key, card in cards.items()}


def test_a_frame_edit_redraws_the_frame_chart_only(qtbot, window, no_dialogs, seeds_dir,
                                                   add_conflict_term):
    window.start_import([str(seeds_dir)], str(seeds_dir / "manifest.csv"))
    qtbot.waitUntil(lambda: window.state.has_documents and not window.runner.busy,
                    timeout=60_000)
    first = run_from_menu(qtbot, window)
    compare = window.panels["compare"]
    assert window.panel_stack.currentWidget() is compare
    frames = compare.cards["frames:generic"]
    others = {k: c for k, c in in_view(compare).items() if k != "frames:generic"}
    assert "frames:generic" in in_view(compare) and "sentiment" in others
    shares = first.groups
    assert conflict_bars(frames) == pytest.approx(
        {g: 100 * shares[g]["frames"]["generic"]["conflict"]["share"] for g in shares})
    before_frames = frames.canvas.figure
    before_others = pictures(others)

    # Add "sanction*" to the generic codebook's Conflict frame in the Codebooks view.
    second = add_conflict_term(window, "sanction*")
    window.show_panel("compare")
    wait_charts_in_view(qtbot, compare)

    # The frame chart is drawn again and shows the new shares (the seeds speak of sanctions).
    after = {g: 100 * second.groups[g]["frames"]["generic"]["conflict"]["share"]
             for g in second.group_names}
    assert frames.canvas.figure is not before_frames
    assert conflict_bars(frames) == pytest.approx(after)
    assert conflict_bars(frames) != pytest.approx(
        {g: 100 * shares[g]["frames"]["generic"]["conflict"]["share"] for g in shares})
    # The charts whose figures did not change kept their picture: not drawn again.
    for key, (figure, image) in before_others.items():
        card = compare.cards[key]
        assert card.canvas.figure is figure, key
        assert card.canvas.grab().toImage() == image, key

    # A re-run with nothing changed draws nothing.
    shown = pictures(in_view(compare))
    run_from_menu(qtbot, window)
    for key, (figure, image) in shown.items():
        assert compare.cards[key].canvas.figure is figure, key
        assert compare.cards[key].canvas.grab().toImage() == image, key
    assert no_dialogs.calls == []
