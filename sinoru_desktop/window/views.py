"""The sidebar views of the main window, in navigation order.

Adding a view is one line in :data:`VIEWS`: the sidebar entry, the View menu item (with
its Ctrl+<n> shortcut) and the panel itself follow from it. The panel class is built as
``cls(state)`` on first use; a ``statusMessage(str)`` signal, if it has one, reaches the
status bar, and its ``edit_actions`` (a list of QActions), if any, join the Edit menu.
"""
from __future__ import annotations

import threading
from typing import NamedTuple

__all__ = ["View", "VIEWS", "view_keys", "import_views", "import_views_in_background",
           "background_imports_running", "wait_for_background_imports"]


class View(NamedTuple):
    key: str       # name used by show_panel() and saved view state
    label: str     # sidebar and View menu text
    module: str    # imported on first use: panels pull in pandas and matplotlib
    cls: str
    tip: str


VIEWS: tuple[View, ...] = (
    View("corpus", "Corpus", "sinoru_desktop.panels.corpus_panel", "CorpusPanel",
         "The documents and their metadata"),
    View("document", "Document", "sinoru_desktop.panels.document_panel", "DocumentPanel",
         "One article with its frames, targets and removed boilerplate"),
    View("compare", "Compare", "sinoru_desktop.panels.compare_panel", "ComparePanel",
         "Groups side by side: frames, sentiment, vocabulary, stance, readability"),
    View("tests", "Tests", "sinoru_desktop.panels.tests_panel", "TestsPanel",
         "Every comparison with its difference, effect size, p and q"),
    View("concordance", "Concordance", "sinoru_desktop.panels.concordance_panel",
         "ConcordancePanel", "Every occurrence of a word or phrase in context"),
    View("codebooks", "Codebooks", "sinoru_desktop.panels.codebook_panel", "CodebookPanel",
         "The frame codebooks and their terms"),
    View("targets", "Targets", "sinoru_desktop.panels.targets_panel", "TargetsPanel",
         "The people, countries and institutions whose treatment is scored"),
    View("termmap", "Term map", "sinoru_desktop.panels.termmap_panel", "TermMapPanel",
         "Every term of two groups by its frequency in each, searchable and zoomable"),
    View("wordshift", "Word shift", "sinoru_desktop.panels.wordshift_panel", "WordShiftPanel",
         "The words that make the tone of two groups differ"),
    View("collocations", "Collocations", "sinoru_desktop.panels.collocations_panel",
         "CollocationsPanel", "What each group says around a target, with the passages"),
    View("timeline", "Over time", "sinoru_desktop.panels.timeline_panel", "TimelinePanel",
         "Frames and tone per week, month or quarter, with events and before/after"),
    View("outlets", "Outlets", "sinoru_desktop.panels.outlets_panel", "OutletsPanel",
         "Any group figure with each outlet of the group as its own point"),
)


def view_keys() -> list[str]:
    return [v.key for v in VIEWS]


def import_views() -> None:
    """Import every view's module and read what building the views reads (the shipped
    models' figures), so that the GUI thread, building them, finds it all done.

    Called off the GUI thread (it takes seconds: pandas, matplotlib, scipy); repeated
    calls cost nothing.
    """
    import importlib

    from analysis.charts.fonts import supported_chars
    from analysis.models import measured_accuracy

    for view in VIEWS:
        importlib.import_module(view.module)
    importlib.import_module("analysis.codebook")  # the views parse codebooks when built
    measured_accuracy()  # the Targets view's model chooser (models are cached once read)
    supported_chars()  # what the fonts can draw: chart labels are checked against it


def _import_views_and_freeze() -> None:
    """:func:`import_views`, then keep what is alive from the garbage collector's walks.

    The views' modules (pandas, matplotlib, scipy) double the objects of the process. A
    full collection walks them all (~0.1 s of the GUI thread's time, see
    :mod:`sinoru_desktop.gui_gc`) though modules, classes and functions live as long as
    the app; frozen, they are left out. Reference counting still frees frozen objects
    (only cycles among them would stay), and objects made from then on, such as charts
    and results, are collected as before.
    """
    import gc

    from sinoru_desktop.gui_gc import objects_frozen

    import_views()
    gc.freeze()
    objects_frozen()


_background: list[threading.Thread] = []


def import_views_in_background(freeze: bool = False) -> threading.Thread:
    """Start :func:`import_views` on a thread of its own (once per process), at start-up:
    by the time the user opens a project, the views' modules are loaded.

    ``freeze`` (the app's start-up, before any project is loaded): then leave everything
    alive out of later garbage collections (see :func:`_import_views_and_freeze`).
    """
    if not _background:
        thread = threading.Thread(target=_import_views_and_freeze if freeze else import_views,
                                  name="sinoru-imports", daemon=True)
        thread.start()
        _background.append(thread)
    return _background[0]


def background_imports_running() -> bool:
    """Whether :func:`import_views_in_background` is still importing."""
    return bool(_background) and _background[0].is_alive()


def wait_for_background_imports() -> None:
    """Let the start-up imports finish before the GUI thread imports a view's module
    itself: two threads importing the same modules at once can deadlock on a circular
    import, and the import would take as long on the GUI thread anyway."""
    if _background:
        _background[0].join()
