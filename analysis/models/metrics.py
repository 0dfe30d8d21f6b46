"""Classification metrics with bootstrap confidence intervals (plain numpy).

Macro-F1 is the mean over classes of each class's F1; a class that is never predicted
and never true contributes 0 (as scikit-learn's ``zero_division=0``). Confidence intervals
are percentile bootstraps over the evaluated items (targets, or articles for frames),
seeded so the same input always gives the same interval.
"""
from __future__ import annotations

import numpy as np

__all__ = ["confusion", "f1_per_class", "macro_f1", "multilabel_f1", "bootstrap_ci",
           "bootstrap_multilabel_ci", "paired_difference_ci", "paired_multilabel_difference_ci"]


def confusion(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Confusion matrix (n_classes, n_classes): rows true class, columns predicted."""
    m = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(m, (np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)), 1)
    return m


def _f1_from_confusion(m: np.ndarray) -> np.ndarray:
    tp = np.diag(m).astype(float)
    fp = m.sum(axis=0) - tp
    fn = m.sum(axis=1) - tp
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def f1_per_class(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """F1 of each class (n_classes,)."""
    return _f1_from_confusion(confusion(y_true, y_pred, n_classes))


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> float:
    return float(f1_per_class(y_true, y_pred, n_classes).mean())


def multilabel_f1(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """F1 of the positive class for each column of 0/1 arrays (n, k)."""
    y_true = np.asarray(y_true, dtype=bool)
    y_pred = np.asarray(y_pred, dtype=bool)
    tp = (y_true & y_pred).sum(axis=0).astype(float)
    denom = y_true.sum(axis=0) + y_pred.sum(axis=0)
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def bootstrap_ci(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int,
                 n_boot: int = 1000, seed: int = 0,
                 groups: np.ndarray | None = None) -> tuple[float, float]:
    """95% percentile-bootstrap interval of macro-F1, resampling items, or whole clusters
    of items when ``groups`` (one cluster id per item, e.g. the sentence) is given."""
    y_true = np.asarray(y_true, dtype=int)
    y_pred = np.asarray(y_pred, dtype=int)
    n = len(y_true)
    if n == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    codes = y_true * n_classes + y_pred
    cells = n_classes * n_classes
    if groups is None:
        per_cluster = np.eye(cells, dtype=int)[codes]  # each item its own cluster
    else:
        _, cluster = np.unique(np.asarray(groups), return_inverse=True)
        per_cluster = np.zeros((cluster.max() + 1, cells), dtype=int)
        np.add.at(per_cluster, (cluster, codes), 1)
    k = len(per_cluster)
    stats = np.empty(n_boot)
    for b in range(n_boot):
        counts = np.bincount(rng.integers(0, k, k), minlength=k) @ per_cluster
        stats[b] = _f1_from_confusion(counts.reshape(n_classes, n_classes)).mean()
    low, high = np.percentile(stats, [2.5, 97.5])
    return (float(low), float(high))


def bootstrap_multilabel_ci(y_true: np.ndarray, y_pred: np.ndarray, n_boot: int = 1000,
                            seed: int = 0) -> tuple[float, float]:
    """95% percentile-bootstrap interval of the mean per-column F1, resampling rows."""
    y_true = np.asarray(y_true, dtype=bool)
    y_pred = np.asarray(y_pred, dtype=bool)
    n = len(y_true)
    if n == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    stats = np.empty(n_boot)
    for b in range(n_boot):
        idx = rng.integers(0, n, n)
        stats[b] = multilabel_f1(y_true[idx], y_pred[idx]).mean()
    low, high = np.percentile(stats, [2.5, 97.5])
    return (float(low), float(high))


def paired_difference_ci(y_true: np.ndarray, pred_a: np.ndarray, pred_b: np.ndarray,
                         n_classes: int, groups: np.ndarray, n_boot: int = 1000,
                         seed: int = 0) -> tuple[float, float, float]:
    """Macro-F1 of ``pred_a`` minus that of ``pred_b`` on the same items, with a 95%
    percentile interval from resampling whole ``groups`` (both models see the same draw)."""
    y_true, pred_a, pred_b = (np.asarray(v, dtype=int) for v in (y_true, pred_a, pred_b))
    _, cluster = np.unique(np.asarray(groups), return_inverse=True)
    cells = n_classes * n_classes
    per = []
    for pred in (pred_a, pred_b):
        counts = np.zeros((cluster.max() + 1, cells), dtype=int)
        np.add.at(counts, (cluster, y_true * n_classes + pred), 1)
        per.append(counts)
    rng = np.random.default_rng(seed)
    k = len(per[0])
    diffs = np.empty(n_boot)
    for b in range(n_boot):
        w = np.bincount(rng.integers(0, k, k), minlength=k)
        f = [_f1_from_confusion((w @ c).reshape(n_classes, n_classes)).mean() for c in per]
        diffs[b] = f[0] - f[1]
    low, high = np.percentile(diffs, [2.5, 97.5])
    return macro_f1(y_true, pred_a, n_classes) - macro_f1(y_true, pred_b, n_classes), \
        float(low), float(high)


def paired_multilabel_difference_ci(y_true: np.ndarray, pred_a: np.ndarray, pred_b: np.ndarray,
                                    n_boot: int = 1000, seed: int = 0
                                    ) -> tuple[float, float, float]:
    """Mean per-column F1 of ``pred_a`` minus that of ``pred_b`` on the same rows, with a
    95% percentile interval from resampling rows (both see the same draw)."""
    y_true, pred_a, pred_b = (np.asarray(v, dtype=bool) for v in (y_true, pred_a, pred_b))
    rng = np.random.default_rng(seed)
    n = len(y_true)
    diffs = np.empty(n_boot)
    for b in range(n_boot):
        i = rng.integers(0, n, n)
        diffs[b] = multilabel_f1(y_true[i], pred_a[i]).mean() - multilabel_f1(y_true[i], pred_b[i]).mean()
    low, high = np.percentile(diffs, [2.5, 97.5])
    diff = multilabel_f1(y_true, pred_a).mean() - multilabel_f1(y_true, pred_b).mean()
    return float(diff), float(low), float(high)
