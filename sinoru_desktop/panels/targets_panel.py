"""The Targets editor: the named targets (Russia, China, the US …) whose mentions are
scored for sentiment, and the aliases that find them."""
from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sinoru_desktop.dataframe_model import DataFrameModel
from sinoru_desktop.state import AppState

__all__ = ["TargetsPanel", "validate_targets", "targets_yaml", "scorer_choices"]

_COLUMNS = {"id": "Id", "label": "Label", "aliases": "Aliases (separated by ;)"}
# The engine's rule for target ids (analysis.targets): they become column names.
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _aliases(text: str) -> list[str]:
    return [" ".join(a.split()) for a in str(text).split(";") if a.strip()]


def validate_targets(frame: pd.DataFrame) -> list[str]:
    """Problems with the edited targets, in plain words (empty when they are fine).

    ``frame`` has columns ``id, label, aliases`` (aliases separated by ``;``).
    """
    problems: list[str] = []
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    for n, row in enumerate(frame.itertuples(index=False), 1):
        tid = str(row.id).strip()
        name = tid or f"row {n}"
        if not tid:
            problems.append(f"Row {n} has no id.")
        elif not _ID.match(tid):
            problems.append(f"Target id \u201c{tid}\u201d must start with a letter and "
                            "contain only letters, digits and \u2018_\u2019.")
        elif tid in seen_ids:
            problems.append(f"Target id \u201c{tid}\u201d is used twice.")
        seen_ids.add(tid)
        aliases = _aliases(row.aliases)
        if not aliases:
            problems.append(f"Target \u201c{name}\u201d has no aliases: it would never be "
                            "found.")
        for alias in aliases:
            other = owner.get(alias.lower())
            if other and other != name:
                problems.append(f"The alias \u201c{alias}\u201d belongs to both "
                                f"\u201c{other}\u201d and \u201c{name}\u201d.")
            owner[alias.lower()] = name
    return problems


def targets_yaml(targets) -> str:
    """The YAML text of ``targets``, exactly as the engine writes a targets file."""
    import tempfile
    from pathlib import Path

    from analysis.targets import dump_targets

    # dump_targets writes a file (atomically); the project keeps the text itself.
    with tempfile.TemporaryDirectory(prefix="sinoru-targets-") as folder:
        path = Path(folder) / "targets.yaml"
        dump_targets(targets, path)
        return path.read_text(encoding="utf-8")


def _f1(accuracy: dict | None) -> str:
    f1 = (accuracy or {}).get("macro_f1")
    text = f", macro-F1 {f1:.2f}" if isinstance(f1, (int, float)) else ""
    domain = ((accuracy or {}).get("domain") or {}).get("macro_f1")
    if isinstance(domain, (int, float)):
        text += f" (China–Russia check {domain:.2f})"  # the same model on the user's domain
    return text


def scorer_choices() -> list[tuple[str, str, bool]]:
    """(label, ``target_model`` value, available) for the sentiment-model chooser, with
    each model's measured macro-F1 from its model card."""
    from analysis.models import measured_accuracy

    shipped = measured_accuracy()
    linear = shipped.get("target_sentiment") or {}
    transformer = shipped.get("target_sentiment_transformer")
    from analysis.models.domain_check import with_domain

    vader = with_domain(next((acc for name, acc in (linear.get("baselines") or {}).items()
                              if "window" in name.lower()), None), "vader-window")
    return [
        (f"Linear model: fast{_f1(linear.get('accuracy'))}", "linear", bool(linear)),
        (f"Transformer: more accurate{_f1((transformer or {}).get('accuracy'))}, "
         "much slower", "transformer", transformer is not None),
        (f"VADER on the target's clause: dictionary{_f1(vader)}", "vader", True),
    ]


