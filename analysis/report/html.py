"""The self-contained HTML report: the PDF's content with inline SVG charts and inline CSS.

Every piece of text from the results (titles, terms, passages, metadata) goes through
``html.escape``; the only script is the term map viewer (analysis.report.views), whose
data are JSON with ``<`` escaped, so an article containing ``<script>`` shows the text
and never runs it.
"""
from __future__ import annotations

import datetime as _dt
import html
import re
from pathlib import Path

from analysis import __version__
from analysis.atomic import write_text_atomic
from analysis.charts._common import data_of
from analysis.progress import ProgressCallback, no_progress, wrap_progress
from analysis.report.chart_export import render_charts
from analysis.report.collocations import collocations_html
from analysis.report.content import (
    DisplayTable,
    chart_table,
    documents_table,
    evidence_items,
    groups_table,
    tests_table,
    title_lines,
)
from analysis.report.findings import findings, synthetic_note
from analysis.report.formatting import codebook_title
from analysis.report.methods import methods_sections, models_table, provenance_table
from analysis.report.options import ReportOptions, report_title, selected_charts
from analysis.report.views import views_html

__all__ = ["build_html", "render_html"]

_CSS = """
body{font-family:"Noto Sans","Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans CJK SC",
"Microsoft YaHei",sans-serif;color:#222;max-width:60rem;margin:2rem auto;padding:0 1.2rem;
line-height:1.45;font-size:15px}
h1{color:#005a96;font-size:1.9rem;margin-bottom:.3rem}
h2{color:#005a96;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.4rem}
h3{margin-top:1.6rem}
.muted{color:#666}.caption{color:#555;font-style:italic;font-size:.85rem}
nav ol{columns:2;font-size:.9rem}
figure{margin:1rem 0}figure svg{width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:.8rem;margin:.6rem 0}
th{background:#deeaf4;text-align:left;position:sticky;top:0}
th,td{padding:.25rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}
td{white-space:pre-line}
.kwic{margin:.2rem 0 .1rem 1rem;font-size:.88rem}.kwic b{background:#fff3c4}
.src{margin:0 0 .5rem 2rem;font-size:.78rem;color:#555;font-style:italic}
li{margin:.25rem 0}
"""
_SVG_HEAD = re.compile(r"^.*?(?=<svg\b)", re.S)


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "section"
    slug, i = base, 2
    while slug in used:
        slug, i = f"{base}-{i}", i + 1
    used.add(slug)
    return slug


def _table(t: DisplayTable) -> str:
    if not t.rows:
        return '<p class="muted">No rows.</p>'
    head = "".join(f"<th>{_e(c)}</th>" for c in t.columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
                   for row in t.rows)
    note = f'<p class="caption">{_e(t.note)}</p>' if t.note else ""
    return f"{note}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def _inline_svg(svg: bytes, prefix: str) -> str:
    """The chart's SVG without its XML prologue, every element id (and every reference to
    one) prefixed, so that many charts inlined in one page never share an id."""
    text = _SVG_HEAD.sub("", svg.decode("utf-8"), count=1)
    ids = set(_SVG_ID.findall(text))
    if not ids:
        return text

    def rename(m: re.Match) -> str:
        return m.group(0).replace(m.group(1), f"{prefix}-{m.group(1)}")

    text = _SVG_ID.sub(rename, text)
    return re.sub(r'(url\(#|href="#)([^")]+)',
                  lambda m: f"{m.group(1)}{prefix}-{m.group(2)}" if m.group(2) in ids
                  else m.group(0), text)


class _Doc:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.toc: list[tuple[int, str, str]] = []
        self.used: set[str] = set()

    def heading(self, text: str, level: int) -> None:
        slug = _slug(text, self.used)
        self.toc.append((level, text, slug))
        tag = "h2" if level == 0 else "h3"
        self.parts.append(f'<{tag} id="{slug}">{_e(text)}</{tag}>')

    def add(self, fragment: str) -> None:
        self.parts.append(fragment)


def _segments(segs) -> str:
    out = []
    for text, style in segs:
        t = _e(text)
        out.append(f"<em>{t}</em>" if style == "i" else f"<b>{t}</b>" if style == "b" else t)
    return "".join(out)


