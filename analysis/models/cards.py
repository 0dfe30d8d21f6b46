"""Model cards: the Markdown written beside each model file, from the model's own metadata."""
from __future__ import annotations

__all__ = ["tsc_card", "frames_card", "accuracy_line"]


def _ci(acc: dict) -> str:
    low, high = acc["ci95"]
    return f"{acc['macro_f1']:.3f} (95% CI {low:.3f}–{high:.3f})"


def accuracy_line(acc: dict | None) -> str:
    """One sentence stating a model's measured macro-F1, for panels and reports."""
    if not acc:
        return "accuracy not measured"
    return f"macro-F1 {_ci(acc)}, {acc['method'].split(';')[0]} on {acc['n']:,} items of {acc['data']}"


def _table(rows: dict[str, dict], classes: list[str]) -> str:
    head = "| model | n | accuracy | macro-F1 (95% CI) | " + " | ".join(classes) + " |"
    sep = "|---" * (4 + len(classes)) + "|"
    lines = [head, sep]
    for name, acc in rows.items():
        lines.append(f"| {name} | {acc['n']:,} | {acc['accuracy']:.3f} | {_ci(acc)} | "
                     + " | ".join(f"{acc['per_class_f1'][c]:.3f}" for c in classes) + " |")
    return "\n".join(lines)


def tsc_card(meta: dict, size: int) -> str:
    """The target-sentiment model card."""
    acc, train = meta["accuracy"], meta["training"]
    classes = ["negative", "neutral", "positive"]
    rows = {meta["name"]: acc, **meta.get("baselines", {})}
    cal = meta.get("calibration", {})
    return f"""# Model card: {meta['name']} (target-dependent sentiment)

Predicts the sentiment a sentence expresses toward one marked mention of a target:
negative, neutral or positive, with calibrated probabilities. File: `tsc_linear.npz`
({size / 1e6:.1f} MB; plain arrays, no pickle), applied with numpy by
`analysis.models.target_sentiment.LinearTargetScorer`.

## Training data and licence
{train['data']}: {train['n_targets']:,} targets in sentences from US political news,
labelled by crowd coders. The data is not shipped; only learned weights are.

## Model
Multinomial logistic regression (C = {train['C']}, balanced class weights) over
{train['n_features']:,} named features of the sentence around the target
(`analysis/models/tsc_features.py`): words and word pairs with the target masked;
words within five words left and right of it, marked by side; words of its clause
(clauses split at but/while/although/;/dashes); VADER lexicon valences by side and
distance to the target, flipped after a negation; the nearest sentiment word; the
sentence's summed valence, normalised like VADER's compound; cues for quotation, speech
verbs, contrast and negation near the target. Probabilities are calibrated by a temperature
(T = {meta['temperature']}) fitted to out-of-fold predictions: expected calibration
error {cal.get('ece_before', float('nan')):.3f} before, {cal.get('ece_after', float('nan')):.3f} after.

## Measured accuracy
{acc['method']}; data: {acc['data']}. Baselines: VADER on the whole sentence, and VADER
on the clause that holds the target (the engine's `vader-window` scorer, still selectable).

{_table(rows, classes)}

The published best on NewsMTSC's test split is about 0.83 macro-F1, from a fine-tuned
RoBERTa transformer; this model is far smaller (a linear model, thousands of targets per
second on one CPU core: `taskset -c 0 python benchmarks/bench_target_model.py`) and
accordingly less accurate. It is clearly better than VADER but below the 0.75
macro-F1 the project aimed for; closing that gap needs a fine-tuned transformer, which
would add PyTorch (hundreds of MB) to the installer. Frozen sentence embeddings from a
packaged MiniLM were considered and not shipped: they ignore the target and need the
same heavy runtime. The figures above are cross-validated on the training split; a
held-out split of the same data will give somewhat different figures.

Reproduce: `python -m analysis.models.train` (retrains, rewrites this card) or
`sinoru evaluate` (measures again, with the baselines).

## Known limits
- Domain shift: trained on US domestic political news. Foreign-policy and international
  coverage (for example China–Russia relations, state-media prose, translated text) uses
  other vocabulary and conventions; expect lower accuracy there. Validate on a coded
  sample of your own corpus: `sinoru evaluate --tsc your_file.jsonl`.
- It sees one sentence only: sarcasm, sentiment spread over several sentences, and
  what the whole article implies about a target are out of reach.
- Word order is seen only through word pairs, windows and clause splits; complex syntax
  (who does what to whom across long clauses) is often misread.
- Targets that are pronouns or very short mentions carry little context.
- English only.
"""


