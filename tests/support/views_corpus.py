"""A small dated corpus of our own writing for the visual views (term map, word shift,
collocations, framing over time): two groups, two outlets each, before and after an event."""
from __future__ import annotations

from analysis.corpus import Corpus, Document

#: (doc_id, group, outlet, date, text)
ARTICLES = (
    ("s1", "state", "Daily Herald", "2022-01-10",
     "The partnership with Russia brings great benefits and friendly cooperation. Leaders "
     "praised the wonderful partnership and its bright future."),
    ("s2", "state", "Daily Herald", "2022-01-24",
     "Friendly cooperation with Russia grows. The partnership is a great success and both "
     "peoples enjoy the benefits of trust."),
    ("s3", "state", "Evening Post", "2022-03-07",
     "Russia and our country keep a friendly partnership. Cooperation in energy is a great "
     "success, officials said, and trust is strong."),
    ("s4", "state", "Evening Post", "2022-03-21",
     "The partnership with Russia remains a success. Leaders hailed the friendly talks and "
     "the win-win cooperation in trade."),
    ("w1", "world", "Morning Wire", "2022-01-12",
     "Critics fear the partnership with Russia hides deep distrust. Sanctions threaten "
     "trade and analysts warn of a dangerous crisis."),
    ("w2", "world", "Morning Wire", "2022-02-02",
     "Russia faces sanctions and the partnership looks weak. Analysts warn the alliance is "
     "a fragile bargain amid war fears."),
    ("w3", "world", "Night Report", "2022-03-09",
     "The war brought sanctions on Russia. Critics say the partnership is a dangerous "
     "alliance and distrust lingers amid the crisis."),
    ("w4", "world", "Night Report", "2022-03-28",
     "Analysts warn the war hurts trade. Sanctions on Russia deepen the crisis and the "
     "partnership faces distrust and fear."),
)


def views_corpus() -> Corpus:
    return Corpus([Document(doc_id, text, meta={"group": group, "outlet": outlet,
                                                "date": date, "title": f"Story {doc_id}"})
                   for doc_id, group, outlet, date, text in ARTICLES])


def views_results(**config):
    """The real pipeline's results on :func:`views_corpus` (few resamples: fast)."""
    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis

    settings = {"n_boot": 100, "n_perm": 100, **config}
    return run_analysis(views_corpus(), AnalysisConfig(**settings))


def shown_panel(qtbot, panel_class, results, size=(1280, 800), config=None):
    """A ``panel_class(state)`` on :func:`views_corpus` and ``results``, shown at ``size``
    as the main window would show it (``config``: the state's analysis settings)."""
    from sinoru_desktop.state import AppState

    state = AppState()
    if config is not None:
        state.set_config(config)
    state.set_corpus(views_corpus())
    state.set_results(results)
    widget = panel_class(state)
    qtbot.addWidget(widget)
    widget.resize(*size)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget
