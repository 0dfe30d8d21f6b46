"""Run every analyzer over a corpus and compare its groups: the one entry point the CLI,
the desktop app and the reports share."""
from __future__ import annotations

import datetime as _dt
import hashlib
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from analysis import __version__
from analysis.base import SENTIMENT_LABELS
from analysis.compare import NO_GROUP, SMALL_GROUP
from analysis.config import AnalysisConfig
from analysis.corpus import Corpus
from analysis.doc_cache import DocumentCache
from analysis.progress import ProgressCallback, no_progress, wrap_progress
from analysis.results import SCHEMA, SCHEMA_VERSION, Results

__all__ = ["run_analysis", "stage_at", "STAGE_LABELS", "AnalysisInputs", "resolve_inputs",
           "SMALL_GROUP", "NO_GROUP", "SPILL_MIN_DOCUMENTS", "compact_mentions"]

#: From this many documents on, the row-level tables (sentences, frame and marker
#: matches, target mentions) go to a file on disk as they are made, and the results read
#: them from there (:class:`analysis.results.Tables`): held in memory they grow by about
#: 30 KB per article (docs/scale.md).
SPILL_MIN_DOCUMENTS = 2000
#: Results.tables name -> (per-document analyzer, field of its result).
_ROW_TABLES = {"sentences": ("sentiment", "sentences"),
               "frame_matches": ("frames", "matches"),
               "marker_matches": ("markers", "matches"),
               "target_mentions": ("targets", "mentions")}


# Share of the progress bar each step takes (roughly its cost). The per-document stage
# runs every per-document analyzer (frames, the generic-frame detector, tone, target
# tone, markers, readability) chunk by chunk, so it is one step.
_STEPS = (("documents", 0.74), ("topics", 0.07), ("keyness", 0.10), ("compare", 0.09))
#: What each step does, in words for a progress bar.
STAGE_LABELS = {"documents": "measuring each document (frames, tone, markers, readability)",
                "topics": "fitting topics", "keyness": "counting distinctive terms",
                "compare": "comparing the groups"}


def stage_at(fraction: float) -> str:
    """The words for the step :func:`run_analysis` is in at ``fraction`` (0..1) done."""
    acc = 0.0
    for name, share in _STEPS:
        acc += share
        if fraction < acc:
            return STAGE_LABELS[name]
    return STAGE_LABELS[_STEPS[-1][0]]


@dataclass(frozen=True)
class AnalysisInputs:
    """Codebooks, targets and target scorer resolved from a config (and user edits)."""

    codebooks: tuple
    targets: tuple
    scorer: object | None


@lru_cache(maxsize=16)
def _builtin_codebook(name: str):
    """A packaged codebook, parsed once per process (re-runs in the app skip the YAML)."""
    from analysis.codebook import load_codebook

    return load_codebook(name)


@lru_cache(maxsize=16)
def _edited_codebook(name: str, text: str):
    """The codebook the user edited in the app. When it differs from the built-in one of
    the same id its version says so, so a report never passes the edited terms off as the
    published built-in codebook."""
    from analysis.codebook import builtin_codebook_names, parse_codebook

    codebook = parse_codebook(text, source=f"codebook '{name}'")
    if name in builtin_codebook_names() and codebook != _builtin_codebook(name):
        codebook = replace(codebook, version=f"{codebook.version}, edited in the app")
    return codebook


def resolve_inputs(config: AnalysisConfig, codebook_texts: Mapping[str, str] | None = None,
                   targets_yaml: str | None = None) -> AnalysisInputs:
    """Load the codebooks, targets and target-sentiment model a config names.

    ``codebook_texts`` maps codebook ids to YAML edited in the app; they replace the
    built-in or file codebook with the same id. Raises ``CodebookError`` / ``ValueError``
    with a message naming the codebook or targets file at fault.
    """
    from analysis.codebook import builtin_codebook_names, load_codebook
    from analysis.targets import load_targets, parse_targets

    edited = dict(codebook_texts or {})
    codebooks = []
    for name in config.codebooks:
        if name in edited:
            codebooks.append(_edited_codebook(name, edited.pop(name)))
        elif name in builtin_codebook_names():
            codebooks.append(_builtin_codebook(name))
        else:
            codebooks.append(load_codebook(name))
    for name, text in edited.items():  # user codebooks not among the configured ones
        codebooks.append(_edited_codebook(name, text))
    if targets_yaml is not None:
        targets = parse_targets(targets_yaml, source="targets")
    else:
        targets = load_targets(config.targets)
    return AnalysisInputs(tuple(codebooks), tuple(targets), _target_scorer(config.target_model))


