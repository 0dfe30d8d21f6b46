"""A re-run after a codebook edit matches only the edited frames again, in the documents
where they can match, and writes exactly what a fresh run with the edited codebook writes."""
from __future__ import annotations

import re

import pytest
from article_corpus import article_corpus, assert_same

from analysis import reduce_memo
from analysis.config import AnalysisConfig
from analysis.doc_cache import DocumentCache
from analysis.pipeline import run_analysis
from analysis.resources import resource

CONFIG = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))
_CREATED = re.compile(r'"created": "[^"]*"')


def builtin(name: str) -> str:
    return resource("codebooks", f"{name}.yaml").read_text(encoding="utf-8")


def edit(name: str, old: str, new: str) -> dict[str, str]:
    text = builtin(name)
    assert text.count(old) == 1, old
    return {name: text.replace(old, new)}


NEW_FRAME = """- id: diplomacy
  label: Diplomacy
  terms:
  - summit*
  - talks
  - welcom*
"""

#: One user edit each: codebook texts as the app sends them.
EDITS = {
    "add a term": edit("generic", "  - conflict*\n", "  - conflict*\n  - summit\n"),
    "remove a term": edit("generic", "  - criticis*\n", ""),
    "change a term": edit("generic", "  - war\n", "  - joint military exercise*\n"),
    "add a frame": edit("generic", "- id: human_interest\n", NEW_FRAME + "- id: human_interest\n"),
    "rename a frame": edit("generic", "- id: conflict\n", "- id: confrontation\n"),
    "negation and wildcard term": edit("china_russia", "    - no limits\n", "    - no limit*\n"),
    "negated opening term": edit("china_russia", "    - not directed against any third part*\n",
                                 "    - not directed at any third part*\n"),
    "negation window": edit("generic", "negation_window: 3\n", "negation_window: 1\n"),
    "exclusion": edit("generic", "  - fault line\n", "  - fault line\n  - cooperation\n"),
    # Matched again only in the sentences holding "the": there "the war" now takes the
    # place of "war" (a frame's matches never overlap), elsewhere "war" stays.
    "a term over another": edit("generic", "  - wars\n", "  - wars\n  - the war\n"),
    # Full stops can run a match into the next sentence: matched again in whole texts.
    "a term with a full stop": edit("generic", "  - wars\n", "  - wars\n  - war. the\n"),
}


@pytest.fixture
def framed(monkeypatch):
    """How many documents the frame matcher ran on, per run."""
    import analysis.frames as frames

    counts: list[int] = []
    real = frames.FrameAnalyzer.transform

    def spy(self, corpus, progress=None, **given):
        if len(corpus):
            counts.append(len(corpus))
        return real(self, corpus, progress, **given)

    monkeypatch.setattr(frames.FrameAnalyzer, "transform", spy)
    return counts


def assert_same_files(a, b, tmp_path) -> None:
    """Every file the two results write is byte for byte the same (the time stamp aside)."""
    left, right = tmp_path / "incremental", tmp_path / "fresh"
    a.write(left)
    b.write(right)
    names = sorted(p.name for p in left.iterdir())
    assert names == sorted(p.name for p in right.iterdir())
    assert {"results.json", "frame_matches.csv", "documents.csv"} <= set(names)
    for name in names:
        x, y = (left / name).read_bytes(), (right / name).read_bytes()
        if name == "results.json":
            x, y = (_CREATED.sub("", t.decode("utf-8")) for t in (x, y))
        assert x == y, name


@pytest.fixture(scope="module")
def corpus():
    return article_corpus(n=16)


@pytest.fixture(scope="module")
def base_cache(corpus):
    cache = DocumentCache()
    run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    return cache


@pytest.mark.parametrize("change", list(EDITS))
def test_edit_rerun_equals_a_fresh_run(change, corpus, base_cache, framed, tmp_path):
    cache = DocumentCache.from_items(base_cache.items())
    texts = EDITS[change]
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    matched = sum(framed)
    fresh = run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1)
    assert_same(after, fresh)
    assert_same_files(after, fresh, tmp_path)
    # Only the edited frames were matched again, never more documents than the corpus has.
    assert matched <= len(corpus)


