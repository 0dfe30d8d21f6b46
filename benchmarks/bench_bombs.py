"""Time to refuse each bomb the importer knows, beside a good file.

    python -m benchmarks.bench_bombs

Prints one row per bomb: size on disk, what it claims to expand to, seconds to import the
folder, and the reason given. Peak memory of the whole run: ``/usr/bin/time -v``.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks._common import print_table
from benchmarks.hostile import docx_bomb, nested_html, xlsx_bomb

BOMBS = [
    ("docx, 1.1 GB document.xml", "bomb.docx", lambda: docx_bomb(1100)),
    ("docx, directory lies (300 MB)", "liar.docx", lambda: docx_bomb(300, lie=True)),
    ("xlsx, 1 GB sheet", "bomb.xlsx", lambda: xlsx_bomb(1024)),
    ("html, 100,000 nested divs", "deep.html", lambda: nested_html(100_000)),
    ("html, 990 nested divs (allowed)", "ok.html", lambda: nested_html(990)),
]


def main() -> None:
    from analysis.ingest import OutletRegistry, import_paths

    registry = OutletRegistry.load()
    rows = []
    for label, name, make in BOMBS:
        data = make()
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / name).write_bytes(data)
            (Path(tmp) / "good.txt").write_text("Ferry timetable\n\nThe ferry sails at dawn.\n",
                                                encoding="utf-8")
            started = time.perf_counter()
            result = import_paths([tmp], registry=registry)
            seconds = time.perf_counter() - started
        reasons = [s.reason for s in result.report.skipped] or ["imported"]
        rows.append([label, f"{len(data) / 2**20:.1f} MB", f"{seconds:.2f}", reasons[0][:70]])
    print_table(["bomb", "on disk", "seconds", "outcome"], rows)


if __name__ == "__main__":
    main()
