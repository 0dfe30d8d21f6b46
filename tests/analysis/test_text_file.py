"""The texts the corpus stage's side process reads back from a scratch file are the
corpus's own, in its order and by id, with their languages, and the file itself holds the
only copy sent."""
from __future__ import annotations

import os
import pickle

from analysis.corpus import Corpus, Document
from analysis.lang import document_language
from analysis.text_file import FileCorpus, TextFile

TEXTS = ["Plain ASCII news.", "", "Curly “quotes” and é, 中文 text, an emoji 🙂.",
         "A lone surrogate \ud800 kept as it came.", "Last\nline\n"]


def _corpus() -> Corpus:
    # Languages stored, left empty (guessed from the text) and missing.
    return Corpus(Document(f"d{i}", text, {"language": ("en", "", "de")[i % 3],
                                           "outlet": f"outlet number {i}"}
                           if i < 4 else {})
                  for i, text in enumerate(TEXTS))


def test_documents_read_back_from_the_file_equal_the_corpus():
    corpus = _corpus()
    written = TextFile(corpus)
    try:
        read = FileCorpus(written.where())
        try:
            assert len(read) == len(corpus) and read.ids == corpus.ids
            for mine, theirs in zip(read, corpus, strict=True):
                assert (mine.doc_id, mine.text, document_language(mine)) == \
                    (theirs.doc_id, theirs.text, document_language(theirs))
                # Held as the str it reads as (not packed), and the raw text is the text.
                assert type(mine.text) is str and mine.raw_text == theirs.raw_text
                assert pickle.loads(pickle.dumps(mine)).text == theirs.text
            # By id and by position, in any order (the word shift reads last to first).
            for doc_id in reversed(corpus.ids):
                assert read[doc_id].text == corpus[doc_id].text
            assert [d.text for d in read.documents[::-1]] == TEXTS[::-1]
            assert "d3" in read and "d9" not in read
        finally:
            read.close()
    finally:
        written.remove()
    assert not os.path.exists(written.path)


def test_what_the_other_process_is_sent_holds_no_text_and_no_other_metadata():
    corpus = _corpus()
    written = TextFile(corpus)
    try:
        sent = pickle.dumps(written.where())
    finally:
        written.remove()
    for text in ("Plain ASCII news", "Curly", "surrogate", "Last", "outlet number"):
        assert text.encode() not in sent
