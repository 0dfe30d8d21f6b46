"""A hand-built results object that follows docs/results-schema.md, for chart and report
tests (tests/analysis/test_report_sample.py checks it has the shape of real pipeline
output). Importable from tests as ``report_sample``: tests/support is on pytest's path."""
from __future__ import annotations

import numpy as np

from analysis.group_figures import SMALL_GROUP, unit_entry
from analysis.permutation import design
from analysis.results import SCHEMA, SCHEMA_VERSION, Results

CODEBOOKS = [
    {"id": "china_russia", "label": "China–Russia relations", "version": "1.2",
     "description": "Domain frames.", "frames": [
         {"id": "strategic_partnership", "label": "Strategic partnership and mutual trust",
          "description": ""},
         {"id": "alliance_bloc", "label": "Alliance, bloc or axis", "description": ""},
         {"id": "multipolarity", "label": "Multipolarity and anti-hegemony", "description": ""},
         {"id": "sanctions", "label": "Sanctions and constraints", "description": ""},
         {"id": "asymmetry", "label": "Asymmetry, friction and limits of the relationship",
          "description": ""}]},
    {"id": "generic", "label": "Generic news frames", "version": "1.0", "description": "",
     "frames": [{"id": "conflict", "label": "Conflict", "description": ""},
                {"id": "economic", "label": "Economic consequences", "description": ""}]},
]
TARGETS = [{"id": "russia", "label": "Russia", "aliases": ["Moscow", "Россия"]},
           {"id": "china", "label": "China", "aliases": ["Beijing"]},
           {"id": "us", "label": "United States", "aliases": ["Washington"]}]
TOPICS = [{"id": "topic_1", "label": "energy trade", "top_terms": ["energy", "gas", "trade"]},
          {"id": "topic_2", "label": "security", "top_terms": ["military", "drills", "nato"]}]
MARKERS = ["hedges", "boosters", "obligation", "quotations", "attribution", "salience_russia",
           "salience_china"]
READABILITY = {"flesch_reading_ease": 40.0, "flesch_kincaid_grade": 13.0, "gunning_fog": 16.0,
               "smog": 14.0, "mean_sentence_length": 24.0, "type_token_ratio": 0.45}
TERMS_A = ["comprehensive strategic partnership", "全面战略协作伙伴关系", "mutual trust",
           "win-win cooperation", "Россия", "multipolar world"]
TERMS_B = ["no-limits partnership", "axis of convenience", "sanctions", "junior partner",
           "<script>alert(1)</script>"]
SCRIPT = "<script>alert('x')</script>"


def _fig(rng, center, spread, lo=-np.inf, hi=np.inf):
    m = float(np.clip(center + rng.normal(0, spread / 3), lo, hi))
    return {"mean": m, "ci95": [float(np.clip(m - spread, lo, hi)),
                                float(np.clip(m + spread, lo, hi))]}


def _group(rng, name, n, dates, ndoc_outlets):
    frames = {}
    for cb in CODEBOOKS:
        frames[cb["id"]] = {}
        for f in cb["frames"]:
            if f["id"] == "sanctions":  # a frame no document carries
                frames[cb["id"]][f["id"]] = {"share": 0.0, "ci95": [0.0, 0.0],
                                             "n_documents_with": 0}
                continue
            s = _fig(rng, rng.uniform(0.05, 0.45), 0.08, 0.0, 1.0)
            frames[cb["id"]][f["id"]] = {"share": s["mean"], "ci95": s["ci95"],
                                         "n_documents_with": int(rng.integers(1, n + 1))}
    sent = _fig(rng, rng.uniform(-0.2, 0.4), 0.1, -1, 1)
    counts = rng.integers(0, 30, size=20).tolist()
    block = {
        "n_documents": n, "n_outlets": ndoc_outlets,
        "outlets": [f"{name.title()} Outlet {i}" for i in range(ndoc_outlets)],
        "n_words": 900 * n,
        "sentiment": {**sent, "sd": 0.2, "n": n,
                      "distribution": {"bins": np.round(np.linspace(-1, 1, 21), 2).tolist(),
                                       "counts": counts}},
        "frames": frames,
        "markers": {m: (_fig(rng, 0.3, 0.1, 0, 1) if m.startswith("salience_")
                        else _fig(rng, rng.uniform(1, 8), 1.0, 0)) for m in MARKERS},
        "readability": {k: _fig(rng, v, v * 0.1) for k, v in READABILITY.items()},
        "targets": {t["id"]: {**_fig(rng, rng.uniform(-0.5, 0.5), 0.2, -1, 1),
                              "n_mentions": int(rng.integers(3, 40)), "n_documents": n,
                              "counts": {"negative": 2, "neutral": 5, "positive": 3}}
                    for t in TARGETS},
        "topics": {t["id"]: _fig(rng, rng.uniform(0.1, 0.6), 0.1, 0, 1) for t in TOPICS},
        "dates": ({"min": "2018-01-01", "max": "2022-05-01",
                   "by_period": [{"period": "2018", "n_documents": 1},
                                 {"period": "2022", "n_documents": max(0, n - 2)}]}
                  if dates else None),
        "not_available": {"sentiment": 0, "targets": 0, "readability": 0},
        "warnings": ([f"Group '{name}' has only {n} documents: its figures describe these "
                      "texts, not the outlets in general."] if n < SMALL_GROUP else []),
        "unit": unit_entry(n, ndoc_outlets, False),
    }
    if n < SMALL_GROUP:
        _show_documents(block, rng, n)
    return block


