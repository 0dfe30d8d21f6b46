"""The figures behind every chart as tables: DataFrames for CSV/XLSX, strings for pages.

Every table is built from ``results.data`` (docs/results-schema.md), so the numbers in a
spreadsheet are the ones in the charts and the PDF.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.cells import write_csv
from analysis.charts._common import data_of
from analysis.charts.profiles import READABILITY_LABELS, codebook_frames, marker_label, topic_label
from analysis.progress import ProgressCallback, no_progress

__all__ = ["ReportTable", "data_tables", "report_tables", "tests_frame", "write_tables", "sheet_name",
           "frame_labels", "test_label"]


@dataclass(frozen=True)
class ReportTable:
    """One table: ``name`` (file/sheet name), ``title`` (shown to people), ``frame``."""

    name: str
    title: str
    frame: pd.DataFrame


def _ci(cell) -> tuple:
    ci = (cell or {}).get("ci95") or [None, None]
    return (ci[0], ci[1]) if len(ci) == 2 else (None, None)


def frame_labels(data: dict) -> dict[str, str]:
    """``"codebook.frame" -> frame label`` for every codebook in the results."""
    out = {}
    for cb in data.get("codebooks") or []:
        for fid, label in codebook_frames(data, cb.get("id")):
            out[f"{cb.get('id')}.{fid}"] = label
    return out


def test_label(data: dict, section: str, key: str) -> str:
    """Plain name of a compared figure (a row of ``comparisons[].tests``)."""
    if section == "frames":
        return frame_labels(data).get(key, key)
    if section == "targets":
        labels = {t.get("id"): t.get("label") for t in data.get("targets") or []}
        return f"tone toward {labels.get(key) or key}"
    if section == "markers":
        return marker_label(data, key)
    if section == "readability":
        return READABILITY_LABELS.get(key, key)
    if section == "topics":
        for t in data.get("topics") or []:
            if t.get("id") == key:
                return f"topic {topic_label(t)}"
    if section == "sentiment":
        return "mean sentence tone"
    return f"{section} {key}"


def _rows_per_group(data: dict, section: str, label: Callable[[str], str],
                    key_name: str) -> pd.DataFrame:
    rows = []
    for g, block in (data.get("groups") or {}).items():
        for key, cell in ((block or {}).get(section) or {}).items():
            lo, hi = _ci(cell)
            rows.append({key_name: key, "label": label(key), "group": g,
                         "mean": (cell or {}).get("mean"), "ci_low": lo, "ci_high": hi,
                         "n_documents": block.get("n_documents")})
    return pd.DataFrame(rows, columns=[key_name, "label", "group", "mean", "ci_low", "ci_high",
                                       "n_documents"])


def _groups(data: dict) -> pd.DataFrame:
    rows = []
    for g, b in (data.get("groups") or {}).items():
        dates = b.get("dates") or {}
        rows.append({"group": g, "n_documents": b.get("n_documents"),
                     "n_outlets": b.get("n_outlets"), "n_words": b.get("n_words"),
                     "outlets": "; ".join(b.get("outlets") or []),
                     "first_date": dates.get("min"), "last_date": dates.get("max")})
    return pd.DataFrame(rows, columns=["group", "n_documents", "n_outlets", "n_words", "outlets",
                                       "first_date", "last_date"])


def _frames(data: dict) -> pd.DataFrame:
    labels = frame_labels(data)
    rows = []
    for g, b in (data.get("groups") or {}).items():
        for cb, frames in ((b or {}).get("frames") or {}).items():
            for f, cell in (frames or {}).items():
                lo, hi = _ci(cell)
                rows.append({"codebook": cb, "frame": f, "label": labels.get(f"{cb}.{f}", f),
                             "group": g, "share": (cell or {}).get("share"), "ci_low": lo,
                             "ci_high": hi, "n_documents_with": (cell or {}).get("n_documents_with"),
                             "n_documents": b.get("n_documents")})
    return pd.DataFrame(rows, columns=["codebook", "frame", "label", "group", "share", "ci_low",
                                       "ci_high", "n_documents_with", "n_documents"])


def _sentiment(data: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, dist = [], []
    for g, b in (data.get("groups") or {}).items():
        s = (b or {}).get("sentiment") or {}
        d = s.get("distribution") or {}
        edges, counts = d.get("bins") or [], d.get("counts") or []
        lo, hi = _ci(s)
        rows.append({"group": g, "mean": s.get("mean"), "ci_low": lo, "ci_high": hi,
                     "sd": s.get("sd"), "n_documents": b.get("n_documents"),
                     "n_sentences": int(sum(counts)) if counts else None})
        if len(edges) == len(counts) + 1:
            dist += [{"group": g, "bin_low": edges[i], "bin_high": edges[i + 1],
                      "n_sentences": c} for i, c in enumerate(counts)]
    return (pd.DataFrame(rows, columns=["group", "mean", "ci_low", "ci_high", "sd", "n_documents",
                                        "n_sentences"]),
            pd.DataFrame(dist, columns=["group", "bin_low", "bin_high", "n_sentences"]))


def _targets(data: dict) -> pd.DataFrame:
    labels = {t.get("id"): t.get("label") for t in data.get("targets") or []}
    rows = []
    for g, b in (data.get("groups") or {}).items():
        for t, cell in ((b or {}).get("targets") or {}).items():
            lo, hi = _ci(cell)
            counts = (cell or {}).get("counts") or {}
            rows.append({"target": t, "label": labels.get(t) or t, "group": g,
                         "mean": cell.get("mean"), "ci_low": lo, "ci_high": hi,
                         "n_mentions": cell.get("n_mentions"), "n_documents": cell.get("n_documents"),
                         "negative": counts.get("negative"), "neutral": counts.get("neutral"),
                         "positive": counts.get("positive")})
    return pd.DataFrame(rows, columns=["target", "label", "group", "mean", "ci_low", "ci_high",
                                       "n_mentions", "n_documents", "negative", "neutral",
                                       "positive"])


_TERM_COLS = ["term", "z", "log_ratio", "g2", "count_a", "count_b", "docs_a", "docs_b",
              "outlets_a", "outlets_b", "freq_a", "freq_b"]


def _keyness(data: dict) -> pd.DataFrame:
    rows = []
    for c in data.get("comparisons") or []:
        for side in ("a", "b"):
            for rank, t in enumerate(((c.get("keyness") or {}).get(side) or []), 1):
                rows.append({"comparison": f"{c.get('a')} vs {c.get('b')}", "side": side,
                             "distinctive_of": c.get(side), "rank": rank,
                             **{k: t.get(k) for k in _TERM_COLS}})
    return pd.DataFrame(rows, columns=["comparison", "side", "distinctive_of", "rank", *_TERM_COLS])


def _tests(data: dict) -> pd.DataFrame:
    rows = []
    for c in data.get("comparisons") or []:
        for t in c.get("tests") or []:
            rows.append({"comparison": f"{c.get('a')} vs {c.get('b')}", "a": c.get("a"),
                         "b": c.get("b"), "section": t.get("section"), "key": t.get("key"),
                         "label": test_label(data, t.get("section"), t.get("key")),
                         **{k: t.get(k) for k in ("mean_a", "mean_b", "diff", "effect_size",
                                                  "p_perm", "q_bh")}})
    return pd.DataFrame(rows, columns=["comparison", "a", "b", "section", "key", "label", "mean_a",
                                       "mean_b", "diff", "effect_size", "p_perm", "q_bh"])


def tests_frame(results) -> pd.DataFrame:
    """Every comparison test, one row each: comparison, a, b, section, key, label, mean_a,
    mean_b, diff, effect_size (Cohen's d), p_perm, q_bh (Benjamini–Hochberg), plus
    codebook (frames only), n_a and n_b (documents per side)."""
    data = data_of(results)
    frame = _tests(data)
    groups = data.get("groups") or {}
    sizes = {g: (b or {}).get("n_documents") for g, b in groups.items()}
    total = sum(v for v in sizes.values() if isinstance(v, int))

    def n_of(group, other):
        if group in sizes:
            return sizes[group]
        if group == "rest" and isinstance(sizes.get(other), int):
            return total - sizes[other]
        return None

    return frame.assign(
        codebook=[k.split(".", 1)[0] if s == "frames" else ""
                  for s, k in zip(frame["section"], frame["key"], strict=True)],
        n_a=[n_of(a, b) for a, b in zip(frame["a"], frame["b"], strict=True)],
        n_b=[n_of(b, a) for a, b in zip(frame["a"], frame["b"], strict=True)])


def _timeline(data: dict) -> pd.DataFrame:
    rows = [{"group": g, "period": r.get("period"), "n_documents": r.get("n_documents")}
            for g, b in (data.get("groups") or {}).items()
            for r in (((b or {}).get("dates") or {}).get("by_period") or [])]
    return pd.DataFrame(rows, columns=["group", "period", "n_documents"])


def _documents(data: dict) -> pd.DataFrame:
    rows = []
    for d in data.get("documents") or []:
        row = {k: d.get(k) for k in ("doc_id", "title", "outlet", "outlet_type", "group",
                                     "author", "date", "language", "source", "n_words",
                                     "n_sentences", "sentiment", "not_available")}
        for cb, frames in (d.get("frames") or {}).items():
            for f, v in (frames or {}).items():
                row[f"frames.{cb}.{f}"] = v
        for section in ("markers", "readability", "topics"):
            for k, v in (d.get(section) or {}).items():
                row[f"{section}.{k}"] = v
        for t, cell in (d.get("targets") or {}).items():
            row[f"targets.{t}.mean"] = (cell or {}).get("mean")
            row[f"targets.{t}.n_mentions"] = (cell or {}).get("n_mentions")
        removed = d.get("removed") or []
        row["removed_passages"] = len(removed)
        row["removed_text"] = " | ".join(f"{r.get('reason')}: {r.get('text')}" for r in removed)
        rows.append(row)
    return pd.DataFrame(rows)


def _evidence(data: dict) -> pd.DataFrame:
    rows = []
    ev = data.get("evidence") or {}
    cols = ["doc_id", "title", "outlet", "left", "match", "right"]
    for comp, sides in (ev.get("terms") or {}).items():
        for side, terms in (sides or {}).items():
            for term, passages in (terms or {}).items():
                rows += [{"kind": "term", "comparison": comp.replace("|", " vs "), "side": side,
                          "key": term, "group": p.get("group"), **{k: p.get(k) for k in cols}}
                         for p in passages or []]
    for frame, groups in (ev.get("frames") or {}).items():
        for g, passages in (groups or {}).items():
            rows += [{"kind": "frame", "comparison": "", "side": "", "key": frame, "group": g,
                      **{k: p.get(k) for k in cols}} for p in passages or []]
    return pd.DataFrame(rows, columns=["kind", "comparison", "side", "key", "group", *cols])


def _models(data: dict) -> pd.DataFrame:
    rows = []
    for role, m in (data.get("models") or {}).items():
        lo, hi = _ci(m)
        rows.append({"model": role, "name": (m or {}).get("name"),
                     "macro_f1": (m or {}).get("macro_f1"), "ci_low": lo, "ci_high": hi,
                     "data": (m or {}).get("data"), "n": (m or {}).get("n")})
    return pd.DataFrame(rows, columns=["model", "name", "macro_f1", "ci_low", "ci_high", "data", "n"])


def data_tables(results) -> list[ReportTable]:
    """Every table of the report, in order; empty tables are kept (with their columns)."""
    from analysis.report.collocations import collocation_frame

    data = data_of(results)
    sentiment, distribution = _sentiment(data)
    topics = {t.get("id"): t for t in data.get("topics") or []}
    return [
        ReportTable("groups", "Groups compared", _groups(data)),
        ReportTable("frames", "Frames per group", _frames(data)),
        ReportTable("sentiment", "Sentiment per group", sentiment),
        ReportTable("sentiment_distribution", "Sentence tone distribution", distribution),
        ReportTable("targets", "Tone toward targets", _targets(data)),
        ReportTable("keyness", "Distinctive vocabulary", _keyness(data)),
        ReportTable("markers", "Stance markers and actor salience",
                    _rows_per_group(data, "markers", lambda k: marker_label(data, k), "marker")),
        ReportTable("readability", "Readability",
                    _rows_per_group(data, "readability",
                                    lambda k: READABILITY_LABELS.get(k, k), "index")),
        ReportTable("topics", "Topics",
                    _rows_per_group(data, "topics",
                                    lambda k: topic_label(topics.get(k) or {"id": k}), "topic")),
        ReportTable("timeline", "Documents over time", _timeline(data)),
        ReportTable("tests", "Comparison tests", _tests(data)),
        ReportTable("collocations", "Collocations of the targets", collocation_frame(results)),
        ReportTable("documents", "Documents", _documents(data)),
        ReportTable("evidence", "Evidence passages", _evidence(data)),
        ReportTable("provenance", "Data provenance",
                    pd.DataFrame(data.get("provenance") or [],
                                 columns=["doc_id", "source", "sha256"])),
        ReportTable("models", "Models and measured accuracy", _models(data)),
        ReportTable("settings", "Settings and warnings", _settings(data)),
    ]


#: Which report section each table belongs to (``ReportOptions.sections``).
_TABLE_SECTION = {"groups": "summary", "evidence": "evidence", "documents": "documents",
                  "provenance": "methods", "models": "methods"}


def _report_info(results, options) -> ReportTable:
    import datetime as dt

    from analysis.report.options import report_title

    data = data_of(results)
    rows = [("title", report_title(results, options)), ("author", options.author),
            ("note", options.note.strip()), ("corpus", data.get("corpus_name") or ""),
            ("sections", ", ".join(options.sections)),
            ("analysis_run", data.get("created") or ""),
            ("written", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))]
    return ReportTable("report", "About this report",
                       pd.DataFrame(rows, columns=["field", "value"]))


def report_tables(results, options) -> list[ReportTable]:
    """The tables of a report with ``options``: "About this report" (title, author, note)
    when the title section is on, then the tables of the chosen sections (the figures
    behind the charts come with "charts" or "tables")."""
    def wanted(table: ReportTable) -> bool:
        section = _TABLE_SECTION.get(table.name)
        if section is None:
            return options.includes("charts") or options.includes("tables")
        return options.includes(section)

    from analysis.report.split import split_table

    info = [_report_info(results, options)] if options.includes("title") else []
    split = split_table(results, options) if wanted(ReportTable("split", "", None)) else None
    extra = ([ReportTable(f"split_by_{options.split_by}", f"Split by {options.split_by}", split)]
             if split is not None else [])
    return info + [t for t in data_tables(results) if wanted(t)] + extra


def _settings(data: dict) -> pd.DataFrame:
    """Every setting behind the figures, how each group's figures were made, how each
    comparison was tested, and every warning: one sheet a reader of the workbook sees."""
    rows = []

    def flat(prefix, value):
        if isinstance(value, dict):
            for k, v in value.items():
                flat(f"{prefix}.{k}" if prefix else k, v)
        else:
            rows.append({"kind": "setting", "name": prefix,
                         "value": ", ".join(map(str, value)) if isinstance(value, (list, tuple))
                         else value})

    flat("", data.get("config") or {})
    for g, block in (data.get("groups") or {}).items():
        unit = (block or {}).get("unit") or {}
        interval = ("range of these documents (fewer than 10 documents: no interval; every "
                    "document's value is in the documents table)"
                    if unit.get("interval") == "documents" else
                    f"95% bootstrap interval ({unit.get('resampling') or 'documents'} resampled)")
        rows.append({"kind": "group", "name": g,
                     "value": f"{block.get('n_documents')} documents, {block.get('n_outlets')} "
                              f"outlets; weights: {unit.get('weights', 'documents')}; spread: "
                              f"{interval}"})
    for c in data.get("comparisons") or []:
        design = c.get("test_design") or {}
        if design:
            rows.append({"kind": "test", "name": f"{c.get('a')} vs {c.get('b')}",
                         "value": f"{design.get('method')}; smallest possible p "
                                  f"{design.get('p_min'):.3g}"
                         + (f". {design['statement']}" if design.get("statement") else "")})
    model = data.get("topic_model") or {}
    if model:
        rows.append({"kind": "topics", "name": "topics fitted",
                     "value": f"{model.get('fitted')} of {model.get('requested')} asked for "
                              f"({model.get('rule')})"})
    for w in data.get("warnings") or []:
        rows.append({"kind": "warning", "name": "", "value": w})
    return pd.DataFrame(rows, columns=["kind", "name", "value"])


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, used: set[str]) -> str:
    """An Excel sheet name: no ``[]:*?/\\``, at most 31 characters, unique in ``used``."""
    base = _BAD_SHEET.sub("_", str(name)).strip("'") or "sheet"
    base = base[:31]
    candidate, i = base, 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f"_{i}"
        candidate = base[:31 - len(suffix)] + suffix
        i += 1
    used.add(candidate)
    return candidate


def write_tables(results, csv_dir: str | Path | None = None,
                 xlsx_path: str | Path | None = None, options=None,
                 progress: ProgressCallback | None = None) -> list[Path]:
    """Write the tables as CSV files in ``csv_dir`` and/or sheets of one XLSX workbook.

    Without ``options`` every table is written; with them, :func:`report_tables`. Every
    file is written atomically, and the CSV files only once all of them are ready, so a
    cancelled export (``progress`` raising :class:`analysis.Cancelled`) leaves no file.
    Returns the paths written.
    """
    progress = progress or no_progress
    tables = data_tables(results) if options is None else report_tables(results, options)
    written: list[Path] = []
    if csv_dir is not None:
        progress(0.8)  # the last point a cancel can act: after it every file is written
        folder = Path(csv_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for t in tables:
            target = folder / f"{t.name}.csv"
            write_csv(t.frame, target, encoding="utf-8-sig")
            written.append(target)
    if xlsx_path is not None:
        from analysis.report.xlsx import write_workbook

        progress(0.1)
        write_workbook(tables, Path(xlsx_path))
        written.append(Path(xlsx_path))
    progress(1.0)
    return written