def test_one_added_term_is_matched_only_where_it_occurs(corpus, base_cache, framed):
    cache = DocumentCache.from_items(base_cache.items())
    run_analysis(corpus, CONFIG, codebook_texts=EDITS["add a term"], cache=cache, jobs=1)
    with_summit = [d.doc_id for d in corpus if "summit" in d.text.lower()]
    assert 0 < len(with_summit) < len(corpus)
    assert framed == [len(with_summit)]


def test_an_edit_that_changes_nothing_matches_nothing(corpus, base_cache, framed):
    cache = DocumentCache.from_items(base_cache.items())
    # A term no article has: the conflict frame is the same in every document.
    texts = edit("generic", "  - conflict*\n", "  - conflict*\n  - zeppelin\n")
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    assert framed == []
    assert_same(after, run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1))


def test_edits_in_a_row_and_back(corpus, base_cache, framed, tmp_path):
    """Each edit starts from the last run's entries; undoing the edits finds them all."""
    cache = DocumentCache.from_items(base_cache.items())
    first = edit("generic", "  - conflict*\n", "  - conflict*\n  - summit\n")
    both = {"generic": first["generic"].replace("- id: human_interest\n",
                                                NEW_FRAME + "- id: human_interest\n")}
    run_analysis(corpus, CONFIG, codebook_texts=first, cache=cache, jobs=1)
    after = run_analysis(corpus, CONFIG, codebook_texts=both, cache=cache, jobs=1)
    assert_same_files(after, run_analysis(corpus, CONFIG, codebook_texts=both, jobs=1),
                      tmp_path / "both")
    framed.clear()
    back = run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    assert framed == []
    assert_same_files(back, run_analysis(corpus, CONFIG, jobs=1), tmp_path / "back")


def test_damaged_base_entry_is_analysed_in_full(corpus, base_cache, framed):
    cache = DocumentCache.from_items(base_cache.items())
    damaged = next(k for k, _ in cache.items() if k.startswith("frames|")
                   and not k.endswith(("frame-plan", "column-types", "|")))
    cache.put(damaged, b'{"documents": [1.0]}')
    texts = EDITS["add a term"]
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    assert_same(after, run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1))


@pytest.mark.parametrize("change", ["add a term", "add a frame", "negation and wildcard term"])
def test_seed_rerun_equals_a_fresh_run(change, seeds_dir, tmp_path):
    from analysis import reduce_memo
    from analysis.ingest import import_paths

    seeds = import_paths([seeds_dir], manifest=seeds_dir / "manifest.csv").corpus
    cache = DocumentCache()
    config = AnalysisConfig(n_boot=100, n_perm=100)
    run_analysis(seeds, config, cache=cache, jobs=1)
    after = run_analysis(seeds, config, codebook_texts=EDITS[change], cache=cache, jobs=1)
    reduce_memo.clear()  # the fresh run remembers nothing either
    fresh = run_analysis(seeds, config, codebook_texts=EDITS[change], jobs=1)
    assert_same(after, fresh)
    assert_same_files(after, fresh, tmp_path)


def test_a_second_edit_starts_from_the_closest_codebook(corpus, base_cache, framed):
    """Adding "summit", then instead a term no article has: the built-in codebook is the
    closer start (nothing to match again), not the "summit" version."""
    cache = DocumentCache.from_items(base_cache.items())
    run_analysis(corpus, CONFIG, codebook_texts=EDITS["add a term"], cache=cache, jobs=1)
    framed.clear()
    texts = edit("generic", "  - conflict*\n", "  - conflict*\n  - zeppelin\n")
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    assert framed == []
    assert_same(after, run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1))


def test_rows_on_disk_are_shared_by_a_rerun(corpus, framed, tmp_path):
    """With the row tables on disk (large corpora), a re-run after an edit takes the other
    analyzers' results and tables from the last run, and writes what a fresh run writes."""
    cache = DocumentCache()
    run_analysis(corpus, CONFIG, cache=cache, jobs=1, spill=True)
    texts = EDITS["add a term"]
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1, spill=True)
    again = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1, spill=True)
    assert after.tables.on_disk("sentences") and again.tables.on_disk("target_mentions")
    fresh = run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1, spill=True)
    assert_same_files(after, fresh, tmp_path / "after")
    assert_same_files(again, fresh, tmp_path / "again")


