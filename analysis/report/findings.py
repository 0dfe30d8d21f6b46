"""The summary of findings: short plain sentences, each stating one contrast with its
figures, 95% CI and n, and no more than the numbers say."""
from __future__ import annotations

from dataclasses import dataclass

from analysis.charts._common import data_of
from analysis.charts.keyness import p_text
from analysis.charts.profiles import (
    READABILITY_LABELS,
    codebook_unit,
    marker_label,
    topic_label,
)
from analysis.compare import SMALL_GROUP
from analysis.report.formatting import (
    group_text,
    is_num,
    num,
    num_ci,
    pct,
    pct_ci,
    plural,
    pvalue,
    signed,
    spread,
)
from analysis.report.options import report_comparisons
from analysis.report.tables import frame_labels

__all__ = ["Finding", "findings", "SMALL_N", "ALPHA", "synthetic_note"]

#: Groups with fewer documents get the small-sample sentence (the analysis's own threshold).
SMALL_N = SMALL_GROUP
#: False discovery rate under which a difference is called statistically significant.
ALPHA = 0.05
_SECTIONS = ("frames", "targets", "sentiment", "markers", "readability", "topics")


@dataclass(frozen=True)
class Finding:
    """One sentence as ``(text, style)`` segments (style ``""`` or ``"i"`` for italic)."""

    segments: tuple[tuple[str, str], ...]
    kind: str = "contrast"          # "overview", "caution", "contrast", "keyness", "note"
    comparison: str = ""
    section: str = ""
    key: str = ""

    @property
    def text(self) -> str:
        return "".join(s for s, _ in self.segments)


def _n(data, g) -> int:
    n = ((data.get("groups") or {}).get(g) or {}).get("n_documents")
    return int(n) if is_num(n) else 0


def _docs(data, g) -> str:
    return plural(_n(data, g), "document")


def _cell(data, g, section, key) -> dict | None:
    block = (data.get("groups") or {}).get(g)
    if not block:
        return None
    if section == "frames":
        cb, _, frame = key.partition(".")
        return ((block.get("frames") or {}).get(cb) or {}).get(frame)
    if section == "sentiment":
        return block.get("sentiment")
    return (block.get(section) or {}).get(key)


def _figure(data, g, section, key, mean_fallback) -> tuple[str, str]:
    """``("41%", "95% CI 33–49%, 3 documents")`` in the section's own units."""
    cell = _cell(data, g, section, key) or {}
    value = cell.get("share", cell.get("mean"))
    if value is None:
        value = mean_fallback
    ci, spread_name = spread(cell)
    share_like = section in ("frames", "topics") or (section == "markers"
                                                     and key.startswith("salience_"))
    if share_like:
        main, ci_txt = pct(value), pct_ci(ci)
    elif section in ("targets", "sentiment"):
        main, ci_txt = signed(value), num_ci(ci, sign=True)
    else:
        main, ci_txt = num(value, 1), num_ci(ci, 1)
    parts = [] if ci_txt == "n/a" else [f"{spread_name} {ci_txt}"]
    in_groups = g in (data.get("groups") or {})
    if section == "targets" and is_num(cell.get("n_mentions")):
        # The tone is pooled over mentions, and only documents that mention the target
        # carry it: say how many of the group's documents that is.
        where = (f"in {cell.get('n_documents', 0):,} of {_docs(data, g)}" if in_groups
                 else "in the other groups")
        parts.append(f"{plural(cell['n_mentions'], 'mention')} {where}")
    else:
        parts.append(_docs(data, g) if in_groups else "the other groups")
    return main, ", ".join(parts)


def _test_clause(test: dict, with_effect: bool = True) -> str:
    """The test's result in words; Cohen's d only where ``with_effect`` (groups large
    enough for a standard deviation to mean something)."""
    p, q, d = test.get("p_perm"), test.get("q_bh"), test.get("effect_size")
    d_txt = f", Cohen's d = {signed(d)}" if is_num(d) and with_effect else ""
    exact = str(test.get("p_method") or "").startswith("exact")
    p_name = "exact p" if exact else "p"
    if not is_num(p):
        return " No test was possible for this difference."
    if is_num(q) and q < ALPHA:
        return (f" The difference is statistically significant after correcting for multiple "
                f"tests (permutation test over documents, {p_name} = {pvalue(p)}, "
                f"Benjamini–Hochberg q = {pvalue(q)}{d_txt}).")
    q_txt = f", q = {pvalue(q)}" if is_num(q) else ""
    return (f" The difference is not statistically significant (permutation test over "
            f"documents, {p_name} = {pvalue(p)}{q_txt}{d_txt}).")


