"""Files users own are written atomically and get ordinary permissions."""
from __future__ import annotations

import os
import stat

import pytest

from analysis.atomic import atomic_path, write_text_atomic


def test_failure_leaves_the_old_file_untouched(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_new_file_is_readable_by_others_under_the_usual_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


def test_replacing_keeps_the_existing_permissions(tmp_path):
    target = tmp_path / "b.txt"
    target.write_text("1", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "2")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "2"