@pytest.fixture
def assembled(monkeypatch):
    """The analyzers whose results were put together from their entries, per run."""
    import analysis.assembly as assembly

    names: list[str] = []
    real = assembly.BlockAssembler.add

    def spy(self, start, entries, dtypes):
        names.append(self.name)
        return real(self, start, entries, dtypes)

    monkeypatch.setattr(assembly.BlockAssembler, "add", spy)
    return names


def test_a_rerun_with_nothing_changed_puts_nothing_together(corpus, assembled, tmp_path):
    """With the row tables on disk, a re-run with nothing changed takes every analyzer's
    assembled result from the last run, the frames with theirs, and writes what a fresh
    run writes; grouped otherwise, the frames' rows kept for the evidence are chosen
    again (they depend on the groups)."""
    from analysis import reduce_memo

    reduce_memo.clear()
    cache = DocumentCache()
    run_analysis(corpus, CONFIG, cache=cache, jobs=1, spill=True)
    assert "frames" in assembled
    assembled.clear()
    again = run_analysis(corpus, CONFIG, cache=cache, jobs=1, spill=True)
    assert assembled == []
    by_outlet = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",),
                               group_by="outlet", evidence_per_item=2)
    regrouped = run_analysis(corpus, by_outlet, cache=cache, jobs=1, spill=True)
    assert set(assembled) == {"frames"}
    reduce_memo.clear()
    assert_same_files(again, run_analysis(corpus, CONFIG, jobs=1, spill=True),
                      tmp_path / "again")
    reduce_memo.clear()
    assert_same_files(regrouped, run_analysis(corpus, by_outlet, jobs=1, spill=True),
                      tmp_path / "regrouped")


def _frames_entries(cache):
    return {k: v for k, v in cache.items() if k.startswith("frames|")
            and not k.endswith(("frame-plan", "column-types", "recent-plans", "|"))}


def test_sentences_rebuilt_from_kept_bounds_are_the_texts_own(seeds_dir):
    """The bounds kept with a frames entry give back the very sentences (offsets, text,
    paragraph) that splitting the text gives, in every language and layout."""
    from analysis.corpus import Corpus, Document
    from analysis.frame_reuse import add_sentence_bounds, segmented_from_bounds
    from analysis.ingest import import_paths
    from analysis.lang import document_language
    from analysis.text import segment

    seeds = import_paths([seeds_dir], manifest=seeds_dir / "manifest.csv").corpus
    odd = ["  Blank lines.\n\n   \nA line of dashes follows.\n-----\nMr. Li met the U.S. "
           "President. The talks ended!  Then\tmore \u2026\n", "", "   \n\n",
           "Президент В.В. Путин прибыл. Переговоры начались.\n\nЕщё абзац.",
           "中俄关系不断发展。双方表示：合作共赢！\n第二段……结束"]
    docs = [*seeds, *Corpus([Document(f"odd{n}", text) for n, text in enumerate(odd)]),
            *article_corpus(n=16)]
    entries = [{} for _ in docs]
    add_sentence_bounds(entries, docs)
    for doc, entry in zip(docs, entries, strict=True):
        expected = segment(doc.text, document_language(doc))
        rebuilt = segmented_from_bounds(doc, entry["sentences"])
        assert rebuilt == expected, doc.doc_id
        assert rebuilt.sentences == expected.sentences
    assert any(len(segment(d.text, document_language(d)).sentences) > 3 for d in seeds)
    # Bounds that do not fit the text are refused, never read as sentences.
    assert segmented_from_bounds(docs[0], [0, len(docs[0].text) + 1]) is None
    assert segmented_from_bounds(docs[0], [0]) is None
    assert segmented_from_bounds(docs[0], "0,5") is None
    assert segmented_from_bounds(docs[0], [0, -1]) is None
    assert segmented_from_bounds(docs[0], [True, 5]) is None
    assert segmented_from_bounds(docs[0], [0.0, 5]) is None


def test_an_edit_rerun_splits_no_text_again(corpus, base_cache, framed, monkeypatch, tmp_path):
    import analysis.frames as frames
    from analysis.text import segment

    split: list[str] = []

    def counted(text, lang=None):
        split.append(text)
        return segment(text, lang)

    monkeypatch.setattr(frames, "segment", counted)
    cache = DocumentCache.from_items(base_cache.items())
    texts = EDITS["add a term"]
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    assert framed and split == []
    assert_same_files(after, run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1),
                      tmp_path)


