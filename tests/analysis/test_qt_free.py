"""The engine stays Qt-free: importing every engine module loads neither Qt nor pyplot."""
from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import analysis


def test_engine_modules_load_no_qt_and_no_pyplot():
    modules = [m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis.")
               if not m.name.endswith("__main__")]
    assert len(modules) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6',"
        " 'sinoru_desktop') or m == 'matplotlib.pyplot')\n"
        "print(','.join(bad))\n")
    root = Path(analysis.__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.strip() == ""
