"""Evaluation metrics against hand-computed confusion matrices."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.models.metrics import (
    bootstrap_ci,
    bootstrap_multilabel_ci,
    confusion,
    f1_per_class,
    macro_f1,
    multilabel_f1,
)

# true: 4 negative, 3 neutral, 3 positive
Y_TRUE = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
Y_PRED = np.array([0, 0, 1, 2, 1, 1, 0, 2, 2, 1])


def test_confusion_matrix_counts():
    assert confusion(Y_TRUE, Y_PRED, 3).tolist() == [[2, 1, 1], [1, 2, 0], [0, 1, 2]]


def test_f1_per_class_by_hand():
    # negative: tp 2, fp 1, fn 2 -> 4/7; neutral: tp 2, fp 2, fn 1 -> 4/7;
    # positive: tp 2, fp 1, fn 1 -> 4/6
    f1 = f1_per_class(Y_TRUE, Y_PRED, 3)
    assert f1 == pytest.approx([4 / 7, 4 / 7, 2 / 3])
    assert macro_f1(Y_TRUE, Y_PRED, 3) == pytest.approx((4 / 7 + 4 / 7 + 2 / 3) / 3)


def test_class_never_seen_counts_zero():
    assert f1_per_class(np.array([0, 0]), np.array([0, 0]), 3).tolist() == [1.0, 0.0, 0.0]


def test_multilabel_f1_by_hand():
    y = np.array([[1, 0], [1, 1], [0, 0], [0, 1]])
    p = np.array([[1, 0], [0, 1], [1, 0], [0, 0]])
    # column 0: tp 1, fp 1, fn 1 -> 0.5; column 1: tp 1, fn 1 -> 2/3
    assert multilabel_f1(y, p) == pytest.approx([0.5, 2 / 3])


def test_bootstrap_interval_brackets_the_estimate_and_is_reproducible():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 400)
    pred = np.where(rng.random(400) < 0.7, y, rng.integers(0, 3, 400))
    low, high = bootstrap_ci(y, pred, 3)
    assert low < macro_f1(y, pred, 3) < high
    assert 0.02 < high - low < 0.2
    assert (low, high) == bootstrap_ci(y, pred, 3)
    perfect = bootstrap_ci(y, y, 3)
    assert perfect == (1.0, 1.0)
    ym = rng.integers(0, 2, (200, 5))
    lo, hi = bootstrap_multilabel_ci(ym, ym)
    assert lo == hi == 1.0