def render_html(results, options: ReportOptions | None = None,
                progress: ProgressCallback | None = None) -> str:
    """The report as one HTML string (no external files; one inline script, the term map)."""
    options = options or ReportOptions()
    progress = progress or no_progress
    data = data_of(results)
    title = report_title(results, options)
    doc = _Doc()
    progress(0.0)
    if options.includes("summary"):
        doc.heading("Summary of findings", 0)
        doc.add("<ul>" + "".join(f"<li>{_segments(f.segments)}</li>"
                                 for f in findings(results)) + "</ul>")
        if data.get("warnings"):
            doc.heading("Notes on the data", 1)
            doc.add("<ul>" + "".join(f"<li>{_e(w)}</li>" for w in data["warnings"]) + "</ul>")
        doc.heading("Groups compared", 1)
        doc.add(_table(groups_table(results)))
    with_charts, with_tables = options.includes("charts"), options.includes("tables")
    if with_charts or with_tables:
        instances = selected_charts(results, options)
        rendered = (render_charts(results, ("svg",), instances=instances,
                                  progress=wrap_progress(progress, 0.05, 0.8))
                    if with_charts else [None] * len(instances))
        doc.heading("Results", 0)
        for n, (inst, r) in enumerate(zip(instances, rendered, strict=True), 1):
            doc.heading(inst.title, 1)
            if r is not None:
                doc.add(f'<figure role="img" aria-label="{_e(inst.title)}">'
                        f"{_inline_svg(r.images['svg'], f'chart{n}')}"
                        f'<figcaption class="caption">{_e(r.caption)}</figcaption></figure>')
            if with_tables:
                doc.add(_table(chart_table(results, inst)))
        if with_tables and data.get("comparisons"):
            doc.heading("Comparison tests", 1)
            doc.add(_table(tests_table(results)))
    views_html(doc, results, options)
    collocations_html(doc, results, options)
    progress(0.8)
    if options.includes("evidence"):
        doc.heading("Evidence: passages behind the figures", 0)
        sections = evidence_items(results, options)
        if not sections:
            doc.add('<p class="muted">No evidence passages were recorded in these results.</p>')
        for heading, items in sections:
            doc.heading(heading, 1)
            for item in items:
                doc.add(f"<h4>{_e(item.heading)} <span class=\"muted\">({_e(item.group)})"
                        "</span></h4>")
                for p in item.passages:
                    doc.add(f'<p class="kwic">… {_e(p.left)}<b>{_e(p.match)}</b>{_e(p.right)} …'
                            f'</p><p class="src">{_e(p.source)}</p>')
    if options.includes("documents"):
        doc.heading("Appendix A: Documents", 0)
        doc.add(_table(documents_table(results, options)))
    if options.includes("methods"):
        doc.heading("Appendix B: Methods and data provenance", 0)
        for heading, paragraphs in methods_sections(results):
            doc.heading(heading, 1)
            doc.add("".join(f"<p>{_e(p)}</p>" for p in paragraphs))
        doc.heading("Measured accuracy of the models", 1)
        doc.add(_table(models_table(results)))
        doc.heading("Data provenance", 1)
        doc.add(_table(provenance_table(results)))
    progress(0.95)
    head = [f"<h1>{_e(title)}</h1>"]
    note = options.note.strip()
    if note:
        paragraphs = "".join(f"<p>{_e(p)}</p>" for p in note.split("\n") if p.strip())
        head.append(f'<section class="note"><h2>Note</h2>{paragraphs}</section>')
    if options.includes("title"):
        groups = "".join(f"<li>{_e(line)}</li>" for line in title_lines(results))
        codebooks = ", ".join(codebook_title(cb)
                              for cb in data.get("codebooks") or []) or "none recorded"
        written = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        author = f"<p>Author: {_e(options.author)}</p>" if options.author else ""
        head.append(
            f"<p class=\"muted\">Corpus: <b>{_e(data.get('corpus_name') or 'unnamed corpus')}"
            f"</b>. Groups compared (by '{_e(data.get('group_by') or 'group')}'):</p>"
            f"<ul>{groups}</ul>{author}"
            + (f"<p><b>{_e(synthetic_note(data))}</b></p>" if synthetic_note(data) else "")
            + f"<p class=\"muted\">Codebooks: {_e(codebooks)}<br>"
            f"Analysis run: {_e(data.get('created') or 'unknown')}<br>Report written: "
            f"{_e(written)}<br>Sinoru version: {_e(data.get('app_version') or 'unknown')} "
            f"(report: {_e(__version__)})</p>")
        toc = "".join(f'<li><a href="#{slug}">{_e(text)}</a></li>'
                      for level, text, slug in doc.toc if level == 0)
        head.append(f"<nav><h2>Contents</h2><ol>{toc}</ol></nav>")
    progress(1.0)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta name=\"generator\" content=\"Sinoru {_e(__version__)}\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
            + "".join(head) + "".join(doc.parts) + "</body></html>\n")


def build_html(results, path: str | Path, options: ReportOptions | None = None,
               progress: ProgressCallback | None = None) -> Path:
    """Write the HTML report to ``path`` atomically and return the path."""
    text = render_html(results, options, progress)
    target = Path(path)
    write_text_atomic(target, text)
    return target
