"""The Outlets view's caption on a corpus like the seed articles: every outlet gives one
document and one document has no outlet. "(no outlet)" is not an outlet, and when no
outlet gives more documents than the others none of them is "the largest"."""
from __future__ import annotations

from gui_corpus import analyse, close_window, make_corpus, open_window

from analysis.corpus import Corpus


def test_no_largest_outlet_among_equals_nor_a_missing_outlet(qtbot, no_dialogs):
    docs = list(make_corpus().documents)
    docs[0] = docs[0].with_meta(outlet="")  # an article whose outlet is not known
    corpus = Corpus(docs)
    window = open_window(qtbot, corpus, analyse(corpus))
    try:
        window.show_panel("outlets")
        panel = window.panels["outlets"]
        qtbot.waitUntil(lambda: panel.card.caption.text().startswith("Diamonds"),
                        timeout=60_000)
        caption = panel.card.caption.text()
        assert "(no outlet)" not in caption
        assert "largest outlet" not in caption
        labels = {t.get_text().strip()
                  for t in panel.card.canvas.figure.axes[0].get_yticklabels()}
        assert "(no outlet) (1)" in labels  # still drawn as its own point
    finally:
        close_window(window)


def test_the_one_prolific_outlet_is_named(qtbot, no_dialogs):
    docs = [d.with_meta(outlet="Xinhua") if d.doc_id in ("c1", "c2") else d
            for d in make_corpus().documents]
    corpus = Corpus(docs)
    window = open_window(qtbot, corpus, analyse(corpus))
    try:
        window.show_panel("outlets")
        panel = window.panels["outlets"]
        qtbot.waitUntil(lambda: panel.card.caption.text().startswith("Diamonds"),
                        timeout=60_000)
        assert "The largest outlet, Xinhua, gives 2 of" in panel.card.caption.text()
    finally:
        close_window(window)
