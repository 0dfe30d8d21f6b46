"""Analysis ▸ Analysis Settings… ▸ Dask scheduler: analyses run on a Dask cluster; a wrong
or unreachable address is said plainly and nothing is lost."""
from __future__ import annotations

import importlib.util

import pytest
from menu_actions import menu_action
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from benchmarks.local_dask import free_port, local_dask_cluster
from sinoru_desktop import settings as app_settings
from sinoru_desktop.analysis_options import AnalysisOptionsDialog
from sinoru_desktop.warm_worker import shared_worker


def _set_scheduler(qtbot, window, text: str) -> AnalysisOptionsDialog:
    menu_action(window, "analysis", "Analysis Settings").trigger()
    dialog = window._dialogs[-1]
    assert isinstance(dialog, AnalysisOptionsDialog) and dialog.isVisible()
    dialog.scheduler.clear()
    qtbot.keyClicks(dialog.scheduler, text)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    return dialog


def _run(qtbot, window) -> None:
    menu_action(window, "analysis", "Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=180_000)


def test_a_malformed_address_keeps_the_dialog_open_and_says_why(qtbot, two_group_window):
    dialog = _set_scheduler(qtbot, two_group_window, "http://head node")
    assert dialog.isVisible()
    assert dialog.scheduler_error.isVisible()
    assert "'http://head node' is not a scheduler address" in dialog.scheduler_error.text()
    assert app_settings.cluster_scheduler() == ""
    dialog.reject()


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="the cluster extra is not installed")
def test_an_unreachable_scheduler_is_named_and_the_results_stay(qtbot, two_group_window,
                                                                no_dialogs):
    window = two_group_window
    _run(qtbot, window)
    before = window.state.results
    address = f"tcp://127.0.0.1:{free_port()}"
    dialog = _set_scheduler(qtbot, window, address.removeprefix("tcp://"))
    assert not dialog.isVisible()
    assert app_settings.cluster_scheduler() == address

    _run(qtbot, window)
    (kind, title, text), = no_dialogs.calls
    assert kind == "warning" and title == "Analysis failed"
    assert f"cannot reach the Dask scheduler at {address}" in text
    assert window.state.results is before


@pytest.fixture
def dask_cluster(tmp_path):
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    with local_dask_cluster(tmp_path / "dask") as cluster:
        yield cluster


def test_the_analysis_runs_on_the_cluster_with_the_same_results(qtbot, two_group_window,
                                                               dask_cluster, tmp_path):
    from distributed import get_task_stream

    window = two_group_window
    _run(qtbot, window)
    local = window.state.results.to_dict()
    # The warm worker now holds every document's results: forget them, as a new session
    # would, or the cluster run would have nothing to compute.
    shared_worker().use_cache(lambda: [])
    address, client = dask_cluster
    _set_scheduler(qtbot, window, address)
    with get_task_stream(client) as stream:
        _run(qtbot, window)
    workers = set(client.scheduler_info()["workers"])
    ran = {str(task["key"]): task["worker"] for task in stream.data}
    corpus_stage = [w for key, w in ran.items() if key.startswith("sinoru-analysis-")]
    assert len(corpus_stage) == 1 and corpus_stage[0] in workers, "the corpus stage ran here"
    remote = window.state.results.to_dict()
    assert remote is not local
    for data in (local, remote):
        data.pop("created")
    assert remote == local
