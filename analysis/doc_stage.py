"""The per-document (map) stage of an analysis: the analyzers whose figures for a document
depend on that document alone, run over chunks of documents.

A chunk's result is split into one entry per document and analyzer (JSON bytes, without
the document id, keyed by :func:`analysis.doc_cache.entry_key`), so it can be cached and
reused when only another analyzer's inputs changed. The entries of every document are
then put back together into the result objects the analyzers return for the whole
corpus, identical to a serial run (``tests/analysis/test_doc_stage.py``).
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import __version__
from analysis.base import Analyzer, empty_documents_frame
from analysis.corpus import Corpus, Document
from analysis.doc_cache import entry_key, fingerprint
from analysis.lang import document_language
from analysis.progress import ProgressCallback, iterate, wrap_progress
from analysis.text import segment

__all__ = ["PER_DOCUMENT", "StageSpec", "analyze_chunk", "split_result", "split_values",
           "assemble", "analyzer_keys", "result_dtypes", "schema_key", "SizeCounter",
           "analyze_chunk_and_forget"]

#: The per-document analyzers, in the order they run. "sizes" counts words and sentences
#: (:class:`SizeCounter`), so the corpus-level stage need not segment every text again.
PER_DOCUMENT = ("frames", "detector", "sentiment", "targets", "markers", "readability",
                "sizes")


@dataclass(frozen=True)
class SizeResult:
    """``documents``: index ``doc_id``, columns ``n_words`` and ``n_sentences``."""

    documents: pd.DataFrame


class SizeCounter(Analyzer):
    """Words and sentences of each document (:func:`analysis.text.segment`)."""

    section = "sizes"

    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> SizeResult:
        rows = [(seg.n_words, len(seg.sentences)) for seg in
                (segment(d.text, document_language(d))
                 for d in iterate(corpus.documents, progress, every=50))]
        if not rows:
            return SizeResult(empty_documents_frame(("n_words", "n_sentences")))
        return SizeResult(pd.DataFrame(rows, columns=["n_words", "n_sentences"],
                                       index=pd.Index(corpus.ids, name="doc_id", dtype=object)))


@dataclass(frozen=True)
class StageSpec:
    """What the per-document analyzers need; small and picklable (sent to worker processes).

    ``scorer`` is the target scorer itself, or the config's ``target_model`` name when the
    scorer cannot be pickled (a worker then loads its own). ``run`` lists the analyzers to
    run (an analyzer switched off or without its model is left out). ``fresh`` says how
    a chunk's results come back (it changes no figure).
    """

    codebooks: tuple
    targets: tuple
    scorer: object
    run: tuple[str, ...]
    #: Hand each chunk's results back as computed (:class:`Fresh` entries) instead of as
    #: JSON entries: for a run without a cache, where the entries are only put back
    #: together, which cost about 1 CPU s per 1,000 articles.
    fresh: bool = False


def _analyzer(name: str, spec: StageSpec):
    from analysis.frames import FrameAnalyzer
    from analysis.markers import MarkerAnalyzer
    from analysis.readability import ReadabilityAnalyzer
    from analysis.sentiment import SentimentAnalyzer
    from analysis.targets import TargetSentimentAnalyzer

    if name == "frames":
        return FrameAnalyzer(spec.codebooks)
    if name == "detector":
        from analysis.models.frame_detector import GenericFrameDetector, load_frame_model

        return GenericFrameDetector(load_frame_model())
    if name == "sentiment":
        return SentimentAnalyzer()
    if name == "targets":
        return TargetSentimentAnalyzer(spec.targets, _scorer(spec.scorer))
    if name == "markers":
        return MarkerAnalyzer()
    if name == "sizes":
        return SizeCounter()
    return ReadabilityAnalyzer()


def _scorer(scorer):
    if isinstance(scorer, str):
        return _scorer_by_name(scorer)
    return scorer


@lru_cache(maxsize=4)
def _scorer_by_name(choice: str):
    from analysis.pipeline import _target_scorer

    return _target_scorer(choice)


@lru_cache(maxsize=8)
def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _resource_digest(*parts: str) -> str:
    """A hash of a packaged file (a model), so a retrained model invalidates its entries."""
    from analysis.resources import resource

    node = resource(*parts)
    return fingerprint(node.read_bytes()) if node.is_file() else "absent"


@lru_cache(maxsize=64)
def _digest_cached(*parts: str) -> str:
    return _resource_digest(*parts)


@lru_cache(maxsize=8)
def _folder_signature(*parts: str) -> str:
    """A packaged model folder's files: small ones by content, large ones (the ONNX
    weights, ~100 MB) by name and size, which a retrained model changes too."""
    from analysis.resources import resource

    folder = resource(*parts)
    if not folder.is_dir():
        return "absent"
    signature = []
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if node.is_file():
            data = node.read_bytes() if node.name.endswith((".json", ".txt")) else None
            signature.append((node.name, fingerprint(data) if data is not None
                              else Path(str(node)).stat().st_size))
    return fingerprint(signature)


def _inputs_fingerprint(name: str, spec: StageSpec) -> str:
    """A hash of what the analyzer's figures depend on besides the text."""
    if name == "frames":
        return fingerprint(spec.codebooks)
    if name == "detector":
        from analysis.models.frame_detector import FRAME_MODEL_FILE
        from analysis.models.onnx_target_scorer import TRANSFORMER_DIR

        # The detector reads the transformer encoder's sentence embeddings too.
        return fingerprint(_digest_cached("models", FRAME_MODEL_FILE),
                           _folder_signature("models", TRANSFORMER_DIR))
    if name == "sentiment":
        return fingerprint(_package_version("vaderSentiment"))
    if name == "targets":
        scorer = _scorer(spec.scorer)
        from analysis.models.onnx_target_scorer import TRANSFORMER_DIR
        from analysis.models.target_sentiment import TSC_MODEL_FILE

        kind = type(scorer).__name__
        files = (_folder_signature("models", TRANSFORMER_DIR) if "Onnx" in kind
                 else _digest_cached("models", TSC_MODEL_FILE) if "Linear" in kind else "")
        return fingerprint(spec.targets, kind, getattr(scorer, "name", ""),
                           getattr(scorer, "accuracy", None), files)
    if name == "markers":
        return _lexicon_fingerprint()
    if name == "sizes":
        return fingerprint("segment")
    return fingerprint(_package_version("textstat"))


