"""``sinoru-desktop --self-test``: exercise every bundled dependency and say in one line if it works.

It runs offscreen by itself (``QT_QPA_PLATFORM=offscreen`` when there is no display and the
variable is not set), needs no network (any attempt to open a network connection fails the
test) and touches nothing of the user's: it works in a temporary folder. It prints exactly
one line on stdout, ``self-test OK: <n> checks in <t> s`` or
``self-test FAILED: <check>: <reason>``, and returns 0 or 1.

Set ``SINORU_SELFTEST_VERBOSE=1`` to print each check's time, and a failing check's
traceback, on stderr.
"""
from __future__ import annotations

import contextlib
import os
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["run_self_test", "CHECKS", "SelfTestError"]


class SelfTestError(AssertionError):
    """A check saw something wrong; the message is the one-line reason shown to the user."""


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise SelfTestError(reason)


@dataclass
class _Context:
    """What the checks hand on to each other (the corpus, the results …)."""

    tmp: Path
    values: dict[str, Any] = field(default_factory=dict)


def has_display() -> bool:
    """True when Qt can open real windows: always on Windows and macOS, else $DISPLAY."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# The checks, in order -------------------------------------------------------------------
def check_qt(ctx: _Context) -> None:
    """Qt starts with its platform plugin and renders text into an image."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["sinoru-desktop", "--self-test"])
    ctx.values["app"] = app
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, "Sinoru Россия 中俄")
    painter.end()
    dark = sum(1 for x in range(0, 120, 2) for y in range(0, 40, 2)
               if QColor(image.pixel(x, y)).lightness() < 128)
    _require(dark > 0, f"Qt ({app.platformName()}) drew no text: no usable font")


def check_resources(ctx: _Context) -> None:
    """The packaged data is there: demo corpus, codebooks, fonts."""
    from analysis.resources import resource_path

    demo = resource_path("demo")
    _require((demo / "manifest.csv").is_file(), f"demo corpus missing at {demo}")
    ctx.values["demo"] = demo
    for folder in ("codebooks", "fonts", "models", "lexicons"):
        found = [p for p in resource_path(folder).glob("*") if p.is_file()] \
            if resource_path(folder).is_dir() else []
        _require(bool(found), f"packaged {folder} missing at {resource_path(folder)}")
    for name in ("outlets.yaml", "targets.yaml"):
        _require(resource_path(name).is_file(), f"packaged {name} missing")


def demo_import_args(demo: Path) -> tuple[list[Path], Path]:
    """The demo articles (the files its manifest lists) and the manifest itself."""
    import csv

    manifest = demo / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as fh:
        files = [demo / row["file"] for row in csv.DictReader(fh)]
    return files, manifest


def check_ingest(ctx: _Context) -> None:
    """The bundled demo corpus imports: 12 documents in two groups, nothing skipped."""
    from analysis.ingest import import_paths

    files, manifest = demo_import_args(ctx.values["demo"])
    result = import_paths(files, manifest)
    corpus = result.corpus
    groups = sorted({d.get("group") for d in corpus})
    for skipped in result.report.skipped:
        raise SelfTestError(f"demo file {Path(skipped.path).name} skipped: {skipped.reason}")
    _require(len(corpus) == 12, f"demo corpus gave {len(corpus)} documents, expected 12")
    _require(groups == ["chinese", "western"], f"demo corpus groups are {groups}")
    ctx.values["corpus"] = corpus


def check_formats(ctx: _Context) -> None:
    """Every file format reader works: .docx, .pdf, .html (its article, not its menu),
    .rtf, .xlsx and a cp1252 .txt."""
    import docx
    import openpyxl
    from fpdf import FPDF

    from analysis.ingest import import_paths

    folder = ctx.tmp / "formats"
    folder.mkdir()
    body = "Trade between the two neighbours grew, officials said on {}."
    words = {"docx": "Monday", "pdf": "Tuesday", "html": "Wednesday", "xlsx": "Thursday",
             "txt": "Friday", "rtf": "Saturday"}
    doc = docx.Document()
    doc.add_paragraph(body.format(words["docx"]))
    doc.save(folder / "sample.docx")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, body.format(words["pdf"]))
    pdf.output(str(folder / "sample.pdf"))
    (folder / "sample.html").write_text(
        f"<html><head><title>Sample</title></head><body><nav><a>Menu</a> <a>Sunday edition"
        f"</a></nav><article><p>{body.format(words['html'])} The port reopened after a "
        "long winter and ferries now run every hour.</p></article></body></html>",
        encoding="utf-8")
    (folder / "sample.rtf").write_text("{\\rtf1\\ansi " + body.format(words["rtf"]) + "\\par}",
                                       encoding="ascii")
    book = openpyxl.Workbook()
    book.active.append(["title", "text"])
    book.active.append(["Sample", body.format(words["xlsx"])])
    book.save(folder / "sample.xlsx")
    # A legacy Windows encoding: charset detection must recover the curly quotes.
    (folder / "sample.txt").write_bytes(
        ("\u201cTrade grew\u201d, officials said on " + words["txt"] + ".").encode("cp1252"))
    result = import_paths([folder])
    text = " ".join(d.text for d in result.corpus)
    missing = [ext for ext, word in words.items() if word not in text]
    _require(not missing, f"no text read from the sample {', '.join(missing)} file(s)")
    _require("\u201cTrade grew\u201d" in text, "cp1252 text was decoded wrongly")
    _require("Sunday" not in text, "the web page's menu was imported with its article")


