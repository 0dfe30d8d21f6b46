"""A large result from the worker process is read back piece by piece, equal to what was
sent: tables keep their rows, index, dtypes and memory layout."""
from __future__ import annotations

import pickle

import numpy as np
import pandas as pd

from sinoru_desktop.message_pieces import (
    ELEMENTS_PER_PIECE,
    ITEMS_PER_PIECE,
    PieceReader,
    dumps_in_pieces,
)


def _read(pieces: list[bytes]):
    reader = PieceReader()
    for piece in pieces[:-1]:
        reader.add(piece)
    return reader.finish(pieces[-1])


def test_a_large_result_comes_back_equal_from_small_pieces():
    n = ELEMENTS_PER_PIECE * 2 + 17
    matches = pd.DataFrame({"doc_id": [f"d{i % 997}" for i in range(n)],
                            "start": np.arange(n), "share": np.linspace(0, 1, n),
                            "negated": np.arange(n) % 3 == 0})
    matches["doc_id"] = matches["doc_id"].astype("str")
    matches.attrs["source"] = "frames"
    by_column = np.asfortranarray(np.arange(n * 2, dtype=float).reshape(n, 2))
    documents = [{"doc_id": f"d{i}", "words": i} for i in range(ITEMS_PER_PIECE * 3 + 5)]
    result = {"tables": {"frame_matches": matches, "same": matches},
              "documents": documents, "by_column": by_column, "small": [1, 2]}

    pieces = dumps_in_pieces(("done", 4, result))
    assert len(pieces) > 10
    # each piece is a short run of rows or items; the last, which refers to them, is small
    assert max(len(pickle.loads(p)) for p in pieces[:-1]) <= ELEMENTS_PER_PIECE
    assert len(pieces[-1]) < sum(map(len, pieces)) / 20

    kind, task, back = _read(pieces)
    assert (kind, task) == ("done", 4)
    pd.testing.assert_frame_equal(back["tables"]["frame_matches"], matches,
                                  check_index_type=True, check_column_type=True)
    assert back["tables"]["frame_matches"].attrs == {"source": "frames"}
    assert back["tables"]["same"] is back["tables"]["frame_matches"]
    assert back["documents"] == documents
    np.testing.assert_array_equal(back["by_column"], by_column)
    assert back["by_column"].flags.f_contiguous
    assert back["small"] == [1, 2]


def test_a_small_message_is_one_ordinary_pickle():
    (only,) = dumps_in_pieces(("progress", 3, 0.5))
    assert pickle.loads(only) == ("progress", 3, 0.5)


def test_a_corpus_and_a_cache_sent_to_the_worker_arrive_equal_in_pieces():
    """What the app sends its worker (an analysis of a large corpus, a project's cache
    entries) goes over the pipe in pieces and arrives equal, a corpus's documents still
    a tuple."""
    import multiprocessing
    import threading

    from analysis.corpus import Corpus, Document
    from sinoru_desktop.message_pieces import recv_in_pieces, send_in_pieces

    n = ITEMS_PER_PIECE * 2 + 3
    corpus = Corpus(Document(f"d{i}", f"Text “{i}” of the article.", meta={"group": "a"})
                    for i in range(n))
    cache = [(f"key{i}", bytes([i % 256]) * 40) for i in range(n)]
    messages = [("run", 1, len, (corpus, "config")), ("cache", cache), ("cancel", 1)]
    receive, send = multiprocessing.Pipe(duplex=False)
    sent_pieces = []
    original = send.send_bytes

    def counting(data, *a):
        sent_pieces.append(len(data))
        original(data, *a)

    send.send_bytes = counting
    writer = threading.Thread(target=lambda: [send_in_pieces(send, m) for m in messages])
    writer.start()
    back = [recv_in_pieces(receive) for _ in messages]
    writer.join()

    kind, task, fn, (corpus_back, config) = back[0]
    assert (kind, task, fn, config) == ("run", 1, len, "config")
    assert type(corpus_back.documents) is tuple
    assert [(d.doc_id, d.text, dict(d.meta)) for d in corpus_back] == \
        [(d.doc_id, d.text, dict(d.meta)) for d in corpus]
    assert corpus_back[f"d{n - 1}"].text == f"Text “{n - 1}” of the article."
    assert back[1] == ("cache", cache)
    assert back[2] == ("cancel", 1)
    # the two large messages went as several pieces each, none of them the whole
    assert len(sent_pieces) >= 2 * 3 + 1
    assert max(sent_pieces) < sum(sent_pieces) / 3
