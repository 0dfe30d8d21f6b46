"""A real local Dask cluster: a scheduler and single-threaded worker processes, each a
separate process as on a real cluster (needs the "cluster" extra). Used by the cluster
tests and benchmarks/bench_scale_cluster.py."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["local_dask_cluster", "free_port"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def local_dask_cluster(work: Path, workers: int = 2) -> Iterator[tuple[str, object]]:
    """Start ``dask scheduler`` and ``dask worker --nworkers N``; yields (address, client)
    once every worker has joined, and stops them all afterwards."""
    from distributed import Client

    work.mkdir(parents=True, exist_ok=True)
    info = work / "scheduler.json"

    def start(args: list[str], log: str) -> subprocess.Popen:
        # Its log goes to ``work`` (for when it fails); its own session, to stop it whole.
        with open(work / log, "wb") as err:
            return subprocess.Popen([sys.executable, "-m", *args], stdout=subprocess.DEVNULL,
                                    stderr=err, start_new_session=True)

    procs = [start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                    str(free_port()), "--scheduler-file", str(info), "--no-dashboard"],
                   "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        if not info.is_file():
            raise RuntimeError("the Dask scheduler did not start within 60 s")
        procs.append(start(["distributed.cli.dask_worker", "--scheduler-file", str(info),
                            "--nworkers", str(workers), "--nthreads", "1",
                            "--local-directory", str(work), "--no-dashboard"], "workers.log"))
        address = json.loads(info.read_text())["address"]
        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
            yield address, client
    finally:
        for proc in reversed(procs):
            # Each runs in its own session: stop it with the worker processes it started.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
