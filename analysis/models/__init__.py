"""Trained models shipped with Sinoru: target-dependent sentiment and generic frames.

Inference needs only numpy/scipy; training and evaluation need scikit-learn.
:func:`measured_accuracy` gives the figures the app's Methods panel and the report's
methods appendix state.
"""
from __future__ import annotations

__all__ = ["measured_accuracy", "methods_paragraph"]


def measured_accuracy() -> dict[str, dict]:
    """Per shipped model: ``{"task", "model", "accuracy": {macro_f1, ci95, data, n, ...},
    "baselines": {name: accuracy}}``; models whose files are missing are left out."""
    from analysis.models.frame_detector import load_frame_model
    from analysis.models.target_sentiment import load_target_model

    out = {}
    tsc = load_target_model()
    if tsc is not None:
        out["target_sentiment"] = {"task": "target-dependent sentiment", "model": tsc.name,
                                   "accuracy": tsc.accuracy,
                                   "baselines": tsc.model.meta.get("baselines", {})}
    frames = load_frame_model()
    if frames is not None:
        out["frames"] = {"task": "generic news frames", "model": frames.name,
                         "accuracy": frames.accuracy,
                         "baselines": frames.linear.meta.get("baselines", {})}
    return out


def methods_paragraph() -> str:
    """Plain-text sentences stating each shipped model's measured accuracy (for reports)."""
    from analysis.models.cards import accuracy_line

    lines = []
    for entry in measured_accuracy().values():
        base = "; ".join(f"{name}: macro-F1 {acc['macro_f1']:.3f}"
                         for name, acc in entry["baselines"].items())
        lines.append(f"{entry['task'].capitalize()} ({entry['model']}): "
                     f"{accuracy_line(entry['accuracy'])}."
                     + (f" Baselines on the same data: {base}." if base else ""))
    return "\n".join(lines)
