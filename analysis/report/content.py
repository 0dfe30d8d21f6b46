"""The content of a report as plain strings (tables, evidence, appendix rows), shared by
the PDF and the HTML writers so both show the same words and figures."""
from __future__ import annotations

from dataclasses import dataclass

from analysis.charts import ChartInstance
from analysis.charts._common import data_of
from analysis.charts.keyness import find_comparison, keyness_block, p_text
from analysis.charts.profiles import (
    READABILITY_LABELS,
    codebook_frames,
    codebook_unit,
    marker_label,
    topic_label,
)
from analysis.group_figures import SMALL_GROUP as SMALL_N
from analysis.report.formatting import (
    count,
    is_num,
    num,
    num_ci,
    pct,
    pct_ci,
    pvalue,
    signed,
    spread,
)
from analysis.report.options import ReportOptions, report_comparisons
from analysis.report.tables import frame_labels, test_label

__all__ = ["DisplayTable", "Passage", "EvidenceItem", "chart_table", "groups_table",
           "tests_table", "evidence_items", "documents_table", "title_lines"]


@dataclass(frozen=True)
class DisplayTable:
    """Formatted table: header ``columns``, ``rows`` of strings, relative ``widths``."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float]
    note: str = ""


@dataclass(frozen=True)
class Passage:
    left: str
    match: str
    right: str
    source: str   # "Outlet, “Title” (doc_id)"


@dataclass(frozen=True)
class EvidenceItem:
    heading: str
    group: str
    passages: list[Passage]


#: Said under every table of group figures: which spread a cell shows.
_SPREAD_NOTE = ("In brackets: the 95% bootstrap CI or, for a group of fewer than 10 "
                "documents, \"range\": the range of these documents (too few for an interval).")


def _groups(data) -> list[str]:
    return list((data.get("groups") or {}).keys())


def _per_group(data, rows: list[tuple[str, str]], cell_text, first_col: str,
               note: str = _SPREAD_NOTE) -> DisplayTable:
    gs = _groups(data)
    out = [[label] + [cell_text(g, key) for g in gs] for key, label in rows]
    return DisplayTable([first_col] + gs, out, [2.2] + [1.6] * len(gs), note)


def _mean_ci(cell, digits=1, sign=False, share=False) -> str:
    """"41% (33–49%)", or for a small group "41% (range 20–60%)": the range of its
    documents, never called a confidence interval."""
    if not cell or not is_num(cell.get("mean", cell.get("share"))):
        return "n/a"
    v = cell.get("mean", cell.get("share"))
    interval, name = spread(cell)
    prefix = "range " if name != "95% CI" else ""
    if share:
        return f"{pct(v)} ({prefix}{pct_ci(interval)})"
    f = signed if sign else (lambda x, d=digits: num(x, d))
    return f"{f(v, digits)} ({prefix}{num_ci(interval, digits, sign)})"


def chart_table(results, inst: ChartInstance) -> DisplayTable:
    """The figures behind one chart, formatted as in the text."""
    data = data_of(results)
    g = data.get("groups") or {}
    cid = inst.chart_id
    if cid == "frames":
        cb = inst.kwargs["codebook"]
        rows = codebook_frames(data, cb)

        def cell(grp, fid):
            c = ((g[grp].get("frames") or {}).get(cb) or {}).get(fid)
            if not c or not is_num(c.get("share")):
                return "n/a"
            return (f"{_mean_ci(c, share=True)}; "
                    f"{c.get('n_documents_with', 0)}/{g[grp].get('n_documents', 0)} docs")
        t = _per_group(data, rows, cell, "Frame")
        unit = ("Share of documents marked by the detector (source: trained detector's "
                "yes/no flags)" if codebook_unit(data, cb) == "documents"
                else "Share of sentences (source: codebook dictionary)")
        return DisplayTable(t.columns, t.rows, t.widths,
                            f"{unit}; documents carrying the frame. {_SPREAD_NOTE}")
    if cid == "sentiment":
        rows = []
        for name, b in g.items():
            s = b.get("sentiment") or {}
            n_sent = sum((s.get("distribution") or {}).get("counts") or [])
            interval, kind = spread(s)
            rows.append([name, signed(s.get("mean")),
                         ("range " if kind != "95% CI" else "") + num_ci(interval, 2, True),
                         num(s.get("sd")), count(b.get("n_documents")), count(n_sent)])
        return DisplayTable(["Group", "Mean tone", "95% CI or range", "SD", "Documents",
                             "Sentences"], rows, [1.6, 1, 1.6, 0.8, 1, 1], _SPREAD_NOTE)
    if cid == "targets":
        labels = {t.get("id"): t.get("label") or t.get("id") for t in data.get("targets") or []}
        keys = list(dict.fromkeys([k for b in g.values() for k in (b.get("targets") or {})]))

        def tcell(grp, t):
            c = (g[grp].get("targets") or {}).get(t) or {}
            return f"{_mean_ci(c, 2, sign=True)}; n={c.get('n_mentions', 0)}"
        return _per_group(data, [(k, labels.get(k, k)) for k in keys], tcell, "Target")
    if cid == "keyness":
        comp = find_comparison(data, inst.kwargs.get("comparison"))
        side = inst.kwargs.get("side", "a")
        if comp is None:
            return DisplayTable(["Note"], [["No comparison between groups."]], [1])
        this, other = (comp["a"], comp["b"]) if side == "a" else (comp["b"], comp["a"])
        mine, theirs = ("a", "b") if side == "a" else ("b", "a")
        rows = [[str(i), t.get("term", ""), num(t.get("z")), num(t.get("log_ratio")),
                 num(t.get("g2"), 1), count(t.get(f"count_{mine}")),
                 count(t.get(f"count_{theirs}")), count(t.get(f"docs_{mine}")),
                 count(t.get(f"docs_{theirs}")),
                 p_text(t["p_doc"]) if is_num(t.get("p_doc")) else "n/a"]
                for i, t in enumerate((keyness_block(comp, inst.kwargs.get("language"))
                                       .get(side) or [])
                                      [:inst.kwargs.get("top_n", 15)], 1)]
        note = ("z and Log Ratio are negative because the terms lean to side b of the "
                f"comparison ({this}); " if side == "b" else "")
        note += ("n: occurrences; docs: documents using the term (listed terms are used by "
                 "at least two documents of their group); p_doc: document-level test "
                 "(two-sided Mann-Whitney over the documents' relative frequencies).")
        return DisplayTable(["#", "Term", "z", "Log Ratio", "G²", f"n {this}", f"n {other}",
                             f"docs {this}", f"docs {other}", "p_doc"], rows,
                            [0.4, 2.7, 0.7, 0.8, 0.7, 0.8, 0.8, 0.8, 0.8, 0.7], note)
    if cid in ("markers", "salience"):
        sal = cid == "salience"
        keys = list(dict.fromkeys([k for b in g.values() for k in (b.get("markers") or {})
                                   if k.startswith("salience_") == sal]))
        return _per_group(data, [(k, marker_label(data, k)) for k in keys],
                          lambda grp, k: _mean_ci((g[grp].get("markers") or {}).get(k),
                                                  share=sal),
                          "Actor" if sal else "Marker (per 1,000 words)")
    if cid == "readability":
        keys = list(dict.fromkeys([k for b in g.values() for k in (b.get("readability") or {})]))
        return _per_group(data, [(k, READABILITY_LABELS.get(k, k)) for k in keys],
                          lambda grp, k: _mean_ci((g[grp].get("readability") or {}).get(k),
                                                  2 if k == "type_token_ratio" else 1),
                          "Index")
    if cid == "topics":
        rows = [(t.get("id"), topic_label(t)) for t in data.get("topics") or []]
        return _per_group(data, rows, lambda grp, k: _mean_ci(
            (g[grp].get("topics") or {}).get(k), share=True), "Topic")
    if cid == "timeline":
        periods = sorted({r.get("period") for b in g.values()
                          for r in ((b.get("dates") or {}).get("by_period") or [])})
        counts = {(grp, r.get("period")): r.get("n_documents") for grp, b in g.items()
                  for r in ((b.get("dates") or {}).get("by_period") or [])}
        return _per_group(data, [(p, p) for p in periods],
                          lambda grp, p: count(counts.get((grp, p), 0)), "Period", "")
    return DisplayTable(["Note"], [[f"No table for chart {inst.key}."]], [1])


def groups_table(results) -> DisplayTable:
    data = data_of(results)
    rows = []
    for name, b in (data.get("groups") or {}).items():
        dates = b.get("dates") or {}
        span = f"{dates.get('min')} to {dates.get('max')}" if dates.get("min") else "no dates"
        outlets = ", ".join(b.get("outlets") or []) or "—"
        rows.append([name, count(b.get("n_documents")), count(b.get("n_outlets")),
                     count(b.get("n_words")), span, outlets])
    return DisplayTable(["Group", "Documents", "Outlets", "Words", "Dates", "Outlet names"],
                        rows, [1.3, 1.25, 1, 1, 1.9, 3.6])


def _source(data, section, key) -> str:
    """Where a tested figure comes from: the codebook (or detector) of a frame, or the
    kind of measure."""
    if section == "frames":
        cb = str(key).split(".", 1)[0]
        labels = {c.get("id"): c.get("label") or c.get("id") for c in data.get("codebooks") or []}
        return labels.get(cb, cb)
    return {"targets": "target sentiment model", "sentiment": "VADER", "markers": "stance "
            "lexicons", "readability": "readability", "topics": "NMF topics"}.get(section, section)


def tests_table(results) -> DisplayTable:
    data = data_of(results)
    rows, designs = [], []
    for c in data.get("comparisons") or []:
        name = f"{c.get('a')} vs {c.get('b')}"
        design = c.get("test_design") or {}
        if design.get("method"):
            designs.append(f"{name}: {design['method']}, smallest possible p "
                           f"{pvalue(design.get('p_min'))}")
        small = any(_n_docs(data, g) < SMALL_N for g in (c.get("a"), c.get("b"))
                    if g in (data.get("groups") or {}))
        for t in c.get("tests") or []:
            if not is_num(t.get("diff")):
                continue
            section, key = t.get("section"), t.get("key")
            rows.append([name, test_label(data, section, key), _source(data, section, key),
                         num(t.get("mean_a"), 3), num(t.get("mean_b"), 3),
                         signed(t.get("diff"), 3),
                         "—" if small else signed(t.get("effect_size")),
                         pvalue(t.get("p_perm")), pvalue(t.get("q_bh"))])
    note = ("Permutation test over documents (" + "; ".join(designs) + "); " if designs else
            "Permutation test over documents; ")
    note += ("Diff.: mean a − mean b; d: Cohen's d; p: permutation p; "
             "q: Benjamini–Hochberg adjusted within each comparison. Mean, difference and "
             "Cohen's d use the same unit (tone toward a target: pooled over mentions). "
             f"d is not given (—) when a group has fewer than {SMALL_N} documents: its "
             "standard deviation cannot be estimated. Shares are fractions (0.41 = 41%).")
    return DisplayTable(["Comparison", "Figure", "Codebook / source", "Mean a", "Mean b",
                         "Diff.", "d", "p", "q (BH)"], rows,
                        [1.5, 2.6, 1.7, 0.8, 0.8, 0.8, 0.7, 0.7, 0.8], note)


def _n_docs(data, g) -> int:
    n = ((data.get("groups") or {}).get(g) or {}).get("n_documents")
    return int(n) if is_num(n) else 0


def _passage(p: dict) -> Passage:
    outlet = p.get("outlet") or "unknown outlet"
    return Passage(p.get("left") or "", p.get("match") or "", p.get("right") or "",
                   f"{outlet}, “{' '.join(str(p.get('title') or '').split()) or 'untitled'}” "
                   f"({p.get('doc_id')})")


def evidence_items(results, options: ReportOptions) -> list[tuple[str, list[EvidenceItem]]]:
    """``[(section heading, items)]``: distinctive terms per comparison side, then frames
    ordered by how clearly the groups differ (smallest q first)."""
    data = data_of(results)
    ev = data.get("evidence") or {}
    out = []
    k, per = options.max_evidence_items, options.max_evidence_per_item
    keep = {f"{a}|{b}" for a, b in report_comparisons(results)}
    for comp_key, sides in (ev.get("terms") or {}).items():
        if comp_key not in keep:
            continue
        a, _, b = comp_key.partition("|")
        comp = find_comparison(data, (a, b)) or {}
        for side, this, other in (("a", a, b), ("b", b, a)):
            terms = (sides or {}).get(side) or {}
            order = [t.get("term") for t in ((comp.get("keyness") or {}).get(side) or [])]
            names = [t for t in order if t in terms] + [t for t in terms if t not in order]
            items = [EvidenceItem(f"“{t}”", this, [_passage(p) for p in terms[t][:per]])
                     for t in names[:k] if terms[t]]
            if items:
                out.append((f"Distinctive of {this} (vs {other})", items))
    frames = ev.get("frames") or {}
    if frames:
        best: dict[str, float] = {}
        for c in data.get("comparisons") or []:
            for t in c.get("tests") or []:
                if t.get("section") == "frames" and is_num(t.get("q_bh")):
                    best[t["key"]] = min(best.get(t["key"], 1.0), t["q_bh"])
        labels = frame_labels(data)
        keys = sorted(frames, key=lambda f: (best.get(f, 1.0), f))[:k]
        items = [EvidenceItem(labels.get(f, f), grp, [_passage(p) for p in ps[:per]])
                 for f in keys for grp, ps in (frames[f] or {}).items() if ps]
        if items:
            out.append(("Frames", items))
    return out


def _main_frames(doc: dict, labels: dict, detector: set[str], n: int = 2) -> str:
    """The two codebook frames covering most of the document's sentences, then the frames
    the trained detector marks: each figure says where it comes from (a share of
    sentences is not a yes/no flag)."""
    frames = doc.get("frames") or {}
    shares = [(v, f"{cb}.{f}") for cb, fr in frames.items() if cb not in detector
              for f, v in (fr or {}).items() if is_num(v) and v > 0]
    shares.sort(reverse=True)
    parts = [f"{labels.get(k, k)} {pct(v)} of sentences (codebook)" for v, k in shares[:n]]
    flagged = [labels.get(f"{cb}.{f}", f) for cb in detector
               for f, v in (frames.get(cb) or {}).items() if is_num(v) and v >= 0.5]
    if flagged:
        parts.append("detector flags: " + ", ".join(flagged))
    return "; ".join(parts) or "none"


def _removed(doc: dict, limit: int = 160) -> str:
    removed = doc.get("removed") or []
    if not removed:
        return "nothing"
    parts = []
    for r in removed[:3]:
        text = " ".join(str(r.get("text") or "").split())
        text = text if len(text) <= limit else text[:limit - 1] + "…"
        parts.append(f"{r.get('reason') or 'removed'}: “{text}”")
    more = f" (+{len(removed) - 3} more)" if len(removed) > 3 else ""
    return "; ".join(parts) + more


def documents_table(results, options: ReportOptions) -> DisplayTable:
    """One row per document (up to ``options.max_documents_in_appendix``)."""
    data = data_of(results)
    docs = data.get("documents") or []
    labels = frame_labels(data)
    detector = {cb.get("id") for cb in data.get("codebooks") or []
                if cb.get("unit") == "documents"}
    rows = []
    for d in docs[:options.max_documents_in_appendix]:
        meta = " · ".join(x for x in (d.get("outlet"), d.get("date") or "no date",
                                      d.get("author"), d.get("doc_id")) if x)
        title = " ".join(str(d.get("title") or "").split()) or "untitled"
        rows.append([f"{title}\n{meta}",
                     str(d.get("group_label") or d.get("group") or ""), count(d.get("n_words")),
                     ("not available for this language" if d.get("not_available")
                      else signed(d.get("sentiment"))), _main_frames(d, labels, detector),
                     _removed(d)])
    note = ""
    if len(docs) > len(rows):
        note = (f"{len(docs) - len(rows):,} more documents are not listed here; every "
                "document is in the documents table (CSV/XLSX export).")
    return DisplayTable(["Document", "Group", "Words", "Tone", "Main frames (source)",
                         "Removed as boilerplate"], rows, [3.2, 1, 0.8, 0.8, 2.8, 2.4], note)


def title_lines(results) -> list[str]:
    data = data_of(results)
    lines = []
    for name, b in (data.get("groups") or {}).items():
        lines.append(f"{name}: {count(b.get('n_documents'))} documents from "
                     f"{count(b.get('n_outlets'))} outlets")
    return lines
