"""The China–Russia domain check of the target-sentiment models.

The models learned from US political news (NewsMTSC). This module builds a sample of
target mentions from real articles on China–Russia relations, merges two coders' labels
and the adjudicated label into it, and scores every target model on it.

The project keeps only *references* to the articles (file name, character offsets, a hash
of the sentence) and the labels in ``resources/validation/domain_china_russia.csv``; the
article text is read at run time from the seed folder (``../shared/corpus/seeds``), so no
article text is ever stored in the project. A coding sheet with the sentences is written
outside the project for the coders.

Run ``python -m analysis.models.domain_check --help`` for the commands.
"""
from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import numpy as np

from analysis.base import SENTIMENT_LABELS
from analysis.models.agreement import krippendorff_alpha_nominal
from analysis.models.data import DataError, DataProblem, TargetExamples
from analysis.models.metrics import paired_difference_ci
from analysis.targets import Target, find_mentions, load_targets
from analysis.text import segment

__all__ = ["SampleMention", "SAMPLE_NAME", "DOMAIN_TASK", "MEASUREMENT_NAME", "measurement",
           "load_measurement", "domain_accuracy", "with_domain", "default_sample_path", "default_seeds_dir",
           "read_article", "build_sample", "coding_rows", "write_csv", "read_sample",
           "read_codes", "merge_codes", "agreement", "sample_examples", "DomainReport",
           "evaluate_domain"]

SAMPLE_NAME = "domain_china_russia.csv"
DOMAIN_TASK = "target sentiment, China–Russia domain check"
_LABELS = {name: name for name in SENTIMENT_LABELS} | {"neg": "negative", "neu": "neutral",
                                                       "pos": "positive"}


@dataclass(frozen=True)
class SampleMention:
    """One target mention of the sample: where it is, and its labels ("" when not coded).

    ``sentence_start``/``sentence_end`` and ``start``/``end`` are character offsets into
    the article text as :func:`read_article` reads it; ``sentence_sha1`` (first 12 hex
    digits) detects a changed article.
    """

    mention_id: str
    file: str
    sentence_start: int
    sentence_end: int
    target: str
    start: int
    end: int
    sentence_sha1: str
    coder_a: str = ""
    coder_b: str = ""
    label: str = ""


COLUMNS = tuple(f.name for f in fields(SampleMention))


def default_sample_path() -> Path:
    """The shipped sample of references and labels."""
    from analysis.resources import resource_path

    return resource_path("validation", SAMPLE_NAME)


def default_seeds_dir(project_root: Path | None = None) -> Path:
    """``$SINORU_SHARED_DIR/corpus/seeds``, or ``../shared/corpus/seeds`` beside the project."""
    env = os.environ.get("SINORU_SHARED_DIR")
    if env:
        return Path(env) / "corpus" / "seeds"
    root = project_root or Path(__file__).resolve().parents[2]
    return root.parent / "shared" / "corpus" / "seeds"


def read_article(path: Path) -> str:
    """An article's text exactly as offsets are counted (UTF-8, universal newlines)."""
    return Path(path).read_text(encoding="utf-8-sig")


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def build_sample(seeds_dir: Path, targets: tuple[Target, ...] | None = None) -> list[SampleMention]:
    """Every mention of ``targets`` (default: the built-in ones) in the ``*.txt`` files
    of ``seeds_dir``, in file and text order, numbered m0001, m0002, ..."""
    targets = tuple(targets) if targets is not None else load_targets()
    rows: list[SampleMention] = []
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        text = read_article(path)
        sentences = segment(text).sentences
        for m in find_mentions(text, targets):
            s = sentences[m.sentence]
            rows.append(SampleMention(f"m{len(rows) + 1:04d}", path.name, s.start, s.end,
                                      m.target, m.start, min(m.end, s.end), _sha(s.text)))
    return rows


def coding_rows(rows: list[SampleMention], seeds_dir: Path,
                targets: tuple[Target, ...] | None = None) -> list[dict]:
    """The coding sheet: each mention with its sentence, the mention marked [[like this]],
    and an empty ``label`` column for the coder."""
    labels = {t.id: t.label for t in (targets or load_targets())}
    texts: dict[str, str] = {}
    out = []
    for r in rows:
        text = texts.setdefault(r.file, read_article(Path(seeds_dir) / r.file))
        sentence = text[r.sentence_start:r.sentence_end]
        a, b = r.start - r.sentence_start, r.end - r.sentence_start
        out.append({"mention_id": r.mention_id, "file": r.file, "target": r.target,
                    "target_label": labels.get(r.target, r.target),
                    "mention": text[r.start:r.end],
                    "sentence_marked": f"{sentence[:a]}[[{sentence[a:b]}]]{sentence[b:]}",
                    "sentence": sentence, "label": ""})
    return out


def write_csv(rows: list[dict] | list[SampleMention], path: Path) -> None:
    """Write rows (dicts or :class:`SampleMention`) as UTF-8 CSV with a header."""
    dicts = [asdict(r) if isinstance(r, SampleMention) else r for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(dicts[0]) if dicts else list(COLUMNS))
        writer.writeheader()
        writer.writerows(dicts)


