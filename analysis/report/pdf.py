"""The PDF report (fpdf2): title page, contents, findings, vector charts with their tables,
evidence passages, per-document appendix and methods, with running headers and page numbers."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from analysis import __version__
from analysis.atomic import atomic_path
from analysis.charts._common import data_of
from analysis.progress import ProgressCallback, no_progress, wrap_progress
from analysis.report.chart_drawings import ChartDrawings, report_drawings
from analysis.report.collocations import collocations_pdf
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
from analysis.report.fonts import LastResortFallback, safe_text, setup_pdf_fonts
from analysis.report.formatting import codebook_title
from analysis.report.methods import methods_sections, models_table, provenance_table
from analysis.report.options import ReportOptions, report_outline, report_title
from analysis.report.pdf_place import KeptChartPlaces
from analysis.report.pdf_table import MeasuredTable
from analysis.report.svg_paths import shared_svg_defs
from analysis.report.text_widths import prefix_text_widths
from analysis.report.views import views_pdf

__all__ = ["build_pdf", "ReportPDF"]

_INK = (33, 33, 33)
_GREY = (110, 110, 110)
_BLUE = (0, 90, 150)
_HEAD_FILL = (222, 234, 244)
#: A table of at most this many rows that fits on a page is kept whole.
_WHOLE_ROWS = 60


class ReportPDF(KeptChartPlaces, LastResortFallback, FPDF):
    """A4 pages with a running header (report title) and "Page n of N" footer."""

    def __init__(self, running_title: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.running_title = safe_text(running_title, keep_newlines=False)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.body = setup_pdf_fonts(self)
        self.title_page = False
        self.set_title(self.running_title)
        self.set_creator(f"Sinoru {__version__}")

    def header(self) -> None:
        if self.title_page and self.page_no() == 1:
            return
        self.set_font(self.body, "", 7.5)
        self.set_text_color(*_GREY)
        self.cell(0, 4, self.running_title[:110], new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, self.y + 0.5, self.w - self.r_margin, self.y + 0.5)
        self.ln(4)
        self.set_text_color(*_INK)

    def footer(self) -> None:
        if self.title_page and self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font(self.body, "", 7.5)
        self.set_text_color(*_GREY)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(*_INK)

    def close_fonts(self) -> None:
        """Close the font files (fpdf2 closes them only when ``output()`` completes)."""
        for font in self.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()

    # Building blocks ---------------------------------------------------------------
    def need(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.y + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, level: int = 0) -> None:
        sizes = {0: 15, 1: 12, 2: 10.5}
        size = sizes.get(level, 10)
        # Keep a heading with what follows: a top-level one needs room for its intro too.
        self.need({0: 60, 1: 30}.get(level, 18))
        if level == 0 and self.y > self.t_margin + 12:
            self.ln(3)
        self.start_section(safe_text(text, keep_newlines=False), level=level, strict=False)
        self.set_font(self.body, "B", size)
        self.set_text_color(*(_BLUE if level == 0 else _INK))
        self.multi_cell(0, size * 0.5, safe_text(text), new_x="LMARGIN", new_y="NEXT",
                        align="L")
        self.set_text_color(*_INK)
        self.ln(1.5 if level else 2.5)

    def para(self, text: str, size: float = 9.5, style: str = "", color=_INK,
             gap: float = 1.5) -> None:
        self.set_font(self.body, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.48, safe_text(text), new_x="LMARGIN", new_y="NEXT",
                        align="L")
        self.set_text_color(*_INK)
        self.ln(gap)

    def rich(self, segments, size: float = 9.5, bullet: bool = False, indent: float = 0) -> None:
        """A paragraph of ``(text, style)`` segments; style "" / "i" / "b"."""
        h = size * 0.48
        left = self.l_margin
        if bullet or indent:
            self.set_font(self.body, "", size)
            self.set_x(left + indent)
            if bullet:
                self.cell(4, h, "•")
            self.set_left_margin(left + indent + (4 if bullet else 0))
        try:
            for text, style in segments:
                self.set_font(self.body, {"i": "I", "b": "B"}.get(style, ""), size)
                self.write(h, safe_text(text))
            self.ln(h)
        finally:
            self.set_left_margin(left)
            self.set_x(left)
        self.ln(1.6)

    def chart(self, instance, charts: ChartDrawings) -> None:
        """A chart across the text width with its caption below. Its place is kept here
        and its drawing put there by :meth:`fill_charts`, so the text goes on being laid
        out while the chart is drawn."""
        caption = charts.caption(instance)
        width_in, height_in = instance.size
        h = self.epw * height_in / width_in
        self.need(h)
        self.keep_chart_place(instance, h)
        self.ln(1)
        self.para(caption, size=8, style="I", color=_GREY, gap=2)

    def display_table(self, table: DisplayTable, size: float = 7.5) -> None:
        if not table.rows:
            self.para("No rows.", size=8.5, style="I", color=_GREY)
            return
        self.set_font(self.body, "", size)
        fpdf_table = MeasuredTable(self, col_widths=table.widths, text_align="LEFT",
                                   line_height=size * 0.46, repeat_headings=1,
                                   borders_layout="HORIZONTAL_LINES",
                                   headings_style=FontFace(emphasis="BOLD",
                                                           fill_color=_HEAD_FILL),
                                   padding=(0.8, 1.2), width=self.epw)
        fpdf_table.row([safe_text(col) for col in table.columns])
        for row in table.rows:
            fpdf_table.row([safe_text(value) for value in row])
        heights = fpdf_table.row_heights()   # measured once, drawn with these heights
        # Never start a table with its header and one row at the foot of a page: keep the
        # note, the header and the first two rows together; a table that fits on one page
        # is kept whole, so none leaves a lone row behind.
        note = self._text_height(table.note, 7.5) + 0.8 if table.note else 0.0
        whole = note + sum(heights[:1 + _WHOLE_ROWS]) + 4
        page = self.page_break_trigger - self.t_margin - 12
        self.need(whole if len(table.rows) <= _WHOLE_ROWS and whole <= page
                  else note + sum(heights[:3]) + 4)
        if table.note:
            # Above the table: a note below it could be pushed alone onto the next page.
            self.para(table.note, size=7.5, style="I", color=_GREY, gap=0.8)
        self.set_font(self.body, "", size)
        fpdf_table.render()
        self.ln(2)

    def _text_height(self, text: str, size: float, width: float | None = None) -> float:
        """Height (mm) ``text`` takes wrapped at ``width`` (default: the text width)."""
        self.set_font(self.body, "I", size)
        lines = self.multi_cell(width or self.epw, size * 0.48, safe_text(text), dry_run=True,
                                output="LINES")
        return len(lines) * size * 0.48


def _toc_pages(n_entries: int) -> int:
    return 1 + n_entries // 44


def _render_toc(pdf: ReportPDF, outline) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font(pdf.body, "B", 15)
    pdf.set_text_color(*_BLUE)
    pdf.cell(0, 9, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_text_color(*_INK)
    for section in outline:
        if section.level > 1:
            continue
        size = 10 if section.level == 0 else 9
        pdf.set_font(pdf.body, "B" if section.level == 0 else "", size)
        indent = 6 * section.level
        link = pdf.add_link(page=section.page_number)
        pdf.set_x(pdf.l_margin + indent)
        width = pdf.epw - indent - 16
        name = section.name
        while name and pdf.get_string_width(name) > width:
            name = name[:-2].rstrip() + "…" if len(name) > 2 else ""
        pdf.cell(width + 2, 5.6, name, link=link)
        pdf.cell(14, 5.6, str(section.page_number), align="R", link=link,
                 new_x="LMARGIN", new_y="NEXT")


def _title_page(pdf: ReportPDF, results, options: ReportOptions, title: str) -> None:
    data = data_of(results)
    pdf.title_page = True
    pdf.add_page()
    pdf.set_y(60)
    pdf.set_font(pdf.body, "B", 24)
    pdf.set_text_color(*_BLUE)
    pdf.multi_cell(0, 11, safe_text(title), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(*_INK)
    pdf.ln(4)
    pdf.para("How outlet groups frame the same story: frames, tone, distinctive vocabulary, "
             "stance and readability.", size=11, color=_GREY, gap=8)
    pdf.para(f"Corpus: {data.get('corpus_name') or 'unnamed corpus'}", size=11, style="B")
    pdf.para(f"Groups compared (by '{data.get('group_by') or 'group'}'):", size=10)
    for line in title_lines(results) or ["no groups"]:
        pdf.rich([(line, "")], size=10, bullet=True, indent=2)
    pdf.ln(3)
    synthetic = synthetic_note(data)
    if synthetic:
        pdf.para(synthetic, size=10.5, style="B", color=_BLUE)
    codebooks = ", ".join(codebook_title(cb)
                          for cb in data.get("codebooks") or []) or "none recorded"
    meta = [f"Codebooks: {codebooks}",
            f"Analysis run: {data.get('created') or 'unknown'}",
            f"Report written: {_dt.datetime.now(_dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
            f"Sinoru version: {data.get('app_version') or 'unknown'} (report: {__version__})"]
    if options.author:
        meta.insert(0, f"Author: {options.author}")
    for line in meta:
        pdf.para(line, size=9.5, color=_GREY, gap=1)
    _note(pdf, options)


def _note(pdf: ReportPDF, options: ReportOptions) -> None:
    if options.note.strip():
        pdf.ln(4)
        pdf.para("Note", size=10, style="B", gap=1)
        pdf.para(options.note.strip(), size=10)


def _summary(pdf: ReportPDF, results) -> None:
    data = data_of(results)
    pdf.heading("Summary of findings", 0)
    pdf.para("Each sentence states what the figures show for these documents: the share or "
             "mean, its 95% confidence interval (for a group of fewer than 10 documents, the "
             "range of these documents instead) and the number of documents behind it.",
             size=8.5, style="I", color=_GREY)
    for f in findings(results):
        pdf.rich(f.segments, bullet=True)
    warnings = data.get("warnings") or []
    if warnings:
        pdf.heading("Notes on the data", 1)
        for w in warnings:
            pdf.rich([(w, "")], size=9, bullet=True)
    pdf.heading("Groups compared", 1)
    pdf.display_table(groups_table(results))


def _charts(pdf: ReportPDF, results, options: ReportOptions, charts: ChartDrawings,
            instances, progress) -> None:
    with_charts, with_tables = options.includes("charts"), options.includes("tables")
    if instances:
        first = instances[0].size
        pdf.need(first[1] * pdf.epw / first[0] + 40)
    pdf.heading("Results", 0)
    for i, inst in enumerate(instances):
        progress(i / len(instances))
        w_in, h_in = inst.size
        h = h_in * pdf.epw / w_in
        pdf.need(h + 14)
        pdf.heading(inst.title, 1)
        if with_charts:
            pdf.chart(inst, charts)
        if with_tables:
            pdf.display_table(chart_table(results, inst))
    progress(1.0)
    if with_tables and data_of(results).get("comparisons"):
        pdf.heading("Comparison tests", 1)
        pdf.display_table(tests_table(results), size=7)


def _evidence(pdf: ReportPDF, results, options: ReportOptions) -> None:
    pdf.heading("Evidence: passages behind the figures", 0)
    pdf.para("Keyword-in-context passages from the documents, with outlet, title and document "
             "id, so a reader can judge how terms and frames are used.", size=8.5, style="I",
             color=_GREY)
    sections = evidence_items(results, options)
    if not sections:
        pdf.para("No evidence passages were recorded in these results.")
    for heading, items in sections:
        pdf.heading(heading, 1)
        for item in items:
            pdf.need(22)
            pdf.rich([(item.heading, "b"), (f"  ({item.group})", "")], size=9.5)
            for p in item.passages:
                pdf.need(13)
                pdf.rich([("… " + p.left, ""), (p.match, "b"), (p.right + " …", "")], size=8.5,
                         indent=4)
                pdf.set_y(pdf.y - 1.4)
                pdf.rich([(p.source, "i")], size=7.5, indent=8)


def _documents(pdf: ReportPDF, results, options: ReportOptions) -> None:
    pdf.heading("Appendix A: Documents", 0)
    pdf.para("Each document with its metadata, word count, tone (mean sentence VADER score), "
             "the frames covering most of its sentences, and what was removed as boilerplate "
             "before analysis.", size=8.5, style="I", color=_GREY)
    pdf.display_table(documents_table(results, options), size=7)


def _methods(pdf: ReportPDF, results, options: ReportOptions) -> None:
    pdf.heading("Appendix B: Methods and data provenance", 0)
    for heading, paragraphs in methods_sections(results):
        pdf.heading(heading, 1)
        for p in paragraphs:
            name, sep, rest = p.partition(": ")
            if heading == "Statistics" and sep:
                pdf.rich([(name + ". ", "b"), (rest, "")], size=9)
            else:
                pdf.rich([(p, "")], size=9)
    pdf.heading("Measured accuracy of the models", 1)
    pdf.display_table(models_table(results))
    pdf.heading("Data provenance", 1)
    prov = provenance_table(results)
    limit = options.max_documents_in_appendix
    if len(prov.rows) > limit:
        prov = DisplayTable(prov.columns, prov.rows[:limit], prov.widths,
                            f"{len(prov.rows) - limit:,} more files are listed in the "
                            "provenance table (CSV/XLSX export).")
    pdf.display_table(prov, size=6.5)


def _write(pdf: ReportPDF, results, options: ReportOptions, title: str, progress,
           target: Path, charts: ChartDrawings, instances, views) -> None:
    if options.includes("title"):
        _title_page(pdf, results, options, title)
        n_entries = len(report_outline(results, options)) + 16
        pdf.add_page()
        pdf.insert_toc_placeholder(_render_toc, pages=_toc_pages(n_entries),
                                   allow_extra_pages=True)
    else:
        pdf.add_page()
        _note(pdf, options)  # without a title page the note opens the report
    if options.includes("summary"):
        _summary(pdf, results)
    progress(0.05)
    if options.includes("charts") or options.includes("tables"):
        _charts(pdf, results, options, charts, instances, wrap_progress(progress, 0.05, 0.6))
        views_pdf(pdf, charts, views)
        collocations_pdf(pdf, results, options)
    progress(0.6)
    if options.includes("evidence"):
        _evidence(pdf, results, options)
    progress(0.7)
    if options.includes("documents"):
        _documents(pdf, results, options)
    progress(0.85)
    if options.includes("methods"):
        _methods(pdf, results, options)
    charts_drawn = wrap_progress(progress, 0.92, 0.97)
    charts_drawn(0.0)
    pdf.fill_charts(charts)
    charts_drawn(1.0)
    with atomic_path(target) as tmp:
        pdf.output(str(tmp))


def build_pdf(results, path: str | Path, options: ReportOptions | None = None,
              progress: ProgressCallback | None = None,
              charts: ChartDrawings | None = None) -> Path:
    """Write the PDF report of ``results`` to ``path`` (atomically) and return the path.

    ``progress`` receives 0..1; raise :class:`analysis.Cancelled` from it to stop (no file
    is then written). ``charts``: the drawings of :func:`report_drawings` for these
    results and options, when started before this module was imported.
    """
    options = options or ReportOptions()
    progress = progress or no_progress
    # Started first: the charts are drawn while the text below is laid out (and stopped
    # however the report ends).
    with charts or report_drawings(results, options) as charts:
        progress(0.0)
        title = report_title(results, options)
        pdf = ReportPDF(title)
        try:
            with shared_svg_defs(), prefix_text_widths():
                _write(pdf, results, options, title, progress, Path(path), charts,
                       charts.charts, charts.views)
        finally:
            pdf.close_fonts()
    progress(1.0)
    return Path(path)