def _contrast(data, comp, test) -> Finding | None:
    a, b = comp.get("a"), comp.get("b")
    section, key = test.get("section"), str(test.get("key"))
    ma, da = _figure(data, a, section, key, test.get("mean_a"))
    mb, db = _figure(data, b, section, key, test.get("mean_b"))
    A, B, a_in = group_text(a), group_text(b, start=False), group_text(a, start=False)
    if section == "frames":
        label = frame_labels(data).get(key, key)
        if codebook_unit(data, key.partition(".")[0]) == "documents":
            # The trained detector decides per document: a share of documents it marks.
            segs = [("The trained detector marks the ", ""), (label, "i"),
                    (f" frame in {ma} of {a_in} ({da}) and {mb} of {B} ({db}).", "")]
        else:
            segs = [(f"{A} carry the ", ""), (label, "i"),
                    (f" frame in {ma} of sentences ({da}), {B} in {mb} ({db}).", "")]
    elif section == "targets":
        label = {t.get("id"): t.get("label") for t in data.get("targets") or []}.get(key) or key
        segs = [(f"{A} speak of ", ""), (label, "i"),
                (f" with a mean tone per mention of {ma} ({da}), {B} with {mb} ({db}), "
                 "on a scale of −1 to +1.", "")]
    elif section == "sentiment":
        segs = [(f"Mean sentence tone is {ma} in {a_in} ({da}) and {mb} in {B} ({db}), on "
                 "the VADER scale of −1 to +1.", "")]
    elif section == "markers" and key.startswith("salience_"):
        segs = [(f"{A} give ", ""), (marker_label(data, key), "i"),
                (f" {ma} of their actor mentions ({da}), {B} {mb} ({db}).", "")]
    elif section == "markers":
        segs = [(f"{A} use ", ""), (marker_label(data, key).split(" (")[0].lower(), "i"),
                (f" {ma} times per 1,000 words ({da}), {B} {mb} ({db}).", "")]
    elif section == "readability":
        segs = [(f"{A} score {ma} on ", ""), (READABILITY_LABELS.get(key, key), "i"),
                (f" ({da}), {B} {mb} ({db}).", "")]
    elif section == "topics":
        topic = next((t for t in data.get("topics") or [] if t.get("id") == key), {"id": key})
        segs = [("The topic ", ""), (topic_label(topic), "i"),
                (f" takes {ma} of {a_in} on average ({da}), {mb} of {B} ({db}).", "")]
    else:
        return None
    large = all(_n(data, g) >= SMALL_N for g in (a, b) if g in (data.get("groups") or {}))
    segs.append((_test_clause(test, with_effect=large).rstrip(), ""))
    return Finding(tuple(segs), "contrast", f"{a}|{b}", section, key)


def _rank(test, with_effect: bool = True) -> tuple:
    q = test.get("q_bh")
    d = test.get("effect_size") if with_effect else None
    return (q if is_num(q) else 1.0, -abs(d) if is_num(d) else 0.0,
            -abs(test.get("diff") or 0.0))


def _keyness(data, comp, n_terms: int = 4) -> list[Finding]:
    out = []
    a, b = comp.get("a"), comp.get("b")
    for side, this, other, mine, theirs in (("a", a, b, "a", "b"), ("b", b, a, "b", "a")):
        terms = ((comp.get("keyness") or {}).get(side) or [])[:n_terms]
        if not terms:
            continue
        segs: list[tuple[str, str]] = [
            (f"Terms most distinctive of {group_text(this, start=False)} against "
             f"{group_text(other, start=False)}: ", "")]
        n_this = _n(data, this) if this in groups_of(data) else 0
        for i, t in enumerate(terms):
            sep = ", " if i < len(terms) - 1 else ""
            unit = " occurrences" if i == 0 else ""
            docs = t.get(f"docs_{mine}", 0)
            of = f" of {n_this}" if n_this else ""
            segs += [(f"“{t.get('term')}”", "i"),
                     (f" ({t.get(f'count_{mine}', 0)} vs {t.get(f'count_{theirs}', 0)}{unit}; "
                      f"in {docs}{of} documents{_p_doc_text(t)}){sep}", "")]
        segs.append((" (ranked by log-odds z-score; p_doc: document-level Mann-Whitney "
                     "test; every term is used by at least two documents).", ""))
        out.append(Finding(tuple(segs), "keyness", f"{a}|{b}", "keyness", side))
    return out


