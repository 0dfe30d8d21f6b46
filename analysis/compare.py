"""Turn per-document analyzer output into group figures, comparisons and evidence
(the results.json structure of docs/results-schema.md)."""
from __future__ import annotations

import copy
import itertools
import math
import weakref

import numpy as np
import pandas as pd

from analysis.aggregate import one_blas_thread, permutation_pvalues
from analysis.config import AnalysisConfig
from analysis.corpus import Corpus
from analysis.document_rows import DocumentRows
from analysis.group_figures import (
    NO_GROUP,
    SMALL_GROUP,
    group_block,
    outlet_clusters,
    unavailable_text,
    unit_weights,
)
from analysis.lang import document_language
from analysis.permutation import design
from analysis.progress import ProgressCallback
from analysis.stats import benjamini_hochberg, cohens_d
from analysis.text import segment

__all__ = ["build_results", "group_figure_frame", "SMALL_GROUP", "NO_GROUP",
           "frame_evidence_candidates", "comparison_pairs"]

_EVIDENCE_TERMS = 10   # distinctive terms per side that get KWIC evidence
_CONTEXT = 70          # characters of context each side in evidence passages


def _frame_share_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if "." in c]


def group_figure_frame(outputs: dict) -> pd.DataFrame:
    """All per-document figures side by side, columns a MultiIndex ``(section, key)``.

    Target columns hold the document's mean mention score (NaN without mentions).
    """
    parts = {}
    frames = outputs["frames"].documents
    parts["frames"] = frames[_frame_share_columns(frames)]
    detector = outputs.get("detector")
    if detector is not None:
        parts["frames_detector"] = detector.documents
    parts["sentiment"] = outputs["sentiment"].documents[["mean"]]
    targets = outputs["targets"].documents
    parts["targets"] = targets[[c for c in targets.columns if not c.endswith(".n")]]
    for section in ("markers", "readability", "topics"):
        parts[section] = outputs[section].documents
    frames_list = []
    for section, frame in parts.items():
        f = frame.copy()
        f.columns = pd.MultiIndex.from_tuples(
            [("frames" if section == "frames_detector" else section, str(c)) for c in f.columns],
            names=["section", "key"])
        frames_list.append(f)
    combined = pd.concat(frames_list, axis=1)
    return combined.astype(float)


def figure_weights(outputs: dict, figures: pd.DataFrame) -> pd.DataFrame:
    """How much each document's figure weighs in its group's figure.

    1 for every document with a value, except target tone, which groups pool over
    mentions: there a document weighs its number of mentions of the target.
    """
    weights = figures.notna().astype(float)
    counts = outputs["targets"].documents
    for section, key in figures.columns:
        if section == "targets" and f"{key}.n" in counts.columns:
            weights[(section, key)] = counts[f"{key}.n"].reindex(figures.index).fillna(0.0)
    return weights


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float | None:
    ok = np.isfinite(values) & (weights > 0)
    return float(np.sum(values[ok] * weights[ok]) / np.sum(weights[ok])) if ok.any() else None