@lru_cache(maxsize=1)
def _lexicon_fingerprint() -> str:
    """The built-in marker lexicon's hash (packaged: it does not change while running)."""
    from analysis.markers import load_marker_lexicon

    return fingerprint(load_marker_lexicon())


def _version(name: str, spec: StageSpec) -> str:
    """The app's version and the analyzer's own ``version`` (bumped when its output changes)."""
    return f"{__version__}+{getattr(type(_analyzer(name, spec)), 'version', '1')}"


def analyzer_keys(spec: StageSpec) -> dict[str, tuple[str, str]]:
    """``name -> (version, inputs fingerprint)`` for every analyzer the spec runs."""
    return {name: (_version(name, spec), _inputs_fingerprint(name, spec)) for name in spec.run}


def schema_key(name: str, version_fp: tuple[str, str]) -> str:
    """The cache key of an analyzer's column types (see :func:`result_dtypes`)."""
    return entry_key(name, *version_fp, "column-types")


def keys_for(name: str, version_fp: tuple[str, str], text_shas: Sequence[str]) -> list[str]:
    return [entry_key(name, *version_fp, sha) for sha in text_shas]


# --- splitting a result into per-document entries and back -------------------------------

def _json_value(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return None


def split_result(result, template, ids: Sequence[str]) -> list[bytes]:
    """One JSON entry per document of ``ids`` (the documents ``result`` was made from):
    :func:`split_values`, encoded."""
    return [json.dumps(e, separators=(",", ":")).encode()
            for e in split_values(result, template, ids)]


def split_values(result, template, ids: Sequence[str]) -> list[dict]:
    """One entry per document of ``ids`` (the documents ``result`` was made from), as the
    plain values its JSON holds.

    Tables indexed by ``doc_id`` give the document's row; tables with a ``doc_id`` column
    give its rows, column by column (without the id); other fields are kept only where
    they differ from ``template`` (the analyzer's result for no document).
    """
    pos = {doc_id: i for i, doc_id in enumerate(ids)}
    entries: list[dict] = [{} for _ in ids]
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if isinstance(value, pd.DataFrame):
            if value.index.name == "doc_id":
                rows = value.reindex(list(ids))
                columns = [rows[c].tolist() for c in rows.columns]
                for i in range(len(ids)):
                    entries[i][field.name] = [col[i] for col in columns]
            elif "doc_id" in value.columns:
                _split_rows(value, pos, entries, field.name)
        elif value != getattr(template, field.name):
            meta = _json_value(value)
            for entry in entries:
                entry.setdefault("meta", {})[field.name] = meta
    return entries


def _split_rows(table: pd.DataFrame, pos: dict, entries: list[dict], name: str) -> None:
    """Each document's rows of ``table``, column by column, in table order.

    The rows are put in document order once (a stable sort, so a document's rows keep
    their order; analyzers write them in that order already), and each document then
    takes its run of every column as one list slice instead of a lookup per cell.
    """
    if not len(table):
        return
    owner = np.fromiter(map(pos.__getitem__, table["doc_id"].tolist()), dtype=np.int64,
                        count=len(table))
    columns = [c for c in table.columns if c != "doc_id"]
    values = [table[c].tolist() for c in columns]
    if (owner[1:] < owner[:-1]).any():
        order = np.argsort(owner, kind="stable")
        owner = owner[order]
        order = order.tolist()
        values = [[col[r] for r in order] for col in values]
    bounds = (np.flatnonzero(owner[1:] != owner[:-1]) + 1).tolist()
    for a, b in zip([0, *bounds], [*bounds, len(owner)], strict=True):
        entries[int(owner[a])][name] = [col[a:b] for col in values]


def result_dtypes(result) -> dict[str, dict[str, str]]:
    """The column types of each non-empty table of ``result`` (``table -> column -> type``):
    what an empty table cannot tell (text as ``str`` or ``object``, counts as integers)."""
    out = {}
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if isinstance(value, pd.DataFrame) and len(value):
            out[field.name] = {str(c): str(t) for c, t in value.dtypes.items()}
    return out


class Fresh(NamedTuple):
    """A document's entry straight from its chunk's computed result: ``result`` and
    ``ids`` (the chunk's documents, in order) are shared by the chunk's entries; ``k``
    is the document's place among them."""

    result: object
    ids: tuple[str, ...]
    k: int


def assemble(template, ids: Sequence[str], entries: Sequence[bytes | Fresh],
             dtypes: dict[str, dict[str, str]] | None = None):
    """The analyzer's result for the documents ``ids`` from their entries (in that order),
    with the column types ``dtypes`` (:func:`result_dtypes` of a computed result).

    :class:`Fresh` entries give the same result as their JSON would (see
    :func:`_assemble_fresh`)."""
    if entries and all(type(e) is Fresh for e in entries):
        return _assemble_fresh(template, ids, entries, dtypes or {})
    decoded = [_decoded(e, template, ids) for e in entries]
    dtypes = dtypes or {}
    changes: dict = {}
    for field in dataclasses.fields(template):
        value = getattr(template, field.name)
        types = dtypes.get(field.name, {})
        if not isinstance(value, pd.DataFrame):
            metas = [d["meta"][field.name] for d in decoded[:1] if field.name in d.get("meta", {})]
            if metas:
                changes[field.name] = metas[0]
        elif value.index.name == "doc_id":
            if ids:
                columns = list(zip(*(d[field.name] for d in decoded), strict=True))
                frame = pd.DataFrame({c: _column(list(columns[j]), value[c].dtype, types.get(c))
                                      for j, c in enumerate(value.columns)})
                frame.index = pd.Index(list(ids), name="doc_id", dtype=object)
                changes[field.name] = frame
        elif "doc_id" in value.columns:
            parts = [d.get(field.name) for d in decoded]
            if any(parts):
                changes[field.name] = _row_table(value, ids, parts, types)
    return dataclasses.replace(template, **changes)


def _decoded(entry: bytes | Fresh, template, ids: Sequence[str]) -> dict:
    if type(entry) is not Fresh:
        return json.loads(entry)
    # A fresh entry among cached ones (not met in a run: fresh entries are made only
    # without a cache): its JSON values, through JSON so they are exactly those.
    return json.loads(split_result(entry.result, template, entry.ids)[entry.k])


def _assemble_fresh(template, ids: Sequence[str], entries: Sequence[Fresh], dtypes: dict):
    """:func:`assemble` of fresh entries: each run of entries from one chunk's result
    takes that result's rows as they are, so nothing is encoded and parsed again.

    The tables equal those the entries' JSON gives: the same rows in document order, the
    columns given the same types (``dtypes``, else the template's), the same ``doc_id``
    index; a fixed field is the template's unless the chunk's differs, and then its JSON
    value, as there (``tests/analysis/test_fresh_entries.py``).
    """
    runs: list[tuple[Fresh, int, int]] = []  # (first entry, its k, past the last k)
    for e in entries:
        if runs and runs[-1][0].result is e.result and runs[-1][2] == e.k:
            runs[-1] = (runs[-1][0], runs[-1][1], e.k + 1)
        else:
            runs.append((e, e.k, e.k + 1))
    changes: dict = {}
    for field in dataclasses.fields(template):
        value = getattr(template, field.name)
        types = dtypes.get(field.name, {})
        if not isinstance(value, pd.DataFrame):
            first = getattr(runs[0][0].result, field.name)
            if first != value:
                changes[field.name] = _json_value(first)
        elif value.index.name == "doc_id":
            parts = [_doc_rows(getattr(e.result, field.name), e.ids, a, b) for e, a, b in runs]
            frame = pd.concat(parts) if len(parts) > 1 else parts[0]
            if list(frame.columns) != list(value.columns):
                raise ValueError(f"{field.name}: columns differ from the template's")
            frame = pd.DataFrame({c: _typed(frame[c].reset_index(drop=True), value[c].dtype,
                                            types.get(c)) for c in value.columns})
            frame.index = pd.Index(list(ids), name="doc_id", dtype=object)
            changes[field.name] = frame
        elif "doc_id" in value.columns:
            parts = [_own_rows(getattr(e.result, field.name), e.ids, a, b) for e, a, b in runs]
            parts = [p for p in parts if len(p)]
            if parts:
                rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 \
                    else parts[0].reset_index(drop=True)
                changes[field.name] = pd.DataFrame(
                    {c: _typed(rows[c], value[c].dtype, types.get(c))
                     for c in value.columns})
    return dataclasses.replace(template, **changes)


def _typed(column: pd.Series, template_dtype, wanted: str | None) -> pd.Series:
    """A computed column given the type :func:`_column` gives its JSON values."""
    want = wanted or (None if str(template_dtype) == "object" else str(template_dtype))
    if want is None:
        # No type to give: what pandas infers from the values, as from JSON.
        return _column(column.tolist(), template_dtype, None)
    if str(column.dtype) == want:
        return column
    return column.astype(object) if want == "object" else column.astype(want)


def _doc_rows(table: pd.DataFrame, chunk: tuple[str, ...], a: int, b: int) -> pd.DataFrame:
    """Rows ``a:b`` of a chunk's table indexed by ``doc_id`` (the chunk's documents, in
    order: a missing row is NaN, as ``reindex`` makes it for the JSON entries)."""
    if tuple(table.index.tolist()) != chunk:
        table = table.reindex(list(chunk))
    return table.iloc[a:b]


def _own_rows(table: pd.DataFrame, chunk: tuple[str, ...], a: int, b: int) -> pd.DataFrame:
    """The rows of the chunk's documents ``a:b`` in a row table, in document order and,
    within a document, in table order (as :func:`_split_rows` hands them out)."""
    if not len(table):
        return table
    pos = {doc_id: i for i, doc_id in enumerate(chunk)}
    owner = np.fromiter(map(pos.__getitem__, table["doc_id"].tolist()), dtype=np.int64,
                        count=len(table))
    if (owner[1:] < owner[:-1]).any():
        order = np.argsort(owner, kind="stable")
        table, owner = table.iloc[order], owner[order]
    lo, hi = np.searchsorted(owner, [a, b])
    return table.iloc[int(lo):int(hi)]


def _column(values: list, template_dtype, wanted: str | None) -> pd.Series:
    """A column from JSON values: inferred as pandas infers it from rows, then given the
    type the computed result had (or the template's, when that is not the generic one)."""
    if values and isinstance(values[0], str):
        # JSON gives every cell its own string: share equal ones (target names, labels,
        # frame names, terms), which for millions of rows saves most of their memory.
        memo: dict[str, str] = {}
        values = [memo.setdefault(v, v) if isinstance(v, str) else v for v in values]
    column = pd.Series(values)
    want = wanted or (None if str(template_dtype) == "object" else str(template_dtype))
    if want is None or str(column.dtype) == want:
        return column
    if want == "object":
        return column.astype(object)
    return column.astype(want)


def _row_table(template: pd.DataFrame, ids: Sequence[str], parts: list,
               types: dict[str, str]) -> pd.DataFrame:
    counts = [len(p[0]) if p else 0 for p in parts]
    owners = list(chain.from_iterable([d] * n for d, n in zip(ids, counts, strict=True)))
    data = {"doc_id": _column(owners, template["doc_id"].dtype, types.get("doc_id"))}
    columns = [c for c in template.columns if c != "doc_id"]
    for j, c in enumerate(columns):
        values = list(chain.from_iterable(p[j] for p in parts if p))
        data[c] = _column(values, template[c].dtype, types.get(c))
    return pd.DataFrame(data)[list(template.columns)]


# --- running a chunk (in this process or in a worker) ---------------------------------------

_templates: dict[tuple[str, str, str], object] = {}


def template_for(name: str, spec: StageSpec):
    """The analyzer's result for no document (the columns, types and fixed fields), kept
    per analyzer version and inputs: a codebook edit leaves the other templates as they are."""
    key = (name, _version(name, spec), _inputs_fingerprint(name, spec))
    template = _templates.get(key)
    if template is None:
        if len(_templates) > 64:
            _templates.clear()
        template = _templates[key] = _analyzer(name, spec).fit_transform(Corpus())
    return template


def analyze_chunk(documents: Sequence[Document], todo: Sequence[Sequence[str]], spec: StageSpec,
                  progress: ProgressCallback | None = None) -> dict[str, tuple[list, tuple, dict]]:
    """Run each analyzer on the documents whose ``todo`` names it.

    Returns ``name -> (entries, warnings, dtypes)``: one entry per document that needed
    the analyzer, in document order (JSON bytes, or a :class:`Fresh` one when
    ``spec.fresh``); the result's warnings (frames: regex terms that ran out of time,
    which are left out of the whole analysis: see the pipeline); its :func:`result_dtypes`.
    """
    out: dict[str, tuple[list, tuple]] = {}
    names = [n for n in spec.run if any(n in t for t in todo)]
    for k, name in enumerate(names):
        docs = [d for d, t in zip(documents, todo, strict=True) if name in t]
        result = _analyzer(name, spec).fit_transform(
            Corpus(docs), wrap_progress(progress, k / len(names), (k + 1) / len(names)))
        ids = [d.doc_id for d in docs]
        if spec.fresh:
            chunk = tuple(ids)
            made = [Fresh(result, chunk, k) for k in range(len(chunk))]
        else:
            values = split_values(result, template_for(name, spec), ids)
            if name == "frames":  # matching again after an edit then splits no text again
                from analysis.frame_reuse import add_sentence_bounds

                add_sentence_bounds(values, docs)
            made = [json.dumps(e, separators=(",", ":")).encode() for e in values]
        out[name] = (made, tuple(getattr(result, "warnings", ()) or ()), result_dtypes(result))
    return out


def analyze_chunk_and_forget(documents: Sequence[Document], todo: Sequence[Sequence[str]],
                             spec: StageSpec) -> dict[str, tuple[list, tuple, dict]]:
    """:func:`analyze_chunk` in a worker, which then forgets the chunk's segmented texts:
    kept, they would fill the segmentation cache (about 30 KB per article) in every worker."""
    try:
        return analyze_chunk(documents, todo, spec)
    finally:
        segment.cache_clear()
