"""Find a main-window menu action by its text, as a user reads it (without the "&").
Importable from GUI tests as ``menu_actions``."""
from __future__ import annotations

__all__ = ["menu_action", "open_through_file_menu"]


def menu_action(window, menu: str, text: str):
    """The action of ``window.menus[menu]`` called ``text`` (without "&" and "…"), else
    the one whose name starts with it ("Undo" finds "Undo Edit codebook …")."""
    text = text.rstrip("…")
    actions = window.menus[menu].actions()
    names = [a.text().replace("&", "").rstrip("…") for a in actions]
    if text in names:
        return actions[names.index(text)]
    (found,) = [a for a, name in zip(actions, names, strict=True) if name.startswith(text)]
    return found


def open_through_file_menu(qtbot, window, monkeypatch, path):
    """Open the project at ``path`` as a user does: File > Open, the file chosen in the
    dialog; returns once the project's results are in the window."""
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    menu_action(window, "file", "Open").trigger()
    qtbot.waitUntil(lambda: window.state.project_path == str(path.resolve())
                    and not window.runner.busy and window.state.results is not None,
                    timeout=60_000)
    return window
