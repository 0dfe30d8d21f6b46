"""Hostile input through ``sinoru analyze``: one clear line per problem, the rest goes on,
documented exit codes (0 ok, 1 some input skipped, 2 nothing produced), no tracebacks."""
from __future__ import annotations

import importlib
import json
import os

import pytest

from analysis import cli

FAST = ["--quiet", "--n-boot", "20", "--n-perm", "20", "--topics", "2", "--min-docs", "1"]

GOOD_A = ("Kazan talks widen trade\n\nThe ministers met in Kazan on Monday and agreed to "
          "expand trade. China and Russia signed new energy deals.\n")
GOOD_B = ("Banks wary of sanctions\n\nSanctions pressure grew on Chinese banks, analysts "
          "said. Moscow denied any problem with payments.\n")


@pytest.fixture
def sinoru(monkeypatch, capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    try:
        importlib.import_module("analysis.commands.evaluate")
    except ModuleNotFoundError:  # a sub-command still being written must not block these
        monkeypatch.delitem(cli.COMMANDS, "evaluate", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


@pytest.fixture
def messy(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good_a.txt").write_text(GOOD_A, encoding="utf-8")
    (folder / "good_b.txt").write_text(GOOD_B, encoding="utf-8")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4 not really a pdf \x00\x01")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    with open(folder / "huge.txt", "wb") as f:  # sparse: costs no disk space
        f.truncate(200 * 2**20)
    (folder / "cyrillic.txt").write_bytes(
        "Переговоры в Казани\n\nМинистры встретились в Казани и обсудили торговлю.\n"
        .encode("cp1251"))
    return folder


def test_hostile_folder_skips_each_bad_file_with_its_reason(sinoru, messy, tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text('file,group\n"good_a.txt,chinese\ngood_b.txt', encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = sinoru("analyze", str(messy), "--manifest", str(manifest),
                                  "--out", str(out), *FAST)
    assert code == 1  # done, but some input skipped
    lines = stderr.splitlines()
    for name, reason in [("binary.txt", "binary data"), ("corrupt.pdf", "cannot read PDF"),
                         ("empty.txt", "empty file"),
                         ("huge.txt", "too large: 200.0 MB (limit 50.0 MB)")]:
        assert any(f"skipped {messy / name}: {reason}" in line for line in lines), name
    assert any(f"manifest {manifest}: not a readable CSV" in line for line in lines)
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    titles = sorted(d["title"] for d in data["documents"])
    assert titles == ["Banks wary of sanctions", "Kazan talks widen trade",
                      "Переговоры в Казани"]
    # Without usable groups the summary says so instead of "0 documents in 0 groups".
    assert "Analysed 3 documents; no groups to compare (no document has a value in " \
           "'group')." in stdout


def test_nothing_readable_exits_2(sinoru, messy, tmp_path):
    code, _out, err = sinoru("analyze", str(messy / "empty.txt"), str(messy / "missing.txt"),
                             "--out", str(tmp_path / "out"), *FAST)
    assert code == 2
    assert f"{messy / 'missing.txt'}: no such file or folder" in err
    assert "no readable articles: nothing to analyse" in err


def test_malformed_codebook_is_one_line_with_file_and_line(sinoru, messy, tmp_path):
    bad = tmp_path / "frames.yaml"
    bad.write_text("id: mine\nframes:\n- id: a\n  terms: [foo\n", encoding="utf-8")
    code, _out, err = sinoru("analyze", str(messy / "good_a.txt"), "--codebook", str(bad),
                             "--out", str(tmp_path / "out"), *FAST)
    assert code == 2
    assert err.splitlines() == [
        f"sinoru: {bad}, line 5: not valid YAML (expected ',' or ']', but got "
        "'<stream end>')"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, reason", [
    ("targets: [\n", "line 2: not valid YAML (expected the node content, but found "
                     "'<stream end>')"),
    ("targets:\n- id: russia\n  aliases: 3\n",
     ": target 'russia' needs a non-empty 'aliases' list"),
])
def test_malformed_targets_is_one_line(sinoru, messy, tmp_path, text, reason):
    bad = tmp_path / "targets.yaml"
    bad.write_text(text, encoding="utf-8")
    code, _out, err = sinoru("analyze", str(messy / "good_a.txt"), "--targets", str(bad),
                             "--out", str(tmp_path / "out"), *FAST)
    assert code == 2
    sep = ", " if reason.startswith("line") else ""
    assert err.splitlines() == [f"sinoru: {bad}{sep}{reason}"]


def test_output_folder_that_is_a_file(sinoru, messy, tmp_path):
    blocker = tmp_path / "results"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    code, _out, err = sinoru("analyze", str(messy / "good_a.txt"), "--out", str(blocker),
                             *FAST)
    assert code == 2
    assert err.splitlines() == [f"sinoru: {blocker}: cannot write results (a file of that "
                                "name exists; give a folder)"]
    code, _out, err = sinoru("analyze", str(messy / "good_a.txt"),
                             "--out", str(blocker / "sub"), *FAST)
    assert code == 2
    assert f"sinoru: {blocker / 'sub'}: cannot write results (" in err


def test_pdf_in_a_missing_folder_is_refused_before_the_analysis(sinoru, messy, tmp_path):
    pdf = tmp_path / "no" / "such" / "report.pdf"
    code, _out, err = sinoru("analyze", str(messy / "good_a.txt"),
                             "--out", str(tmp_path / "out"), "--pdf", str(pdf), *FAST)
    assert code == 2
    assert err.splitlines() == [f"sinoru: {pdf}: cannot write the PDF report "
                                f"({pdf.parent} is not a folder)"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions and a non-root user")
def test_read_only_output_folder(sinoru, messy, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, _out, err = sinoru("analyze", str(messy / "good_a.txt"),
                                 "--out", str(locked / "out"), *FAST)
    finally:
        locked.chmod(0o755)
    assert code == 2
    assert f"sinoru: {locked / 'out'}: cannot write results (Permission denied)" in err


def test_groups_that_no_document_has_are_named(sinoru, messy, tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,group\ngood_a.txt,chinese\ngood_b.txt,western\n",
                        encoding="utf-8")
    args = [str(messy / "good_a.txt"), str(messy / "good_b.txt"), "--manifest",
            str(manifest), "--out", str(tmp_path / "out"), *FAST]
    code, _out, err = sinoru("analyze", *args, "--groups", "russian", "state")
    assert code == 2
    assert err.splitlines() == [
        "sinoru: --groups: no document has group = 'russian' (present: chinese, western)",
        "sinoru: --groups: no document has group = 'state' (present: chinese, western)"]
    assert not (tmp_path / "out" / "results.json").exists()
