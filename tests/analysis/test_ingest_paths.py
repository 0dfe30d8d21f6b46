"""Nothing in a folder is lost without a word: unreadable folders, broken and looping links,
and a --manifest that does not exist are all named."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.ingest import import_paths

GOOD = "Harbour Talks Resume\n\nThe port authorities of both cities met again on Monday.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "sub" / "inner.txt").write_text(GOOD.replace("Monday", "Tuesday"),
                                            encoding="utf-8")
    return root


def _reasons(result) -> dict[str, str]:
    return {s.path: s.reason for s in result.report.skipped}


def test_unreadable_subfolder_is_reported(folder, monkeypatch):
    locked = folder / "locked"
    locked.mkdir()
    (locked / "hidden_away.txt").write_text(GOOD, encoding="utf-8")
    if os.geteuid() == 0:  # root reads any folder: make the system refuse as for a user
        real_scandir = os.scandir

        def scandir(path):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        locked.chmod(0)
    try:
        result = import_paths([folder])
    finally:
        locked.chmod(0o700)
    assert result.corpus.ids == ["good", "inner"]
    assert _reasons(result) == {str(locked): "cannot read this folder (Permission denied)"}
    assert f"{locked}: cannot read this folder (Permission denied)" in result.report.format()
    assert result.report.exit_code == 1


def test_dangling_and_looping_links_are_reported(folder):
    (folder / "gone.txt").symlink_to(folder / "deleted.txt")
    (folder / "loop_a.txt").symlink_to(folder / "loop_b.txt")
    (folder / "loop_b.txt").symlink_to(folder / "loop_a.txt")
    (folder / "sub" / "back_up").symlink_to(folder)  # a folder link into its own parent
    (folder / "linked.txt").symlink_to(folder / "sub" / "inner.txt")
    result = import_paths([folder])
    # A link to a file imports that file (here a second copy of inner.txt).
    assert result.corpus.ids == ["good", "linked", "inner"]
    assert _reasons(result) == {
        str(folder / "gone.txt"): f"broken link (points to {folder / 'deleted.txt'}, "
                                  "which does not exist)",
        str(folder / "loop_a.txt"): "link loop (the link leads back to itself)",
        str(folder / "loop_b.txt"): "link loop (the link leads back to itself)",
        str(folder / "sub" / "back_up"): "link loop (leads back to a folder already read)",
    }


def test_a_broken_link_named_on_its_own(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    result = import_paths([link])
    assert _reasons(result) == {str(link): f"broken link (points to {tmp_path / 'deleted.txt'}, "
                                           "which does not exist)"}


@pytest.mark.parametrize("command", ["import-check", "analyze"])
def test_missing_manifest_is_an_error(folder, tmp_path, capsys, command):
    # A warning with exit code 0 before.
    missing = tmp_path / "manifest.csv"
    extra = ["--out", str(tmp_path / "out")] if command == "analyze" else []
    code = main([command, str(folder), "--manifest", str(missing), "--quiet", *extra])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"sinoru: {missing}: no such manifest file\n" == err
    assert out == ""
    assert not (tmp_path / "out").exists()
