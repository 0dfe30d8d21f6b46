"""The corpus: documents with their text, metadata, provenance and removed boilerplate."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import pandas as pd

__all__ = ["Removal", "Document", "Corpus", "META_FIELDS", "corpus_name"]

#: Metadata columns every document has (empty string when unknown). Users may add more.
META_FIELDS = ("title", "outlet", "outlet_type", "group", "author", "date", "language",
               "reference")


@dataclass(frozen=True)
class Removal:
    """A passage taken out of the analysed text, kept so it can be shown and restored.

    ``start``/``end`` are character offsets into :attr:`Document.raw_text`.
    """

    start: int
    end: int
    text: str
    reason: str


def _frozen(meta: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(meta or {}))


@dataclass(frozen=True)
class Document:
    """One article.

    Attributes
    ----------
    doc_id : str
        Stable identifier, unique in its corpus.
    text : str
        The analysed text: ``raw_text`` with the :attr:`removed` passages taken out.
    meta : Mapping[str, str]
        Metadata (see :data:`META_FIELDS`); read-only.
    raw_text : str
        The decoded, normalised text before boilerplate removal.
    removed : tuple of Removal
        What was removed from ``raw_text`` and why.
    source : str
        Where it came from: a file path, or ``path#row`` for table files.
    sha256 : str
        Hash of the source bytes (provenance).
    """

    doc_id: str
    text: str
    meta: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    raw_text: str = ""
    removed: tuple[Removal, ...] = ()
    source: str = ""
    sha256: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.meta, MappingProxyType):
            object.__setattr__(self, "meta", _frozen(self.meta))
        text, raw = self.__dict__["_text"], self.__dict__["_raw_text"]
        if not raw or raw == text:
            self.__dict__["_raw_text"] = text  # one copy when they are equal

    def __reduce__(self):
        # Picklable (for the app's worker process): the read-only meta goes as a dict.
        # The language, once found (analysis.lang.document_language), goes with it: a
        # worker process then need not guess it from the text again.
        language = self.__dict__.get("_language")
        return (Document, (self.doc_id, self.text, dict(self.meta), self.raw_text,
                           self.removed, self.source, self.sha256),
                None if language is None else {"_language": language})

    def get(self, key: str, default: str = "") -> str:
        """A metadata value, or ``default`` when missing or empty."""
        value = self.meta.get(key, "")
        return value if value not in (None, "") else default

    @property
    def title(self) -> str:
        return self.get("title", self.doc_id)

    def with_meta(self, **changes: str) -> Document:
        """A copy with some metadata values changed."""
        return replace(self, meta=_frozen({**self.meta, **changes}))


def _packed_text(name: str) -> property:
    """A text attribute held as UTF-8 bytes when it is not plain ASCII: Python keeps a
    text with one character beyond Latin-1 (a curly quote) at two bytes a character, so
    a corpus of 100,000 news articles would hold about 850 MB of text instead of 430 MB.
    Reading it decodes it (about 10 µs for a 600-word article)."""
    slot = "_" + name

    def get(self) -> str:
        value = self.__dict__[slot]
        return value if isinstance(value, str) else value.decode("utf-8", "surrogatepass")

    def put(self, value: str) -> None:
        # Set once, by the dataclass's __init__ (the document stays immutable).
        self.__dict__[slot] = (value if value.isascii()
                               else value.encode("utf-8", "surrogatepass"))

    return property(get, put, doc=f"The document's {name.replace('_', ' ')} (str).")


Document.text = _packed_text("text")
Document.raw_text = _packed_text("raw_text")


def passing_document(doc_id: str, text: str, meta: Mapping[str, str]) -> Document:
    """A document whose text is held as the ``str`` given, not packed: for one read
    from a file and let go soon after, which packed would be encoded on making and
    decoded again at each of the several reads of its text."""
    doc = Document(doc_id, "", meta)
    doc.__dict__["_text"] = doc.__dict__["_raw_text"] = text
    return doc


class Corpus:
    """An ordered, immutable collection of documents with unique ids."""

    def __init__(self, documents: Iterable[Document] = ()) -> None:
        docs = tuple(documents)
        ids = [d.doc_id for d in docs]
        if len(set(ids)) != len(ids):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"duplicate document ids: {', '.join(dupes[:5])}")
        self._docs = docs
        self._index = {d.doc_id: i for i, d in enumerate(docs)}

    @property
    def documents(self) -> tuple[Document, ...]:
        return self._docs

    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self) -> Iterator[Document]:
        return iter(self._docs)

    def __getitem__(self, doc_id: str) -> Document:
        return self._docs[self._index[doc_id]]

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._index

    def __repr__(self) -> str:
        return f"Corpus({len(self)} documents)"

    @property
    def ids(self) -> list[str]:
        return [d.doc_id for d in self._docs]

    def subset(self, doc_ids: Iterable[str]) -> Corpus:
        """The documents with the given ids, in corpus order."""
        wanted = set(doc_ids)
        return Corpus(d for d in self._docs if d.doc_id in wanted)

    def replace_documents(self, changed: Iterable[Document]) -> Corpus:
        """A new corpus where documents with matching ids are swapped for ``changed``."""
        by_id = {d.doc_id: d for d in changed}
        return Corpus(by_id.get(d.doc_id, d) for d in self._docs)

    def metadata_frame(self) -> pd.DataFrame:
        """Metadata table, one row per document.

        Columns: ``doc_id``, every key of :data:`META_FIELDS` plus any extra metadata
        keys, ``source``, ``sha256``, ``n_chars``. Index: ``doc_id`` (also kept as column).
        """
        extra: list[str] = []
        for d in self._docs:
            for k in d.meta:
                if k not in META_FIELDS and k not in extra:
                    extra.append(k)
        rows = []
        for d in self._docs:
            row = {"doc_id": d.doc_id}
            for k in (*META_FIELDS, *extra):
                row[k] = d.meta.get(k, "") or ""
            row.update(source=d.source, sha256=d.sha256, n_chars=len(d.text))
            rows.append(row)
        cols = ["doc_id", *META_FIELDS, *extra, "source", "sha256", "n_chars"]
        frame = pd.DataFrame(rows, columns=cols)
        frame.index = pd.Index(frame["doc_id"], name=None)
        return frame


def corpus_name(corpus: Corpus) -> str:
    """A name for a corpus not saved as a project: the folder its documents came from
    (``.../summit-coverage/a.txt`` -> "summit-coverage"), else "12 documents"."""
    import os
    from pathlib import PurePath

    folders = sorted({str(PurePath(d.source).parent) for d in corpus if d.source})
    try:
        name = PurePath(os.path.commonpath(folders)).name if folders else ""
    except ValueError:   # absolute and relative sources mixed
        name = ""
    n = len(corpus)
    return name or f"{n:,} document{'s' if n != 1 else ''}"
