"""A large folder is read by worker processes in the app too: progress moves, and Cancel in
the status bar stops the import and its workers."""
from __future__ import annotations

import multiprocessing

import pytest
from PySide6.QtWidgets import QToolButton

from analysis.ingest import importer


@pytest.fixture
def window(make_window):
    return make_window()


def test_cancel_stops_an_import_read_by_worker_processes(qtbot, window, tmp_path,
                                                         no_dialogs):
    folder = tmp_path / "articles"
    folder.mkdir()
    n = 2 * importer._MIN_FILES_FOR_WORKERS  # enough for worker processes
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(
            f"Harbour report {i}\n\nThe port authorities met on Monday, officials said. "
            f"Ferry number {i} sails at dawn.\n", encoding="utf-8")
    before = set(multiprocessing.active_children())
    fractions: list[float] = []
    window.runner.progressChanged.connect(fractions.append)

    window.start_import([str(folder)])
    # Files come back from the workers: progress moves past the start.
    qtbot.waitUntil(lambda: any(0.0 < f < 0.9 for f in fractions), timeout=120_000)
    assert set(multiprocessing.active_children()) - before  # the workers are reading
    qtbot.waitUntil(window.progress_widget.isVisible, timeout=10_000)
    window.progress_widget.findChild(QToolButton).click()  # Cancel

    assert not window.runner.busy
    qtbot.waitUntil(lambda: not set(multiprocessing.active_children()) - before,
                    timeout=30_000)
    qtbot.wait(300)
    assert not window.state.has_documents  # nothing half-imported
    assert no_dialogs.calls == []
