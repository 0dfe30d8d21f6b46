"""Start-up: the window appears without loading the heavy analysis libraries."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", SINORU_DATA_DIR=str(tmp_path / "d"),
                XDG_CONFIG_HOME=str(tmp_path / "cfg"), PYTHONPATH=str(ROOT))


def test_window_modules_do_not_import_heavy_libraries(tmp_path):
    code = ("import sys; import sinoru_desktop.app, sinoru_desktop.main_window;"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'sklearn', 'textstat', 'scipy')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_app_starts_shows_window_and_quits(tmp_path):
    env = dict(_env(tmp_path), SINORU_QUIT_WHEN_SHOWN="1", SINORU_BENCH_T0="1")
    out = subprocess.run([sys.executable, "-m", "sinoru_desktop"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "visible=True" in out.stdout


def test_bad_project_argument_does_not_crash(qtbot, tmp_path, no_dialogs):
    from sinoru_desktop.main_window import MainWindow

    bad = tmp_path / "notes.sinoru"
    bad.write_text("just some notes")
    w = MainWindow()
    qtbot.addWidget(w)
    w.open_project(str(bad))
    qtbot.waitUntil(lambda: not w.runner.busy, timeout=30_000)
    assert "notes.sinoru: this is not a Sinoru project file" in no_dialogs.texts()[0]


def test_many_signal_emissions_do_not_abort_python(tmp_path):
    """PySide6 6.12 takes a reference from True per emit(); the app start-up guards it."""
    code = ("from sinoru_desktop.app import work_around_emit_refcount\n"
            "work_around_emit_refcount()\n"
            "from PySide6.QtCore import QObject, Signal\n"
            "class S(QObject):\n    ping = Signal(bool)\n"
            "s = S()\n"
            "for _ in range(50_000):\n    s.ping.emit(True)\n"
            "print('done')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "done"


def test_excepthook_shows_a_message_instead_of_dying(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from sinoru_desktop.app import install_excepthook

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook()
    try:
        raise ValueError("codebook 'policy': line 3: mapping values are not allowed here")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert len(shown) == 1
    assert "ValueError: codebook 'policy': line 3" in shown[0]
    assert "Your project is still open" in shown[0]


def test_main_window_construction_stays_light(tmp_path):
    code = ("import sys\nfrom PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from sinoru_desktop.main_window import MainWindow\n"
            "w = MainWindow(); w.show(); app.processEvents(); w.close()\n"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'sklearn', 'textstat', 'scipy')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
