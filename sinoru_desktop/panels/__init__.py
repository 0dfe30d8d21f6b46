"""The analysis views of Sinoru Desktop. Each takes the :class:`AppState` first.

The classes load on first use (``from sinoru_desktop.panels import ComparePanel``): their
modules bring in pandas and matplotlib, which the start-up path does without.
"""
from __future__ import annotations

import importlib

__all__ = ["ComparePanel", "DocumentPanel", "ConcordancePanel", "CodebookPanel",
           "TargetsPanel", "DrillDownPanel", "CorpusPanel", "TestsPanel"]

_MODULES = {"ComparePanel": "compare_panel", "DocumentPanel": "document_panel",
            "ConcordancePanel": "concordance_panel", "CodebookPanel": "codebook_panel",
            "TargetsPanel": "targets_panel", "DrillDownPanel": "drilldown",
            "CorpusPanel": "corpus_panel",
            "TestsPanel": "tests_panel"}


def __getattr__(name: str):
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
