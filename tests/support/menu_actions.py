"""Find a main-window menu action by its text, as a user reads it (without the "&").
Importable from GUI tests as ``menu_actions``."""
from __future__ import annotations

__all__ = ["menu_action"]


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
