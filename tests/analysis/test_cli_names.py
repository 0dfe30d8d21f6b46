"""File names with terminal escapes, right-to-left marks or bytes that are not UTF-8 are
printed escaped by every command, and the JSON report still names the exact file."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.display import escaped

GOOD = ("Harbour Talks Resume\n\nThe port authorities of both cities met again on Monday. "
        "China and Russia signed new agreements on freight.\n")
EVIL = "evil\x1b]0;pwned\x07\x1b[2Jname.txt"   # sets the window title, clears the screen
RTL = "report\u202etxt.exe"                       # shows as "reportexe.txt"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                 "\ud800-\udfff]")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / EVIL).write_text(GOOD, encoding="utf-8")
    (folder / RTL).write_bytes(bytes(range(256)) * 4)           # skipped: its name is printed
    (folder / f"{RTL}.txt").write_bytes(bytes(range(256)) * 4)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(GOOD.replace("Monday", "Tuesday").encode())
    (folder / "plain.txt").write_text(GOOD.replace("Monday", "Friday"), encoding="utf-8")
    return folder


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not RAW.search(out + err), RAW.search(out + err)
    return code, out, err


def test_escaped():
    assert escaped("a\x1b[31mb\u202ec\udce9\nd") == "a\\u001b[31mb\\u202ec\\udce9\\u000ad"
    assert escaped("line\nnext", keep_newlines=True) == "line\nnext"
    assert escaped("作者 café — “quoted”") == "作者 café — “quoted”"


def test_import_check_prints_names_escaped(hostile, capsys):
    code, out, err = _run(capsys, "import-check", str(hostile), "--quiet")
    assert code == 1
    assert f"{escaped(str(hostile / EVIL))}" in out
    assert "evil\\u001b]0;pwned\\u0007\\u001b[2Jname.txt" in out
    assert f"{hostile}/report\\u202etxt.exe.txt: binary data" in out
    assert "caf\\udce9.txt" in out


def test_import_check_json_stays_valid_and_exact(hostile, capsys):
    _code, out, _err = _run(capsys, "import-check", str(hostile), "--quiet", "--json")
    report = json.loads(out)
    names = {Path(r["path"]).name for r in report["imported"] + report["skipped"]}
    assert {EVIL, f"{RTL}.txt", RTL, "caf\udce9.txt"} <= names


def test_analyze_prints_names_escaped(hostile, tmp_path, capsys):
    # Results naming a non-UTF-8 file are another matter (saving them); names only here.
    os.remove(os.path.join(os.fsencode(hostile), b"caf\xe9.txt"))
    code, _out, err = _run(capsys, "analyze", str(hostile), "--quiet", "--out",
                           str(tmp_path / "out"), "--n-boot", "20", "--n-perm", "20",
                           "--topics", "2", "--min-docs", "1")
    assert "report\\u202etxt.exe.txt: binary data" in err
    assert code in (0, 1)