def _repeats(meta: dict) -> str:
    rep = meta.get("repeated_cv")
    if not rep:
        return ""
    vals = rep["macro_f1"]
    return (f"With only a few hundred articles the figure depends on the fold split: over "
            f"{len(vals)} different {meta['accuracy']['method'].split('-fold')[0]}-fold splits "
            f"(seeds {', '.join(map(str, rep['seeds']))}) macro-F1 was "
            f"{', '.join(f'{v:.3f}' for v in vals)} (mean {sum(vals) / len(vals):.3f}).")


def frames_card(meta: dict, size: int) -> str:
    """The generic-frame detector model card."""
    acc, train = meta["accuracy"], meta["training"]
    classes = list(meta["labels"])
    rows = {meta["name"]: acc, **meta.get("baselines", {})}
    pos = ", ".join(f"{f} {n}" for f, n in train["positives"].items())
    return f"""# Model card: {meta['name']} (generic news frames)

Marks an article with each of the five generic news frames of Semetko & Valkenburg
(2000): conflict, economic consequences, human interest, morality, and attribution of
responsibility / resolution. File: `generic_frames_linear.npz` ({size / 1e6:.1f} MB; plain
arrays, no pickle), applied with numpy by `analysis.models.frame_detector`.

## Training data and licence
{train['data']}: {train['n_articles']} climate-change news articles from outlets across
the political spectrum, each coded yes/no for the five frames by trained coders following
Semetko & Valkenburg-style questions. Articles with a frame: {pos}. The data is not
shipped; only learned weights are.

## Model
Per frame, a logistic regression (C = {train['C']}, balanced class weights) over
sublinear TF-IDF of words and word pairs that occur in at least three training articles
({train['n_terms']:,} terms), plus codebook evidence: for each frame, the share of the
article's sentences holding one of the frame's indicator phrases and the log count of
matches. The indicator phrases follow the Semetko & Valkenburg questions; they are
stored in the model file and listed in `analysis/models/frame_features.py` (edit them
there and retrain). Without the codebook features the same model reaches about 0.44
macro-F1 in cross-validation (human interest and morality are then almost never found);
using the project's foreign-policy generic codebook (`resources/codebooks/generic.yaml`)
as the indicator lists gave about 0.58, so the detector keeps its own lists. A frame is marked when its probability is at least
0.5 (tuning thresholds by inner cross-validation was tried and did not help).

Explainable: `FrameModel.explain(text)` lists for each frame the probability, the terms
that weighed most (coefficient × TF-IDF), the sentences that carried those terms, and
the codebook indicators found; the analyzer `GenericFrameDetector` keeps this evidence.

## Measured accuracy
{acc['method']}; data: {acc['data']}. Accuracy is the mean over frames of the share of
articles decided right; macro-F1 is the mean over frames of the F1 of "frame present".

{_table(rows, classes)}

{_repeats(meta)}

Reproduce: `python -m analysis.models.train` or `sinoru evaluate`.

## Known limits
- Trained on fewer than 300 articles about one issue (climate change); human interest
  and morality have about 30 positive examples each and are detected least reliably.
- Topic shift: on other issues (foreign policy, China–Russia relations) the climate
  vocabulary the model partly relies on is absent; the codebook features carry over
  better than the terms. Validate on a coded sample: `sinoru evaluate --frames file.tsv`.
- Whole-article decisions: it does not say where in the article a frame sits beyond the
  evidence sentences, and it cannot tell a frame the writer adopts from one it reports.
- English only.
"""
