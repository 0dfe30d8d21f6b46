"""Without a cache, the per-document stage hands each chunk's results back as computed
(``Fresh`` entries) instead of as JSON. Put back together, they must give exactly the
tables the JSON entries give: the same rows, values, column types and index, for every
analyzer, with chunks and blocks that do not line up."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from article_corpus import article_corpus

from analysis.config import AnalysisConfig
from analysis.doc_stage import Fresh, analyze_chunk, assemble, template_for
from analysis.map_stage import stage_spec
from analysis.pipeline import resolve_inputs


@pytest.fixture(scope="module")
def chunks():
    """Each analyzer's JSON and fresh entries of 30 documents, run in chunks of 7, and
    the column types the stage would pass on."""
    corpus = article_corpus(n=30)
    config = AnalysisConfig(skip=("detector",))
    spec = stage_spec(config, resolve_inputs(config), False, True)
    fresh_spec = dataclasses.replace(spec, fresh=True)
    docs = corpus.documents
    as_json = {name: [] for name in spec.run}
    fresh = {name: [] for name in spec.run}
    dtypes: dict = {}
    for start in range(0, len(docs), 7):
        part = docs[start:start + 7]
        todo = [spec.run] * len(part)
        made, again = analyze_chunk(part, todo, spec), analyze_chunk(part, todo, fresh_spec)
        for name in spec.run:
            as_json[name] += made[name][0]
            fresh[name] += again[name][0]
            for table, types in made[name][2].items():
                dtypes.setdefault(name, {}).setdefault(table, types)
    return spec, corpus.ids, as_json, fresh, dtypes


def _assert_equal_results(a, b) -> None:
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
            assert type(x.index) is type(y.index) and x.index.dtype == y.index.dtype
        else:
            assert x == y, field.name


@pytest.mark.parametrize("block", [30, 10, 4])
def test_fresh_entries_assemble_to_what_their_json_gives(chunks, block):
    spec, ids, as_json, fresh, dtypes = chunks
    rows = 0
    for name in spec.run:
        assert all(type(e) is Fresh for e in fresh[name])
        assert all(isinstance(e, bytes) for e in as_json[name])
        template = template_for(name, spec)
        for start in range(0, len(ids), block):
            part = slice(start, start + block)
            want = assemble(template, ids[part], as_json[name][part], dtypes.get(name))
            got = assemble(template, ids[part], fresh[name][part], dtypes.get(name))
            _assert_equal_results(want, got)
            rows += sum(len(getattr(got, f.name)) for f in dataclasses.fields(got)
                        if isinstance(getattr(got, f.name), pd.DataFrame))
    assert rows > 1000  # row tables (sentences, matches, mentions) were compared too


def test_a_fresh_entry_among_json_ones_gives_its_json_values(chunks):
    spec, ids, as_json, fresh, dtypes = chunks
    for name in ("frames", "targets", "sentiment"):
        mixed = [f if i % 3 else j for i, (j, f) in
                 enumerate(zip(as_json[name], fresh[name], strict=True))]
        template = template_for(name, spec)
        _assert_equal_results(assemble(template, ids, as_json[name], dtypes.get(name)),
                              assemble(template, ids, mixed, dtypes.get(name)))


@dataclasses.dataclass(frozen=True)
class _Result:
    documents: pd.DataFrame
    matches: pd.DataFrame
    model: str = "none"


def _empty() -> _Result:
    return _Result(pd.DataFrame({"score": pd.Series(dtype=float)},
                                index=pd.Index([], name="doc_id", dtype=object)),
                   pd.DataFrame({"doc_id": pd.Series(dtype=object),
                                 "term": pd.Series(dtype=object),
                                 "start": pd.Series(dtype="int64")}))


def test_rows_out_of_document_order_and_a_document_without_a_row_as_from_json():
    from analysis.doc_stage import result_dtypes, split_result

    ids = ("d0", "d1", "d2", "d3")
    result = _Result(  # d2 has no row in the documents table; matches interleave
        pd.DataFrame({"score": [0.5, 1.25, 2.0]},
                     index=pd.Index(["d0", "d1", "d3"], name="doc_id", dtype=object)),
        pd.DataFrame({"doc_id": ["d3", "d0", "d3", "d1", "d0"],
                      "term": ["a", "b", "c", "d", "e"], "start": [5, 1, 9, 2, 3]}),
        "linear")
    fresh = [Fresh(result, ids, k) for k in range(len(ids))]
    entries = split_result(result, _empty(), list(ids))
    for part in (slice(0, 4), slice(1, 3), slice(3, 4)):
        _assert_equal_results(
            assemble(_empty(), ids[part], entries[part], result_dtypes(result)),
            assemble(_empty(), ids[part], fresh[part], result_dtypes(result)))
    got = assemble(_empty(), ids, fresh, result_dtypes(result))
    assert got.matches["term"].tolist() == ["b", "e", "d", "a", "c"]
    assert pd.isna(got.documents.loc["d2", "score"]) and got.model == "linear"
