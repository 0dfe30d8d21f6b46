"""A corpus's texts in a scratch file, for another process to read one text at a time.

The side process of the corpus stage (:mod:`analysis.corpus_stage`) reads every text
while this process keeps its own copy. Sent to it, the texts would be held twice (about
430 MB more at 100,000 articles, plus a transient copy while they are pickled). Written
once to a file, they are read back as they are needed and let go: that process holds only
the documents' ids, languages and where each text starts.

The file is read with plain reads, not a memory map: pages of a mapped file would count
in that process's resident memory, and the goal is that it holds no copy.
"""
from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Iterator, Sequence

import numpy as np

from analysis.corpus import Corpus, Document, passing_document
from analysis.lang import document_language
from analysis.text import segment

__all__ = ["TextFile", "FileCorpus"]


def _encoded(doc: Document) -> bytes:
    # A non-ASCII text is already held as UTF-8 bytes (analysis.corpus._packed_text).
    held = doc.__dict__["_text"]
    return held if isinstance(held, bytes) else held.encode("utf-8", "surrogatepass")


class TextFile:
    """The texts of ``corpus`` written to a scratch file; :meth:`remove` when done.

    :meth:`where` is what :class:`FileCorpus` needs to read them (picklable, small:
    ids, languages and offsets, never the texts). Of the metadata only the language is
    sent: it is all the corpus-stage analyzers read (:func:`analysis.lang.document_language`),
    and every field of 100,000 documents is tens of megabytes in each process."""

    def __init__(self, corpus: Corpus) -> None:
        fd, self.path = tempfile.mkstemp(prefix="sinoru-texts-", suffix=".txt")
        # Removed with this object too, should an error leave remove() uncalled.
        self.remove = weakref.finalize(self, _remove, self.path)
        ends = np.empty(len(corpus), dtype=np.int64)
        end = 0
        with os.fdopen(fd, "wb") as out:
            for i, doc in enumerate(corpus):
                data = _encoded(doc)
                out.write(data)
                end += len(data)
                ends[i] = end
        # Each document's language as this process found it (stored or guessed): the other
        # process then need not guess it again from the text at each read.
        names: dict[str, str] = {}   # one string per language, not one per document
        languages = [names.setdefault(lang, lang)
                     for lang in (document_language(d) for d in corpus)]
        self._where = (self.path, [d.doc_id for d in corpus], languages, ends)

    def where(self) -> tuple:
        return self._where


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class _Documents(Sequence):
    """The documents of a :class:`FileCorpus`, each read from the file when asked for."""

    def __init__(self, path: str, ids: list[str], languages: list[str], ends: np.ndarray,
                 forget_every: int | None = None):
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115  (kept open for reads)
        self._ids, self._languages = ids, languages
        self._forget_every, self._read = forget_every, 0
        self._starts = np.concatenate([[0], ends[:-1]]).tolist()
        self._ends = ends.tolist()

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        self._read += 1
        if self._forget_every and self._read % self._forget_every == 0:
            segment.cache_clear()
        self._file.seek(self._starts[i])
        data = self._file.read(self._ends[i] - self._starts[i])
        return passing_document(self._ids[i], data.decode("utf-8", "surrogatepass"),
                                {"language": self._languages[i]})

    def __iter__(self) -> Iterator[Document]:
        for i in range(len(self)):
            yield self[i]

    def close(self) -> None:
        self._file.close()


class FileCorpus:
    """The read-only part of :class:`analysis.corpus.Corpus` that the corpus-stage
    analyzers use (length, order, ids, documents by position or id), over a
    :class:`TextFile` written by another process.

    ``forget_every``: empty the segmentation cache (:func:`analysis.text.segment`) every
    that many texts read, for a process that reads each text once, one after the other:
    on a corpus far larger than the cache nothing is found there again, and the cache
    would hold its 8,192 texts (about 250 MB) for nothing."""

    def __init__(self, where: tuple, forget_every: int | None = None) -> None:
        self.documents = _Documents(*where, forget_every=forget_every)
        self._index = {doc_id: i for i, doc_id in enumerate(where[1])}

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __getitem__(self, doc_id: str) -> Document:
        return self.documents[self._index[doc_id]]

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._index

    @property
    def ids(self) -> list[str]:
        return list(self.documents._ids)

    def close(self) -> None:
        self.documents.close()
