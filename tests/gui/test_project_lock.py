"""Two Sinorus and one project: the second is told who holds it instead of losing a save;
a crashed holder's lock is taken over; interrupted saves leave no lasting litter (issue 12,
item 7)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from analysis.atomic import HOST, temporaries_of
from analysis.corpus import Corpus, Document
from sinoru_desktop import project_lock
from sinoru_desktop.project import (
    Project,
    ProjectLocked,
    load_project,
    load_with_word_counts,
    save_project,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")


def small_project(marker: str = "first") -> Project:
    return Project(corpus=Corpus([Document("a1", "Moscow and Beijing met.",
                                           meta={"title": "Talks"})]), ui={"marker": marker})


class Holder:
    """Another Sinoru process that opens (locks) a project and keeps it open."""

    def __init__(self, path, then: str = "") -> None:
        code = "\n".join([
            "import sys",
            "from sinoru_desktop import project_lock",
            f"project_lock.acquire({str(path)!r})",
            textwrap.dedent(then),
            "print('holding', flush=True)",
            "sys.stdin.read()  # until the test closes our stdin (or kills us)"])
        self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.strip() == "holding", f"the holder did not start: {line!r}"
        self.pid = self.proc.pid

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(30)
        self.proc.stdout.close()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.proc.stdin.close()
        self.proc.stdout.close()


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "study.sinoru"
    save_project(small_project(), path)
    yield path
    project_lock.release(path)


def test_a_second_process_is_told_who_holds_the_project(saved):
    holder = Holder(saved)
    try:
        before = saved.read_bytes()
        with pytest.raises(ProjectLocked) as info:
            save_project(small_project("second"), saved)
        message = str(info.value)
        assert message.startswith("study.sinoru: could not be saved: it is open in ")
        assert f"on {HOST} (process {holder.pid}, since " in message
        assert "Save it under another name" in message
        assert info.value.holder.pid == holder.pid
        assert saved.read_bytes() == before  # nothing was lost or half-written
        with pytest.raises(ProjectLocked, match="open a read-only copy"):
            load_with_word_counts(str(saved), progress=lambda f: None)
        # Reading is always allowed: the read-only copy.
        project, counts = load_with_word_counts(str(saved), True, progress=lambda f: None)
        assert project.ui == {"marker": "first"} and counts == {"a1": 4}
    finally:
        holder.close()
    # Closed there: the lock file is gone and this process may save.
    assert not project_lock.lock_path(saved).exists()
    save_project(small_project("second"), saved)
    assert load_project(saved).ui == {"marker": "second"}


def test_the_holder_itself_saves(saved):
    holder = Holder(saved, then=textwrap.dedent(f"""
        from sinoru_desktop.project import load_project, save_project
        p = load_project({str(saved)!r}); p.ui = {{"marker": "by holder"}}
        save_project(p, {str(saved)!r})"""))
    try:
        assert load_project(saved).ui == {"marker": "by holder"}
        assert project_lock.read_holder(saved).pid == holder.pid
    finally:
        holder.close()


@posix_only
def test_a_killed_holders_lock_is_taken_over(saved):
    holder = Holder(saved)
    holder.kill()
    assert project_lock.lock_path(saved).exists()  # left behind by the crash
    lock = project_lock.acquire(saved)
    assert lock.took_over is not None and lock.took_over.pid == holder.pid
    assert project_lock.read_holder(saved).pid == os.getpid()
    save_project(small_project("after crash"), saved)
    project_lock.release(saved)
    assert not project_lock.lock_path(saved).exists()
    assert load_project(saved).ui == {"marker": "after crash"}


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temporaries_are_removed_on_open_and_on_save(saved):
    folder = saved.parent
    dead = _dead_pid()
    crashed = [folder / f".study.sinoru.{dead}@{HOST}.k2j4h1.part",
               folder / f".study.sinoru.{dead}@{HOST}.k2j4h1.part-journal"]
    old_format = folder / ".study.sinoru.x8w2e1.part"   # an older Sinoru's name: no owner
    other_host = folder / ".study.sinoru.123@elsewhere.a1b2c3.part"
    for path in [*crashed, old_format, other_host]:
        path.write_bytes(b"\0" * 4096)
    holder = Holder(saved)  # a live process writing its own temporary
    live = folder / f".study.sinoru.{holder.pid}@{HOST}.q9q9q9.part"
    live.write_bytes(b"\0" * 4096)
    unrelated = folder / ".other.sinoru.77@host.abc.part"
    unrelated.write_bytes(b"x")
    try:
        load_project(saved)  # open: only what dead writers of this computer left
        assert not any(p.exists() for p in crashed)
        assert old_format.exists() and other_host.exists() and live.exists()
    finally:
        holder.close()
    live.unlink()
    save_project(small_project(), saved)  # save holds the lock: no one else may write
    assert temporaries_of(saved) == []
    assert unrelated.exists()  # not ours


def test_temporaries_of_another_computer_go_when_a_day_old(saved):
    other_host = saved.parent / ".study.sinoru.123@elsewhere.a1b2c3.part"
    other_host.write_bytes(b"x")
    load_project(saved)
    assert other_host.exists()
    old = time.time() - 2 * 24 * 3600
    os.utime(other_host, (old, old))
    load_project(saved)
    assert not other_host.exists()


# The window -----------------------------------------------------------------------------------
def test_window_holds_the_open_project_and_offers_a_copy_of_a_held_one(qtbot, saved, tmp_path,
                                                                       no_dialogs):
    from PySide6.QtWidgets import QMessageBox

    from sinoru_desktop.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    try:
        assert window.open_project(str(saved))
        qtbot.waitUntil(lambda: window.state.project_path is not None, timeout=30_000)
        assert project_lock.read_holder(saved).pid == os.getpid()
        other = tmp_path / "other.sinoru"
        save_project(small_project("other"), other)
        holder = Holder(other)
        try:
            no_dialogs.answers["question"] = QMessageBox.StandardButton.Yes
            assert window.open_project(str(other))
            qtbot.waitUntil(lambda: window.state.project_path is None, timeout=30_000)
            question = no_dialogs.texts("question")[0]
            assert question.startswith("Project in use\nother.sinoru: it is open in ")
            assert f"(process {holder.pid}, since" in question
            assert question.endswith("Open a read-only copy?")
            qtbot.waitUntil(lambda: "read-only copy" in window.statusBar().currentMessage(),
                            timeout=30_000)
            assert window.state.corpus.ids == ["a1"]
        finally:
            holder.close()
        # Moving to another project released the first one.
        assert not project_lock.lock_path(saved).exists()
    finally:
        window.state.set_dirty(False)
        window.runner.shutdown()
