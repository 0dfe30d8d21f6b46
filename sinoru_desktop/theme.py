"""Look and feel: light or dark palette following the OS, and the application icon."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from analysis.resources import resource

__all__ = ["ThemeManager", "app_icon", "ICON_SIZES", "render_icon_pngs", "THEMES"]

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Choices of View > Theme; "system" follows the OS and its changes.
THEMES = ("system", "light", "dark")


def app_icon() -> QIcon:
    """The Sinoru icon from resources/icons (PNG sizes, SVG as a fallback)."""
    icon = QIcon()
    folder = resource("icons")
    for size in ICON_SIZES:
        png = folder.joinpath(f"sinoru-{size}.png")
        if png.is_file():
            icon.addFile(str(png))
    if icon.isNull() and folder.joinpath("sinoru.svg").is_file():
        icon.addFile(str(folder.joinpath("sinoru.svg")))
    return icon


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(0x2B, 0x2D, 0x31), QColor(0x1E, 0x1F, 0x22), QColor(0xE6, 0xE6, 0xE6)
    roles = {
        QPalette.ColorRole.Window: window, QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base, QPalette.ColorRole.AlternateBase: QColor(0x26, 0x28, 0x2B),
        QPalette.ColorRole.ToolTipBase: base, QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor(0x8C, 0x8C, 0x8C),
        QPalette.ColorRole.Text: text, QPalette.ColorRole.Button: QColor(0x35, 0x37, 0x3B),
        QPalette.ColorRole.ButtonText: text, QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Highlight: QColor(0x3D, 0x7E, 0xD8),
        QPalette.ColorRole.HighlightedText: QColor("white"),
        QPalette.ColorRole.Link: QColor(0x6C, 0xA8, 0xF0), QPalette.ColorRole.Mid: QColor(0x44, 0x46, 0x4A),
        QPalette.ColorRole.Light: QColor(0x4A, 0x4C, 0x50), QPalette.ColorRole.Dark: QColor(0x18, 0x19, 0x1B),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(0x7A, 0x7A, 0x7A))
    return p


class ThemeManager(QObject):
    """Applies the chosen theme and follows the OS colour scheme when it is "system"."""

    def __init__(self, app: QApplication, theme: str = "system") -> None:
        super().__init__(app)
        self._app = app
        self._theme = theme if theme in THEMES else "system"
        self._light = QPalette(app.palette())
        # Fusion draws the same on every OS and honours the palette in both schemes.
        if sys.platform != "darwin":
            app.setStyle("Fusion")
            self._light = app.style().standardPalette()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)
        self.apply()

    @property
    def theme(self) -> str:
        return self._theme

    def is_dark(self) -> bool:
        if self._theme != "system":
            return self._theme == "dark"
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark

    def set_theme(self, theme: str) -> None:
        self._theme = theme if theme in THEMES else "system"
        self.apply()

    def apply(self) -> None:
        self._app.setPalette(_dark_palette() if self.is_dark() else self._light)
        # A widget with its own style sheet keeps the palette it was polished with, so
        # the sidebar and the banners would stay light in the dark theme: set their
        # sheets again to polish them with the new palette.
        for widget in self._app.allWidgets():
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet("")
                widget.setStyleSheet(sheet)

    @Slot(Qt.ColorScheme)
    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._theme == "system":
            self.apply()


def render_icon_pngs(svg: Path, out_dir: Path) -> list[Path]:
    """Render ``svg`` to ``sinoru-<size>.png`` for every size in :data:`ICON_SIZES`.

    Run ``python -m sinoru_desktop.theme`` after editing resources/icons/sinoru.svg.
    """
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    written = []
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"sinoru-{size}.png"
        image.save(str(target))
        written.append(target)
    return written


if __name__ == "__main__":
    _app = QGuiApplication(sys.argv)
    _folder = Path(str(resource("icons")))
    for _path in render_icon_pngs(_folder / "sinoru.svg", _folder):
        print(_path.name)
