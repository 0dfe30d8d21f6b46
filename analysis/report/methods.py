"""The methods appendix: each statistic named and explained in a sentence, the settings,
codebooks, model accuracy and data provenance of this run."""
from __future__ import annotations

from analysis.charts._common import data_of
from analysis.report.content import DisplayTable
from analysis.report.formatting import codebook_title, count, is_num, num

__all__ = ["STATISTICS", "methods_sections", "provenance_table", "models_table"]

#: (name, one-sentence explanation) of every statistic the report uses.
STATISTICS = [
    ("Unit of analysis",
     "Documents are the unit of every group figure and test; documents are nested in "
     "outlets. By default each document weighs the same (each mention, for tone toward a "
     "target); with 'weigh outlets equally' a group's figure is the mean of its outlets' "
     "means. A document without an outlet is never counted as an outlet."),
    ("Bootstrap interval (groups of 10 or more documents)",
     "Each 95% confidence interval is a percentile bootstrap (2.5th to 97.5th percentile of "
     "the resampled figures): when a group has two or more outlets, outlets are resampled "
     "with replacement and then documents within each drawn outlet; otherwise documents. "
     "It shows how much the figure depends on which outlets and documents happened to be "
     "collected."),
    ("Range of these documents (groups under 10 documents)",
     "Below 10 documents a percentile bootstrap interval covers the true mean far less often "
     "than 95% (about half the time with 2 documents, under 89% up to 9, in our simulation; "
     "see the methods documentation), so no interval is computed: every document's value is "
     "shown beside the mean, and the figure is the range of these documents."),
    ("Permutation test",
     "A difference between two groups is compared with the differences under other "
     "assignments of the documents to the groups. With at most 20,000 possible assignments "
     "all are enumerated and p = (assignments with an absolute difference at least the "
     "observed one) / (all assignments), an exact p; otherwise at least 10,001 random "
     "assignments and p = (count + 1) / (draws + 1), with a Monte Carlo error below 0.005. "
     "Two-sided. The smallest p a sample allows is 1 / assignments (2 / assignments when the "
     "groups are the same size): with 3 and 2 documents, 0.1."),
    ("Benjamini–Hochberg correction",
     "Because many figures are compared at once, p-values are adjusted to q-values that "
     "control the expected share of false discoveries; a difference is called statistically "
     "significant only when q < 0.05."),
    ("Cohen's d",
     "The difference in group means divided by the pooled standard deviation of the "
     "documents, with the same weights as the difference (mention-pooled for target tone), so "
     "both use the same unit. Not given when a group has fewer than 10 documents."),
    ("Log-odds ratio with informative Dirichlet prior",
     "Distinctive vocabulary is ranked by the log-odds ratio of a term's use in one group "
     "versus the other, shrunk toward its use in the pooled corpus (Monroe, Colaresi & Quinn "
     "2008) and divided by its standard error (a z-score), so rare words do not dominate. "
     "Listed terms are used by at least two documents of their group."),
    ("p_doc (document-level keyness test)",
     "A two-sided Mann-Whitney test comparing the documents' relative frequencies of the "
     "term in the two groups, exact (all assignments enumerated) up to 20,000 assignments, "
     "normal approximation with tie correction above. Unlike z it treats documents, not "
     "words, as independent."),
    ("Log Ratio",
     "The binary logarithm of the ratio of a term's relative frequencies in the two groups "
     "(Hardie 2014), with 0.5 added to each count so that a term absent from one group has "
     "a finite value: 1 means twice as frequent, 2 four times."),
    ("G² (two-term log-likelihood)",
     "The two-term log-likelihood statistic of Rayson & Garside (2000), reported because "
     "corpus linguists expect it; like all token-level statistics it treats words as "
     "independent and so overstates certainty."),
    ("Frame share (codebook)",
     "A document's share of sentences that match the frame's dictionary in the codebook "
     "(negated matches such as 'not an alliance' do not count); the group figure is the mean "
     "of its documents' shares."),
    ("Frame detector (trained)",
     "A supervised classifier (see its model card) that decides for each whole document, "
     "yes or no, whether each of the five generic news frames is present; its group figure "
     "is the share of documents it marks, not a share of sentences."),
    ("Sentence tone (VADER)",
     "Each sentence gets the VADER compound score (Hutto & Gilbert 2014) from −1 (negative) "
     "to +1 (positive); a document's tone is the mean over its sentences."),
    ("Tone toward a target",
     "Each mention of a target (e.g. Russia) is scored by the target-sentiment model as the "
     "probability of positive minus negative tone; the group figure is the mean over all "
     "its mentions, with documents resampled for the interval."),
    ("Stance markers",
     "Counts per 1,000 words of words from Sinoru's lexicons: hedges (may, reportedly, "
     "seems …), boosters (definitely, resolutely …), obligation (must, should …), "
     "attribution verbs and phrases (said, according to …) and quotations (passages between "
     "straight or curly double quotation marks or guillemets, within one paragraph; single "
     "quotes are not counted because they double as apostrophes)."),
    ("Actor salience",
     "Each actor's share of all actor mentions in a document (names and aliases of the "
     "targets: China, Russia, the US, the EU, Ukraine, NATO …), averaged over documents."),
    ("Readability",
     "textstat 0.7.8's word, syllable and hard-word counts in the standard formulas: Flesch reading ease = 206.835 − 1.015 × "
     "words per sentence − 84.6 × syllables per word; Flesch–Kincaid grade = 0.39 × words "
     "per sentence + 11.8 × syllables per word − 15.59; Gunning fog = 0.4 × (words per "
     "sentence + 100 × share of words of three or more syllables); SMOG = 1.043 × √(polysyllables "
     "× 30 / sentences) + 3.1291. Sentences are split by Sinoru's own sentence splitter (it "
     "keeps abbreviations, initials and section numbers inside a sentence); mean sentence "
     "length is words per sentence."),
    ("Type-token ratio (MATTR)",
     "The moving-average type-token ratio (Covington & McFall 2010): the share of distinct "
     "words in every window of 100 consecutive words, averaged over the document, so it "
     "does not fall with length (a text under 100 words gets its plain type-token ratio)."),
    ("Topics (NMF)",
     "TF-IDF weighted words are factorised by non-negative matrix factorisation (Lee & "
     "Seung 1999) into topics; a document's topic shares sum to 1. At most one topic per "
     "five documents; none below 10 documents."),
]


