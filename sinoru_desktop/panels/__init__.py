"""The analysis views of Sinoru Desktop. Each takes the :class:`AppState` first.

:data:`PANELS` lists ``(title, class)`` in the order the main window shows them as tabs.
"""
from __future__ import annotations

from sinoru_desktop.panels.codebook_panel import CodebookPanel
from sinoru_desktop.panels.compare_panel import ComparePanel
from sinoru_desktop.panels.concordance_panel import ConcordancePanel
from sinoru_desktop.panels.document_panel import DocumentPanel
from sinoru_desktop.panels.drilldown import DrillDownPanel
from sinoru_desktop.panels.targets_panel import TargetsPanel

__all__ = ["ComparePanel", "DocumentPanel", "ConcordancePanel", "CodebookPanel",
           "TargetsPanel", "DrillDownPanel", "PANELS"]

PANELS = (("Compare", ComparePanel), ("Document", DocumentPanel),
          ("Concordance", ConcordancePanel), ("Codebooks", CodebookPanel),
          ("Targets", TargetsPanel))
