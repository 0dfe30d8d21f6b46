"""Switching the theme on an open window (View › Theme › Dark) repaints every part of it,
the sidebar included, as a user sees it right after the click."""
from __future__ import annotations

import pytest
from menu_actions import menu_action
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


@pytest.fixture
def themed_window(qtbot):
    from sinoru_desktop.main_window import MainWindow
    from sinoru_desktop.theme import ThemeManager

    app = QApplication.instance()
    before = QPalette(app.palette())
    window = MainWindow(theme=ThemeManager(app, "light"))
    qtbot.addWidget(window)
    window.resize(1024, 700)
    with qtbot.waitExposed(window):
        window.show()
    yield window
    app.setPalette(before)


def theme_action(window, name: str):
    (submenu,) = [a.menu() for a in window.menus["view"].actions()
                  if a.menu() and a.text().replace("&", "") == "Theme"]
    (action,) = [a for a in submenu.actions() if a.text() == name]
    return action


def sidebar_lightness(window) -> int:
    """Lightness of the sidebar's empty area, below its last entry, as painted."""
    image = window.nav.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() - 5).lightness()


def test_the_sidebar_turns_dark_with_the_window(qtbot, themed_window):
    window = themed_window
    assert menu_action(window, "view", "Welcome Page")  # the View menu is built
    assert sidebar_lightness(window) > 180
    theme_action(window, "Dark").trigger()
    qtbot.wait(50)
    assert window.theme.is_dark()
    assert sidebar_lightness(window) < 80
    theme_action(window, "Light").trigger()
    qtbot.wait(50)
    assert sidebar_lightness(window) > 180