def _target_scorer(choice: str):
    """The scorer for a ``target_model`` setting; errors name what is missing."""
    from analysis.config import TARGET_MODELS
    from analysis.targets import VaderWindowScorer

    if choice not in TARGET_MODELS:
        current = [name for name in TARGET_MODELS if name != "trained"]  # not the old alias
        raise ValueError(f"unknown target model '{choice}': choose one of {', '.join(current)}")
    if choice == "vader":
        return VaderWindowScorer()
    if choice == "transformer":
        from analysis.models.onnx_target_scorer import load_transformer_model

        try:
            return load_transformer_model()
        except (ImportError, FileNotFoundError) as exc:
            raise ValueError(f"the transformer target-sentiment model cannot be used: {exc}; "
                             "choose 'linear' or 'vader'") from exc
    try:
        from analysis.models.target_sentiment import load_target_model
    except ImportError:
        model = None
    else:
        model = load_target_model()
    if model is None and choice != "auto":
        raise ValueError("the linear target-sentiment model is not installed "
                         "(resources/models); choose 'vader' or 'auto'")
    return model or VaderWindowScorer()


def _group_labels(corpus: Corpus, config: AnalysisConfig) -> pd.Series:
    labels = pd.Series({d.doc_id: (d.get(config.group_by) or NO_GROUP).strip() or NO_GROUP
                        for d in corpus}, dtype=object)
    return labels


def run_analysis(corpus: Corpus, config: AnalysisConfig | None = None,
                 progress: ProgressCallback | None = None, *,
                 codebook_texts: Mapping[str, str] | None = None,
                 targets_yaml: str | None = None,
                 inputs: AnalysisInputs | None = None,
                 corpus_name: str = "",
                 cache: DocumentCache | None = None,
                 executor: Executor | None = None,
                 jobs: int | None = None,
                 spill: bool | None = None,
                 row_tables: Callable[[dict], None] | None = None) -> Results:
    """Analyse ``corpus`` and compare its groups.

    Parameters
    ----------
    corpus : the documents; never modified.
    config : settings (grouping column, codebooks, targets, seeds …).
    progress : callback 0..1; raise ``analysis.Cancelled`` from it to stop.
    codebook_texts, targets_yaml : user-edited codebooks / targets (see resolve_inputs).
    inputs : already-resolved codebooks/targets/scorer (skips loading them again).
    corpus_name : shown in reports.
    cache : per-document results to reuse (keyed by text hash, analyzer, version and
        inputs); what is computed is added to it.
    executor : runs the per-document stage in chunks (e.g. a ProcessPoolExecutor, or a
        Dask client's executor). None: worker processes on ``jobs`` cores for a large
        corpus, this process for a small one.
    jobs : worker processes when no executor is given (None: every core; 1: none, and
        topics, term counts and view tables are made in this process too).
    spill : keep the row-level tables on disk (None: from
        :data:`SPILL_MIN_DOCUMENTS` documents on).
    row_tables : called with the row-level tables on disk (``name -> SpilledTable``, the
        tables of the results by those names) as soon as they are final, before the
        groups are compared: ``sinoru analyze`` starts writing their CSV files then.

    Returns
    -------
    Results
        ``data`` follows docs/results-schema.md; ``tables`` hold the detail tables. The
        same whatever the executor, jobs, cache and spill.
    """
    from analysis.compare import build_results
    from analysis.corpus_stage import CorpusStage
    from analysis.map_stage import run_document_stage, stage_spec

    config = config or AnalysisConfig()
    progress = progress or no_progress
    inputs = inputs or resolve_inputs(config, codebook_texts, targets_yaml)
    labels = _group_labels(corpus, config)
    if config.groups:
        keep = labels.isin(config.groups)
        corpus = corpus.subset(labels.index[keep])
        labels = labels[keep]

    bounds, acc = {}, 0.0
    for name, share in _STEPS:
        bounds[name] = (acc, acc + share)
        acc += share

    def step(name: str) -> ProgressCallback:
        return wrap_progress(progress, *bounds[name])

    portable = executor is not None or jobs != 1
    spec = stage_spec(config, inputs, _detector_available(), portable)
    if spill is None:
        spill = len(corpus) >= SPILL_MIN_DOCUMENTS
    to_disk = _spill(labels, config, [t.id for t in inputs.targets]) if spill else None
    texts = _texts_key(corpus)
    corpus_stage = CorpusStage(corpus, config, texts)
    try:
        # Topics and term counts read only the texts: they are fitted while the documents
        # are measured, in a side process on a large corpus, or as a task of the executor
        # (a cluster's) when there is one.
        corpus_stage.start(side_process=executor is None and jobs != 1, executor=executor)
        outputs = run_document_stage(corpus, spec, cache=cache, executor=executor,
                                     jobs=jobs, progress=step("documents"), spill=to_disk,
                                     shas=[sha for _, sha in texts])
        if to_disk is not None and row_tables is not None:
            row_tables(_spilled_tables(to_disk))
        outputs.update(corpus_stage.results(step))
        views = _view_tables(corpus, labels, config, outputs, texts, corpus_stage)
        data, tables = build_results(corpus, labels, config, inputs, outputs,
                                     step("compare"))
        if to_disk is not None:
            tables.update(_spilled_tables(to_disk))
        if config.skip:
            from analysis.config import OPTIONAL_ANALYZERS

            data["warnings"].append("Switched off in the analysis settings (their figures "
                                    "are empty): " + ", ".join(OPTIONAL_ANALYZERS[n]
                                                               for n in config.skip) + ".")
        tables.update(views())
    finally:
        corpus_stage.close()
    data.update(schema=SCHEMA, schema_version=SCHEMA_VERSION, app_version=__version__,
                created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                corpus_name=corpus_name, group_by=config.group_by, config=config.to_dict())
    progress(1.0)
    return Results(data, tables)