def _tests(figures, weights, ids_a, ids_b, config) -> tuple[list[dict], dict]:
    """A permutation test over documents for every group figure, with BH across them.

    The means compared are the ones the groups show (mention-pooled for target tone,
    outlet-weighted when outlets weigh equally), and Cohen's d uses the same weights, so
    its numerator is the difference shown beside it. Returns the rows and the test
    design (exact or Monte Carlo, and the smallest p the sample allows).
    """
    rows_ab = list(ids_a) + list(ids_b)
    both, w = figures.loc[rows_ab], weights.loc[rows_ab]
    in_a = np.r_[np.ones(len(ids_a), bool), np.zeros(len(ids_b), bool)]
    plan = design(len(ids_a), len(ids_b), config.n_perm)
    p = permutation_pvalues(both, in_a, n_perm=config.n_perm, seed=config.seed, weights=w,
                            plan=plan)
    q = np.full_like(p, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        q[ok] = benjamini_hochberg(p[ok])
    rows = []
    for j, (section, key) in enumerate(figures.columns):
        x, wj = both.iloc[:, j].to_numpy(float), w.iloc[:, j].to_numpy(float)
        mean_a = _weighted_mean(x[in_a], wj[in_a])
        mean_b = _weighted_mean(x[~in_a], wj[~in_a])
        rows.append({"section": section, "key": key, "mean_a": mean_a, "mean_b": mean_b,
                     "diff": None if mean_a is None or mean_b is None else mean_a - mean_b,
                     "effect_size": cohens_d(x[in_a], x[~in_a], wj[in_a], wj[~in_a]),
                     "p_perm": p[j], "q_bh": q[j], "p_method": plan.method,
                     "p_min": plan.p_min, "p_mc_error": plan.mc_error(float(p[j]))})
    return rows, _design_entry(plan)


def _design_entry(plan) -> dict:
    """What the comparison's sample allows, in numbers and in words."""
    # A count too large for JSON readers (and, from about 14,000 documents, for Python's
    # int-to-text limit) is given by its order of magnitude only.
    count = plan.n_arrangements if plan.n_arrangements < 10**15 else None
    entry = {"n_a": plan.n_a, "n_b": plan.n_b, "n_arrangements": count,
             "n_arrangements_log10": round(math.log10(plan.n_arrangements), 2)
             if plan.n_arrangements > 0 else None,
             "method": plan.method, "p_min": plan.p_min, "can_reach_05": plan.can_reach(0.05),
             "statement": ""}
    if plan.exact and not plan.can_reach(0.05):
        entry["statement"] = (
            f"With {plan.n_a} and {plan.n_b} documents there are only "
            f"{plan.n_arrangements:,} ways to divide them between the two groups, so no "
            f"test can give a p-value below {plan.p_min:.2g}: this sample cannot show a "
            "difference between the groups at the usual 5% level, however large it looks.")
    return entry


def _passage(doc, start: int, end: int, group: str) -> dict:
    from analysis.kwic import left_context, right_context

    # Context stops at the paragraph: a passage never runs into the next one.
    text = doc.text
    left = left_context(text, start, _CONTEXT).split("\n")[-1]
    right = right_context(text, end, _CONTEXT).split("\n")[0]
    return {"doc_id": doc.doc_id, "title": doc.title, "outlet": doc.get("outlet"),
            "group": group, "start": int(start), "end": int(end),
            "left": left, "match": text[start:end], "right": right}


def _term_evidence(corpus, term_table: pd.DataFrame, ids, group, limit) -> dict:
    from analysis.kwic import kwic

    evidence = {}
    for term in term_table["term"].head(_EVIDENCE_TERMS):
        hits = kwic(corpus, term, doc_ids=list(ids), limit=limit)
        evidence[term] = [_passage(corpus[h.doc_id], int(h.start), int(h.end), group)
                          for h in hits.itertuples()]
    return evidence


def _pair_keyness(corpus, terms, pair: tuple, outlets: dict, config) -> tuple:
    """Distinctive terms of one pair and their passages, remembered while the term counts
    are the same object (the reduce memo keeps it while the texts and settings stay)."""
    from analysis.keyness import compare as keyness_compare
    from analysis.reduce_memo import remembered

    a, b, ids_a, ids_b = pair
    kw, limit = config.keyness, config.evidence_per_item

    def compute() -> tuple:
        result = keyness_compare(terms, ids_a, ids_b, outlets=outlets, top_n=kw.top_n,
                                 prior_strength=kw.prior_strength)
        evidence = {"a": _term_evidence(corpus, result.a, ids_a, a, limit),
                    "b": _term_evidence(corpus, result.b, ids_b, b, limit)}
        return weakref.ref(terms), result, evidence

    # The term counts by identity (held weakly, so this memory never keeps them alive).
    parts = (id(terms), a, b, ids_a, ids_b, sorted(outlets.items()), kw.top_n,
             kw.prior_strength, limit)
    held, result, evidence = remembered("pair-keyness", parts, compute, keep=32)
    if held() is not terms:  # freed, and another object got its id
        held, result, evidence = compute()
    return result, copy.deepcopy(evidence)


_EVIDENCE_KEYS = ["codebook", "frame", "group"]


class _Counted:
    """The matches that count as evidence (not negated, in a group) as positions in the
    table, each with one integer for its codebook, frame and group (``key``) and whether
    it is its document's first row of that key (``first``).

    The keys were the three text columns themselves: every grouping and the duplicate
    test hashed 1.3 million strings again (about 0.8 s of a 10,000-article run, and a
    copy of the table for each filtering step). Each column is coded once here; grouping
    by the codes puts the same rows together in the same order, so every pick is the
    same."""

    def __init__(self, matches: pd.DataFrame, labels: pd.Series) -> None:
        keep = (~matches["negated"].astype(bool).to_numpy() if "negated" in matches
                else np.ones(len(matches), dtype=bool))
        docs, doc_ids = pd.factorize(matches["doc_id"])
        # Each document's group (missing when the document has no label), as a code.
        groups, _ = pd.factorize(labels.reindex(np.asarray(doc_ids, dtype=object)))
        group = np.append(groups, -1)[docs]   # -1: no document id
        codes = [pd.factorize(matches[k])[0] for k in ("codebook", "frame")] + [group]
        for code in codes:   # a missing codebook, frame or group: not evidence
            keep &= code >= 0
        self.positions = np.flatnonzero(keep)
        key = np.zeros(self.positions.size, dtype=np.int64)
        for code in codes:
            key = key * (int(code.max(initial=0)) + 1) + code[self.positions]
        self.key = key
        with_doc = key * (len(doc_ids) + 1) + docs[self.positions]
        self.first = ~pd.Series(with_doc).duplicated().to_numpy()

    def running_count(self, flags: np.ndarray) -> np.ndarray:
        """How many of ``flags`` are set up to each row, within its key."""
        return pd.Series(flags).groupby(self.key).cumsum().to_numpy()

    def key_total(self, flags: np.ndarray) -> np.ndarray:
        """How many of ``flags`` are set in each row's key."""
        return pd.Series(flags).groupby(self.key).transform("sum").to_numpy()


def _frame_evidence(corpus, matches: pd.DataFrame, labels: pd.Series, limit) -> dict:
    evidence: dict = {}
    if matches.empty:
        return evidence
    keys = _EVIDENCE_KEYS
    # One passage per document first (in text order), then further passages, so one long
    # article cannot fill the list: the same picks as a loop over the groups, in one pass
    # (that loop cost seconds at 10,000 documents).
    counted = _Counted(matches, labels)
    first = counted.first
    picked = first & (counted.running_count(first) <= limit)
    rest = ~picked
    room = limit - counted.key_total(picked)
    chosen = picked | (rest & (counted.running_count(rest) <= room))
    columns = ["codebook", "frame", "doc_id", "start", "end"]
    rows = matches.iloc[counted.positions[chosen]][columns]
    rows = rows.assign(group=rows["doc_id"].map(labels), _later=rest[chosen])
    rows = rows.sort_values([*keys, "_later"], kind="stable")
    columns = [rows[c].tolist() for c in ("codebook", "frame", "group", "doc_id", "start",
                                          "end")]
    for cb, frame, group, doc_id, start, end in zip(*columns, strict=True):
        evidence.setdefault(f"{cb}.{frame}", {}).setdefault(group, []).append(
            _passage(corpus[doc_id], int(start), int(end), group))
    return evidence


def frame_evidence_candidates(matches: pd.DataFrame, labels: pd.Series,
                              limit: int) -> pd.DataFrame:
    """The rows of ``matches`` (whole documents, in corpus order) that the frame evidence
    could pick: per codebook, frame and group, the first ``limit`` first passages of a
    document and the first ``limit`` further passages. The evidence picked from the
    candidates of consecutive parts of a table equals that picked from the whole table,
    so a large corpus keeps only these rows in memory."""
    if matches.empty:
        return matches
    counted = _Counted(matches, labels)
    first = counted.first
    later = ~first
    wanted = ((first & (counted.running_count(first) <= limit))
              | (later & (counted.running_count(later) <= limit)))
    return matches.loc[matches.index[counted.positions[wanted]]]


def _document_rows(corpus, labels, figures, outputs) -> DocumentRows:
    # Built when read (results.json is written a row at a time), not held: about 8 KB
    # per article.
    return DocumentRows(corpus, labels, figures, outputs["targets"].documents,
                        _sizes(corpus, outputs))


def _sizes(corpus, outputs) -> list[tuple[int, int]]:
    """(words, sentences) of each document: counted by the per-document stage when it
    ran (segmenting 100,000 texts again here would cost minutes), else here."""
    sizes = outputs.get("sizes")
    if sizes is not None:
        table = sizes.documents.reindex(corpus.ids)
        return list(zip(table["n_words"].astype(int).tolist(),
                        table["n_sentences"].astype(int).tolist(), strict=True))
    return [(seg.n_words, len(seg.sentences))
            for seg in (segment(d.text, document_language(d)) for d in corpus)]


#: What the documents table shows of each corpus met (a corpus is immutable): a re-run in
#: the app's worker analyses the very corpus object it analysed before.
_CORPUS_COLUMNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _corpus_columns(corpus) -> tuple[pd.DataFrame, list[str]]:
    """The documents' metadata and why a method is not available for each document
    (about a tenth of a second at 10,000 documents: once per corpus object). Shared:
    callers copy the table before changing it."""
    found = _CORPUS_COLUMNS.get(corpus)
    if found is None:
        meta = corpus.metadata_frame().drop(columns=["sha256", "n_chars"])
        found = _CORPUS_COLUMNS[corpus] = (meta, [unavailable_text(d) for d in corpus])
    return found


def _flat_documents(corpus, labels, figures, outputs) -> pd.DataFrame:
    meta, not_available = _corpus_columns(corpus)
    meta = meta.copy()
    flat = figures.copy()
    flat.columns = [f"{s}.{k}" for s, k in figures.columns]
    meta["group_label"] = meta["doc_id"].map(labels)
    meta["n_words"] = [n for n, _ in _sizes(corpus, outputs)]
    # Says why sentiment, targets and readability are empty for a Chinese or Russian
    # document (a blank cell alone reads as "no data").
    meta["not_available"] = not_available
    return pd.concat([meta.reset_index(drop=True), flat.reset_index(drop=True)], axis=1)


def _summary_rows(groups: dict) -> pd.DataFrame:
    """One row per group figure: the long table behind every chart."""
    rows = []
    for g, block in groups.items():
        figures = [("sentiment", "mean", "mean", block["sentiment"])]
        figures += [("frames", f"{cb}.{f}", "share", fig)
                    for cb, frames in block["frames"].items() for f, fig in frames.items()]
        figures += [(section, k, "mean", fig)
                    for section in ("markers", "readability", "topics", "targets")
                    for k, fig in block[section].items()]
        for section, key, stat, fig in figures:
            ci = fig.get("ci95") or [None, None]
            rows.append({"group": g, "section": section, "key": key, "stat": stat,
                         "value": fig.get(stat), "ci_low": ci[0], "ci_high": ci[1],
                         "n_documents": block["n_documents"]})
    return pd.DataFrame(rows, columns=["group", "section", "key", "stat", "value", "ci_low",
                                       "ci_high", "n_documents"])


def comparison_pairs(group_names: list[str]) -> list[tuple[str, str, str]]:
    """The comparisons of sorted ``group_names``, as ``(a, b, kind)``: every pair, and with
    more than two groups each group against the rest (``b == "rest"``)."""
    pairs = [(a, b, "pairwise") for a, b in itertools.combinations(group_names, 2)]
    if len(group_names) > 2:
        pairs += [(g, "rest", "one_vs_rest") for g in group_names]
    return pairs


def build_results(corpus: Corpus, labels: pd.Series, config: AnalysisConfig, inputs,
                  outputs: dict, progress: ProgressCallback) -> tuple[dict, dict]:
    """Assemble the results.json structure and the detail tables."""
    with one_blas_thread():  # the same bits with less CPU (see one_blas_thread)
        return _build_results(corpus, labels, config, inputs, outputs, progress)


def _build_results(corpus: Corpus, labels: pd.Series, config: AnalysisConfig, inputs,
                   outputs: dict, progress: ProgressCallback) -> tuple[dict, dict]:
    from analysis.frames import unmeasured_warnings
    from analysis.language_keyness import language_note, languages_of, per_language_keyness

    progress(0.0)
    figures = group_figure_frame(outputs).reindex(corpus.ids)
    clusters = outlet_clusters(corpus, labels)
    weights = unit_weights(figure_weights(outputs, figures), clusters,
                           config.weigh_outlets_equally)
    # Regex terms left out for running out of time come first: they change what a
    # frame measures.
    warnings: list[str] = list(getattr(outputs["frames"], "warnings", ()))
    warnings.extend(unmeasured_warnings(inputs.codebooks, corpus))
    if len(corpus) == 0:
        warnings.append("The corpus has no documents: there is nothing to compare.")
    unlabelled = labels.index[labels == NO_GROUP]
    if len(unlabelled):
        warnings.append(f"{len(unlabelled)} document(s) have no value in '{config.group_by}' "
                        "and are left out of the group comparisons.")
    group_names = sorted(set(labels) - {NO_GROUP})
    label_of = labels.to_dict()
    members = {g: [i for i in corpus.ids if label_of[i] == g] for g in group_names}
    topic_note = getattr(outputs["topics"], "note", "")
    if topic_note and len(corpus):
        warnings.append(topic_note)
    if len(group_names) == 1:
        warnings.append(f"Only one group ('{group_names[0]}') in '{config.group_by}': "
                        "there is nothing to compare it with.")

    groups = {g: group_block(g, members[g], corpus, figures, weights, clusters, outputs, config)
              for g in group_names}
    for g in group_names:
        warnings.extend(groups[g]["warnings"])
    progress(0.3)

    pairs = [(a, b, kind, members[a],
              members[b] if b != "rest" else [i for h in group_names if h != a
                                               for i in members[h]])
             for a, b, kind in comparison_pairs(group_names)]
    outlets = {d.doc_id: d.get("outlet") for d in corpus}
    comparisons, keyness_rows, test_rows = [], [], []
    evidence_terms: dict = {}
    kw = config.keyness
    for n, (a, b, kind, ids_a, ids_b) in enumerate(pairs):
        result, term_evidence = _pair_keyness(corpus, outputs["terms"], (a, b, ids_a, ids_b),
                                              outlets, config)
        langs_a, langs_b = languages_of(corpus, ids_a), languages_of(corpus, ids_b)
        note = language_note(a, b, langs_a, langs_b)
        if note:
            warnings.append(note)
        by_language = per_language_keyness(outputs["terms"], corpus, ids_a, ids_b,
                                           outlets=outlets, top_n=kw.top_n,
                                           prior_strength=kw.prior_strength)
        tests, test_design = _tests(figures, weights, ids_a, ids_b, config)
        if test_design["statement"]:
            warnings.append(f"{a} vs {b}: {test_design['statement']}")
        comparisons.append({
            "a": a, "b": b, "kind": kind, "test_design": test_design,
            "keyness": {"a": result.a.to_dict("records"), "b": result.b.to_dict("records"),
                        "method": "log-odds ratio with an informative Dirichlet prior "
                                  f"(Monroe et al. 2008); prior: pooled corpus, a0 = "
                                  f"{kw.prior_strength:g}; G2: two-term log-likelihood; "
                                  "listed terms are used by at least 2 documents of their "
                                  "side; p_doc: two-sided Mann-Whitney test over the "
                                  "documents' relative frequencies"},
            "tests": tests,
            # Keyness compares within one language: the groups' languages, and the
            # terms within each language both groups have documents in.
            "languages": {"a": langs_a, "b": langs_b}, "language_note": note,
            "keyness_by_language": by_language})
        key = f"{a}|{b}"
        evidence_terms[key] = term_evidence
        for side, table in (("a", result.a), ("b", result.b)):
            for rank, r in enumerate(table.to_dict("records"), 1):
                keyness_rows.append({"comparison": key, "language": "", "side": side,
                                     "rank": rank, **r})
        for lang, block in by_language.items():
            for side in ("a", "b"):
                for rank, r in enumerate(block[side], 1):
                    keyness_rows.append({"comparison": key, "language": lang, "side": side,
                                         "rank": rank, **r})
        test_rows += [{"comparison": key, **t} for t in tests]
        progress(0.3 + 0.6 * (n + 1) / max(len(pairs), 1))

    frame_matches = outputs["frames"].matches
    data = {
        "groups": groups,
        "comparisons": comparisons,
        "codebooks": [_codebook_entry(cb) for cb in inputs.codebooks]
        + ([_detector_entry(outputs["detector"])] if outputs.get("detector") is not None else []),
        "targets": [{"id": t.id, "label": t.label, "aliases": list(t.aliases)}
                    for t in inputs.targets],
        "topics": list(getattr(outputs["topics"], "topics", [])),
        "topic_model": _topic_model_entry(outputs["topics"], config),
        "models": _models_entry(inputs, outputs),
        "evidence": {"terms": evidence_terms,
                     "frames": _frame_evidence(corpus, frame_matches, labels,
                                               config.evidence_per_item)},
        "documents": _document_rows(corpus, labels, figures, outputs),
        "provenance": [{"doc_id": d.doc_id, "source": d.source, "sha256": d.sha256}
                       for d in corpus],
        "warnings": warnings,
    }
    topics = pd.DataFrame([{"id": t["id"], "label": t["label"],
                            "top_terms": ", ".join(t["top_terms"])} for t in data["topics"]],
                          columns=["id", "label", "top_terms"])
    tables = {
        "documents": _flat_documents(corpus, labels, figures, outputs),
        "group_summary": _summary_rows(groups),
        "keyness": pd.DataFrame(keyness_rows),
        "tests": pd.DataFrame(test_rows),
        "frame_matches": frame_matches,
        "target_mentions": outputs["targets"].mentions,
        "sentences": outputs["sentiment"].sentences,
        "marker_matches": outputs["markers"].matches,
        "topics": topics,
    }
    progress(1.0)
    return data, tables


def _topic_model_entry(result, config) -> dict:
    from analysis.topics import DOCS_PER_TOPIC, MIN_TOPIC_DOCS

    return {"requested": int(config.n_topics), "fitted": len(getattr(result, "topics", [])),
            "rule": f"k <= floor(documents / {DOCS_PER_TOPIC}); no topics below "
                    f"{MIN_TOPIC_DOCS} documents",
            "note": getattr(result, "note", "")}


def _codebook_entry(cb) -> dict:
    return {"id": cb.id, "label": cb.label, "version": str(cb.version),
            "description": cb.description, "unit": "sentences",
            "frames": [{"id": f.id, "label": f.label, "description": f.description}
                       for f in cb.frames]}


def _detector_entry(detector) -> dict:
    """The trained generic-frame detector, described like a codebook whose figures are
    shares of documents (it decides per document), not shares of sentences."""
    from analysis.codebook import load_codebook

    generic = {f.id: f for f in load_codebook("generic").frames}
    ids = sorted({c.split(".", 1)[1] for c in detector.documents.columns if "." in c})
    frames = [{"id": i, "label": generic[i].label if i in generic else i.replace("_", " "),
               "description": generic[i].description if i in generic else ""} for i in ids]
    return {"id": "generic_detector", "label": "Generic news frames (trained detector)",
            "version": "", "model": str(getattr(detector, "name", "")), "unit": "documents",
            "description": "A supervised model that decides per document whether each of the "
                           "five generic news frames is present (see the model card).",
            "frames": [f for i in ("conflict", "human_interest", "economic", "morality",
                                   "responsibility") for f in frames if f["id"] == i]
            + [f for f in frames if f["id"] not in generic]}


def _models_entry(inputs, outputs) -> dict:
    scorer = inputs.scorer
    models = {"sentiment": {"name": "VADER (Hutto & Gilbert 2014), sentence level"},
              "target_sentiment": {"name": getattr(scorer, "name", "vader-window"),
                                   **(getattr(scorer, "accuracy", None) or {})}}
    detector = outputs.get("detector")
    if detector is not None:
        models["frames"] = {"name": getattr(detector, "name", "generic-frame-detector"),
                            **(getattr(detector, "accuracy", None) or {})}
    return models
