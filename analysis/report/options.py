"""What a report includes (:class:`ReportOptions`) and its outline, for the app's preview."""
from __future__ import annotations

from dataclasses import dataclass

# analysis.charts (matplotlib, ~1.5 s) is imported where used: the CLI imports this module
# for SECTIONS on every command, and `sinoru analyze` draws no chart.

__all__ = ["SECTIONS", "SECTION_LABELS", "ReportOptions", "parse_sections", "report_outline", "report_title", "selected_charts",
           "report_comparisons"]

#: Sections a report can include, in order.
SECTIONS = ("title", "summary", "charts", "tables", "evidence", "documents", "methods")
#: What each section holds, in words (the app's export dialog and ``sinoru report --help``).
SECTION_LABELS = {
    "title": "Title page and contents",
    "summary": "Summary of findings",
    "charts": "Charts",
    "tables": "Tables and comparison tests",
    "evidence": "Evidence passages",
    "documents": "Appendix: documents",
    "methods": "Appendix: methods and data provenance",
}


def parse_sections(text: str) -> tuple[str, ...]:
    """``"title,summary"`` -> the sections in report order; ValueError names an unknown one."""
    wanted = [w.strip().lower() for w in text.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section {unknown[0]!r}; choose from {', '.join(SECTIONS)}")
    if not wanted:
        raise ValueError(f"no section given; choose from {', '.join(SECTIONS)}")
    return tuple(s for s in SECTIONS if s in wanted)


@dataclass(frozen=True)
class ReportOptions:
    """Choices for one report.

    Attributes
    ----------
    sections : which of :data:`SECTIONS` to include.
    title : report title; default "Sinoru report: <corpus name>".
    author : shown on the title page when given.
    note : the analyst's own words (scope, caveats), shown under the title; may span lines.
    charts : keys of the charts to include (``ChartInstance.key``); None = all.
    max_evidence_per_item : passages shown per distinctive term or frame and group.
    max_evidence_items : distinctive terms per side (and frames) that get passages.
    max_documents_in_appendix : rows of the per-document appendix; the rest are counted and
        left to the documents table (CSV/XLSX), which keeps large corpora fast to report.
    top_terms : terms per side in the keyness charts and tables.
    split_by : a second column (outlet, language, year …) the group charts are repeated
        split by, as in the Compare view; "" for none.
    """

    sections: tuple[str, ...] = SECTIONS
    title: str = ""
    author: str = ""
    note: str = ""
    charts: tuple[str, ...] | None = None
    max_evidence_per_item: int = 3
    max_evidence_items: int = 8
    max_documents_in_appendix: int = 200
    top_terms: int = 15
    split_by: str = ""

    def includes(self, section: str) -> bool:
        return section in self.sections


def report_title(results, options: ReportOptions) -> str:
    from analysis.charts._common import data_of
    if options.title:
        return options.title
    data = data_of(results)
    name = data.get("corpus_name") or ""
    if name in ("", "Untitled"):
        # Results of a project never saved were once named "Untitled": name the groups.
        name = " vs ".join(list(data.get("groups") or {})[:4]) or "corpus"
    return f"Sinoru report: {name}"


def report_comparisons(results) -> list[tuple[str, str]]:
    """The comparisons a report details (keyness charts, evidence): every pair for up to
    three groups; with more groups, each group against the rest, so a report on six groups
    has 6 comparisons rather than 15 pairs (all pairs stay in the tables)."""
    from analysis.charts._common import data_of
    data = data_of(results)
    comps = data.get("comparisons") or []
    n_groups = len(data.get("groups") or {})
    kind = "pairwise" if n_groups <= 3 else "one_vs_rest"
    chosen = [(c.get("a"), c.get("b")) for c in comps if c.get("kind", "pairwise") == kind]
    return chosen or [(c.get("a"), c.get("b")) for c in comps]


def selected_charts(results, options: ReportOptions) -> list:
    from analysis.charts import chart_instances
    insts = chart_instances(results, top_n=options.top_terms)
    if options.charts is None:
        keep = set(report_comparisons(results))
        return [i for i in insts if i.chart_id != "keyness" or "comparison" not in i.kwargs
                or tuple(i.kwargs["comparison"]) in keep]
    wanted = set(options.charts)
    return [i for i in insts if i.key in wanted or i.chart_id in wanted]


def report_outline(results, options: ReportOptions | None = None) -> list[str]:
    """Section and chart titles of the report, in order (what the preview lists)."""
    from analysis.charts._common import data_of
    options = options or ReportOptions()
    data = data_of(results)
    out: list[str] = []
    if options.includes("title"):
        out += ["Title page", "Contents"]
    if options.includes("summary"):
        out += ["Summary of findings", "Groups compared"]
    charts_on, tables_on = options.includes("charts"), options.includes("tables")
    if charts_on or tables_on:
        for inst in selected_charts(results, options):
            if charts_on:
                out.append(f"Chart: {inst.title}" + (" (with its table)" if tables_on else ""))
            else:
                out.append(f"Table: {inst.title}")
        if tables_on and data.get("comparisons"):
            out.append("Table: comparison tests")
        from analysis.report.collocations import outline_line
        if options.split_by and charts_on:   # listed, not computed: the outline is live
            out.append(f"Charts split by {options.split_by}: frames, sentiment, tone toward "
                       "targets, stance markers, readability")
        out += outline_line(results, options)
    if options.includes("evidence"):
        ev = data.get("evidence") or {}
        keep = {f"{a}|{b}" for a, b in report_comparisons(results)}
        n_terms = sum(min(options.max_evidence_items, len(terms or {}))
                      for key, sides in (ev.get("terms") or {}).items() if key in keep
                      for terms in (sides or {}).values())
        n_frames = min(options.max_evidence_items, len(ev.get("frames") or {}))
        out.append(f"Evidence: passages for {n_terms} distinctive terms and {n_frames} frames")
    if options.includes("documents"):
        n = len(data.get("documents") or [])
        shown = min(n, options.max_documents_in_appendix)
        out.append(f"Appendix: documents ({shown} of {n})" if shown < n
                   else f"Appendix: documents ({n})")
    if options.includes("methods"):
        out.append("Appendix: methods and data provenance")
    return out
