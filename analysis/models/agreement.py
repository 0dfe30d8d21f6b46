"""Inter-coder agreement: Krippendorff's alpha for nominal labels (plain Python).

Alpha = 1 - D_o / D_e, computed from the coincidence matrix (Krippendorff 2011, "Computing
Krippendorff's alpha-reliability"): every unit coded by m >= 2 coders adds each ordered
pair of its values with weight 1 / (m - 1); units with fewer than two values are left
out. For nominal data
``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k``.
1 is perfect agreement, 0 agreement at chance level; below 0 systematic disagreement.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

__all__ = ["krippendorff_alpha_nominal", "coincidences"]


def _values(unit: Iterable[Hashable | None]) -> list[Hashable]:
    return [v for v in unit if v is not None and v == v and v != ""]  # v == v drops NaN


def coincidences(units: Iterable[Sequence[Hashable | None]]) -> Counter:
    """The coincidence matrix as ``{(c, k): weight}`` over units with two or more values.

    ``units`` holds, per unit (e.g. one target mention), the values the coders gave it;
    ``None``, NaN or "" stand for "not coded".
    """
    o: Counter = Counter()
    for unit in units:
        vals = _values(unit)
        m = len(vals)
        if m < 2:
            continue
        for i, c in enumerate(vals):
            for j, k in enumerate(vals):
                if i != j:
                    o[(c, k)] += 1.0 / (m - 1)
    return o


def krippendorff_alpha_nominal(units: Iterable[Sequence[Hashable | None]]) -> float:
    """Krippendorff's alpha for nominal values; NaN when it is undefined (fewer than two
    pairable values, or every value the same so no disagreement is expected)."""
    o = coincidences(units)
    n_c: Counter = Counter()
    for (c, _k), w in o.items():
        n_c[c] += w
    n = sum(n_c.values())
    observed = sum(w for (c, k), w in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    if n < 2 or expected == 0:
        return float("nan")
    return 1.0 - (n - 1) * observed / expected
