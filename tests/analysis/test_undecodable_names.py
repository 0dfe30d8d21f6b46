"""A file name that is not valid UTF-8 is kept exactly in results.json and shown readably in
the CSVs and reports, instead of failing every writer at the end (issue 12, item 2)."""
from __future__ import annotations

import csv
import json
import os

import pytest

from analysis import cli
from analysis.names import display_name, json_text
from analysis.results import Results

FAST = ["--quiet", "--n-boot", "20", "--n-perm", "20", "--topics", "2", "--min-docs", "1"]


@pytest.fixture
def latin1_named(tmp_path):
    """A folder with b"caf\\xe9.txt" (a Latin-1 name) beside an ordinary file."""
    folder = tmp_path / "articles"
    folder.mkdir()
    try:
        with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w",
                  encoding="utf-8") as fh:
            fh.write("Trade talks\n\nThe ministers met in Kazan and agreed to expand trade.\n")
    except (OSError, UnicodeError) as exc:  # macOS and Windows refuse such names
        pytest.skip(f"this file system refuses non-UTF-8 file names ({exc})")
    (folder / "b.txt").write_text("Sanctions\n\nSanctions pressure on banks grew, analysts "
                                  "said.\n", encoding="utf-8")
    return folder


def test_display_and_json_forms():
    name = "caf\udce9.txt"
    assert display_name(name) == "caf\\xe9.txt"
    assert display_name("中国.txt") == "中国.txt"
    text = json_text(json.dumps({"source": name}, ensure_ascii=False))
    text.encode("utf-8")  # valid UTF-8 now
    assert json.loads(text) == {"source": name}


def test_analyze_writes_results_and_keeps_the_name(latin1_named, tmp_path, capsys):
    out = tmp_path / "out"
    code = cli.main(["analyze", str(latin1_named), "--out", str(out),
                     "--pdf", str(tmp_path / "report.pdf"), *FAST])
    stdout, stderr = capsys.readouterr()
    assert "Traceback" not in stdout + stderr
    assert code == 0
    original = os.fsdecode(os.path.join(os.fsencode(latin1_named), b"caf\xe9.txt"))
    # results.json is valid UTF-8 and gives back the exact name, which opens the file.
    data = json.loads((out / "results.json").read_bytes().decode("utf-8"))
    sources = {p["source"] for p in data["provenance"]}
    assert original in sources and os.path.isfile(original)
    assert original in {p["source"] for p in Results.load(out).data["provenance"]}
    # The CSV shows it readably.
    with open(out / "documents.csv", encoding="utf-8", newline="") as fh:
        shown = {r["source"] for r in csv.DictReader(fh)}
    assert display_name(original) in shown and display_name(original).endswith("caf\\xe9.txt")
    assert (tmp_path / "report.pdf").stat().st_size > 10_000


def test_reports_show_the_name_readably(latin1_named, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["analyze", str(latin1_named), "--out", str(out), *FAST]) == 0
    code = cli.main(["report", str(out), "--html", str(tmp_path / "r.html"),
                     "--xlsx", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "csv")])
    capsys.readouterr()
    assert code == 0
    assert "caf\\xe9.txt" in (tmp_path / "r.html").read_text(encoding="utf-8")
    from openpyxl import load_workbook

    cells = {c.value for ws in load_workbook(tmp_path / "r.xlsx").worksheets
             for row in ws.iter_rows() for c in row}
    assert any(isinstance(v, str) and v.endswith("caf\\xe9.txt") for v in cells)
