"""Run-time hook for the frozen app: runs before any of its code.

matplotlib draws through QtAgg only (the one backend bundled), with PySide6 as its binding.
"""
import os

os.environ.setdefault("MPLBACKEND", "QtAgg")
os.environ.setdefault("QT_API", "pyside6")
