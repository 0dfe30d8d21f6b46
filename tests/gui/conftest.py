"""GUI test setup: offscreen Qt, settings and user folders in tmp, Qt warnings fail tests."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Must happen before anything imports Qt, so a bare `pytest` works on a headless machine.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt warns when XDG_RUNTIME_DIR is missing; give it a private one so warnings stay errors.
if not os.environ.get("XDG_RUNTIME_DIR"):
    _runtime = Path(tempfile.mkdtemp(prefix="sinoru-xdg-"))
    _runtime.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(_runtime)

import pytest  # noqa: E402

#: Qt messages that are harmless on the offscreen platform.
QT_LOG_IGNORE = (
    "This plugin does not support",          # offscreen: propagateSizeHints, raise ...
    "QFont::setPointSize",
    "Populating font family aliases",
)


def pytest_collection_modifyitems(config, items):
    """Every GUI test fails on a Qt warning (unless listed above)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*QT_LOG_IGNORE))


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """QSettings and the app data folder live in tmp; nothing touches the real home."""
    from PySide6.QtCore import QSettings

    from sinoru_desktop import settings

    data = tmp_path / "appdata"
    monkeypatch.setenv(settings.DATA_DIR_ENV, str(data))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
    settings.configure_application()
    yield data


@pytest.fixture
def no_dialogs(monkeypatch):
    """Record QMessageBox calls instead of blocking; returns the list of (kind, title, text).

    Questions are answered with ``answers[kind]`` (default: the box's default button).
    """
    from PySide6.QtWidgets import QMessageBox

    calls: list[tuple[str, str, str]] = []
    answers: dict[str, QMessageBox.StandardButton] = {}

    def make(kind, default):
        def fake(parent, title, text, *args, **kwargs):
            calls.append((kind, title, text))
            return answers.get(kind, default)
        return staticmethod(fake)

    for kind, default in (("information", QMessageBox.StandardButton.Ok),
                          ("warning", QMessageBox.StandardButton.Ok),
                          ("critical", QMessageBox.StandardButton.Ok),
                          ("question", QMessageBox.StandardButton.Yes)):
        monkeypatch.setattr(QMessageBox, kind, make(kind, default))
    return _Dialogs(calls, answers)


class _Dialogs:
    """Recorded message boxes and the answers to give to questions."""

    def __init__(self, calls, answers):
        self.calls = calls
        self.answers = answers

    def texts(self, kind: str | None = None) -> list[str]:
        return [f"{title}\n{text}" for k, title, text in self.calls if kind in (None, k)]


@pytest.fixture
def make_window(qtbot):
    """Build shown 1280×800 main windows (no analysis after imports unless asked); each
    is left clean and its workers stopped after the test."""
    made = []

    def make(*, auto_analyse: bool = False):
        from sinoru_desktop.main_window import MainWindow

        window = MainWindow()
        qtbot.addWidget(window)
        window.auto_analyse = auto_analyse
        window.resize(1280, 800)
        with qtbot.waitExposed(window):
            window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.state.set_dirty(False)
        window.saver.wait()
        window.runner.shutdown()


@pytest.fixture
def two_group_window(make_window):
    """A main window holding the small two-group corpus, with fast analysis settings."""
    from dataclasses import replace

    from small_corpus import FAST, two_group_corpus

    from sinoru_desktop.project import Project

    window = make_window()
    window.load_into_state(Project(corpus=two_group_corpus(),
                                   config=replace(Project().config, **FAST)), None)
    return window


@pytest.fixture
def scroll_to_card(qtbot):
    """Scroll a Compare card into view, as a user does, and wait until its chart is drawn
    (cards build their charts once in view, off the GUI thread)."""
    def scroll(panel, card, timeout: int = 20_000):
        def drawn() -> bool:
            panel.scroll.ensureWidgetVisible(card)
            return card.built
        qtbot.waitUntil(drawn, timeout=timeout)
        return card
    return scroll


@pytest.fixture
def add_conflict_term(qtbot):
    """Add a term to the generic codebook's Conflict frame in the Codebooks view and click
    Apply, as a user does; wait for the re-run it starts and give its results."""
    from PySide6.QtCore import Qt

    def add(window, term: str):
        before = window.state.results
        window.show_panel("codebooks")
        panel = window.panels["codebooks"]
        for i in range(panel.books.count()):
            if panel.books.item(i).data(Qt.ItemDataRole.UserRole) == "generic":
                panel.books.setCurrentRow(i)
        panel.frames.setCurrentRow(0)
        assert panel.form.frame_label.text() == "Conflict"
        panel.terms.add(term)
        with qtbot.waitSignal(window.runner.finished, timeout=180_000):
            assert panel.apply()  # Apply re-runs the analysis
        qtbot.waitUntil(lambda: window.state.results is not before, timeout=180_000)
        return window.state.results
    return add
