"""Click a chart item the way matplotlib reports a click on it. Importable from GUI tests
as ``chart_clicks``."""
from __future__ import annotations

from matplotlib.backend_bases import MouseEvent, PickEvent

__all__ = ["pick", "pick_passages"]


def pick(canvas, gid: str) -> None:
    """Click the chart item with ``gid`` on ``canvas``."""
    artists = canvas.figure.findobj(lambda a: a.get_gid() == gid)
    assert artists, f"no chart item {gid!r}; items: {canvas.pickable_gids()[:20]}"
    mouse = MouseEvent("button_press_event", canvas, 10, 10, button=1)
    canvas.callbacks.process("pick_event", PickEvent("pick_event", canvas, mouse, artists[0]))


def pick_passages(qtbot, canvas, drill, gid: str):
    """Click chart item ``gid`` and wait until ``drill`` (its drill-down panel) lists the
    passages (read off the GUI thread when they come from a project's row tables);
    returns them as :meth:`DrillDownPanel.passages_frame` gives them."""
    pick(canvas, gid)
    qtbot.waitUntil(lambda: not drill.reading, timeout=30_000)
    return drill.passages_frame()
