"""Start the desktop app: QApplication, theme, error handling, the main window."""
from __future__ import annotations

import os
import sys
import time
import traceback

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from sinoru_desktop import settings as app_settings

__all__ = ["run_app", "install_excepthook", "QUIT_WHEN_SHOWN_ENV",
           "BENCH_T0_ENV"]

#: Set to 1 to quit as soon as the main window is shown (start-up benchmark).
QUIT_WHEN_SHOWN_ENV = "SINORU_QUIT_WHEN_SHOWN"
#: The launcher's ``time.time()`` at launch; the shown time is measured from it.
BENCH_T0_ENV = "SINORU_BENCH_T0"


def install_excepthook() -> None:
    """Show unexpected errors in a message box instead of letting the app die."""
    showing = []  # an error while the box is up must not open another box

    def hook(exc_type, exc, tb) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(text)
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        if QApplication.instance() is None or showing:
            return
        showing.append(True)
        try:
            box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error",
                              f"Sinoru hit an unexpected error and stopped that action:\n\n"
                              f"{exc_type.__name__}: {exc}\n\nYour project is still open; "
                              "saving it now is a good idea.",
                              QMessageBox.StandardButton.Ok, QApplication.activeWindow())
            box.setDetailedText(text)
            box.exec()
        finally:
            showing.clear()

    sys.excepthook = hook


def _report_shown(window) -> None:
    """Benchmark mode: print the time to an interactive window, then quit."""
    t0 = float(os.environ.get(BENCH_T0_ENV) or 0)
    elapsed = time.time() - t0 if t0 else float("nan")
    print(f"shown {elapsed:.3f} s visible={window.isVisible()}", flush=True)
    QApplication.quit()


def run_app(args) -> int:
    """Run the app with parsed command-line ``args`` (``project``, ``demo``); exit code."""
    app_settings.configure_application()
    app = QApplication.instance() or QApplication(sys.argv)
    from sinoru_desktop.theme import ThemeManager, app_icon

    app.setWindowIcon(app_icon())
    theme = ThemeManager(app, str(app_settings.settings().value("view/theme", "system")))
    install_excepthook()
    from sinoru_desktop.gui_gc import collect_on_gui_thread

    collect_on_gui_thread()

    from sinoru_desktop.main_window import MainWindow

    window = MainWindow(theme=theme)
    app.aboutToQuit.connect(window.runner.shutdown)
    app.aboutToQuit.connect(window.saver.wait)  # a save in progress is never cut short
    window.show()
    if os.environ.get(QUIT_WHEN_SHOWN_ENV) == "1":
        # The window is interactive once the event loop has painted it.
        QTimer.singleShot(0, lambda: _report_shown(window))
        return app.exec()

    def after_show() -> None:
        from sinoru_desktop.warm_worker import shared_worker
        from sinoru_desktop.window.views import import_views_in_background

        # Load the engine in the worker process now, while the user looks around.
        shared_worker().ensure_started()
        app.aboutToQuit.connect(shared_worker().shutdown)
        if window.offer_recovery():
            return
        if getattr(args, "project", None):
            window.open_project(args.project)
        elif getattr(args, "demo", False):
            window.open_demo()
        else:  # and import the views' modules (pandas, matplotlib): opening a project
            import_views_in_background(freeze=True)  # then need not

    QTimer.singleShot(0, after_show)
    return app.exec()