def _config_lines(data: dict) -> list[str]:
    cfg = data.get("config") or {}
    kw = cfg.get("keyness") or {}
    lines = [
        f"Groups defined by the metadata column '{data.get('group_by') or cfg.get('group_by')}'.",
        f"Bootstrap resamples: {count(cfg.get('n_boot'))}; random arrangements when a "
        f"permutation test cannot enumerate them all: {count(cfg.get('n_perm'))}; random seed: "
        f"{cfg.get('seed', 'n/a')} (the same seed gives the same intervals and p-values).",
        "Weights: " + ("outlets weigh equally (a group's figure is the mean of its outlets' "
                       "means)." if cfg.get("weigh_outlets_equally") else
                       "each document weighs the same (each mention for tone toward a "
                       "target)."),
    ]
    for c in data.get("comparisons") or []:
        design = c.get("test_design") or {}
        if design.get("method"):
            lines.append(f"Tests {c.get('a')} vs {c.get('b')}: {design['method']}; smallest "
                         f"possible p {num(design.get('p_min'), 3)}.")
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
        lines.append(f"Codebook '{codebook_title(cb)}' ({cb.get('id')}), "
                     f"{len(cb.get('frames') or [])} frames."
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
        held = m.get("heldout") if isinstance(m.get("heldout"), dict) else None
        if held and is_num(held.get("macro_f1")):
            hci = held.get("ci95") or []
            acc += (f"; held-out articles: macro-F1 {num(held['macro_f1'])}"
                    + (f" (95% CI {num(hci[0])}–{num(hci[1])})"
                       if len(hci) == 2 and all(is_num(v) for v in hci) else ""))
            on += f"; held-out, n = {count(held['n'])}" if is_num(held.get("n")) else ""
        domain = m.get("domain") if isinstance(m.get("domain"), dict) else None
        if domain and is_num(domain.get("macro_f1")):
            # Beside the training-domain figure: the same model on China–Russia articles.
            dci = domain.get("ci95") or []
            acc += (f"; China–Russia check: macro-F1 {num(domain['macro_f1'])}"
                    + (f" (95% CI {num(dci[0])}–{num(dci[1])})"
                       if len(dci) == 2 and all(is_num(v) for v in dci) else ""))
            alpha = (f", coders' alpha {num(domain['alpha'])}"
                     if is_num(domain.get("alpha")) else "")
            on += (f"; {domain.get('data') or 'China–Russia sample'}"
                   + (f", n = {count(domain['n'])}" if is_num(domain.get("n")) else "") + alpha)
        rows.append([names.get(role, role), str(m.get("name") or "—"), acc, on])
    if not rows:
        rows.append(["All models", "—", "not measured", "—"])
    return DisplayTable(["Model", "Name", "Measured accuracy", "Measured on"], rows,
                        [1.4, 2.2, 2.2, 2.6])


def provenance_table(results) -> DisplayTable:
    data = data_of(results)
    # The file name only: a full path would print the analyst's own folders in the report.
    rows = [[str(p.get("doc_id")), file_name(p.get("source")), str(p.get("sha256") or "")]
            for p in data.get("provenance") or []]
    return DisplayTable(["Document", "File", "SHA-256"], rows, [1.1, 2.3, 5],
                        "File names only (never the folders they were read from); the "
                        "SHA-256 hash identifies each file's exact content.")


def file_name(source) -> str:
    """The last part of a path or URL-like source (either separator). A backslash that
    starts an escape of an undecodable byte (``caf\\xe9.txt``, see :mod:`analysis.names`)
    is part of the name, not a Windows separator."""
    import re

    text = str(source or "").rstrip("/\\")
    return re.split(r"/|\\(?![xu][0-9a-fA-F]{2})", text)[-1]


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
