"""A small analysed corpus for GUI tests of what the views show, with titles a user might
import: markup-like titles ("US<China …", "<img src=…>") and 80-character group names.

Importable from tests as ``gui_corpus`` (tests/support is on pytest's path). The texts are
written for these tests.
"""
from __future__ import annotations

from analysis.config import AnalysisConfig
from analysis.corpus import Corpus, Document

#: A real-length group name: legends and tables must show it whole or elided with a tooltip.
LONG_GROUP = "Peace and Development (China Institute of International Studies) quarterly"
OTHER_GROUP = "Western wire services and broadsheets"
#: Titles that look like markup: each must show as these exact characters.
IMG_TITLE = "<img src=file:///etc/hostname> Summit report"
LINK_TITLE = "<a href=https://example.org>Click</a> partnership news"
LT_TITLE = "US<China trade talks stall"

TEXTS = {
    "c1": (LONG_GROUP, "Xinhua", LT_TITLE,
           "The summit took place on Tuesday in the capital. China and Russia deepened their "
           "strategic partnership of coordination and praised mutual trust.\nBoth sides "
           "welcomed win-win cooperation in energy and trade and support a multipolar "
           "world."),
    "c2": (LONG_GROUP, "China Daily", IMG_TITLE,
           "Delegations met at the guest house on Monday. Beijing and Moscow will expand "
           "win-win cooperation in energy and science, a great success for both peoples.\n"
           "Mutual trust is the foundation of the strategic partnership, officials said."),
    "c3": (LONG_GROUP, "Global Times", LINK_TITLE,
           "The talks lasted two days. Experts say the partnership has strong endogenous "
           "dynamics and trade reached a record.\nThe two countries firmly support each "
           "other and promote a multipolar world."),
    "w1": (OTHER_GROUP, "Reuters", "Limits of a partnership",
           "The meeting was held in the Kremlin. Analysts say the partnership may be weaker "
           "than it looks and sanctions have hurt payments.\nCritics warn that Moscow is "
           "becoming a junior partner in a conflict of interests."),
    "w2": (OTHER_GROUP, "BBC", "War tests ties",
           "The delegation arrived by train. The war has tested ties between Beijing and "
           "Moscow, and analysts fear secondary sanctions from Washington.\nTrade grew, but "
           "the banks remain cautious and distrust lingers."),
    "w3": (OTHER_GROUP, "The Guardian", "An axis of convenience",
           "The visit ended on Friday. Critics say Russia depends on Chinese buyers for its "
           "oil, an axis of convenience with bitter disputes.\nSanctions and the war have "
           "made Moscow the junior partner, and the tension is a threat."),
}


def make_corpus() -> Corpus:
    return Corpus([Document(k, text, meta={"group": g, "outlet": outlet, "title": title})
                   for k, (g, outlet, title, text) in TEXTS.items()])


def analyse(corpus: Corpus):
    """The real pipeline with few resamples (fast; the figures are still the engine's)."""
    from analysis.pipeline import run_analysis

    return run_analysis(corpus, AnalysisConfig(n_boot=100, n_perm=100))


_CHINESE_SENTENCES = (
    "China and Russia deepened their strategic partnership of coordination.",
    "Both sides praised win-win cooperation in energy and trade.",
    "Officials said mutual trust has never been stronger.",
    "The two countries support a multipolar world and oppose hegemonism.",
)
_WESTERN_SENTENCES = (
    "Western sanctions have hurt payments between the two countries.",
    "Critics warn that Moscow is becoming a junior partner of Beijing.",
    "Analysts say the partnership faces limits and distrust lingers.",
    "Banks remain cautious about secondary sanctions from Washington.",
)


def make_contrast_corpus(n_per_group: int = 10) -> Corpus:
    """Two groups whose framing differs strongly, large enough for differences to hold
    after Benjamini–Hochberg correction."""
    docs = []
    for g, outlet_base, sentences in ((LONG_GROUP, "State outlet", _CHINESE_SENTENCES),
                                      (OTHER_GROUP, "Wire", _WESTERN_SENTENCES)):
        for i in range(n_per_group):
            picked = [sentences[(i + k) % len(sentences)] for k in range(3)]
            text = f"Report number {i + 1} on the meeting. " + " ".join(picked)
            docs.append(Document(f"{outlet_base[:1].lower()}{i:02d}", text,
                                 meta={"group": g, "outlet": f"{outlet_base} {i % 4}",
                                       "title": f"{outlet_base} report {i + 1}"}))
    return Corpus(docs)


def analyse_contrast(corpus: Corpus):
    """The real pipeline with enough permutations for q-values below 0.05."""
    from analysis.pipeline import run_analysis

    return run_analysis(corpus, AnalysisConfig(n_boot=100, n_perm=999))


def open_window(qtbot, corpus: Corpus, results, width: int = 1280):
    """A main window at ``width`` x 800 showing ``corpus`` and its ``results`` as an
    opened project would; close it with :func:`close_window`."""
    from sinoru_desktop.main_window import MainWindow
    from sinoru_desktop.project import Project

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(width, 800)
    with qtbot.waitExposed(window):
        window.show()
    window.load_into_state(Project(corpus=corpus, config=window.state.config,
                                   results=results), None)
    return window


def close_window(window) -> None:
    window.state.set_dirty(False)  # no "unsaved changes" question
    window.runner.shutdown()