def _cells(block):
    yield block["sentiment"]
    for frames in block["frames"].values():
        yield from frames.values()
    for section in ("markers", "readability", "targets", "topics"):
        yield from block[section].values()


def _show_documents(block, rng, n):
    """Small groups carry every document's value instead of an interval, as the pipeline
    does (analysis/group_figures.py)."""
    for cell in _cells(block):
        key = "share" if "share" in cell else "mean"
        lo, hi = cell["ci95"]
        values = sorted(float(v) for v in rng.uniform(lo, hi, size=n))
        if values:
            values[0], values[-1] = lo, hi
        cell.update(ci95=None, documents=values, range=[lo, hi] if values else None)
        cell[key] = float(np.mean(values)) if values else cell[key]


def _term(rng, term, sign, n_words):
    ca, cb = (int(rng.integers(5, 40)), int(rng.integers(0, 4)))
    if sign < 0:
        ca, cb = cb, ca
    return {"term": term, "z": float(sign * rng.uniform(2.0, 6.0)),
            "log_ratio": float(sign * rng.uniform(1, 4)), "g2": float(rng.uniform(4, 30)),
            "count_a": ca, "count_b": cb, "docs_a": 2, "docs_b": 1, "outlets_a": 1,
            "outlets_b": 1, "freq_a": ca / n_words * 1e6, "freq_b": cb / n_words * 1e6}


def _passage(doc, group, match):
    return {"doc_id": doc["doc_id"], "title": doc["title"], "outlet": doc["outlet"],
            "group": group, "start": 10, "end": 10 + len(match),
            "left": "Officials said that the ", "match": match,
            "right": " would deepen ties, " + ("Россия " if group == "western" else "") + "said."}


