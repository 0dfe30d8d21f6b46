"""The term map: every term of a pair of groups placed by its frequency in each group.

A Scattertext-style view (Kessler 2017) of the whole vocabulary, not a top 15: each term
is a point at (frequency in group a, frequency in group b), per million words on log
scales, coloured by its keyness z (:func:`analysis.keyness.compare`). This module holds
the data and the geometry (positions, picking by nearest point, non-overlapping labels,
search) so the desktop view, the PDF and the HTML report share them; it draws nothing.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from analysis.keyness import TermCounts

__all__ = ["TERM_MAP_COLUMNS", "term_map", "TermMap", "label_order", "place_labels",
           "find_terms", "AXES"]

#: Columns of the ``term_map`` results table (one row per term and comparison).
TERM_MAP_COLUMNS = ("comparison", "term", "z", "count_a", "count_b", "freq_a", "freq_b")

#: Axis modes: ``"freq"`` frequency in a (x) against b (y); ``"z"`` pooled frequency (x)
#: against keyness z (y).
AXES = ("freq", "z")


def term_map(term_counts: TermCounts, ids_a: Iterable[str], ids_b: Iterable[str], *,
             comparison: str = "", prior_strength: float = 500.0) -> pd.DataFrame:
    """Every term used by either group, with its counts, per-million frequencies and z.

    Returns a DataFrame with :data:`TERM_MAP_COLUMNS`, most distinctive of a first
    (the order of :func:`analysis.keyness.compare`).
    """
    # Imported here: keyness (and scipy.sparse) is not needed to draw a saved term map.
    from analysis.keyness import compare as keyness_compare

    result = keyness_compare(term_counts, ids_a, ids_b, top_n=0,
                             prior_strength=prior_strength)
    table = result.all[list(TERM_MAP_COLUMNS[1:])].copy()
    table.insert(0, "comparison", comparison)
    return table.reset_index(drop=True)


def _log_freq(freq: np.ndarray, floor: float) -> np.ndarray:
    return np.log10(np.maximum(freq, floor))


@dataclass
class TermMap:
    """The points of one comparison's term map, ready to draw, search and pick.

    Parameters
    ----------
    table : DataFrame
        Rows of :data:`TERM_MAP_COLUMNS` for one comparison.
    axes : ``"freq"`` or ``"z"`` (see :data:`AXES`).

    Attributes
    ----------
    x, y : numpy arrays, the position of each term (log10 per million on frequency axes;
        a term a group never uses sits at the ``floor`` line, marked "not used").
    floor : float, the per-million frequency drawn for "not used" (half the rarest
        frequency seen), so log scales stay finite.
    """

    table: pd.DataFrame
    axes: str = "freq"
    x: np.ndarray = field(init=False)
    y: np.ndarray = field(init=False)
    floor: float = field(init=False)

    def __post_init__(self) -> None:
        if self.axes not in AXES:
            raise ValueError(f"unknown term-map axes {self.axes!r} (use one of {AXES})")
        self.table = self.table.reset_index(drop=True)
        fa = self.table["freq_a"].to_numpy(float)
        fb = self.table["freq_b"].to_numpy(float)
        positive = np.concatenate([fa[fa > 0], fb[fb > 0]])
        self.floor = float(positive.min() / 2) if positive.size else 0.5
        if self.axes == "freq":
            self.x, self.y = _log_freq(fa, self.floor), _log_freq(fb, self.floor)
        else:
            self.x = _log_freq((fa + fb) / 2, self.floor)
            self.y = self.table["z"].to_numpy(float)
        self._trees: dict = {}

    def __len__(self) -> int:
        return len(self.table)

    @property
    def terms(self) -> list[str]:
        return self.table["term"].astype(str).tolist()

    @property
    def z(self) -> np.ndarray:
        return self.table["z"].to_numpy(float)

    def nearest(self, x: float, y: float, *, scale: tuple[float, float] = (1.0, 1.0),
                max_distance: float = np.inf) -> int | None:
        """Index of the term nearest to ``(x, y)``, or None beyond ``max_distance``.

        ``scale`` converts data units to pixels on each axis (the axes differ), so
        "nearest" is what the eye sees. A KD-tree per scale makes a pick among 50,000
        points take microseconds; it is rebuilt only when the zoom changes the scale.
        """
        if not len(self):
            return None
        key = (round(scale[0], 9), round(scale[1], 9))
        tree = self._trees.get(key)
        if tree is None:
            # Imported here: scipy.spatial costs ~0.3 s of start-up that only picking needs.
            from scipy.spatial import cKDTree

            self._trees.clear()
            tree = self._trees[key] = cKDTree(np.column_stack([self.x * scale[0],
                                                               self.y * scale[1]]))
        distance, index = tree.query([x * scale[0], y * scale[1]],
                                     distance_upper_bound=max_distance)
        return None if not np.isfinite(distance) else int(index)

    def index_of(self, term: str) -> int | None:
        hits = np.flatnonzero(self.table["term"].to_numpy(object) == term)
        return int(hits[0]) if hits.size else None


def label_order(z: np.ndarray, counts: np.ndarray | None = None) -> np.ndarray:
    """Indices ordered by how much a label helps: strongest |z| first (ties: most used)."""
    strength = np.abs(np.asarray(z, float))
    extra = np.zeros_like(strength) if counts is None else np.asarray(counts, float)
    return np.lexsort((-extra, -strength))


def place_labels(px: np.ndarray, py: np.ndarray, widths: np.ndarray, height: float,
                 candidates: Iterable[int], *, limit: int = 40,
                 bounds: tuple[float, float, float, float] | None = None,
                 gap: float = 3.0) -> list[tuple[int, int]]:
    """Greedy label placement without overlaps, in pixel coordinates.

    Each candidate (in priority order) gets a box ``widths[i]`` x ``height`` just right of
    its point (``gap`` pixels away), or else just left of it; it is kept when the box overlaps no box kept
    before and lies inside ``bounds`` (x0, y0, x1, y1). Stops after ``limit`` labels.
    Returns ``(index, side)`` pairs, side 1 for right and -1 for left of the point.
    """
    boxes: list[tuple[float, float, float, float]] = []
    kept: list[int] = []
    sides: list[int] = []
    for i in candidates:
        if len(kept) >= limit:
            break
        y0 = py[i] - height / 2
        # Right of the point first; points at the right edge get their label on the left.
        for side in (1, -1):
            x0 = px[i] + gap if side == 1 else px[i] - gap - widths[i]
            box = (x0, y0, x0 + widths[i], y0 + height)
            if bounds is not None and not (bounds[0] <= box[0] and box[2] <= bounds[2]
                                           and bounds[1] <= box[1] and box[3] <= bounds[3]):
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                   for b in boxes):
                continue
            boxes.append(box)
            kept.append(int(i))
            sides.append(side)
            break
    return list(zip(kept, sides, strict=True))


def find_terms(terms: Iterable[str], query: str, limit: int = 20) -> list[str]:
    """Terms matching a search: the exact term first, then those starting with the
    query, then those containing it (case-insensitive)."""
    q = query.strip().lower()
    if not q:
        return []
    exact, prefix, inner = [], [], []
    for term in terms:
        t = term.lower()
        if t == q:
            exact.append(term)
        elif t.startswith(q):
            prefix.append(term)
        elif q in t:
            inner.append(term)
    return (exact + sorted(prefix, key=len) + sorted(inner, key=len))[:limit]


def comparison_key(a: str, b: str) -> str:
    """The ``comparison`` value of a pair (as in the keyness table): ``"a|b"``."""
    return f"{a}|{b}"


def term_map_tables(term_counts: TermCounts, comparisons: Iterable[Mapping],
                    members: Mapping[str, list[str]], *,
                    prior_strength: float = 500.0) -> pd.DataFrame:
    """The ``term_map`` table of every comparison (``b == "rest"``: all other groups)."""
    frames = []
    for comp in comparisons:
        a, b = comp["a"], comp["b"]
        ids_b = (members.get(b, []) if b != "rest" else
                 [i for g, ids in members.items() if g != a for i in ids])
        frames.append(term_map(term_counts, members.get(a, []), ids_b,
                               comparison=comparison_key(a, b),
                               prior_strength=prior_strength))
    if not frames:
        return pd.DataFrame(columns=list(TERM_MAP_COLUMNS))
    return pd.concat(frames, ignore_index=True)


__all__ += ["comparison_key", "term_map_tables"]