def read_sample(path: Path | None = None) -> list[SampleMention]:
    """The sample of references (default: the shipped one).

    Raises
    ------
    DataError
        When the file is missing, lacks a column or holds a row that cannot be read; the
        message names the file and line.
    """
    path = Path(path) if path is not None else default_sample_path()
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS[:8] if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = []
            for line, rec in enumerate(reader, start=2):
                try:
                    ints = {k: int(rec[k]) for k in ("sentence_start", "sentence_end", "start",
                                                     "end")}
                except (TypeError, ValueError) as exc:
                    raise DataError(f"{path}, line {line}: offsets must be whole numbers") from exc
                rows.append(SampleMention(
                    rec["mention_id"], rec["file"], target=rec["target"],
                    sentence_sha1=rec["sentence_sha1"], **ints,
                    **{k: (rec.get(k) or "").strip() for k in ("coder_a", "coder_b", "label")}))
    except OSError as exc:
        raise DataError(f"{path}: cannot read the sample ({exc.strerror or exc})") from exc
    return rows


def read_codes(path: Path) -> tuple[dict[str, str], list[DataProblem]]:
    """A coder's file (columns ``mention_id``, ``label``): {mention_id: label} and the rows
    skipped (unknown label words). Labels: negative/neutral/positive (or neg/neu/pos)."""
    codes: dict[str, str] = {}
    problems: list[DataProblem] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not {"mention_id", "label"} <= set(reader.fieldnames or []):
                raise DataError(f"{path}: needs the columns mention_id and label")
            for line, rec in enumerate(reader, start=2):
                word = (rec.get("label") or "").strip().lower()
                if not word:
                    continue  # not coded (yet)
                if word not in _LABELS:
                    problems.append(DataProblem(str(path), line, f"unknown label {word!r} "
                                                "(use negative, neutral or positive)"))
                    continue
                codes[(rec.get("mention_id") or "").strip()] = _LABELS[word]
    except OSError as exc:
        raise DataError(f"{path}: cannot read the codes ({exc.strerror or exc})") from exc
    return codes, problems


def merge_codes(rows: list[SampleMention], coder_a: dict[str, str], coder_b: dict[str, str],
                adjudicated: dict[str, str] | None = None) -> list[SampleMention]:
    """The sample with both coders' labels and the final label: the coders' label where
    they agree, else the adjudicated one ("" while a disagreement is not adjudicated)."""
    adjudicated = adjudicated or {}
    out = []
    for r in rows:
        a, b = coder_a.get(r.mention_id, ""), coder_b.get(r.mention_id, "")
        final = adjudicated.get(r.mention_id) or (a if a and a == b else "")
        out.append(replace(r, coder_a=a, coder_b=b, label=final))
    return out


def agreement(rows: list[SampleMention]) -> tuple[float, int, float]:
    """(Krippendorff's alpha, mentions coded by both coders, their raw agreement share)."""
    both = [(r.coder_a, r.coder_b) for r in rows if r.coder_a and r.coder_b]
    if not both:
        return float("nan"), 0, float("nan")
    raw = sum(a == b for a, b in both) / len(both)
    return krippendorff_alpha_nominal(both), len(both), raw


def sample_examples(rows: list[SampleMention], seeds_dir: Path) -> TargetExamples:
    """The labelled mentions as :class:`TargetExamples`, sentences read from ``seeds_dir``.

    Raises
    ------
    DataError
        When an article is missing or its text no longer matches the sample (the sentence
        hash differs), naming the file.
    """
    texts: dict[str, str] = {}
    sentences, spans, labels, groups = [], [], [], []
    for r in rows:
        if r.label not in SENTIMENT_LABELS:
            continue
        if r.file not in texts:
            path = Path(seeds_dir) / r.file
            try:
                texts[r.file] = read_article(path)
            except OSError as exc:
                raise DataError(f"{path}: cannot read the article of the domain sample "
                                f"({exc.strerror or exc})") from exc
        sentence = texts[r.file][r.sentence_start:r.sentence_end]
        if _sha(sentence) != r.sentence_sha1:
            raise DataError(f"{Path(seeds_dir) / r.file}: the text differs from the one the "
                            f"sample was drawn from (mention {r.mention_id})")
        sentences.append(sentence)
        spans.append((r.start - r.sentence_start, r.end - r.sentence_start))
        labels.append(SENTIMENT_LABELS.index(r.label))
        groups.append(f"{r.file}:{r.sentence_start}")  # the sentence; stable across runs
    if not sentences:
        raise DataError("the domain sample has no adjudicated labels yet")
    _, group_ids = np.unique(np.asarray(groups), return_inverse=True)
    return TargetExamples(sentences, spans, [[] for _ in sentences], np.asarray(labels),
                          group_ids, source="domain sample")


@dataclass
class DomainReport:
    """The domain check: one row per model, the coders' agreement and the sample's size."""

    rows: list
    alpha: float
    n_double_coded: int
    raw_agreement: float
    n_mentions: int
    n_labelled: int
    n_articles: int
    label_counts: dict[str, int]
    reference: str = ""
    differences: dict[str, tuple[float, float, float]] = field(default_factory=dict)