def synthetic_note(data: dict) -> str:
    """A plain sentence when documents are marked synthetic in their metadata (the demo's
    manifest has ``synthetic = yes``); empty otherwise."""
    docs = data.get("documents") or []
    n = sum(str(d.get("synthetic") or "").strip().lower() in ("yes", "true", "1")
            for d in docs)
    if not n:
        return ""
    which = "All texts" if n == len(docs) else f"{n:,} of the {len(docs):,} texts"
    return (f"{which} in this analysis are synthetic: written to demonstrate Sinoru and never "
            "published by the outlets named. The figures illustrate the method and say "
            "nothing about real coverage.")


def groups_of(data) -> dict:
    return data.get("groups") or {}


def _p_doc_text(term: dict) -> str:
    p = term.get("p_doc")
    return f", p_doc {p_text(p)}" if is_num(p) else ""


def findings(results, *, per_comparison: int = 5, max_comparisons: int = 3,
             per_section: int = 2) -> list[Finding]:
    """The summary sentences for ``results``.

    For each comparison the report details (every pair for up to three groups, else each
    group against the rest; at most ``max_comparisons``) the ``per_comparison`` contrasts with the smallest BH q (then the
    largest effect) are stated, at most ``per_section`` per kind of figure, followed by the
    most distinctive terms of each side.
    """
    data = data_of(results)
    groups = data.get("groups") or {}
    out: list[Finding] = []
    if not groups:
        return [Finding((("There are no groups with documents, so there is nothing to "
                          "report.", ""),), "note")]
    parts = [f"{g} {_docs(data, g)} ({plural(b.get('n_outlets') or 0, 'outlet')})"
             for g, b in groups.items()]
    out.append(Finding((("The analysis covers " + "; ".join(parts) + ".", ""),), "overview"))
    synthetic = synthetic_note(data)
    if synthetic:
        out.append(Finding(((synthetic, ""),), "caution"))
    by_pair = {(c.get("a"), c.get("b")): c for c in data.get("comparisons") or []}
    comps = [by_pair[p] for p in report_comparisons(data) if p in by_pair][:max_comparisons]
    if not comps:
        out.append(Finding((("Only one group is present, so no differences between groups "
                             "can be reported.", ""),), "note"))
    for comp in comps:
        a, b = comp.get("a"), comp.get("b")
        ns = [g for g in (a, b) if g in groups and _n(data, g) < SMALL_N]
        if ns:
            n_txt = " and ".join(f"{g} {_docs(data, g)}" for g in (a, b) if g in groups)
            out.append(Finding(((
                f"Small samples ({n_txt}): the figures below describe these texts only, not "
                "the outlets or the press in general; each is given with the range of these "
                "documents, not a confidence interval, and no effect size is given.", ""),),
                "caution", f"{a}|{b}"))
        statement = (comp.get("test_design") or {}).get("statement")
        if statement:
            out.append(Finding(((statement, ""),), "caution", f"{a}|{b}"))
        tests = [t for t in comp.get("tests") or []
                 if t.get("section") in _SECTIONS and is_num(t.get("diff"))
                 and t.get("diff") != 0]
        # Where groups are too small for a standard deviation, d says nothing: it neither
        # ranks nor headlines a finding.
        large = not ns
        tests.sort(key=lambda t: _rank(t, large))
        used: dict[str, int] = {}
        picked = 0
        for t in tests:
            if picked >= per_comparison:
                break
            if used.get(t["section"], 0) >= per_section:
                continue
            f = _contrast(data, comp, t)
            if f is None:
                continue
            out.append(f)
            used[t["section"]] = used.get(t["section"], 0) + 1
            picked += 1
        out += _keyness(data, comp)
    return out
