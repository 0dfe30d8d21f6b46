"""Large messages between the app and its worker process, pickled in pieces.

Unpickling runs in C and holds the interpreter lock until it ends: the results of a
10,000-article analysis (1.3 million frame matches, 10,000 document rows) take about a
third of a CPU second to unpickle as one message, and all that time the GUI thread can
neither paint nor react, although the reader thread does the work. Cut into pieces of
at most :data:`ITEMS_PER_PIECE` list items or :data:`ELEMENTS_PER_PIECE` array elements
(a table is cut through the arrays of its columns), each piece takes a few milliseconds,
and between two pieces the GUI thread gets its turn.

:func:`dumps_in_pieces` gives the pieces, the last one being the message itself with
references to the others; :class:`PieceReader` puts them together again, one at a time.
The message read back equals the one sent (tables keep their index, columns and dtypes).

Qt-free: the worker process imports it.
"""
from __future__ import annotations

import contextlib
import io
import itertools
import pickle
import sys
from multiprocessing.reduction import ForkingPickler

__all__ = ["dumps_in_pieces", "PieceReader", "send_in_pieces", "recv_in_pieces",
           "ITEMS_PER_PIECE", "ELEMENTS_PER_PIECE"]

#: Items of a list per piece: 250 document rows of a 10,000-article results.json unpickle
#: in ~2.5 ms (1,000 took ~9 ms, all of it holding the interpreter lock: the GUI thread
#: waited that long at each of its turns while a result arrived).
ITEMS_PER_PIECE = 250
#: Elements of an array per piece: 50,000 strings of a table's column unpickle in ~5 ms
#: (and as many numbers in far less).
ELEMENTS_PER_PIECE = 50_000


class _CuttingPickler(ForkingPickler):
    """Pickles long lists and large arrays (the columns inside tables) as references to
    pieces pickled on their own."""

    def __init__(self, file, pieces: list[bytes]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._pieces = pieces
        self._cut: dict[int, tuple] = {}  # id -> reference: an object sent twice stays one
        self._keep: list = []  # the objects cut, so that their ids stay theirs

    def _piece(self, obj) -> int:
        self._pieces.append(bytes(ForkingPickler.dumps(obj, pickle.HIGHEST_PROTOCOL)))
        return len(self._pieces) - 1

    def _pieces_of(self, sequence, size: int) -> list[int]:
        return [self._piece(sequence[i:i + size]) for i in range(0, len(sequence), size)]

    def persistent_id(self, obj):
        if type(obj) is list or type(obj) is tuple:  # a corpus holds its documents in one
            if len(obj) <= ITEMS_PER_PIECE:
                return None
        else:
            np = sys.modules.get("numpy")  # no array is in a message before numpy is loaded
            if np is None or type(obj) is not np.ndarray or obj.size <= ELEMENTS_PER_PIECE \
                    or obj.dtype.hasobject and obj.dtype != object:  # records holding objects
                return None
        ref = self._cut.get(id(obj))
        if ref is None:
            if type(obj) is list:
                ref = ("items", self._pieces_of(obj, ITEMS_PER_PIECE))
            elif type(obj) is tuple:
                ref = ("tuple", self._pieces_of(obj, ITEMS_PER_PIECE))
            else:  # its elements in memory order, and how to lay them out again
                fortran = obj.flags.f_contiguous and not obj.flags.c_contiguous
                ref = ("array", self._pieces_of(obj.ravel(order="F" if fortran else "C"),
                                                ELEMENTS_PER_PIECE),
                       obj.shape, obj.dtype, fortran)
            self._cut[id(obj)] = ref
            self._keep.append(obj)
        return ref


def dumps_in_pieces(obj) -> list[bytes]:
    """``obj`` pickled as pieces: the parts of its long lists and large arrays, then
    ``obj`` itself referring to them (one piece when there is nothing large in it)."""
    pieces: list[bytes] = []
    file = io.BytesIO()
    _CuttingPickler(file, pieces).dump(obj)
    pieces.append(file.getvalue())
    return pieces


class _JoiningUnpickler(pickle.Unpickler):
    def __init__(self, file, parts: list) -> None:
        super().__init__(file)
        self._parts = parts
        self._joined: dict[int, object] = {}

    def persistent_load(self, pid):
        kind, indices, *layout = pid
        joined = self._joined.get(indices[0])
        if joined is not None:
            return joined
        if kind == "items":
            joined = list(itertools.chain.from_iterable(self._parts[i] for i in indices))
        elif kind == "tuple":
            joined = tuple(itertools.chain.from_iterable(self._parts[i] for i in indices))
        else:
            import numpy as np

            shape, dtype, fortran = layout
            joined = np.empty(shape, dtype, order="F" if fortran else "C")
            flat, start = joined.ravel(order="K"), 0
            for i in indices:  # one short copy per piece: other threads run in between
                part = self._parts[i]
                flat[start:start + len(part)] = part
                start += len(part)
        for i in indices:
            self._parts[i] = None  # freed as soon as joined
        self._joined[indices[0]] = joined
        return joined


class PieceReader:
    """Reads a message sent as pieces: :meth:`add` each piece but the last (each is
    unpickled at once, by ``loads``), then :meth:`finish` with the last."""

    def __init__(self, loads=pickle.loads) -> None:
        self._loads = loads
        self._parts: list = []

    def add(self, piece: bytes) -> None:
        self._parts.append(self._loads(piece))

    def finish(self, last: bytes):
        parts, self._parts = self._parts, []
        return _JoiningUnpickler(io.BytesIO(last), parts).load()


def send_in_pieces(conn, message) -> None:
    """Send ``message`` over the multiprocessing connection ``conn`` as
    :func:`dumps_in_pieces` cuts it: ``("pieces", n)``, the ``n`` pieces, then the
    message itself (only the message when nothing in it is large). Both sides use it:
    the sending thread too gives the interpreter lock back between two pieces, where
    pickling a 10,000-article corpus or cache in one call would hold it throughout."""
    *parts, last = dumps_in_pieces(message)
    if parts:
        conn.send(("pieces", len(parts)))
        for piece in parts:
            conn.send_bytes(piece)
    conn.send_bytes(last)


def recv_in_pieces(conn, loads=pickle.loads, finish=None):
    """The next message :func:`send_in_pieces` sent over ``conn``; ``loads`` unpickles
    one piece, ``finish`` (a context manager factory, optional) is entered while the
    pieces are unpickled and the message is put together from them."""
    message = loads(conn.recv_bytes())
    if type(message) is not tuple or not message or message[0] != "pieces":
        return message
    # All read first: a piece that cannot be unpickled leaves the pipe in step.
    pieces = [conn.recv_bytes() for _ in range(message[1] + 1)]
    pieces.reverse()
    reader = PieceReader(loads)
    with contextlib.nullcontext() if finish is None else finish():
        while len(pieces) > 1:
            reader.add(pieces.pop())  # each piece's bytes are freed once it is read
        return reader.finish(pieces.pop())
