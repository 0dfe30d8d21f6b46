"""Frames after a codebook edit, from the previous run's per-document entries: only the
frames the edit changed are matched again, and only in the documents where they can match.

A frame's matches in a document depend on that frame alone (its codebook id, id, terms,
exclusions, regexes and negation window) and on the document: every frame has its own
list in the matcher, and its matches never hide another frame's. So the frames entry of
a document under the edited codebooks is put together from its entry under a recent run's
codebooks (:func:`remember_plan` keeps their frame fingerprints in the cache):

- a frame with the same fingerprint keeps its share and matches;
- a frame whose only change is its term list is matched again only in the documents
  where an added or removed term can start (its first word occurs in the text), and
  there only in the sentences holding that word (:meth:`_Splice.regions`); elsewhere
  it keeps its share and matches;
- any other changed or new frame is matched again in the documents where one of its
  terms can start; elsewhere it has no matches (share 0, or missing where it has no
  terms in the document's language).

The entries made this way equal those a full run makes (``tests/analysis/test_frame_reuse.py``).

Each frames entry also keeps where its document's sentences are (``"sentences"``, see
:func:`add_sentence_bounds`): matching a frame again then needs no text to be split into
sentences again, which was the largest cost of a re-run after an edit.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from itertools import accumulate, groupby
from operator import add, itemgetter, sub

from analysis.codebook import DEFAULT_LANGUAGE, Codebook, Frame, in_language
from analysis.corpus import Corpus, Document
from analysis.doc_cache import DocumentCache, entry_key, fingerprint
from analysis.frame_entry import EntryText, encoded
from analysis.frames import sentence_bounds
from analysis.gc_pause import collection_paused
from analysis.lang import document_language, reads_plain_words
from analysis.matchers import KEYED_LANGUAGES, first_key, inside
from analysis.text import Segmented, Sentence, segment

__all__ = ["remember_plan", "reuse_frames", "frame_plan", "add_sentence_bounds",
           "segmented_from_bounds", "KeptSentences"]

#: Previous frame plans kept to start from (most recent first).
_RECENT = 4
#: Characters a case-insensitive regex matches to an ASCII word character although their
#: ``lower()`` is not that character (``re.IGNORECASE`` folding; "İ" even lowers to two
#: characters). Mapped before lowering, so a term's ASCII first word is found in the
#: lowered text wherever the matcher can match it.
_ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _folded(text: str) -> str:
    """``text`` lowered, with the characters of :data:`_ASCII_FOLDS` folded first."""
    if not text.isascii() and any(c in text for c in "\u0130\u0131\u017f\u212a"):
        text = text.translate(_ASCII_FOLDS)  # slow: only where needed
    return text.lower()


#: What ends a sentence inside a line (analysis.text.split_sentences), and so what a
#: match would have to cover to run from one sentence into the next.
_CLOSING = ".!?…。！？；"
_LINE = re.compile(r"[^\n]+")  # a paragraph, as analysis.text.split_sentences reads them


def add_sentence_bounds(entries: list[dict], docs: Sequence[Document]) -> None:
    """Add to each frames entry (the plain values of one document's entry, in the order
    of ``docs``) where its document's sentences are: ``"sentences"``, per sentence the
    gap since the previous one's end and its length (small numbers, a few hundred bytes
    per article). Read back by :func:`segmented_from_bounds`."""
    for entry, doc in zip(entries, docs, strict=True):
        seg = segment(doc.text, document_language(doc))  # just split: a cache hit
        bounds, last = [], 0
        for s in seg.sentences:
            bounds += (s.start - last, s.end - s.start)
            last = s.end
        entry["sentences"] = bounds


def segmented_from_bounds(doc: Document, bounds) -> Segmented | None:
    """``doc``'s text as :func:`analysis.text.segment` splits it, rebuilt from the bounds
    :func:`add_sentence_bounds` kept (None when they do not fit the text). A sentence is
    the text between its bounds; its paragraph is the non-blank line it lies on. The
    sentences are made only when asked for (:class:`KeptSentences`)."""
    text = doc.text
    if not isinstance(bounds, list) or len(bounds) % 2 \
            or (bounds and (set(map(type, bounds)) != {int} or min(bounds) < 0)):
        return None
    lengths = bounds[1::2]
    ends = list(accumulate(map(add, bounds[0::2], lengths)))
    if ends and ends[-1] > len(text):
        return None
    lang = document_language(doc)  # a code already (what resolve_language gives)
    return Segmented(text, KeptSentences(text, list(map(sub, ends, lengths)), ends),
                     "" if reads_plain_words(lang) else lang)


class KeptSentences(Sequence):
    """A text's sentences rebuilt from kept bounds, each made when asked for (the
    :class:`analysis.text.Sentence` that :func:`analysis.text.segment` makes): matching a
    frame again in a few sentences reads only those, and making every sentence of every
    text was a quarter of matching again after an edit. ``starts`` and ``ends`` hold
    every sentence's offsets (:func:`analysis.frames.sentence_bounds` reads them)."""

    __slots__ = ("text", "starts", "ends", "_lines")

    def __init__(self, text: str, starts: list[int], ends: list[int]) -> None:
        self.text, self.starts, self.ends = text, starts, ends
        self._lines: list[int] | None = None   # where each non-blank line starts

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return tuple(map(self.__getitem__, range(*k.indices(len(self)))))
        n = len(self.starts)
        if not -n <= k < n:
            raise IndexError("sentence index out of range")
        k %= n
        if self._lines is None:
            self._lines = [m.start() for m in _LINE.finditer(self.text)
                           if not m.group().isspace()]
        start, end = self.starts[k], self.ends[k]
        return Sentence(k, start, end, bisect_right(self._lines, start) - 1,
                        self.text[start:end])

    def __iter__(self):
        return map(self.__getitem__, range(len(self.starts)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (KeptSentences, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))
        return NotImplemented

    __hash__ = None  # compares by value, as the tuple it stands for


def frame_plan(codebooks: Sequence[Codebook]) -> list[dict]:
    """Per measured frame (in column order): its codebook, id, fingerprint, and the
    fingerprint of everything but its terms (with the terms, for a term-level diff)."""
    plan = []
    for cb in codebooks:
        for frame in cb.frames:
            if frame.residual:
                continue
            setup = fingerprint(cb.id, replace(frame, terms=(), label="", description=""),
                                cb.window_for(frame))
            terms = sorted({(t.text, t.language) for t in frame.terms})
            plan.append({"codebook": cb.id, "frame": frame.id, "setup": setup,
                         "fp": fingerprint(setup, terms), "terms": terms})
    return plan


def plan_key(version: str, fp: str) -> str:
    return entry_key("frames", version, fp, "frame-plan")


def recent_key(version: str) -> str:
    return entry_key("frames", version, "recent-plans", "")


def cached_json(cache: DocumentCache, key: str):
    """The JSON value kept under ``key``, or None when absent or damaged."""
    raw = cache.get(key)
    try:
        return json.loads(raw) if raw is not None else None
    except ValueError:  # damaged: as if absent
        return None


def remember_plan(cache: DocumentCache, version: str, fp: str, plan: list[dict]) -> list[str]:
    """Keep this run's frame plan in the cache as the newest to start from; returns the
    fingerprints of the earlier ones (most recent first)."""
    recent = cached_json(cache, recent_key(version))
    earlier = [r for r in recent if isinstance(r, str) and r != fp] \
        if isinstance(recent, list) else []
    cache.put(plan_key(version, fp), json.dumps(plan).encode())
    cache.put(recent_key(version), json.dumps([fp, *earlier[:_RECENT - 1]]).encode())
    return earlier


def reuse_frames(docs: Sequence[Document], shas: Sequence[str], codebooks: Sequence[Codebook],
                 version_fp: tuple[str, str], cache: DocumentCache,
                 found: list[bytes | None], changes: dict | None = None) -> None:
    """Fill the missing frames entries of ``found`` (one per document, None where
    missing) that can be made from a recent plan's entries, and put them into ``cache``.
    Documents without such an entry stay None (they are analysed in full).

    ``changes``: filled with what the splice of the last run's frames result takes of
    each entry made (:func:`analysis.frame_splice.changes_of`, by document position), so
    it need not decode them again."""
    with collection_paused():
        _reuse_frames(docs, shas, codebooks, version_fp, cache, found,
                      changes if changes is not None else {})


def _reuse_frames(docs: Sequence[Document], shas: Sequence[str], codebooks: Sequence[Codebook],
                  version_fp: tuple[str, str], cache: DocumentCache,
                  found: list[bytes | None], changes: dict) -> None:
    version, fp = version_fp
    plan = frame_plan(codebooks)
    earlier = remember_plan(cache, version, fp, plan)
    if all(e is not None for e in found):
        return
    base = _closest(cache, version, earlier, plan, codebooks)
    if base is None:
        return
    base_fp, base_plan, work = base
    missing = [i for i, entry in enumerate(found) if entry is None]
    rematch = {i for i in missing if work.needs_matching(docs[i])}
    todo: dict[int, dict] = {}    # doc position -> its decoded base entry
    same: dict[int, bytes] = {}   # doc position -> its base entry, which stays as it is
    as_text: dict[int, EntryText] = {}   # doc position -> its base entry, read as text
    for i in missing:
        raw = cache.get(entry_key("frames", version, base_fp, shas[i]))
        if raw is not None and i not in rematch and work.in_place:
            same[i] = raw  # not decoded: nothing of it changes
            continue
        if raw is not None and i in rematch and work.in_place:
            text = EntryText.read(raw)
            if text is not None and len(text.shares) == len(base_plan) + 1:
                as_text[i] = text  # only what changes is decoded (see entry_text)
                continue
        try:
            old = json.loads(raw) if raw is not None else None
        except ValueError:  # damaged: as if absent
            continue
        if isinstance(old, dict) and len(old.get("documents") or ()) == len(base_plan) + 1:
            todo[i] = old
    again = sorted([*as_text, *(i for i in todo if i in rematch)])
    kept = {i: (as_text[i].shares, as_text[i].bounds) if i in as_text
            else (todo[i]["documents"], todo[i].get("sentences")) for i in again}
    segmented = [_kept_segmented(docs[i], kept[i][1], kept[i][0][-1]) for i in again]
    regions = [work.regions(docs[i], seg, kept[i][0]) if seg is not None else None
               for i, seg in zip(again, segmented, strict=True)]
    del kept
    fresh = work.match([docs[i] for i in again], segmented, regions)
    if fresh is None:  # a regex ran out of time: the full run handles (and reports) it
        return
    for i, raw in same.items():
        found[i] = raw
        cache.put(entry_key("frames", version, fp, shas[i]), raw)
    from analysis.frame_splice import changes_of, edited_frames

    names = [(f["codebook"], f["frame"]) for f in plan]
    edited = edited_frames(plan, cached_json(cache, plan_key(version, earlier[0])))
    for i in sorted([*todo, *as_text]):
        # Each old entry is let go once spliced, not held until every one is.
        doc_fresh = fresh.get(docs[i].doc_id)
        if i in as_text:
            text = as_text.pop(i)
            made = work.entry_text(docs[i], text, doc_fresh, edited)
            if made is not None:
                found[i], change = made
                if change is not None:
                    changes[i] = change
                cache.put(entry_key("frames", version, fp, shas[i]), found[i])
                continue
            try:  # not an entry of this layout: decoded
                old = json.loads(text.text)
            except ValueError:
                continue
        else:
            old = todo.pop(i)
        made = work.entry(docs[i], old, doc_fresh)
        if made is None:
            continue
        new, counts = made
        if "sentences" in old:
            new["sentences"] = old["sentences"]
        elif i in rematch:  # an entry of an older version: split just now, kept from now on
            add_sentence_bounds([new], [docs[i]])
        if edited:  # against the last run's frames, whose result the splice starts from
            changes[i] = changes_of(docs[i].doc_id, new, names, edited, counts)
        found[i] = encoded(new).encode()
        cache.put(entry_key("frames", version, fp, shas[i]), found[i])
    _carry_column_types(cache, version, base_fp, fp, plan)


def _kept_segmented(doc: Document, bounds, n_sentences) -> Segmented | None:
    """The document's sentences from its entry's bounds (None: not kept, or not those of
    its ``n_sentences``: then the text is split again)."""
    seg = segmented_from_bounds(doc, bounds)
    return seg if seg is not None and len(seg.sentences) == n_sentences else None


def _carry_column_types(cache: DocumentCache, version: str, base_fp: str, fp: str,
                        plan: list[dict]) -> None:
    """The column types of the base plan's results, with the new plan's share columns
    (a run that matches nothing afresh still needs them)."""
    from analysis.doc_stage import schema_key

    if cache.get(schema_key("frames", (version, fp))) is not None:
        return
    types = cached_json(cache, schema_key("frames", (version, base_fp)))
    if not isinstance(types, dict) or not isinstance(types.get("documents"), dict):
        return
    shares = {f"{f['codebook']}.{f['frame']}": "float64" for f in plan}
    types = {**types, "documents": {**shares, "n_sentences":
                                    types["documents"].get("n_sentences", "int64")}}
    cache.put(schema_key("frames", (version, fp)), json.dumps(types).encode())


def _closest(cache: DocumentCache, version: str, earlier: list[str], plan: list[dict],
             codebooks: Sequence[Codebook]):
    """``(fingerprint, plan, splice)`` of the recent plan with the fewest terms to watch
    (the newest among equals): after adding term A and then B instead, the built-in
    codebook (B to watch) is closer than the A version (A and B)."""
    best, best_cost = None, None
    for old_fp in earlier:
        old = cached_json(cache, plan_key(version, old_fp))
        try:
            work = _Splice(plan, old, codebooks)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            continue  # a damaged plan: as if absent
        cost = sum(len(terms) + 1 for terms in work.watch.values())
        if best_cost is None or cost < best_cost:
            best, best_cost = (old_fp, old, work), cost
    return best


class _Splice:
    """What an edit changed between the ``base`` plan and the new ``plan``, and how a
    document's new entry is made from its base entry."""

    def __init__(self, plan: list[dict], base: list[dict], codebooks: Sequence[Codebook]):
        self.plan = plan
        self.frames: list[Frame] = [f for cb in codebooks for f in cb.frames if not f.residual]
        # Where each frame is measured (Frame.languages is worked out on every call).
        self.languages = [frozenset(f.languages) for f in self.frames]
        self.codebooks = tuple(codebooks)
        self._doc_languages: dict[str, str] = {}
        self._lowered: dict[str, str] = {}   # doc id -> text lowered (see _folded)
        base_at = {f["fp"]: p for p, f in enumerate(base)}
        by_name = {(f["codebook"], f["frame"]): p for p, f in enumerate(base)}
        self.base_names = [(f["codebook"], f["frame"]) for f in base]
        self.names = [(f["codebook"], f["frame"]) for f in plan]
        self._place = {name: j for j, name in enumerate(self.names)}
        self._term_only: dict[int, list[tuple[str, str]]] = {}  # frame -> its old terms
        # new frame index -> base index whose share and rows it keeps (None: none)
        self.kept: list[int | None] = []
        # new frame index -> the terms whose first words decide where it is matched again
        self.watch: dict[int, list[tuple[str, str]]] = {}
        for j, f in enumerate(plan):
            if f["fp"] in base_at:
                self.kept.append(base_at[f["fp"]])
                continue
            p = by_name.get((f["codebook"], f["frame"]))
            if p is not None and base[p]["setup"] == f["setup"]:
                # Only the terms changed: elsewhere the frame matches as before.
                self.kept.append(p)
                old = {tuple(t) for t in base[p]["terms"]}
                self._term_only[j] = sorted(old)
                self.watch[j] = sorted(old ^ {tuple(t) for t in f["terms"]})
            else:
                self.kept.append(None)
                self.watch[j] = [tuple(t) for t in f["terms"]]
        self.changed = sorted(self.watch)
        #: Changed frame index -> whether it changed only its term list, and none of its
        #: terms (before or after) can run over a sentence's end: only a term holding the
        #: punctuation that closes a sentence can (between sentences there is that
        #: punctuation, or a line break, which no term matches).
        self.local = {j: self.kept[j] is not None and j in self._term_only
                      and not any(c in t for t, _ in [*self._term_only[j], *plan[j]["terms"]]
                                  for c in _CLOSING)
                      for j in self.changed}
        #: Every frame keeps its place and name, and only term lists changed: where none
        #: of the changed frames is matched again, a document's entry stays as it was.
        self.in_place = (len(plan) == len(base) and self.kept == list(range(len(plan)))
                         and self.base_names == [(f["codebook"], f["frame"]) for f in plan])

    def language(self, doc: Document) -> str:
        """The language ``doc`` is matched in (looked up once per document: reading it
        from the metadata was a third of deciding which documents to match again)."""
        lang = self._doc_languages.get(doc.doc_id)
        if lang is None:
            lang = self._doc_languages[doc.doc_id] = document_language(doc) or DEFAULT_LANGUAGE
        return lang

    def _may_match(self, j: int, doc: Document, lowered: list) -> bool:
        """Whether frame ``j`` (as watched) can match differently in ``doc``."""
        lang = self.language(doc)
        frame = self.frames[j]
        if lang in KEYED_LANGUAGES or in_language(frame.patterns, lang):
            return True  # matched by lemma or a regex: no quick test
        for text, term_lang in self.watch[j]:
            if term_lang != lang:
                continue
            key, _ = first_key(text)
            if not key or not key.isascii():
                return True
            if not lowered:
                lowered.append(_folded(doc.text))
            if key.lower() in lowered[0]:
                return True
        return False

    def needs_matching(self, doc: Document) -> bool:
        lowered: list = []
        if not any(self._may_match(j, doc, lowered) for j in self.changed):
            return False
        if lowered:  # read again by :meth:`regions`: lowered once
            self._lowered[doc.doc_id] = lowered[0]
        return True

    def match(self, docs: list[Document], segmented: list[Segmented | None],
              regions: list[list[tuple[int, int]] | None]) -> dict[str, dict] | None:
        """Changed frames matched in ``docs`` (``segmented``: their sentences where kept;
        ``regions``: where to match, see :meth:`regions`): doc id -> its entry for those
        frames (``documents``: shares and ``n_sentences``, ``matches``: rows by column,
        ``regions``: as given, where not None)."""
        if not docs or not self.changed:
            return {}
        from analysis.doc_stage import split_values
        from analysis.frames import FrameAnalyzer

        wanted = {(self.plan[j]["codebook"], self.plan[j]["frame"]) for j in self.changed}
        sub = [replace(cb, frames=tuple(f for f in cb.frames if (cb.id, f.id) in wanted))
               for cb in self.codebooks]
        analyzer = FrameAnalyzer([cb for cb in sub if cb.frames])
        result = analyzer.transform(Corpus(docs), segmented=segmented, regions=regions)
        if result.warnings:
            return None
        template = analyzer.fit_transform(Corpus())
        ids = [d.doc_id for d in docs]
        out = dict(zip(ids, split_values(result, template, ids), strict=True))
        for doc_id, where in zip(ids, regions, strict=True):
            if where is not None:
                out[doc_id]["regions"] = where
        return out

    def regions(self, doc: Document, seg: Segmented, old_shares: list
                ) -> list[tuple[int, int]] | None:
        """Where in ``doc`` the changed frames can match differently: the sentences (each
        with the stretch before it since the last one) holding the first word of an added
        or removed term; None when the whole text must be matched again.

        A frame whose only change is its term list matches as before in every other
        sentence: a term can match only where its first word is, a term that cannot match
        at a word does not change which other term matches there (the terms' regex tries
        them in a fixed order), and no match runs from one sentence into the next when no
        term holds a sentence's closing punctuation (:attr:`local`)."""
        lang = self.language(doc)
        if lang in KEYED_LANGUAGES:
            return None
        keys = set()
        for j in self.changed:
            frame, p = self.frames[j], self.kept[j]
            if (not self.local[j] or lang not in self.languages[j]
                    or in_language(frame.patterns, lang) or old_shares[p] != old_shares[p]):
                return None  # not a term-only change here, or not measured before
            for text, term_lang in self.watch[j]:
                if term_lang == lang:
                    key, _ = first_key(text)
                    if not key or not key.isascii():
                        return None
                    keys.add(key.lower())
        folded = self._lowered.pop(doc.doc_id, None) or _folded(seg.text)
        ends = sentence_bounds(seg)[1]
        hit = set()
        for key in keys:
            at = folded.find(key)
            while at >= 0:
                hit.add(bisect_right(ends, at))
                at = folded.find(key, at + 1)
        # Past the last sentence nothing is kept (no match starts inside a sentence there).
        return [(ends[k - 1] if k else 0, ends[k]) for k in sorted(hit) if k < len(ends)]

    def entry_text(self, doc: Document, old: EntryText, fresh: dict | None,
                   edited: list[int] | None) -> tuple[bytes, tuple | None] | None:
        """:meth:`entry` for an entry read as text, when every frame kept its place
        (:attr:`in_place`) and the document was matched again in regions: the new
        entry's bytes, and what the splice takes of it (:func:`changes_of` against the
        last run's ``edited`` frames; None: not asked). Only the rows from the first to
        the last frame edited (since the base or the last run) are decoded and encoded
        again; the other rows' JSON is kept as it was. None when the entry is not so
        laid out (then it is decoded)."""
        from analysis.frame_splice import changes_of

        if fresh is None or fresh.get("regions") is None:
            return None
        frames = old.frames()
        if frames is None:
            return None
        counts = [0] * len(self.plan)
        last = -1
        for name, run in groupby(frames):
            j = self._place.get(name, -1)
            if j <= last:
                return None  # not frame by frame in plan order
            counts[j] = len(list(run))
            last = j
        ends = [*self.changed, *(edited or ())]
        lo, hi = min(ends), max(ends)
        a = sum(counts[:lo])
        b = a + sum(counts[lo:hi + 1])
        cut = old.cut(a, b, len(frames))
        if cut is None:
            return None
        try:  # the runs of every column, decoded at once
            columns = json.loads("],[".join(values for _, values, _ in cut).join(("[[", "]]"))
                                 ) if cut else []
        except ValueError:
            return None
        if any(len(c) != b - a for c in columns):
            return None
        made = self.entry(doc, {"documents": old.shares, "matches": columns}, fresh)
        if made is None:
            return None
        new, span_counts = made
        counts[lo:hi + 1] = span_counts[lo:hi + 1]
        rows = new.get("matches")
        if rows is not None and not cut:  # no rows before: every column is new
            cut = [("", "", "")] * len(rows)
        pieces = [(before, encoded(rows[c])[1:-1] if rows else "", after)
                  for c, (before, _, after) in enumerate(cut)]
        change = None
        if edited:
            change = changes_of(doc.doc_id, new, self.names, edited, counts, first_row=a)
        return old.rewritten(new["documents"], pieces), change

    def entry(self, doc: Document, old: dict, fresh: dict | None
              ) -> tuple[dict, list[int]] | None:
        """The document's entry under the new plan, and its number of rows per frame."""
        old_shares = old["documents"]
        n = old_shares[-1]
        old_cols = old.get("matches")
        old_rows = _frame_runs(old_cols, self.base_names)
        fresh_cols = fresh.get("matches") if fresh else None
        fresh_rows = _frame_runs(fresh_cols, [(self.plan[j]["codebook"], self.plan[j]["frame"])
                                              for j in self.changed])
        if old_rows is None or fresh_rows is None:
            return None  # not rows this version writes: analysed in full
        lang = self.language(doc)
        where = fresh.get("regions") if fresh is not None else None
        shares, pieces = [], []   # pieces: (columns, start, end) in the new frame order
        counts = [0] * len(self.plan)   # rows per frame
        for j, f in enumerate(self.plan):
            p = self.kept[j]
            if fresh is not None and j in self.watch and where is not None:
                # Matched again only in ``where``: elsewhere its rows are the old ones.
                rows = _rows(fresh_cols, fresh_rows.get((f["codebook"], f["frame"])))
                rows += [r for r in _rows(old_cols, old_rows.get(self.base_names[p]))
                         if not inside(r[_START], where)]
                rows.sort(key=_ROW_ORDER)  # as a full match writes them
                shares.append(len({r[_SENTENCE] for r in rows if not r[_NEGATED]}) / n)
                if rows:
                    pieces.append(([list(c) for c in zip(*rows, strict=True)], 0, len(rows)))
                    counts[j] = len(rows)
            elif fresh is not None and j in self.watch:
                shares.append(fresh["documents"][self.changed.index(j)])
                span = fresh_rows.get((f["codebook"], f["frame"]))
                if span:
                    pieces.append((fresh_cols, *span))
                    counts[j] = span[1] - span[0]
            elif p is not None:
                shares.append(old_shares[p])
                span = old_rows.get(self.base_names[p])
                if span:
                    pieces.append((old_cols, *span))
                    counts[j] = span[1] - span[0]
            else:  # cannot match here
                measured = n and lang in self.languages[j]
                shares.append(0.0 if measured else float("nan"))
        new = {"documents": [*shares, n]}
        if pieces:
            width = len(pieces[0][0])
            new["matches"] = [_joined(c, pieces) for c in range(width)]
        return new, counts


# Positions in a row of an entry's ``matches`` (frames.MATCH_COLUMNS without doc_id).
_SENTENCE, _START, _NEGATED = 2, 3, 7
_ROW_ORDER = itemgetter(3, 4, 6)   # start, end, rule


def _joined(c: int, pieces: list) -> list:
    """Column ``c`` of the rows ``pieces`` (``(columns, start, end)``) one after another:
    whole slices, not a value at a time (an entry holds a few hundred values a column)."""
    out: list = []
    for cols, a, b in pieces:
        out += cols[c][a:b]
    return out


def _rows(columns, span: tuple[int, int] | None) -> list[tuple]:
    """Rows ``span`` of an entry's ``matches`` columns, as tuples."""
    if not span:
        return []
    a, b = span
    return list(zip(*(c[a:b] for c in columns), strict=True))


def _frame_runs(columns, names: list[tuple[str, str]]) -> dict | None:
    """Where each frame's rows are in an entry's ``matches`` (columns ``codebook, frame,
    ...``): ``(codebook, frame) -> (start, end)``, a document's rows coming frame by
    frame. None when they name a frame outside ``names`` or a frame twice apart."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    if not columns:
        return out
    known = set(names)
    start = 0
    for name, run in groupby(zip(columns[0], columns[1], strict=True)):
        end = start + sum(1 for _ in run)
        if name not in known or name in out:
            return None
        out[name] = (start, end)
        start = end
    return out
