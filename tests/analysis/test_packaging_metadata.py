"""The wheel ships every package of the source tree, and the packaged resources."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_source_package_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for top in ("analysis", "sinoru_desktop") for p in (ROOT / top).rglob("__init__.py")
             if "__pycache__" not in p.parts}
    assert found - listed == set(), "add these packages to pyproject.toml"
    assert "sinoru_resources" in listed
    assert config["tool"]["setuptools"]["package-dir"]["sinoru_resources"] == "resources"
