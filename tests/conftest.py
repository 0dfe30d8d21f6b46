"""Shared fixtures: where the real data beside the project lives, and tmp settings."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared data folder: $SINORU_SHARED_DIR, or ../shared beside the project."""
    env = os.environ.get("SINORU_SHARED_DIR")
    return Path(env) if env else PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five real seed articles; the test is skipped when they are absent."""
    path = shared_dir() / "corpus" / "seeds"
    if not (path / "manifest.csv").is_file():
        pytest.skip(f"needs the seed corpus at {path} (set SINORU_SHARED_DIR to its parent "
                    "folder 'shared' to run this test)")
    return path


@pytest.fixture(scope="session")
def validation_dir() -> Path:
    """The gold-labelled validation data; the test is skipped when it is absent."""
    path = shared_dir() / "validation"
    if not (path / "README.md").is_file():
        pytest.skip(f"needs the validation data at {path} (set SINORU_SHARED_DIR)")
    return path
