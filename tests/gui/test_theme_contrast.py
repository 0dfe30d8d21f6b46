"""Both themes legible: in the dark theme the sidebar and every frame highlight keep a
WCAG contrast of at least 3:1 against their background, and highlighted text stays
readable on its highlight."""
from __future__ import annotations

import pytest
from gui_corpus import analyse, make_corpus
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication


def luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(top: QColor, bottom: QColor) -> QColor:
    """``top`` (maybe translucent) painted on opaque ``bottom``."""
    a = top.alphaF()
    return QColor.fromRgbF(top.redF() * a + bottom.redF() * (1 - a),
                           top.greenF() * a + bottom.greenF() * (1 - a),
                           top.blueF() * a + bottom.blueF() * (1 - a))


@pytest.fixture
def dark(qtbot):
    from sinoru_desktop.theme import ThemeManager

    app = QApplication.instance()
    before = QPalette(app.palette())
    ThemeManager(app, "dark")
    yield app.palette()
    app.setPalette(before)


@pytest.fixture(scope="module")
def analysed():
    corpus = make_corpus()
    return corpus, analyse(corpus)


def test_dark_sidebar_keeps_3_to_1(qtbot, dark):
    from sinoru_desktop.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.nav.setCurrentRow(0)
    pal = w.nav.palette()
    base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
    selected = pal.color(QPalette.ColorRole.Highlight)
    assert contrast(text, base) >= 4.5
    assert contrast(selected, base) >= 3.0  # the chosen view stands out
    assert contrast(pal.color(QPalette.ColorRole.HighlightedText), selected) >= 3.0


@pytest.mark.parametrize("doc_id", ["c1", "w1", "w3"])
def test_dark_frame_highlights_keep_3_to_1_and_readable_text(qtbot, dark, analysed, doc_id):
    from sinoru_desktop.panels import DocumentPanel
    from sinoru_desktop.state import AppState

    corpus, results = analysed
    state = AppState()
    state.set_corpus(corpus)
    state.set_results(results)
    panel = DocumentPanel(state)
    qtbot.addWidget(panel)
    panel.show_document(doc_id)
    base = panel.text.palette().color(QPalette.ColorRole.Base)
    default_text = panel.text.palette().color(QPalette.ColorRole.Text)
    frames = [s for s in panel.spans if s.kind == "frame" and "negated" not in s.tip]
    assert frames
    for span in frames:
        cursor = QTextCursor(panel.text.document())
        cursor.setPosition(panel._qpos(span.start) + 1)
        fmt = cursor.charFormat()
        assert fmt.background().style() != Qt.BrushStyle.NoBrush
        shown = over(fmt.background().color(), base)
        assert contrast(shown, base) >= 3.0, (span.tip, shown.name())
        ink = fmt.foreground().color() if fmt.foreground().style() != Qt.BrushStyle.NoBrush \
            else default_text
        assert contrast(ink, shown) >= 4.5, (span.tip, ink.name(), shown.name())


def test_every_highlight_colour_on_the_dark_base(dark):
    from sinoru_desktop.panels.palette import HIGHLIGHT_COLOURS, highlight_colour

    base = dark.color(QPalette.ColorRole.Base)
    for i in range(len(HIGHLIGHT_COLOURS)):
        assert contrast(over(highlight_colour(i, background=base), base), base) >= 3.0, i
