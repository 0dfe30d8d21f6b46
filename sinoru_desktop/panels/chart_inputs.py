"""The part of the results one Compare chart is drawn from, so a re-run redraws only the
charts whose inputs changed.

Adding a term to one codebook changes that codebook's frame figures and their tests, and
little else: the sentiment, target, marker and readability charts would come out the same.
:func:`chart_inputs` cuts the results down to what a chart reads (its own section of each
group, its own rows of the tests, the labels it names them by) and the card draws from
exactly that cut, so two equal cuts are two equal pictures: the card keeps its chart.
"""
from __future__ import annotations

import math
from dataclasses import replace

from analysis.charts.significance import Q_THRESHOLD

__all__ = ["chart_inputs", "same_inputs", "inputs_results"]

#: Each group's per-analyzer sections; a chart keeps only the one it draws.
GROUP_SECTIONS = ("sentiment", "frames", "markers", "readability", "topics", "targets", "dates")
#: Parts of the results no chart draws (run time, provenance, passages, document rows).
UNDRAWN = ("created", "provenance", "evidence", "documents")
#: chart id -> (the group section it draws, the test section it marks significant).
READS = {
    "frames": ("frames", "frames"),
    "sentiment": ("sentiment", "sentiment"),
    "targets": ("targets", "targets"),
    "markers": ("markers", "markers"),
    "salience": ("markers", "markers"),
    "readability": ("readability", "readability"),
    "topics": ("topics", "topics"),
    "timeline": ("dates", None),
    "keyness": (None, None),
}


def _q(test: dict) -> float | None:
    try:
        q = float(test.get("q_bh"))
    except (TypeError, ValueError):
        return None
    return None if math.isnan(q) else q


def _tests(tests: list, section: str | None) -> list:
    """The chart's own test rows: whole when the difference holds (marked, named in the
    caption), otherwise only that the row was tested (a q-value moving from 0.98 to 1.0
    changes nothing drawn)."""
    out = []
    for test in tests or []:
        if section is None or test.get("section") != section:
            continue
        q = _q(test)
        out.append(test if q is not None and q < Q_THRESHOLD
                   else {"section": section, "key": test.get("key")})
    return out


def chart_inputs(data: dict, chart_id: str, kwargs: dict) -> dict | None:
    """What the chart ``chart_id`` (drawn with ``kwargs``) reads of results.json ``data``;
    None when that is not known (the chart is then always drawn again)."""
    if chart_id not in READS or kwargs.get("outlet_points"):
        return None  # outlet points read the documents table: not cut here
    section, test_section = READS[chart_id]
    out = {k: v for k, v in data.items() if k not in UNDRAWN}
    codebook = kwargs.get("codebook")
    groups = {}
    for name, block in (data.get("groups") or {}).items():
        block = {k: v for k, v in (block or {}).items()
                 if k not in GROUP_SECTIONS or k == section}
        if section == "frames" and "frames" in block:
            block["frames"] = {cb: v for cb, v in (block["frames"] or {}).items()
                               if cb == codebook}
        groups[name] = block
    if "groups" in data:
        out["groups"] = groups
    if "codebooks" in data:  # only the frame charts name frames and codebooks
        out["codebooks"] = [cb for cb in data["codebooks"] or []
                            if section == "frames" and cb.get("id") == codebook]
    if "comparisons" in data:
        out["comparisons"] = [
            {**{k: v for k, v in comp.items()
                if k not in ("tests", "keyness", "keyness_by_language") or chart_id == "keyness"},
             "tests": _tests(comp.get("tests"), test_section)}
            for comp in data["comparisons"] or []]
    return out


def inputs_results(results, inputs: dict | None):
    """``results`` with its data cut to ``inputs`` (the tables are shared, not copied)."""
    return results if inputs is None else replace(results, data=inputs)


def same_inputs(a, b) -> bool:
    """Equal inputs: what ``==`` says, except that NaN equals NaN (a missing mean is
    NaN in both runs) and the order of keys counts (it is the order things are drawn)."""
    if a is b:
        return True
    if isinstance(a, dict):
        return (isinstance(b, dict) and list(a) == list(b)
                and all(same_inputs(a[k], b[k]) for k in a))
    if isinstance(a, (list, tuple)):
        return (isinstance(b, (list, tuple)) and len(a) == len(b)
                and all(same_inputs(x, y) for x, y in zip(a, b, strict=True)))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # an array: compare it as unequal, draw again
        return False