class TargetsPanel(QWidget):
    """A table of targets (id, label, aliases). Every valid edit goes into the project at
    once, as an undoable edit; "Apply" re-runs the analysis with them."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.model = DataFrameModel(columns=_COLUMNS, editable=list(_COLUMNS))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Add target")
        self.remove_button = QPushButton("Remove")
        self.reset_button = QPushButton("Use built-in targets")
        self.apply_button = QPushButton("Apply and re-run analysis")
        self.status = QLabel()
        self.status.setWordWrap(True)
        intro = QLabel("Sentiment is measured toward each target wherever one of its aliases "
                       "is mentioned. Double-click a cell to edit it.")
        intro.setWordWrap(True)
        self.scorer_combo = QComboBox()
        self.scorer_combo.setToolTip(
            "The model that reads each mention's sentence. Macro-F1 is measured on "
            "gold-labelled news sentences (Help ▸ About, and the report's methods).")
        for label, value, available in scorer_choices():
            self.scorer_combo.addItem(label, value)
            if not available:
                item = self.scorer_combo.model().item(self.scorer_combo.count() - 1)
                item.setEnabled(False)
                item.setToolTip("Not installed with this copy of Sinoru.")
        scorer_row = QHBoxLayout()
        scorer_row.addWidget(QLabel("Sentiment model:"))
        scorer_row.addWidget(self.scorer_combo)
        scorer_row.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(scorer_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_target)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reset_button.clicked.connect(self.use_builtin)
        self.apply_button.clicked.connect(self.apply)
        self.scorer_combo.activated.connect(self._on_scorer_chosen)
        self.model.edited.connect(self._on_edited)
        state.corpusChanged.connect(self.reload)
        state.configChanged.connect(self.reload)
        self._edited = False     # the table holds targets that are not valid yet
        self._storing = False    # our own edit is reaching the state
        self._case_sensitive: dict[str, tuple[str, ...]] = {}
        self.reload()

    # Data ------------------------------------------------------------------------------
    def frame(self) -> pd.DataFrame:
        """The targets as edited: columns ``id, label, aliases``."""
        return self.model.frame[list(_COLUMNS)].reset_index(drop=True)

    def targets(self) -> list:
        """The edited targets as engine ``Target`` objects (raises ValueError if invalid)."""
        from analysis.targets import Target

        problems = validate_targets(self.frame())
        if problems:
            raise ValueError(" ".join(problems))
        out = []
        for r in self.frame().itertuples(index=False):
            tid = str(r.id).strip()
            aliases = tuple(_aliases(r.aliases))
            # Keep "match exactly as written" for aliases that had it and are still there.
            exact = tuple(a for a in self._case_sensitive.get(tid, ()) if a in aliases)
            out.append(Target(id=tid, label=str(r.label).strip() or tid, aliases=aliases,
                              case_sensitive=exact))
        return out

    @Slot()
    def reload(self) -> None:
        """Show the project's targets (its edited copy, else the built-in set)."""
        self._show_scorer()
        if self._edited_pending() or self._storing:
            return
        from analysis.targets import load_targets, parse_targets

        try:
            if self.state.targets_yaml is not None:
                targets = parse_targets(self.state.targets_yaml, source="project targets")
            else:
                targets = load_targets(self.state.config.targets)
        except (ValueError, OSError) as exc:
            targets = []
            self.status.setText(f"\u26a0 The targets could not be read: {exc}")
        rows = [{"id": t.id, "label": t.label, "aliases": "; ".join(t.aliases)}
                for t in targets]
        self._case_sensitive = {t.id: tuple(t.case_sensitive) for t in targets}
        self.model.set_frame(pd.DataFrame(rows, columns=list(_COLUMNS)))
        self.table.resizeColumnsToContents()
        for column in (0, 1):
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), 120))
        self._edited = False
        where = "this project's own" if self.state.targets_yaml is not None else "built-in"
        if targets:
            self.status.setText(f"{len(targets)} targets ({where}).")

    def _show_scorer(self) -> None:
        value = {"auto": "linear", "trained": "linear"}.get(self.state.config.target_model,
                                                            self.state.config.target_model)
        index = self.scorer_combo.findData(value)
        self.scorer_combo.setCurrentIndex(max(index, 0))

    @Slot(int)
    def _on_scorer_chosen(self, index: int) -> None:
        value = self.scorer_combo.itemData(index)
        if value == self.state.config.target_model:
            return
        self.state.edit("Choose the sentiment model",
                        config=replace(self.state.config, target_model=value))
        self.state.analysisRequested.emit()

    def _edited_pending(self) -> bool:
        return self._edited

    # Commands --------------------------------------------------------------------------
    @Slot()
    def add_target(self) -> None:
        frame = self.frame()
        n = len(frame) + 1
        new = pd.DataFrame([{"id": f"target_{n}", "label": f"Target {n}", "aliases": ""}])
        self.model.set_frame(pd.concat([frame, new], ignore_index=True))
        self._mark_edited()  # says what the new row still lacks

    @Slot()
    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            return
        frame = self.frame().drop(index=rows).reset_index(drop=True)
        self.model.set_frame(frame)
        self._mark_edited("Remove targets")

    @Slot()
    def use_builtin(self) -> None:
        """Drop the project's edited targets and go back to the built-in set."""
        self._edited = False
        self.state.edit("Use the built-in targets", targets_yaml=None)
        self.reload()
        self.state.analysisRequested.emit()

    @Slot()
    def apply(self) -> bool:
        """Validate, store the targets in the project and ask for a re-run."""
        targets = self._store("Edit targets")
        if targets is None:
            return False
        self.status.setText(f"Applied {len(targets)} targets: the analysis re-runs with them.")
        self.state.analysisRequested.emit()
        return True

    def _store(self, label: str) -> list | None:
        """Put the edited targets into the project (undoably); None when they are invalid."""
        from analysis.targets import parse_targets

        try:
            targets = self.targets()
            text = targets_yaml(targets)
            parse_targets(text, source="the edited targets")  # the engine's own check
        except ValueError as exc:
            self.status.setText(f"<span style='color:#D55E00'>\u26a0 {exc}</span>")
            return None
        self._edited = False
        if text != self.state.targets_yaml:
            self._storing = True
            try:
                self.state.edit(label, targets_yaml=text)
            finally:
                self._storing = False
        return targets

    def _mark_edited(self, label: str = "Edit targets") -> None:
        problems = validate_targets(self.frame())
        if problems:
            self._edited = True
            self.status.setText("<span style='color:#D55E00'>\u26a0 " + " ".join(problems)
                                + "</span> Not in the project until this is fixed.")
        elif self._store(label) is not None:
            self.status.setText("Edited: press \u201cApply\u201d to analyse with these "
                                "targets.")

    @Slot(object, str, object)
    def _on_edited(self, _label, _column, _value) -> None:
        self._mark_edited()
