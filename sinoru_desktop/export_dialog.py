"""File > Export report…: the dialog that chooses format, file, title, author, note and
sections of a report (the options of ``sinoru report``)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from analysis.report.options import SECTION_LABELS, SECTIONS, ReportOptions, report_outline
from sinoru_desktop import settings as app_settings

__all__ = ["ExportReportDialog", "show_export_report_dialog", "FORMAT_CHOICES"]

#: (format, label in the dialog, file suffix; "" = a folder).
FORMAT_CHOICES = (("pdf", "PDF report", ".pdf"), ("html", "HTML report", ".html"),
                  ("xlsx", "Excel workbook (XLSX)", ".xlsx"),
                  ("csv", "CSV files in a folder", ""))
_FILTERS = {"pdf": "PDF files (*.pdf)", "html": "HTML files (*.html *.htm)",
            "xlsx": "Excel workbooks (*.xlsx)"}


class ExportReportDialog(QDialog):
    """Choices for one report export.

    Signals
    -------
    exportRequested(str, str, object) : format, target path, :class:`ReportOptions`.
    """

    exportRequested = Signal(str, str, object)

    def __init__(self, results, default_name: str, parent: QWidget | None = None, *,
                 split_by: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self.setMinimumWidth(620)
        self._results = results
        self._default_name = default_name
        stored = app_settings.settings()
        self.format = QComboBox()
        for fmt, label, _suffix in FORMAT_CHOICES:
            self.format.addItem(label, fmt)
        self.format.setCurrentIndex(max(0, self.format.findData(stored.value("export/format",
                                                                              "pdf"))))
        self.path = QLineEdit()
        self.path.setPlaceholderText("Where to write the report")
        self.browse = QPushButton("Choose…")
        self.title = QLineEdit()
        from analysis.report.options import report_title

        self.title.setPlaceholderText(report_title(results, ReportOptions()))
        self.author = QLineEdit(str(stored.value("export/author", "") or ""))
        from analysis.split import split_columns

        self.split_by = QComboBox()
        self.split_by.setToolTip("Repeat the group charts split by a second column, as in "
                                 "the Compare view (each group \u00d7 value cell on its own).")
        self.split_by.addItem("No split", "")
        documents = results.table("documents") if hasattr(results, "table") else None
        if documents is not None and not documents.empty:
            for column in split_columns(documents, results.data.get("group_by") or "group"):
                self.split_by.addItem(column.replace("_", " ").capitalize(), column)
        self.split_by.setCurrentIndex(max(0, self.split_by.findData(split_by)))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Your own note for the readers: scope, caveats, date "
                                     "range… (shown under the title)")
        self.note.setFixedHeight(90)
        self.sections: dict[str, QCheckBox] = {}
        box = QGroupBox("Include")
        grid = QGridLayout(box)
        for i, section in enumerate(SECTIONS):
            check = QCheckBox(SECTION_LABELS[section])
            check.setChecked(True)
            check.toggled.connect(self._on_changed)
            self.sections[section] = check
            grid.addWidget(check, i % 4, i // 4)
        # List items are plain text: chart titles hold imported group names.
        self.outline = QListWidget()
        self.outline.setToolTip("What the report will contain, in order")
        self.outline.setFixedHeight(130)
        self.outline.setSelectionMode(QListWidget.SelectionMode.NoSelection)

        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Save to", where)
        form.addRow("Title", self.title)
        form.addRow("Author", self.author)
        form.addRow("Note", self.note)
        form.addRow("Split charts by", self.split_by)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(QLabel("Contents"))
        layout.addWidget(self.outline)
        layout.addWidget(self.buttons)

        self.browse.clicked.connect(self._on_browse)
        self.format.currentIndexChanged.connect(self._on_format_changed)
        self.path.textChanged.connect(self._on_changed)
        self.split_by.currentIndexChanged.connect(self._on_changed)
        self.buttons.accepted.connect(self._on_export)
        self.buttons.rejected.connect(self.reject)
        self._on_format_changed()

    # What the user chose -----------------------------------------------------------------
    def chosen_format(self) -> str:
        return self.format.currentData()

    def options(self) -> ReportOptions:
        return ReportOptions(sections=tuple(s for s, c in self.sections.items() if c.isChecked()),
                             title=self.title.text().strip(), author=self.author.text().strip(),
                             note=self.note.toPlainText().strip(),
                             split_by=self.split_by.currentData() or "")

    def _suffix(self) -> str:
        return next(s for f, _label, s in FORMAT_CHOICES if f == self.chosen_format())

    # Slots ------------------------------------------------------------------------------
    @Slot()
    def _on_format_changed(self) -> None:
        # Keep the chosen folder and name; only the suffix follows the format.
        current = self.path.text().strip()
        folder = Path(current).parent if current else Path(
            str(app_settings.settings().value("export/folder", "") or Path.home()))
        stem = Path(current).stem if current else self._default_name
        self.path.setText(str(folder / (stem + self._suffix())))
        self._on_changed()

    @Slot()
    def _on_changed(self) -> None:
        options = self.options()
        self.export_button.setEnabled(bool(options.sections and self.path.text().strip()))
        lines = report_outline(self._results, options) if options.sections else []
        if self.chosen_format() in ("xlsx", "csv"):
            lines = [line for line in lines if not line.startswith("Chart")] or lines
        self.outline.clear()
        self.outline.addItems(lines or ["Tick at least one section."])

    @Slot()
    def _on_browse(self) -> None:
        fmt = self.chosen_format()
        if fmt == "csv":
            path = QFileDialog.getExistingDirectory(self, "Folder for the CSV files",
                                                    str(Path(self.path.text()).parent))
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export report", self.path.text(),
                                                  _FILTERS[fmt])
            if path and not Path(path).suffix:
                path += self._suffix()
        if path:
            self.path.setText(path)

    @Slot()
    def _on_export(self) -> None:
        path = self.path.text().strip()
        if not path or not self.options().sections:
            return
        stored = app_settings.settings()
        stored.setValue("export/format", self.chosen_format())
        stored.setValue("export/author", self.author.text().strip())
        stored.setValue("export/folder", str(Path(path).parent))
        self.exportRequested.emit(self.chosen_format(), path, self.options())
        self.accept()


def show_export_report_dialog(results, default_name: str,
                              parent: QWidget | None = None, *,
                              split_by: str = "") -> ExportReportDialog:
    """Build, show and return the export dialog (deleted when closed); ``split_by`` is
    the Compare view's split, chosen at first."""
    dialog = ExportReportDialog(results, default_name, parent, split_by=split_by)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