def test_entries_without_kept_sentences_are_rematched_alike(corpus, base_cache, framed,
                                                            tmp_path):
    """Entries cached by an earlier version (no sentence bounds): the texts are split
    again, the results are the same, and the new entries keep the bounds."""
    import json

    cache = DocumentCache.from_items(base_cache.items())
    old = _frames_entries(cache)
    assert old and all("sentences" in json.loads(v) for v in old.values())
    for key, value in old.items():
        entry = json.loads(value)
        del entry["sentences"]
        cache.put(key, json.dumps(entry, separators=(",", ":")).encode())
    texts = EDITS["add a term"]
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    assert framed
    assert_same_files(after, run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1),
                      tmp_path)
    made = [json.loads(v) for k, v in _frames_entries(cache).items() if k not in old]
    assert sum("sentences" in e for e in made) == framed[0]


def test_a_term_only_edit_is_matched_again_only_in_its_sentences(corpus, base_cache,
                                                                  monkeypatch, tmp_path):
    """Adding a term matches the frame again only in the sentences holding its first
    word (and what precedes them since the last sentence), not in the whole texts."""
    import analysis.frames as frames

    given: list = []
    real = frames.FrameAnalyzer.transform

    def spy(self, corpus, progress=None, segmented=None, regions=None):
        if len(corpus):
            given.append((corpus, regions))
        return real(self, corpus, progress, segmented, regions)

    monkeypatch.setattr(frames.FrameAnalyzer, "transform", spy)
    cache = DocumentCache.from_items(base_cache.items())
    texts = EDITS["add a term"]
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    [(matched, regions)] = given
    assert regions is not None and None not in regions
    for doc, where in zip(matched, regions, strict=True):
        assert where and sum(b - a for a, b in where) < len(doc.text) / 2
        assert all("summit" in doc.text[a:b].lower() for a, b in where)
    assert_same_files(after, run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1),
                      tmp_path)
    given.clear()
    run_analysis(corpus, CONFIG, codebook_texts=EDITS["a term with a full stop"],
                 cache=DocumentCache.from_items(base_cache.items()), jobs=1)
    assert given and all(r is None for r in given[0][1])


@pytest.mark.parametrize("change", ["add a term", "remove a term", "a term over another",
                                    "negation and wildcard term"])
def test_spliced_entries_are_those_a_fresh_run_caches(change, corpus, base_cache, framed,
                                                      monkeypatch):
    """The entries an edit re-run makes from the last run's are, byte for byte, those a
    fresh run of the edited codebook caches, and the cache holds them as plain bytes
    (the values they were made from go to the frames result only). Every entry matched
    again in its sentences is rewritten as JSON text, not decoded."""
    from analysis.frame_entry import EntryText

    rewritten: list[bytes] = []
    real = EntryText.rewritten

    def spy(self, shares, columns):
        rewritten.append(real(self, shares, columns))
        return rewritten[-1]

    monkeypatch.setattr(EntryText, "rewritten", spy)
    cache = DocumentCache.from_items(base_cache.items())
    texts = EDITS[change]
    run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    assert framed and len(rewritten) == framed[0]
    monkeypatch.undo()
    fresh = DocumentCache()
    run_analysis(corpus, CONFIG, codebook_texts=texts, cache=fresh, jobs=1)
    spliced, made = _frames_entries(cache), _frames_entries(fresh)
    assert made and set(made) <= set(spliced)
    for key, value in made.items():
        assert type(spliced[key]) is bytes
        assert spliced[key] == value, key


def test_entries_whose_frames_interleave_are_analysed_in_full(corpus, base_cache, tmp_path):
    """A base entry whose rows do not come frame by frame (not what this version writes)
    is not spliced: its document is analysed in full, and the results stay a fresh run's."""
    import json

    from analysis.doc_cache import document_hash

    cache = DocumentCache.from_items(base_cache.items())
    # A document the edit matches again ("summit" in it): the others keep their entries.
    again = {document_hash(d) for d in corpus if "summit" in d.text.lower()}
    for key, value in _frames_entries(cache).items():
        entry = json.loads(value)
        if key.rsplit("|", 1)[1] not in again:
            continue
        frames = entry.get("matches", [[]])[1]
        if len(set(frames)) > 1:
            # The first row moved to the end: that frame's rows are two runs now.
            entry["matches"] = [[*col[1:], col[0]] for col in entry["matches"]]
            cache.put(key, json.dumps(entry, separators=(",", ":")).encode())
            break
    else:
        raise AssertionError("no entry with two frames")
    texts = EDITS["add a term"]
    after = run_analysis(corpus, CONFIG, codebook_texts=texts, cache=cache, jobs=1)
    assert_same_files(after, run_analysis(corpus, CONFIG, codebook_texts=texts, jobs=1),
                      tmp_path)


