"""Click a chart item the way matplotlib reports a click on it. Importable from GUI tests
as ``chart_clicks``."""
from __future__ import annotations

from matplotlib.backend_bases import MouseEvent, PickEvent

__all__ = ["pick"]


def pick(canvas, gid: str) -> None:
    """Click the chart item with ``gid`` on ``canvas``."""
    artists = canvas.figure.findobj(lambda a: a.get_gid() == gid)
    assert artists, f"no chart item {gid!r}; items: {canvas.pickable_gids()[:20]}"
    mouse = MouseEvent("button_press_event", canvas, 10, 10, button=1)
    canvas.callbacks.process("pick_event", PickEvent("pick_event", canvas, mouse, artists[0]))
