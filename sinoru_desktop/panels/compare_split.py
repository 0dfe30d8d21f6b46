"""Compare's "Split by" and "Outlet points": the split cells the charts show instead of
the groups (analysis.split, off the GUI thread for large projects), and the outlet squares
on the group charts. Part of :class:`~sinoru_desktop.panels.compare_panel.ComparePanel`."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, Slot

from analysis.progress import Cancelled
from sinoru_desktop.panels.groups import refill_combo, split_choices
from sinoru_desktop.panels.timeline_panel import SYNC_LIMIT
from sinoru_desktop.tasks import TaskRunner

__all__ = ["SplitControls", "OUTLET_POINT_CHARTS", "NOT_SPLIT"]

#: Charts that can draw each outlet as its own point (their rows are document figures).
OUTLET_POINT_CHARTS = ("frames", "sentiment", "targets", "markers", "salience", "readability")
#: Charts a split leaves out: they compare whole groups (keyness pairs, fitted topics).
NOT_SPLIT = ("keyness", "topics")


class SplitControls:
    """The split and outlet-point slots of the Compare view (uses its state, combos,
    drill-down and ``redraw``)."""

    _split = None           # the split results shown, or None
    _split_runner = None

    def shown_results(self):
        """The results the charts show: the split cells when a split is chosen."""
        return self._split if self._split is not None else self.state.results

    def _fill_split_by(self, saved: dict) -> None:
        results = self.state.results
        previous = self.split_by.currentData() or saved.get("split") or ""
        columns = (split_choices(results, results.data.get("group_by")
                                 or self.state.config.group_by)
                   if results is not None else [])
        refill_combo(self.split_by, [("No split", "")] + [(c.replace("_", " ").capitalize(), c)
                                                          for c in columns])
        index = self.split_by.findData(previous)
        self.split_by.blockSignals(True)
        self.split_by.setCurrentIndex(max(index, 0))
        self.split_by.blockSignals(False)
        self.outlet_points.blockSignals(True)
        self.outlet_points.setChecked(bool(saved.get("outlet_points")))
        self.outlet_points.blockSignals(False)

    def _make_split(self) -> None:
        """Build the split cells for the chosen column (off the GUI thread for large
        projects), then draw."""
        by = self.split_by.currentData() or ""
        results = self.state.results
        if not by or results is None:
            self._on_split_ready(None)
            return
        from analysis.split import split_results

        task = partial(split_results, groups=tuple(self.state.config.groups) or None,
                       n_boot=int(self.state.config.n_boot), seed=int(self.state.config.seed))
        if len(results.table("documents")) <= SYNC_LIMIT:
            self._on_split_ready(task(results, by))
            return
        if self._split_runner is None:
            self._split_runner = TaskRunner(self)
            app = QCoreApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self._split_runner.shutdown)
        self.hint.setText(f"Splitting the groups by {by}\u2026")
        self._split_runner.start(task, results, by, label=f"Splitting the groups by {by}",
                                 on_done=self._on_split_ready, on_error=self._on_split_failed)

    def _on_split_ready(self, split) -> None:
        self._split = split
        by = self.split_by.currentData() or ""
        self.drill.set_cells((split.data.get("split") or {}).get("members")
                             if split is not None else None)
        self.hint.setText(
            f"Split by {by}: each group \u00d7 {by} cell is shown on its own (cells are not "
            "tested against each other; distinctive vocabulary and topics compare whole "
            "groups and are left out)." if split is not None else "")
        self.redraw()

    def _on_split_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):
            self.hint.setText(f"\u26a0 The split could not be made: {exc}")

    @Slot()
    def _on_split_chosen(self) -> None:
        self._remember("split", self.split_by.currentData() or "")
        self._make_split()

    @Slot(bool)
    def _on_outlet_points_toggled(self, checked: bool) -> None:
        self._remember("outlet_points", checked)
        self.redraw(set(OUTLET_POINT_CHARTS))
