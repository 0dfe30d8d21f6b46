"""The About dialog and the Targets view's model chooser state the China–Russia check."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

DOMAIN = {"macro_f1": 0.5512, "ci95": [0.4801, 0.6203], "n": 400,
          "data": "China–Russia sample (5 articles)", "alpha": 0.7123}


def test_about_puts_the_domain_check_beside_the_newsmtsc_figure(qtbot):
    from sinoru_desktop.about import model_accuracy_lines, show_about

    results = {"models": {"target_sentiment": {
        "name": "tsc-linear-v1", "macro_f1": 0.6612, "ci95": [0.651, 0.671],
        "data": "NewsMTSC train", "n": 8739, "domain": DOMAIN}}}
    assert model_accuracy_lines(results) == [
        "tsc-linear-v1: macro-F1 0.66 (95% CI 0.65–0.67), NewsMTSC train, n = 8739; "
        "China–Russia check: macro-F1 0.551 (95% CI 0.480–0.620) on 400 mentions of "
        "China–Russia sample (5 articles), coders' Krippendorff's alpha 0.71"]
    dialog = show_about(None, results)
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel).text()
    assert "China–Russia check: macro-F1 0.551" in text
    dialog.close()


def test_model_chooser_names_the_domain_figure_when_measured():
    from analysis.models.domain_check import load_measurement
    from sinoru_desktop.panels.targets_panel import scorer_choices

    stored = load_measurement()
    labels = [label for label, _value, _ok in scorer_choices()]
    if stored is None:
        assert not any("China–Russia" in label for label in labels)
        return
    linear = stored["models"]["tsc-linear-v1"]["macro_f1"]
    assert f"(China–Russia check {linear:.2f})" in labels[0]


def test_about_states_the_frame_detectors_held_out_figure():
    from sinoru_desktop.about import model_accuracy_lines

    results = {"models": {"frames": {
        "name": "generic-frames-fused-v2", "macro_f1": 0.634, "ci95": [0.587, 0.673],
        "data": "Narrative Frames dev", "n": 294,
        "heldout": {"macro_f1": 0.648, "ci95": [0.529, 0.749], "n": 59}}}}
    assert model_accuracy_lines(results) == [
        "generic-frames-fused-v2: macro-F1 0.63 (95% CI 0.59–0.67), Narrative Frames dev, "
        "n = 294; held-out articles: macro-F1 0.648 (95% CI 0.529–0.749), n = 59"]