def check_languages(ctx: _Context) -> None:
    """Chinese words (jieba and its dictionary) and Russian lemmas (pymorphy3 and its
    dictionary package, found through its entry point) work in this installation."""
    from analysis.lang import ru_lemma, zh_words

    words = [w for w, _a, _b in zh_words("俄罗斯总统访问北京")]
    _require(words == ["俄罗斯", "总统", "访问", "北京"],
             f"Chinese word segmentation gave {words}")
    lemma = ru_lemma("партнёрства")
    _require(lemma == "партнёрство", f"Russian lemmatisation gave {lemma!r}")


def check_analysis(ctx: _Context) -> None:
    """Every analyzer and the trained models run on the demo corpus, for both groups."""
    import math

    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis

    config = AnalysisConfig(n_boot=100, n_perm=100)
    results = run_analysis(ctx.values["corpus"], config, corpus_name="Self-test")
    _require(sorted(results.group_names) == ["chinese", "western"],
             f"results have groups {results.group_names}")
    sections = ("sentiment", "frames", "markers", "readability", "targets", "topics")
    for name in results.group_names:
        group = results.groups[name]
        empty = [s for s in sections if not group.get(s)]
        _require(not empty, f"group {name} has no {', '.join(empty)} figures")
        ease = group["readability"]["flesch_reading_ease"]["mean"]
        _require(ease is not None and math.isfinite(ease), "readability gave no figure")
    comparison = results.comparison("chinese", "western") or \
        results.comparison("western", "chinese")
    _require(bool(comparison and comparison["keyness"]["a"] and comparison["keyness"]["b"]),
             "keyness found no distinctive terms")
    # The trained models ship in the bundle: "auto" must pick them, not the VADER fallback.
    models = results.data.get("models") or {}
    for role in ("target_sentiment", "frames"):
        _require("macro_f1" in (models.get(role) or {}),
                 f"no trained {role} model was used (packaged models missing?)")
    ctx.values["config"] = config
    ctx.values["results"] = results


def check_transformer(ctx: _Context) -> None:
    """The transformer target model (onnxruntime and its bundled weights) reads plain cases."""
    from analysis.models.onnx_target_scorer import load_transformer_model

    scorer = load_transformer_model()
    sentences = ["Critics said the minister lied to voters and betrayed the party.",
                 "Supporters praised the minister as honest, brave and hard-working."]
    spans = [(s.index("minister"), s.index("minister") + len("minister")) for s in sentences]
    labels = scorer.predict(sentences, spans)
    _require(labels == ["negative", "positive"], f"the transformer read plain cases as {labels}")


def check_charts(ctx: _Context) -> None:
    """Every chart draws into a Qt canvas (FigureCanvasQTAgg) and puts ink on it."""
    import numpy as np
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    from analysis.charts import chart_instances

    instances = chart_instances(ctx.values["results"])
    _require(bool(instances), "no charts for the demo results")
    for chart in instances:
        figure = Figure(figsize=chart.size, dpi=60)
        canvas = FigureCanvasQTAgg(figure)
        chart.draw(figure.add_subplot(), ctx.values["results"])
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())
        colours = len(np.unique(pixels.reshape(-1, 4)[::7], axis=0))
        _require(colours > 2, f"chart {chart.key} came out blank")
        canvas.deleteLater()


def check_pdf(ctx: _Context) -> None:
    """The PDF report is written with embedded fonts (Cyrillic and Chinese included)."""
    from pypdf import PdfReader

    from analysis.report import ReportOptions, build_pdf

    target = ctx.tmp / "report.pdf"
    # Two charts keep the check quick; the title exercises the font fallback.
    options = ReportOptions(title="Self-test: Россия и Китай 中俄关系",
                            charts=("sentiment", "markers"))
    build_pdf(ctx.values["results"], target, options)
    _require(target.read_bytes()[:5] == b"%PDF-", "the report is not a PDF")
    reader = PdfReader(str(target))
    # pypdf puts NULs between the glyphs of the CFF CJK font when it extracts them.
    text = " ".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")
    _require(len(reader.pages) >= 2, f"the report has {len(reader.pages)} page(s)")
    _require("chinese" in text and "western" in text, "the report does not name the groups")
    _require("Россия" in text and "中俄" in text, "the report lost its Cyrillic or Chinese text")


