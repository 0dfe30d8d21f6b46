"""Trained models shipped with Sinoru: target-dependent sentiment and generic frames.

Inference needs only numpy/scipy; training and evaluation need scikit-learn.
:func:`measured_accuracy` gives the figures the app's About panel and the Targets view's
model chooser state; a report states the figures of the models its results were made with.
"""
from __future__ import annotations

__all__ = ["measured_accuracy"]


def measured_accuracy() -> dict[str, dict]:
    """Per shipped model: ``{"task", "model", "accuracy": {macro_f1, ci95, data, n, ...,
    "domain": {...} when the China–Russia domain check measured it},
    "baselines": {name: accuracy}}``; models whose files are missing are left out."""
    from analysis.models.frame_detector import load_frame_model
    from analysis.models.target_sentiment import load_target_model

    out = {}
    tsc = load_target_model()
    if tsc is not None:
        out["target_sentiment"] = {"task": "target-dependent sentiment", "model": tsc.name,
                                   "accuracy": tsc.accuracy,
                                   "baselines": tsc.model.meta.get("baselines", {})}
    from analysis.models.domain_check import with_domain
    from analysis.models.onnx_target_scorer import transformer_card

    card = transformer_card()
    if card is not None:
        out["target_sentiment_transformer"] = {
            "task": "target-dependent sentiment, accurate option", "model": card.get("name"),
            "accuracy": with_domain(card.get("accuracy"), card.get("name", "")),
            "baselines": card.get("baselines", {})}
    frames = load_frame_model()
    if frames is not None:
        out["frames"] = {"task": "generic news frames", "model": frames.name,
                         "accuracy": frames.accuracy,
                         "baselines": frames.linear.meta.get("baselines", {})}
    return out

