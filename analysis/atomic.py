"""Write user-facing files atomically: a temp file beside the target, then ``os.replace``.

A temporary file is named ``.<target>.<pid>@<host>.<random>.part``; a writer that is
killed leaves it behind (with SQLite's ``-journal`` beside it), so
:func:`remove_stale_temporaries` deletes those whose writer is gone.
"""
from __future__ import annotations

import contextlib
import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_text_atomic", "write_bytes_atomic",
           "remove_stale_temporaries", "temporaries_of", "STALE_AGE", "process_alive",
           "HOST"]

#: A temporary file whose writer cannot be checked (another computer on a shared folder,
#: or an older Sinoru) counts as abandoned after this many seconds.
STALE_AGE = 24 * 3600
#: This computer's name as written into temporary and lock files.
HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"

# Temporaries this process is writing now (never removed as stale).
_writing: set[str] = set()
_writing_lock = threading.Lock()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    On any exception the temporary file is removed and ``target`` is left untouched, so no
    half-written file is ever visible under the final name.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}@{HOST}.", suffix=".part",
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    with _writing_lock:
        _writing.add(str(tmp_path))
    # mkstemp creates the file private (0600); give it the permissions the user's other
    # files get: those of the file it replaces, or the default ones under the umask.
    try:
        try:
            mode = target.stat().st_mode & 0o777
        except OSError:
            mode = 0o666 & ~_current_umask()
        os.chmod(tmp_path, mode)
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    finally:
        with _writing_lock:
            _writing.discard(str(tmp_path))


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text_atomic(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


# Cleaning up after killed writers --------------------------------------------------------
def process_alive(pid: int, unknown: bool = True) -> bool:
    """Whether process ``pid`` runs on this computer (``unknown`` when it cannot be told)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return unknown  # cannot tell cheaply
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to another user
    return True


def temporaries_of(target: str | os.PathLike[str]) -> list[Path]:
    """The temporary files of ``target`` beside it: ours (``.part``) and SQLite's."""
    target = Path(target)
    prefix = f".{target.name}."
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    return sorted(target.parent / n for n in names
                  if n.startswith(prefix) and re.search(r"\.part(-journal|-wal|-shm)?$", n))


def _owner(path: Path, target: Path) -> tuple[int, str] | None:
    """``(pid, host)`` of the writer named in a temporary's name (None: older format)."""
    rest = path.name[len(target.name) + 2:]
    match = re.match(r"(\d+)@([A-Za-z0-9-]+)\.", rest)
    return (int(match.group(1)), match.group(2)) if match else None


def _stale(path: Path, target: Path, exclusive: bool) -> bool:
    base = re.sub(r"(-journal|-wal|-shm)$", "", str(path))
    with _writing_lock:
        if base in _writing:
            return False  # this process is writing it now
    if exclusive:
        return True  # the caller holds the target's lock: no one else may write it
    owner = _owner(path, target)
    if owner is not None and owner[1] == HOST and not process_alive(owner[0]):
        return True
    if owner is not None and owner == (os.getpid(), HOST):
        return True  # ours, and not being written (a write of ours was interrupted)
    try:
        return time.time() - path.stat().st_mtime > STALE_AGE
    except OSError:
        return False


def remove_stale_temporaries(target: str | os.PathLike[str], *,
                             exclusive: bool = False) -> list[Path]:
    """Delete the temporaries of ``target`` left by writers that were killed.

    A temporary is stale when its writer (named in the file name) no longer runs on this
    computer, or it is older than :data:`STALE_AGE`, or ``exclusive`` is true (the caller
    holds the lock on ``target``, so no other process may be writing it). Temporaries
    this process is writing are always kept. Returns the paths removed.
    """
    target = Path(target)
    removed = []
    for path in temporaries_of(target):
        if _stale(path, target, exclusive):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed
