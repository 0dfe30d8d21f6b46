"""The methods appendix: each statistic named and explained in a sentence, the settings,
codebooks, model accuracy and data provenance of this run."""
from __future__ import annotations

from analysis.charts._common import data_of
from analysis.report.content import DisplayTable
from analysis.report.formatting import count, is_num, num

__all__ = ["STATISTICS", "methods_sections", "provenance_table", "models_table"]

#: (name, one-sentence explanation) of every statistic the report uses.
STATISTICS = [
    ("Bootstrap over documents",
     "Each 95% confidence interval is a percentile bootstrap: the group's documents are "
     "resampled with replacement many times and the figure recomputed, so the interval shows "
     "how much it depends on which documents happened to be collected."),
    ("Permutation test",
     "A difference between two groups is compared with the differences obtained when the "
     "group labels of the documents are shuffled at random; p is the share of shuffles with a "
     "difference at least as large as the one observed."),
    ("Benjamini–Hochberg correction",
     "Because many figures are compared at once, p-values are adjusted to q-values that "
     "control the expected share of false discoveries; a difference is called statistically "
     "significant only when q < 0.05."),
    ("Cohen's d",
     "The difference in group means divided by the pooled standard deviation of the "
     "documents: an effect size that does not depend on the number of documents."),
    ("Log-odds ratio with informative Dirichlet prior",
     "Distinctive vocabulary is ranked by the log-odds ratio of a term's use in one group "
     "versus the other, shrunk toward its use in the pooled corpus (Monroe, Colaresi & Quinn "
     "2008) and divided by its standard error (a z-score), so rare words do not dominate."),
    ("Log Ratio",
     "The binary logarithm of the ratio of a term's relative frequencies in the two groups "
     "(Hardie 2014): 1 means twice as frequent, 2 four times."),
    ("G² (two-term log-likelihood)",
     "The two-term log-likelihood statistic of Rayson & Garside (2000), reported because "
     "corpus linguists expect it; like all token-level statistics it treats words as "
     "independent and so overstates certainty."),
    ("Frame share",
     "A document's share of sentences that match the frame's dictionary in the codebook; "
     "the group figure is the mean of its documents' shares."),
    ("Sentence tone (VADER)",
     "Each sentence gets the VADER compound score (Hutto & Gilbert 2014) from −1 (negative) "
     "to +1 (positive); a document's tone is the mean over its sentences."),
    ("Tone toward a target",
     "Each mention of a target (e.g. Russia) is scored by the target-sentiment model as the "
     "probability of positive minus negative tone; the group figure is the mean over all "
     "its mentions, with documents resampled for the interval."),
]


def _config_lines(data: dict) -> list[str]:
    cfg = data.get("config") or {}
    kw = cfg.get("keyness") or {}
    lines = [
        f"Groups defined by the metadata column '{data.get('group_by') or cfg.get('group_by')}'.",
        f"Bootstrap resamples: {count(cfg.get('n_boot'))}; permutations: "
        f"{count(cfg.get('n_perm'))}; random seed: {cfg.get('seed', 'n/a')} (the same seed "
        "gives the same intervals and p-values).",
    ]
    if kw:
        lines.append(
            f"Keyness: terms of 1 to {kw.get('ngram_max', 'n/a')} words used in at least "
            f"{kw.get('min_docs', 'n/a')} documents; prior: {kw.get('prior', 'pooled')} corpus "
            f"with total strength a0 = {kw.get('prior_strength', 'n/a')}; "
            f"{kw.get('top_n', 'n/a')} terms kept per side.")
    methods = {c.get("keyness", {}).get("method") for c in data.get("comparisons") or []}
    methods.discard(None)
    for m in sorted(methods):
        lines.append(f"Keyness method as recorded: {m}.")
    model = data.get("topic_model") or {}
    fitted = model.get("fitted", len(data.get("topics") or []))
    if fitted:
        lines.append(f"Topics: {fitted} topics fitted on the whole corpus "
                     f"({cfg.get('n_topics', fitted)} asked for; rule: "
                     f"{model.get('rule', 'at most one topic per five documents')}).")
    elif cfg.get("n_topics"):
        lines.append("Topics: none fitted. " + (model.get("note") or ""))
    return lines


def _codebook_lines(data: dict) -> list[str]:
    lines = []
    for cb in data.get("codebooks") or []:
        lines.append(f"Codebook '{cb.get('label') or cb.get('id')}' ({cb.get('id')}), version "
                     f"{cb.get('version') or 'n/a'}, {len(cb.get('frames') or [])} frames."
                     + (f" {cb['description']}" if cb.get("description") else ""))
    if not lines:
        lines.append("No codebook was recorded in these results.")
    targets = [t.get("label") or t.get("id") for t in data.get("targets") or []]
    if targets:
        lines.append("Targets: " + ", ".join(targets) + ".")
    return lines


def models_table(results) -> DisplayTable:
    """Measured accuracy of each model, or "not measured"."""
    data = data_of(results)
    rows = []
    names = {"sentiment": "Sentence sentiment", "target_sentiment": "Tone toward targets",
             "frames": "Frame detector"}
    for role, m in (data.get("models") or {}).items():
        m = m or {}
        f1 = m.get("macro_f1")
        ci = m.get("ci95") or []
        if is_num(f1):
            acc = f"macro-F1 {num(f1)}" + (f" (95% CI {num(ci[0])}–{num(ci[1])})"
                                           if len(ci) == 2 and all(is_num(v) for v in ci) else "")
            on = f"{m.get('data') or 'unnamed data'}" + (f", n = {count(m['n'])}"
                                                         if is_num(m.get("n")) else "")
        else:
            acc, on = "not measured", "—"
        rows.append([names.get(role, role), str(m.get("name") or "—"), acc, on])
    if not rows:
        rows.append(["All models", "—", "not measured", "—"])
    return DisplayTable(["Model", "Name", "Measured accuracy", "Measured on"], rows,
                        [1.4, 2.2, 2.2, 2.6])


def provenance_table(results) -> DisplayTable:
    data = data_of(results)
    rows = [[str(p.get("doc_id")), str(p.get("source") or ""), str(p.get("sha256") or "")]
            for p in data.get("provenance") or []]
    return DisplayTable(["Document", "File", "SHA-256"], rows, [1.1, 2.3, 5])


def _vader_line(data: dict) -> str:
    name = ((data.get("models") or {}).get("sentiment") or {}).get("name") or "VADER"
    try:
        from importlib.metadata import version

        ver = f" (vaderSentiment {version('vaderSentiment')} installed with this Sinoru)"
    except Exception:  # noqa: BLE001 - the version is informative only
        ver = ""
    return f"Sentence sentiment model: {name}{ver}."


def methods_sections(results) -> list[tuple[str, list[str]]]:
    """``[(heading, paragraphs)]`` of the methods appendix (tables come separately)."""
    data = data_of(results)
    stats = [f"{name}: {text}" for name, text in STATISTICS]
    warnings = list(data.get("warnings") or [])
    out = [("Statistics", stats),
           ("Settings of this run", _config_lines(data)),
           ("Codebooks, targets and lexicons", _codebook_lines(data) + [_vader_line(data)])]
    if warnings:
        out.append(("Warnings recorded by the analysis", warnings))
    return out
