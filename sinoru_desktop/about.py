"""Help > About: versions of the app and its main libraries, and measured model accuracy."""
from __future__ import annotations

import html
import platform
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from analysis import __version__
from analysis.models.cards import domain_line, heldout_line

__all__ = ["library_versions", "model_accuracy_lines", "show_about"]

#: Distribution names whose versions the About box lists (read without importing them).
LIBRARIES = ("pandas", "numpy", "scikit-learn", "scipy", "matplotlib", "textstat",
             "vaderSentiment", "onnxruntime")


def library_versions() -> list[tuple[str, str]]:
    """(name, version) of Sinoru, Python, Qt, PySide6 and the analysis libraries."""
    rows = [("Sinoru", __version__), ("Python", platform.python_version()),
            ("Qt", qVersion()), ("PySide6", pyside_version)]
    for dist in LIBRARIES:
        try:
            rows.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            rows.append((dist, "not installed"))
    return rows


def _describe(name: str, model: dict) -> str:
    acc = model.get("accuracy") if isinstance(model.get("accuracy"), dict) else model
    f1 = acc.get("macro_f1") if isinstance(acc, dict) else None
    label = model.get("name") or name
    if not isinstance(f1, (int, float)):
        return f"{label}: not measured"
    text = f"{label}: macro-F1 {f1:.2f}"
    ci = acc.get("ci95")
    if isinstance(ci, (list, tuple)) and len(ci) == 2 and all(isinstance(v, (int, float)) for v in ci):
        text += f" (95% CI {ci[0]:.2f}–{ci[1]:.2f})"
    extra = [str(acc[k]) for k in ("data",) if acc.get(k)]
    if acc.get("n"):
        extra.append(f"n = {acc['n']}")
    text += f", {', '.join(extra)}" if extra else ""
    extras = [line for line in (
        heldout_line(acc.get("heldout") if isinstance(acc.get("heldout"), dict) else None),
        domain_line(acc.get("domain") if isinstance(acc.get("domain"), dict) else None)) if line]
    return "; ".join([text, *extras])


def _shipped_models() -> list[str]:
    """Accuracy of the trained models installed with the app (their model-card figures)."""
    try:
        from analysis.models import measured_accuracy

        shipped = measured_accuracy()
    except (ImportError, OSError, ValueError):
        return []
    return [_describe(entry["task"], {"name": entry["model"], **(entry["accuracy"] or {})})
            for entry in shipped.values()]


def model_accuracy_lines(results_data: dict | None = None) -> list[str]:
    """One line per model with its measured accuracy.

    Taken from ``results.data["models"]`` when an analysis ran, else from the trained
    models shipped in resources/models (their model cards' figures); "not measured"
    otherwise.
    """
    models = (results_data or {}).get("models") or {}
    if isinstance(models, dict) and models:
        return [_describe(name, m) if isinstance(m, dict) else f"{name}: {m}"
                for name, m in models.items()]
    return _shipped_models() or ["Sentiment models: not measured"]


def show_about(parent: QWidget | None = None, results_data: dict | None = None) -> QDialog:
    """Build, show and return the About dialog."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("About Sinoru")
    versions = "".join(f"<tr><td>{html.escape(n)}</td><td>&nbsp;&nbsp;{html.escape(v)}</td></tr>"
                       for n, v in library_versions())
    models = "<br>".join(html.escape(line) for line in model_accuracy_lines(results_data))
    label = QLabel(
        f"<h2>Sinoru Desktop {html.escape(__version__)}</h2>"
        "<p>Compare how groups of outlets frame the same story.</p>"
        f"<p><b>Measured model accuracy</b><br>{models}</p>"
        f"<p><b>Versions</b></p><table>{versions}</table>")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(buttons)
    dialog.show()
    return dialog