def evaluate_domain(rows: list[SampleMention], seeds_dir: Path, data_name: str,
                    progress=None) -> DomainReport:
    """Score the linear model, the transformer (when installed) and VADER on the sample.

    Confidence intervals resample sentences (a sentence's mentions share its wording), so
    they are wider than intervals over mentions would be.
    """
    from analysis.evaluate import tsc_row, vader_labels
    from analysis.models.onnx_target_scorer import load_transformer_model
    from analysis.models.target_sentiment import load_target_model
    from analysis.progress import no_progress, wrap_progress
    from analysis.targets import score_in_chunks

    progress = progress or no_progress
    ex = sample_examples(rows, seeds_dir)
    y = ex.labels
    method = ("shipped model applied to the sample; bootstrap 95% CI over sentences "
              "(1,000 resamples)")

    def row(name: str, pred: np.ndarray, baseline: bool = False):
        return tsc_row(name, data_name, y, pred, baseline=baseline, method=method,
                       groups=ex.groups, task=DOMAIN_TASK)

    out = []
    preds: dict[str, np.ndarray] = {}
    scorers = [load_target_model()]
    try:
        scorers.append(load_transformer_model())
    except (ImportError, FileNotFoundError):
        pass
    for k, scorer in enumerate(s for s in scorers if s is not None):
        proba = score_in_chunks(scorer, ex.sentences, ex.spans,
                                wrap_progress(progress, k / 3, (k + 1) / 3))
        preds[scorer.name] = proba.argmax(1)
        out.append(row(scorer.name, preds[scorer.name]))
    for mode in ("window", "sentence"):
        preds[f"VADER {mode}"] = vader_labels(ex, mode)
        out.append(row(f"VADER {mode}", preds[f"VADER {mode}"], baseline=True))
    progress(1.0)
    alpha, n_both, raw = agreement(rows)
    labelled = [r for r in rows if r.label in SENTIMENT_LABELS]
    counts = {c: sum(r.label == c for r in labelled) for c in SENTIMENT_LABELS}
    # Each model against the first (the default), on the same sentences in every draw.
    first = out[0].model
    diffs = {name: paired_difference_ci(y, p, preds[first], 3, ex.groups)
             for name, p in preds.items() if name != first}
    return DomainReport(out, alpha, n_both, raw, len(rows), len(labelled),
                        len({r.file for r in labelled}), counts, first, diffs)


# --- The stored measurement (read by the model cards, the app and the reports) ----------

#: Written by ``sinoru evaluate --domain`` beside the model files.
MEASUREMENT_NAME = "domain_check.json"
#: Scorer names whose domain row is stored under another name.
_ROW_NAMES = {"vader-window": "VADER window"}


def measurement(report: DomainReport) -> dict:
    """The domain check as stored in ``resources/models/domain_check.json``."""
    def r3(v: float) -> float | None:
        return None if v != v else round(float(v), 4)

    return {"data": report.rows[0].data if report.rows else "", "n": report.n_labelled,
            "n_mentions": report.n_mentions, "n_articles": report.n_articles,
            "label_counts": report.label_counts, "alpha": r3(report.alpha),
            "n_double_coded": report.n_double_coded, "raw_agreement": r3(report.raw_agreement),
            "method": report.rows[0].method if report.rows else "",
            "models": {r.model: {"macro_f1": r3(r.macro_f1), "ci95": [r3(v) for v in r.ci95],
                                 "accuracy": r3(r.accuracy), "n": r.n,
                                 "per_class_f1": {k: r3(v) for k, v in r.per_class.items()},
                                 **({"minus_" + report.reference: [
                                     r3(v) for v in report.differences[r.model]]}
                                    if r.model in report.differences else {})}
                       for r in report.rows}}


def load_measurement() -> dict | None:
    """The stored domain check, or None when it has not been measured."""
    import json

    from analysis.resources import resource

    node = resource("models", MEASUREMENT_NAME)
    if not node.is_file():
        return None
    try:
        return json.loads(node.read_text(encoding="utf-8"))
    except ValueError:
        return None


def domain_accuracy(model_name: str) -> dict | None:
    """A model's stored domain-check figures with the sample's description and the coders'
    agreement: ``macro_f1``, ``ci95``, ``accuracy``, ``per_class_f1``, ``n``, ``data``,
    ``alpha``; None when not measured."""
    stored = load_measurement()
    if not stored:
        return None
    row = (stored.get("models") or {}).get(_ROW_NAMES.get(model_name, model_name))
    if not row:
        return None
    return {**row, "data": stored.get("data", ""), "alpha": stored.get("alpha"),
            "n_articles": stored.get("n_articles")}


def with_domain(accuracy: dict | None, model_name: str) -> dict | None:
    """``accuracy`` with a ``domain`` entry added when the model was domain-checked."""
    domain = domain_accuracy(model_name)
    if domain is None:
        return accuracy
    return {**(accuracy or {}), "domain": domain}