# --- the frames result spliced, not put together again (rows on disk) ------------


@pytest.fixture(scope="module")
def corpus40():
    return article_corpus(n=40)


@pytest.fixture
def spliced(monkeypatch):
    """Per re-run: whether the frames result was spliced (True) or put together (False)."""
    import analysis.assembly as assembly
    import analysis.frame_splice as frame_splice

    seen: list[bool] = []
    real_splice, real_add = frame_splice.spliced_frames, assembly.BlockAssembler.add

    def splice(*args):
        out = real_splice(*args)
        seen.append(out is not None)
        return out

    def add(self, start, entries, dtypes):
        if self.name == "frames":
            seen.append(False)
        return real_add(self, start, entries, dtypes)

    monkeypatch.setattr(frame_splice, "spliced_frames", splice)
    monkeypatch.setattr(assembly.BlockAssembler, "add", add)
    return seen


@pytest.fixture(params=[2048, 7], ids=["one block", "blocks of 7"])
def small_blocks(request, monkeypatch):
    """Blocks (and table reads) as small as a 10,000-article corpus's are large."""
    import analysis.assembly as assembly
    import analysis.map_stage as map_stage
    import analysis.table_store as table_store

    monkeypatch.setattr(assembly, "BLOCK_DOCUMENTS", request.param)
    monkeypatch.setattr(map_stage, "BLOCK_DOCUMENTS", request.param)
    monkeypatch.setattr(table_store, "CHUNK_ROWS", 50)


@pytest.fixture(params=[0.0, 1.0], ids=["edited rows scanned", "edited rows read"])
def unchanged_share(request, monkeypatch):
    """The edited frames' rows read back by a scan of the new table, or from the rows
    sent and the unchanged documents' rows of the last table."""
    import analysis.frame_splice as frame_splice

    monkeypatch.setattr(frame_splice, "UNCHANGED_SHARE", request.param)


def _fresh(corpus, config, texts):
    reduce_memo.clear()
    return run_analysis(corpus, config, codebook_texts=texts, jobs=1, spill=True)


def test_edits_in_a_row_are_spliced_and_equal_fresh_runs(corpus40, spliced, small_blocks,
                                                        unchanged_share, tmp_path):
    reduce_memo.clear()
    cache = DocumentCache()
    config = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",),
                            evidence_per_item=2)
    run_analysis(corpus40, config, cache=cache, jobs=1, spill=True)
    runs = []
    for change in ("add a term", "a term over another", "exclusion", "negation window",
                   "add a term"):
        spliced.clear()
        runs.append((change, run_analysis(corpus40, config, codebook_texts=EDITS[change],
                                          cache=cache, jobs=1, spill=True), list(spliced)))
    # Term lists of frames in their places: spliced. A new negation window has every
    # text of the codebook's language matched again (in full): put together, and the
    # next edit is spliced into that. The last run's frames result is held only in this
    # process: a fresh run is compared with each afterwards.
    assert [True in s for _, _, s in runs] == [True, True, True, False, True]
    for k, (change, result, _) in enumerate(runs):
        assert_same_files(result, _fresh(corpus40, config, EDITS[change]), tmp_path / str(k))


def test_frames_added_or_renamed_are_put_together(corpus, spliced, tmp_path):
    reduce_memo.clear()
    cache = DocumentCache()
    run_analysis(corpus, CONFIG, cache=cache, jobs=1, spill=True)
    for k, change in enumerate(("add a frame", "rename a frame")):
        spliced.clear()
        after = run_analysis(corpus, CONFIG, codebook_texts=EDITS[change], cache=cache,
                             jobs=1, spill=True)
        assert True not in spliced and False in spliced
        assert_same_files(after, _fresh(corpus, CONFIG, EDITS[change]), tmp_path / str(k))
