"""Run the per-document stage on an existing Dask distributed cluster.

An optional extra (``pip install "sinoru-desktop[cluster]"``): without it nothing here is
imported and every analysis runs locally. The scheduler's address is what ``dask
scheduler`` prints (``tcp://HOST:8786``); every worker needs the same Sinoru version
installed, which :func:`cluster_executor` checks before any work is sent.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from concurrent.futures import Executor
from importlib import metadata

__all__ = ["ClusterError", "cluster_executor", "normalise_address", "DISTRIBUTION"]

#: The installed distribution whose version the workers must share.
DISTRIBUTION = "sinoru-desktop"
_INSTALL = 'pip install "sinoru-desktop[cluster]"'
_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|inproc)://)?([^\s/:]+|\[[0-9a-fA-F:]+\])(?::(\d+))?$")


class ClusterError(RuntimeError):
    """The cluster cannot be used; the message names the address and the reason."""


def normalise_address(address: str) -> str:
    """``"HOST"`` / ``"HOST:PORT"`` / ``"tcp://HOST:PORT"`` -> ``"tcp://HOST:PORT"``
    (port 8786, Dask's default, when none is given). ValueError says what is wrong."""
    text = address.strip()
    m = _ADDRESS.match(text)
    if not text or m is None:
        raise ValueError(f"'{address}' is not a scheduler address (expected tcp://HOST:8786)")
    scheme, host, port = m.group(1) or "tcp", m.group(2), m.group(3) or "8786"
    if not 0 < int(port) < 65536:
        raise ValueError(f"'{address}': port {port} is out of range")
    return f"{scheme}://{host}:{port}"


def _installed_version() -> str | None:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


@contextlib.contextmanager
def cluster_executor(address: str, *, timeout: float = 10.0) -> Iterator[Executor]:
    """A ``concurrent.futures.Executor`` running on the Dask cluster at ``address``.

    Raises :class:`ClusterError` (naming the address and the reason) when the extra is not
    installed, the scheduler cannot be reached within ``timeout`` seconds, it has no
    workers, or a worker lacks this Sinoru version. The connection closes on exit.
    """
    try:
        url = normalise_address(address)
    except ValueError as exc:
        raise ClusterError(str(exc)) from None
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(f"cannot use the Dask scheduler {url}: the cluster extra is not "
                           f"installed ({exc}); install it with: {_INSTALL}") from None
    try:
        client = Client(url, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {url}: {reason}") from None
    try:
        _check_workers(client, url, timeout)
        with client.get_executor() as executor:
            yield executor
    finally:
        client.close()


def _check_workers(client, url: str, timeout: float) -> None:
    """Every worker must import this Sinoru version, or its results would differ."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        raise ClusterError(f"the Dask scheduler at {url} has no workers (none joined within "
                           f"{timeout:g} s)") from None
    local = _installed_version()
    if local is None:
        return  # a bundle without distribution metadata: the tasks themselves will tell
    versions = client.run(_installed_version, on_error="return")
    wrong = {w: v for w, v in versions.items() if v != local}
    if wrong:
        shown = "; ".join(f"{w}: {v if isinstance(v, str) else 'not installed'}"
                          for w, v in sorted(wrong.items(), key=lambda kv: str(kv[0])))
        raise ClusterError(f"Dask workers at {url} lack {DISTRIBUTION} {local} ({shown}); "
                           f"install the same version on every worker")