def _spilled_tables(spill) -> dict:
    """The results' row tables that are on disk, by table name."""
    from analysis.assembly import spilled_name

    return {table: spill.store.table(spilled_name(analyzer, field))
            for table, (analyzer, field) in _ROW_TABLES.items()
            if spilled_name(analyzer, field) in spill.store}


def _spill(labels: pd.Series, config: AnalysisConfig, targets: Sequence[str] = ()):
    """Where the row tables go, and the rows of them the corpus stage needs in memory:
    each sentence's tone (the groups' tone distributions), the frame matches the evidence
    can pick, and every target mention (the target figures and views). The generic-frame
    detector's evidence (its terms and sentences per document) is read by no later step:
    none of it is kept (held, it was the largest table in memory after the documents
    were measured, about 2.4 KB per article)."""
    from analysis.assembly import Spill
    from analysis.compare import frame_evidence_candidates
    from analysis.table_store import TableStore

    # Each row's document, target and label as a code into one list for the whole run
    # (the same lists in every block, so the blocks join without going back to objects).
    codes = {"doc_id": pd.CategoricalDtype(labels.index.tolist()),
             "target": pd.CategoricalDtype(list(dict.fromkeys(targets))),
             "label": pd.CategoricalDtype(list(SENTIMENT_LABELS))}

    def tones(sentences: pd.DataFrame) -> pd.DataFrame:
        return sentences[["doc_id", "compound"]].assign(
            doc_id=coded(sentences["doc_id"], codes["doc_id"]))

    def mentions(rows: pd.DataFrame) -> pd.DataFrame:
        return compact_mentions(rows, codes)

    def evidence(matches: pd.DataFrame) -> pd.DataFrame:
        return frame_evidence_candidates(matches, labels, config.evidence_per_item)

    # The evidence candidates read the groups and the passages per item.
    kept_for = hashlib.blake2b(repr((config.evidence_per_item, list(labels.items())))
                               .encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
    return Spill(TableStore(), {("sentiment", "sentences"): tones,
                                ("frames", "matches"): evidence,
                                ("markers", "matches"): None,
                                ("detector", "evidence"): None,
                                ("targets", "mentions"): mentions},
                 {"frames": kept_for})


#: What the corpus stage reads of the target mentions: the group figures count their
#: labels, the word shift and collocation views read their places in the text.
MENTION_KEPT = ("doc_id", "target", "sentence", "start", "end", "label")


def compact_mentions(mentions: pd.DataFrame,
                     codes: Mapping[str, pd.CategoricalDtype] | None = None) -> pd.DataFrame:
    """The target mentions as the corpus stage keeps them while the whole table is on
    disk: only :data:`MENTION_KEPT`, with positions as int32 (36 bytes a mention instead
    of 88; a 600-word article has about 60 mentions), and the columns named in ``codes``
    as codes into the categories given there (:func:`coded`: 18 bytes a mention)."""
    kept = mentions[list(MENTION_KEPT)].copy()
    for column in ("sentence", "start", "end"):
        kept[column] = kept[column].astype(np.int32)
    for column, dtype in (codes or {}).items():
        kept[column] = coded(kept[column], dtype)
    return kept


def coded(column: pd.Series, dtype: pd.CategoricalDtype) -> pd.Series:
    """``column`` as a categorical of ``dtype`` (a code of 1-4 bytes a row instead of an
    8-byte reference; one ``dtype`` for every block, so they share its categories), or as
    it is when it holds anything else (a value outside them would become missing)."""
    kept = pd.Categorical(column, dtype=dtype)
    if ((kept.codes < 0) & column.notna().to_numpy()).any():
        return column
    return pd.Series(kept, index=column.index, name=column.name)


#: The texts keys of the corpora met (a corpus is immutable): the app's worker re-runs
#: an edit on the very corpus object it analysed before.
_TEXTS_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _texts_key(corpus: Corpus) -> tuple:
    """The corpus as the reduce memory sees it: each document's id and content hash
    (hashing 10,000 texts takes a tenth of a second: once per corpus object)."""
    from analysis.doc_cache import document_hash

    found = _TEXTS_KEYS.get(corpus)
    if found is None:
        found = _TEXTS_KEYS[corpus] = tuple((d.doc_id, document_hash(d)) for d in corpus)
    return found


#: The row hashes of the last tables hashed, by identity (held weakly): a re-run takes the
#: target mentions from the last run's result, the very same table.
_TABLE_HASHES: dict[int, tuple[weakref.ref, object]] = {}


def _table_hash(table: pd.DataFrame):
    """Each row's hash (0 for no rows), for a reduce-memo key: about 0.1 s for the
    500,000 target mentions of 10,000 articles, so once per table object."""
    held = _TABLE_HASHES.get(id(table))
    if held is not None and held[0]() is table:
        return held[1]
    value = pd.util.hash_pandas_object(table).to_numpy() if len(table) else 0
    _TABLE_HASHES.clear()   # only the last table's: nothing piles up
    _TABLE_HASHES[id(table)] = (weakref.ref(table), value)
    return value


def _view_tables(corpus, labels, config, outputs, texts, corpus_stage):
    """A function giving the term map, word shift and collocation tables (copies).

    They read the texts, groups, target mentions and term counts, not the group figures:
    when the term counts were made in the side process, the tables are made there too
    while this process compares the groups. From memory when their inputs are a recent
    run's: none depends on the frames, so a codebook edit does not redo them."""
    from analysis.compare import comparison_pairs
    from analysis.corpus_stage import make_view_tables
    from analysis.reduce_memo import is_remembered, remembered
    from analysis.view_tables import group_members

    members = group_members(labels)
    pairs = [(a, b) for a, b, _ in comparison_pairs(list(members))]
    mentions = outputs["targets"].mentions
    parts = (texts, sorted(members.items()), pairs, _table_hash(mentions),
             list(mentions.columns), repr(config.keyness))
    here = partial(make_view_tables, corpus, labels, config, outputs["terms"], mentions,
                   pairs)
    made = here if is_remembered("view-tables", parts) else \
        corpus_stage.view_tables(labels, config, mentions, pairs, here)

    def tables() -> dict:
        found = remembered("view-tables", parts, made)
        return {name: table.copy() for name, table in found.items()}

    return tables


def _detector_available() -> bool:
    """Whether the supervised generic-frame detector's model is shipped."""
    try:
        from analysis.models.frame_detector import load_frame_model
    except ImportError:
        return False
    return load_frame_model() is not None
