"""A long list of passages is laid out a few lines at a time, and every line ends up
shown whole: its match, its source below it."""
from __future__ import annotations

from sinoru_desktop.panels.kwic_list import BATCH_SIZE, KwicList


def test_hundreds_of_passages_are_all_shown_at_their_wrapped_height(qtbot):
    kwic = KwicList()
    qtbot.addWidget(kwic)
    kwic.resize(500, 300)
    n = 8 * BATCH_SIZE + 3
    for i in range(n):
        kwic.add_line("talks between the two sides ended, " * (1 + i % 3), "sanctions",
                      f" were discussed again {i}", f"Outlet {i % 5}, Article {i}", f"d{i}",
                      10, 19)
    kwic.show()
    qtbot.waitUntil(lambda: kwic.visualItemRect(kwic.item(n - 1)).height() > 0,
                    timeout=30_000)
    one_line = kwic.fontMetrics().height()
    rects = [kwic.visualItemRect(kwic.item(i)) for i in range(n)]
    # each line holds its passage and its source below it, longer passages wrapped taller
    assert all(r.height() >= 2 * one_line for r in rects)
    assert rects[2].height() > rects[0].height()
    assert all(a.bottom() < b.top() + 1  # one below another
               for a, b in zip(rects, rects[1:], strict=False))
    kwic.scrollToItem(kwic.item(n - 1))
    qtbot.waitUntil(lambda: kwic.viewport().rect().intersects(
        kwic.visualItemRect(kwic.item(n - 1))), timeout=10_000)
