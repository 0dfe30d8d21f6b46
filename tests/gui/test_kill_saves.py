"""The kill-test: savers killed with SIGKILL at random moments never break the last
completed save, and what they leave is gone after the next open or save (issue 12).

20 kills here; set SINORU_KILL_TEST_KILLS (or run ``python -m benchmarks.kill_saves``)
for more.
"""
from __future__ import annotations

import os

import pytest

from benchmarks.kill_saves import run_kills

KILLS = int(os.environ.get("SINORU_KILL_TEST_KILLS", "20"))


@pytest.mark.skipif(os.name != "posix", reason="sends SIGKILL")
def test_killed_saves_never_break_the_project_nor_leave_litter(tmp_path):
    report = run_kills(tmp_path, kills=KILLS, n_documents=150, seed=3)
    assert report.kills == KILLS
    assert report.failures == []
    assert report.left_after_next == 0
    # The kills did land inside saves (else this test would prove nothing).
    assert report.interrupted >= KILLS // 4
    # And nothing but the project remains once the last check ran.
    assert sorted(p.name for p in tmp_path.iterdir()) in (
        ["killed.sinoru"], [".killed.sinoru.lock", "killed.sinoru"])
