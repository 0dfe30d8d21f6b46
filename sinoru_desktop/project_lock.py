"""Who has a project open: a lock file beside the project, held with an OS lock.

``study.sinoru`` is locked by ``.study.sinoru.lock``, which names the holder (user,
computer, process, since when) and is held with ``flock`` (POSIX) or ``msvcrt.locking``
(Windows) while the project is open. The operating system drops the OS lock when the
holder exits or is killed, so a lock left by a crashed Sinoru is taken over at once; the
holder's name is only there to tell another Sinoru who has the project.

Where the file system offers no OS locks (some network shares), the recorded holder is
trusted instead: a holder on this computer whose process is gone is taken over; one on
another computer holds the project until it is released or older than ``STALE_AGE``.
"""
from __future__ import annotations

import atexit
import contextlib
import errno
import getpass
import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from analysis.atomic import HOST, STALE_AGE, process_alive
from analysis.names import display_name

__all__ = ["LockHolder", "LockedError", "ProjectLock", "lock_path", "read_holder",
           "acquire", "release", "held", "holding"]

# Windows: the byte locked, far beyond the holder's text so others can still read it.
_WINDOWS_LOCK_OFFSET = 2**30


@dataclass(frozen=True)
class LockHolder:
    """The Sinoru that holds a project: who, where, which process, since when (ISO UTC)."""

    user: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        when = self.since.replace("T", " ")[:16]
        return (f"{self.user} on {self.host} (process {self.pid}, since {when} UTC)")


class LockedError(Exception):
    """The project is open in another Sinoru (``holder``, None when it cannot be read)."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        self.path, self.holder = path, holder
        who = holder.describe() if holder else "another Sinoru"
        super().__init__(f"it is open in {who}")


def lock_path(project: str | os.PathLike[str]) -> Path:
    project = Path(project)
    return project.parent / f".{project.name}.lock"


def _me() -> LockHolder:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment: still lock
        user = "unknown user"
    return LockHolder(user, HOST, os.getpid(),
                      datetime.now(UTC).isoformat(timespec="seconds"))


def _parse(data: bytes) -> LockHolder | None:
    try:
        d = json.loads(data.decode("utf-8"))
        return LockHolder(str(d["user"]), str(d["host"]), int(d["pid"]), str(d["since"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def read_holder(project: str | os.PathLike[str]) -> LockHolder | None:
    """Who holds ``project`` according to its lock file (None: no lock file or unreadable)."""
    try:
        return _parse(lock_path(project).read_bytes()[:4096])
    except OSError:
        return None


def _os_lock(fd: int) -> bool | None:
    """Try to take the OS lock on ``fd``: True, False (someone holds it), None (no OS locks)."""
    try:
        if os.name == "posix":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            return None
        if exc.errno in (errno.EACCES, errno.EAGAIN, errno.EDEADLK):
            return False
        raise
    return True


def _recorded_holder_is_live(holder: LockHolder | None, path: Path) -> bool:
    """Without OS locks: does the holder named in the file still hold it?"""
    if holder is None:
        return False
    if holder.host == HOST:
        return holder.pid != os.getpid() and process_alive(holder.pid)
    try:
        return time.time() - path.stat().st_mtime < STALE_AGE
    except OSError:
        return False


class ProjectLock:
    """A held lock on one project; :meth:`release` ends it (the lock file is removed)."""

    def __init__(self, project: Path, fd: int, took_over: LockHolder | None) -> None:
        self.project, self.path, self._fd = project, lock_path(project), fd
        #: The holder of a stale lock this one replaced (a crashed Sinoru), if any.
        self.took_over = took_over

    @classmethod
    def acquire(cls, project: str | os.PathLike[str]) -> ProjectLock:
        """Lock ``project`` for this process.

        Raises
        ------
        LockedError
            When another process holds it (the error names the holder).
        OSError
            When the lock file cannot be created (read-only folder ...).
        """
        project = Path(project)
        path = lock_path(project)
        for _attempt in range(10):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                got = _os_lock(fd)
                os.lseek(fd, 0, os.SEEK_SET)
                previous = _parse(os.read(fd, 4096))
                if got is False or (got is None and _recorded_holder_is_live(previous, path)):
                    raise LockedError(project, previous)
                # The holder before us may have removed the file between our open and our
                # lock: then we locked a file nobody else sees; start again.
                if not os.path.samestat(os.fstat(fd), os.stat(path)):
                    os.close(fd)
                    continue
            except FileNotFoundError:
                os.close(fd)
                continue
            except BaseException:
                os.close(fd)
                raise
            data = json.dumps(_me().__dict__).encode("utf-8")
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, data)
            return cls(project, fd, previous)
        raise LockedError(project, read_holder(project))

    def release(self) -> None:
        if self._fd < 0:
            return
        fd, self._fd = self._fd, -1
        if os.name == "posix":  # remove while still holding it, so no one locks a dead file
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(fd)
        else:
            os.close(fd)
            with contextlib.suppress(OSError):
                self.path.unlink()

    def __repr__(self) -> str:
        return f"ProjectLock({display_name(str(self.project))!r})"


# The locks this process holds, by project path ----------------------------------------------
_held: dict[str, ProjectLock] = {}
_guard = threading.RLock()


def _key(project: str | os.PathLike[str]) -> str:
    return os.path.normcase(os.path.abspath(project))


def held(project: str | os.PathLike[str]) -> bool:
    """Whether this process holds the lock on ``project``."""
    with _guard:
        return _key(project) in _held


def acquire(project: str | os.PathLike[str]) -> ProjectLock:
    """Hold the lock on ``project`` until :func:`release` (or the end of the process)."""
    with _guard:
        key = _key(project)
        if key not in _held:
            _held[key] = ProjectLock.acquire(project)
        return _held[key]


def release(project: str | os.PathLike[str] | None) -> None:
    """Release this process's lock on ``project`` (nothing when it holds none)."""
    if project is None:
        return
    with _guard:
        lock = _held.pop(_key(project), None)
    if lock is not None:
        lock.release()


@contextlib.contextmanager
def holding(project: str | os.PathLike[str]):
    """Hold the lock for the duration of a block, unless this process already holds it."""
    with _guard:
        mine = _held.get(_key(project))
    if mine is not None:
        yield mine
        return
    lock = ProjectLock.acquire(project)
    try:
        yield lock
    finally:
        lock.release()


@atexit.register
def _release_all() -> None:
    with _guard:
        locks = list(_held.values())
        _held.clear()
    for lock in locks:
        lock.release()
