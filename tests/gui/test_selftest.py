"""``sinoru-desktop --self-test`` and ``--version``: what a user (or the release CI) sees."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sinoru_desktop import selftest

ROOT = Path(__file__).resolve().parents[2]


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """No display, no Qt platform chosen, a fresh home: like a first launch on a server."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "MPLBACKEND")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               MPLCONFIGDIR=str(tmp_path / "mpl"), PYTHONPATH=str(ROOT))
    return env


def test_self_test_passes_offscreen_with_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sinoru_desktop", "--self-test"],
                          cwd=tmp_path, env=_clean_env(tmp_path), capture_output=True,
                          text=True, timeout=300)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(lines) == 1
    assert lines[0].startswith(f"self-test OK: {len(selftest.CHECKS)} checks in ")
    assert lines[0].endswith(" s")


def test_version_answers_without_loading_qt(tmp_path):
    code = ("import sys; from sinoru_desktop.__main__ import main; rc = main(['--version']); "
            "print('qt loaded' if 'PySide6' in sys.modules else 'no qt'); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                          env=_clean_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    from analysis import __version__
    assert proc.stdout.splitlines() == [f"Sinoru Desktop {__version__}", "no qt"]


def test_a_failing_check_gives_one_line_with_its_name_and_reason(capsys):
    def broken(ctx):
        raise FileNotFoundError("codebooks/generic.yaml is missing")

    ran = []
    rc = selftest.run_self_test([("first", lambda ctx: ran.append(1)), ("codebooks", broken),
                                 ("never", lambda ctx: ran.append(2))])
    out = capsys.readouterr().out
    assert rc == 1
    assert ran == [1]
    assert out == ("self-test FAILED: codebooks: FileNotFoundError: "
                   "codebooks/generic.yaml is missing\n")


def test_network_access_fails_the_self_test(capsys):
    def downloads(ctx):
        socket.create_connection(("data.example.org", 443), timeout=1)

    assert selftest.run_self_test([("download", downloads)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("self-test FAILED: download: network access attempted")
    assert "data.example.org" in out
    # The guard is lifted afterwards.
    assert socket.getaddrinfo.__module__ == "socket"


def test_chooses_offscreen_only_without_a_display(monkeypatch, capsys):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Windows and macOS always have a display")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    assert selftest.run_self_test([]) == 0
    assert "QT_QPA_PLATFORM" not in os.environ
    monkeypatch.delenv("DISPLAY")
    assert selftest.run_self_test([]) == 0
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert capsys.readouterr().out.count("self-test OK: 0 checks in ") == 2