def make_results(groups: dict[str, int] | None = None, *, dates: bool = True,
                 seed: int = 3, with_tables: bool = True) -> Results:
    """Results for ``groups`` (name -> number of documents) that follow the schema."""
    rng = np.random.default_rng(seed)
    groups = groups if groups is not None else {"chinese": 3, "western": 2}
    docs, prov = [], []
    for g, n in groups.items():
        for i in range(n):
            doc_id = f"{g[:2]}{i:04d}"
            title = (f"{SCRIPT} Partnership report {i}" if (g, i) == (list(groups)[0], 0)
                     else f"{g.title()} article {i} on China and Russia")
            docs.append({
                "doc_id": doc_id, "title": title, "outlet": f"{g.title()} Outlet {i % 2}",
                "outlet_type": "news", "group": g, "author": "A. Writer",
                "date": "" if (not dates or i == 1) else ("2018-06-07" if i == 0 else "2022-03-01"),
                "language": "en", "reference": "", "group_label": g,
                "source": f"{doc_id}.txt", "n_words": 800 + 17 * i, "n_sentences": 40 + i,
                "sentiment": float(rng.uniform(-0.3, 0.4)),
                "frames": {cb["id"]: {f["id"]: (0.0 if f["id"] == "sanctions"
                                                else float(rng.uniform(0, 0.5)))
                                      for f in cb["frames"]} for cb in CODEBOOKS},
                "markers": {m: float(rng.uniform(0, 8)) for m in MARKERS},
                "readability": {k: float(v) for k, v in READABILITY.items()},
                "targets": {t["id"]: {"mean": float(rng.uniform(-0.5, 0.5)), "n_mentions": 4}
                            for t in TARGETS},
                "topics": {t["id"]: float(rng.uniform(0, 1)) for t in TOPICS},
                "removed": ([{"reason": "boilerplate: subscription notice",
                              "text": "Subscribe to our newsletter for more news."}]
                            if i == 0 else []),
                "not_available": "",
            })
            prov.append({"doc_id": doc_id, "source": f"{doc_id}.txt",
                         "sha256": f"{rng.integers(0, 2**62):016x}" * 4})
    names = list(groups)
    block = {g: _group(rng, g, n, dates, min(n, 2)) for g, n in groups.items()}
    pairs = [(a, b, "pairwise") for i, a in enumerate(names) for b in names[i + 1:]]
    if len(names) > 2:
        pairs += [(g, "rest", "one_vs_rest") for g in names]
    comparisons, ev_terms = [], {}
    for a, b, kind in pairs:
        ka = [_term(rng, t, 1, 5000) for t in TERMS_A]
        kb = [_term(rng, t, -1, 5000) for t in TERMS_B]
        ka.sort(key=lambda t: -t["z"])
        kb.sort(key=lambda t: t["z"])
        tests = []
        n_b = sum(groups.values()) - groups[a] if b == "rest" else groups[b]
        plan = design(groups[a], n_b)
        for section, key in ([("frames", f"{cb['id']}.{f['id']}") for cb in CODEBOOKS
                              for f in cb["frames"]] + [("sentiment", "mean")]
                             + [("targets", t["id"]) for t in TARGETS]
                             + [("markers", m) for m in MARKERS]):
            ma, mb = float(rng.uniform(0, 0.5)), float(rng.uniform(0, 0.5))
            if key.endswith("sanctions"):
                ma = mb = 0.0
            p = float(rng.uniform(0.001, 0.9))
            tests.append({"section": section, "key": key, "mean_a": ma, "mean_b": mb,
                          "diff": ma - mb, "effect_size": None if ma == mb else
                          float((ma - mb) / 0.15), "p_perm": p if ma != mb else None,
                          "q_bh": min(1.0, p * 3) if ma != mb else None,
                          "p_method": plan.method, "p_min": plan.p_min, "p_mc_error": 0.0})
        comparisons.append({"a": a, "b": b, "kind": kind, "test_design": {
                                "n_a": plan.n_a, "n_b": plan.n_b,
                                "n_arrangements": plan.n_arrangements, "method": plan.method,
                                "p_min": plan.p_min, "can_reach_05": plan.can_reach(0.05),
                                "statement": ""},
                            "keyness": {"a": ka, "b": kb, "method": "log-odds ratio with an "
                                        "informative Dirichlet prior (Monroe et al. 2008); "
                                        "prior: pooled corpus, a0 = 500"},
                            "tests": tests,
                            "languages": {"a": {"en": groups[a]}, "b": {"en": n_b}},
                            "language_note": "", "keyness_by_language": {}})
        da = [d for d in docs if d["group"] == a]
        db = [d for d in docs if d["group"] == b] or [d for d in docs if d["group"] != a]
        ev_terms[f"{a}|{b}"] = {
            "a": {t["term"]: [_passage(d, a, t["term"]) for d in da[:2]] for t in ka},
            "b": {t["term"]: [_passage(d, b, t["term"]) for d in db[:2]] for t in kb}}
    ev_frames = {}
    for cb in CODEBOOKS:
        for f in cb["frames"]:
            if f["id"] == "sanctions":
                continue
            ev_frames[f"{cb['id']}.{f['id']}"] = {
                g: [_passage(d, g, "strategic partnership")
                    for d in [d for d in docs if d["group"] == g][:2]] for g in names}
    warnings = [w for g in names for w in block[g]["warnings"]]
    data = {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION, "app_version": "0.1.0",
        "created": "2026-11-23T12:00:00+00:00", "corpus_name": "Sample corpus",
        "group_by": "group",
        "config": {"group_by": "group", "codebooks": [cb["id"] for cb in CODEBOOKS],
                   "targets": None, "target_model": "auto", "n_topics": 2, "seed": 20240601,
                   "n_boot": 2000, "n_perm": 2000,
                   "keyness": {"ngram_max": 3, "min_docs": 2, "top_n": 30, "prior": "pooled",
                               "prior_strength": 500.0}, "evidence_per_item": 6},
        "groups": block, "comparisons": comparisons, "codebooks": CODEBOOKS,
        "targets": TARGETS, "topics": TOPICS,
        "topic_model": {"requested": 2, "fitted": 2, "note": "",
                        "rule": "k <= floor(documents / 5); no topics below 10 documents"},
        "models": {"sentiment": {"name": "VADER (Hutto & Gilbert 2014), sentence level"},
                   "target_sentiment": {"name": "tsc-logreg", "macro_f1": 0.61,
                                        "ci95": [0.58, 0.64], "data": "NewsMTSC test split",
                                        "n": 1200}},
        "evidence": {"terms": ev_terms, "frames": ev_frames},
        "documents": docs, "provenance": prov, "warnings": warnings,
    }
    return Results(data, {})


def shown_share(cell: dict) -> str:
    """How the reports write a share figure: "41% (33–49%)" with its 95% CI, or
    "41% (range 20–60%)" for a group too small for an interval."""
    if cell.get("documents") is not None:
        lo, hi = cell["range"]
        return f"{cell['share'] * 100:.0f}% (range {lo * 100:.0f}–{hi * 100:.0f}%)"
    lo, hi = cell["ci95"]
    return f"{cell['share'] * 100:.0f}% ({lo * 100:.0f}–{hi * 100:.0f}%)"


def page_streams(path) -> list[bytes]:
    """The content streams of a PDF file, inflated where they are compressed: what two
    renderings are compared by, byte for byte."""
    import re
    import zlib

    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", path.read_bytes(), re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            out.append(m.group(1))
    return out
