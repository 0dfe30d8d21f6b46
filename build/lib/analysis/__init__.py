"""Sinoru's analysis engine: ingest, analyzers, group comparison, charts and reports.

Qt-free by contract: nothing here imports PySide6, ``sinoru_desktop`` or pyplot.
"""
from analysis.progress import Cancelled

__version__ = "0.1.0"
__all__ = ["Cancelled", "__version__"]