def check_tables(ctx: _Context) -> None:
    """The report tables export to an XLSX workbook that reads back."""
    import openpyxl

    from analysis.report import write_tables

    target = ctx.tmp / "tables.xlsx"
    write_tables(ctx.values["results"], xlsx_path=target)
    book = openpyxl.load_workbook(target, read_only=True)
    _require(len(book.sheetnames) >= 2, f"the workbook has sheets {book.sheetnames}")
    book.close()


def check_project(ctx: _Context) -> None:
    """A project with corpus and results saves and loads back unchanged."""
    from sinoru_desktop.project import Project, load_project, save_project

    corpus, results = ctx.values["corpus"], ctx.values["results"]
    path = ctx.tmp / "self-test.sinoru"
    save_project(Project(corpus=corpus, config=ctx.values["config"], results=results), path)
    loaded = load_project(path)
    _require(loaded.corpus.ids == corpus.ids, "the loaded project has other documents")
    _require([d.text for d in loaded.corpus] == [d.text for d in corpus],
             "document texts changed on save and load")
    _require(loaded.results is not None and loaded.results.to_json() == results.to_json(),
             "results changed on save and load")


def check_worker(ctx: _Context) -> None:
    """The analysis worker process starts (spawn: the frozen app runs itself) and answers."""
    from PySide6.QtCore import QEventLoop, QTimer

    from sinoru_desktop.warm_worker import WarmWorker
    from sinoru_desktop.worker_process import process_id

    worker = WarmWorker(warm=False)
    answers: list = []
    loop = QEventLoop()
    worker.done.connect(lambda _id, pid: (answers.append(pid), loop.quit()))
    worker.failed.connect(lambda _id, exc: (answers.append(exc), loop.quit()))
    QTimer.singleShot(60_000, loop.quit)
    try:
        worker.submit(1, process_id, ())
        loop.exec()
    finally:
        worker.shutdown()
    _require(bool(answers), "the analysis worker process did not answer within 60 s")
    _require(isinstance(answers[0], int) and answers[0] != os.getpid(),
             f"the analysis worker process failed: {answers[0]}")


CHECKS: list[tuple[str, Callable[[_Context], None]]] = [
    ("qt", check_qt),
    ("resources", check_resources),
    ("ingest", check_ingest),
    ("formats", check_formats),
    ("languages", check_languages),
    ("analysis", check_analysis),
    ("transformer", check_transformer),
    ("charts", check_charts),
    ("pdf", check_pdf),
    ("tables", check_tables),
    ("project", check_project),
    ("worker", check_worker),
]


# Running --------------------------------------------------------------------------------
class _NetworkUsed(RuntimeError):
    pass


@contextlib.contextmanager
def _no_network() -> Iterator[None]:
    """Fail any attempt to reach the network: the app must work offline on first launch."""
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise _NetworkUsed(f"network access attempted (connect to {address!r})")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost", "127.0.0.1", "::1"):
            raise _NetworkUsed(f"network access attempted (look-up of {host!r})")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect, socket.getaddrinfo = real_connect, real_getaddrinfo


def _reason(exc: BaseException) -> str:
    """One line: the message, with the exception type when the message alone is unclear."""
    message = " ".join(str(exc).split())
    if not isinstance(exc, SelfTestError | _NetworkUsed):
        message = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return message[:300]


def run_self_test(checks: list[tuple[str, Callable[[_Context], None]]] | None = None) -> int:
    """Run every check; print one line; return 0 when all pass, else 1."""
    if not has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    verbose = os.environ.get("SINORU_SELFTEST_VERBOSE", "") not in ("", "0")
    checks = CHECKS if checks is None else checks
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sinoru-selftest-") as tmp, _no_network():
        ctx = _Context(Path(tmp))
        for name, check in checks:
            t0 = time.perf_counter()
            try:
                check(ctx)
            except Exception as exc:  # noqa: BLE001  (any failure is a reported result)
                if verbose:
                    traceback.print_exc(file=sys.stderr)
                print(f"self-test FAILED: {name}: {_reason(exc)}", flush=True)
                return 1
            if verbose:
                print(f"  {name}: {time.perf_counter() - t0:.2f} s", file=sys.stderr)
    elapsed = time.perf_counter() - start
    print(f"self-test OK: {len(checks)} checks in {elapsed:.1f} s", flush=True)
    return 0
