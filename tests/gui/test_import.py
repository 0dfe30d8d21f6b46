"""Import through the dialog: documents arrive, skipped files are listed with reasons."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QTableView, QTabWidget

from sinoru_desktop.import_dialog import merge_import, show_import_dialog
from sinoru_desktop.main_window import MainWindow

ARTICLE_A = """Energy talks continue in Moscow
By Staff Reporter
Officials from both countries met on Tuesday to discuss new pipeline routes.
The talks ended without a signed agreement, according to people familiar with them.
"""
ARTICLE_B = """Trade volume reaches new high
Bilateral trade rose again this year, the customs office said on Monday.
Analysts said the growth depends on energy prices and payment channels.
"""


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.auto_analyse = False  # keep these tests on the import itself
    yield w
    w.state.set_dirty(False)
    w.runner.shutdown()


def _tabs(dialog) -> QTabWidget:
    return dialog.findChild(QTabWidget)


def _rows(table: QTableView) -> list[list[str]]:
    """The cells as the table shows them."""
    model = table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_folder_with_a_bad_file_reports_the_skip(qtbot, window, tmp_path, no_dialogs):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)

    dialog = show_import_dialog(window)
    qtbot.addWidget(dialog)
    dialog.importRequested.connect(window._on_import_requested)
    dialog.add_path(str(folder))
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30_000)

    assert no_dialogs.calls == []
    assert len(window.state.corpus) == 2
    assert window.state.dirty
    assert sorted(d.text.splitlines()[-1][:20] for d in window.state.corpus)
    report = window._dialogs[-1]
    assert report.windowTitle() == "Import report"
    tabs = _tabs(report)
    assert [tabs.tabText(i) for i in range(3)] == \
        ["Imported (2)", "Skipped (1)", "Suspected duplicates (0)"]
    (skipped,) = _rows(tabs.widget(1))
    assert skipped[0].endswith("broken.pdf")
    assert skipped[1]  # the reason, in words
    imported = sorted(_rows(tabs.widget(0)))  # source, title, outlet, group, words
    assert [row[0][-5:] for row in imported] == ["a.txt", "b.txt"]
    assert [row[1] for row in imported] == ["Energy talks continue in Moscow",
                                            "Trade volume reaches new high"]
    assert all(int(row[4]) > 10 for row in imported)
    assert window.state.provenance[-1]["event"] == "import"
    assert len(window.state.provenance[-1]["detail"]["files"]) == 2
    assert window.nav.currentItem().text() == "Corpus"
    report.findChild(QDialogButtonBox).rejected.emit()


def test_reimporting_the_same_files_adds_nothing(qtbot, window, tmp_path, no_dialogs):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    for _ in range(2):
        window.start_import([str(folder)])
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=30_000)
    assert len(window.state.corpus) == 1
    tabs = _tabs(window._dialogs[-1])
    assert tabs.tabText(2) == "Suspected duplicates (1)"
    assert _rows(tabs.widget(2))[0][0] == "already in the project"


def test_merge_renames_clashing_ids(tmp_path):
    from analysis.corpus import Corpus, Document

    old = Corpus([Document("a", "one", sha256="1")])
    new = Corpus([Document("a", "two", sha256="2"), Document("b", "one", sha256="1")])
    merged, present = merge_import(old, new)
    assert merged.ids == ["a", "a-2"] and [d.doc_id for d in present] == ["b"]


def use_demo_folder(monkeypatch, folder):
    """Point resource("demo") at ``folder``; every other resource stays the real one."""
    import analysis.resources as res

    real = res.resource
    monkeypatch.setattr(res, "resource",
                        lambda *parts: folder if parts == ("demo",) else real(*parts))


def test_demo_missing_gives_clear_message(window, no_dialogs, monkeypatch, tmp_path):
    use_demo_folder(monkeypatch, tmp_path / "missing")
    window.open_demo()
    (text,) = no_dialogs.texts("warning")
    assert "demo articles are not installed" in text and "resources/demo" in text


def test_demo_opens_articles_without_readme(qtbot, window, no_dialogs, monkeypatch, tmp_path):
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / "README.md").write_text("# About these invented articles\n", encoding="utf-8")
    (demo / "one.txt").write_text(ARTICLE_A, encoding="utf-8")
    (demo / "two.txt").write_text(ARTICLE_B, encoding="utf-8")
    (demo / "manifest.csv").write_text(
        "file,title,outlet,group\none.txt,Energy talks,Outlet A,east\n"
        "two.txt,Trade high,Outlet B,west\n", encoding="utf-8")
    use_demo_folder(monkeypatch, demo)
    window.open_demo()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30_000)
    corpus = window.state.corpus
    assert sorted(d.meta["title"] for d in corpus) == ["Energy talks", "Trade high"]
    assert sorted(d.meta["group"] for d in corpus) == ["east", "west"]
    assert not window.state.dirty and window.windowTitle() == "Demo project[*] — Sinoru"
    assert no_dialogs.calls == []


def test_broken_user_outlet_registry_is_reported_not_fatal(tmp_path):
    from sinoru_desktop.import_dialog import run_import

    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    registry = tmp_path / "outlets.yaml"
    registry.write_text("outlets: [name: {unclosed\n", encoding="utf-8")
    outcome = run_import((str(tmp_path / "a.txt"),), None, str(registry), progress=lambda f: None)
    assert len(outcome.result.corpus) == 1
    (warning,) = [w for w in outcome.result.report.warnings if "outlets.yaml" in w]
    assert "cannot read outlet registry" in warning and "built-in outlet list" in warning


def test_exports_and_lookalike_through_the_dialog(qtbot, window, tmp_path, no_dialogs):
    import shutil
    from pathlib import Path

    fixtures = Path(__file__).parents[1] / "analysis" / "fixtures" / "exports"
    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in ("factiva_article_format.txt", "nexis_docx_export.docx"):
        shutil.copy(fixtures / name, folder / name)
    (folder / "notes.txt").write_text("My notes\n\nEnd of Document\n", encoding="utf-8")

    dialog = show_import_dialog(window)
    qtbot.addWidget(dialog)
    dialog.importRequested.connect(window._on_import_requested)
    dialog.add_path(str(folder))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30_000)

    assert no_dialogs.calls == []
    corpus = window.state.corpus
    assert len(corpus) == 3 + 2
    assert corpus["nexis_docx_export_2"].meta["outlet"] == "Capital Ledger"
    tabs = _tabs(window._dialogs[-1])
    assert [tabs.tabText(i) for i in range(3)] == \
        ["Imported (5)", "Skipped (1)", "Suspected duplicates (1)"]
    (skipped,) = _rows(tabs.widget(1))
    assert skipped[0].endswith("notes.txt")
    assert "looks like a Nexis Uni export" in skipped[1]
    duplicates = " ".join(" ".join(row) for row in _rows(tabs.widget(2)))
    assert "factiva_article_format_1" in duplicates and "nexis_docx_export_1" in duplicates
