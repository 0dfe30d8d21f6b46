"""Reports on real pipeline output: the five seed articles (2 vs 3 documents)."""
from __future__ import annotations

import re

import pytest
from matplotlib.figure import Figure
from pypdf import PdfReader
from report_sample import shown_share

from analysis import charts
from analysis.report import ReportOptions, build_pdf, write_tables
from analysis.report.formatting import signed


@pytest.fixture(scope="module")
def seed_results(seeds_dir):
    from analysis.config import AnalysisConfig
    from analysis.ingest import import_paths
    from analysis.pipeline import run_analysis

    imported = import_paths([seeds_dir], manifest=seeds_dir / "manifest.csv")
    config = AnalysisConfig(n_boot=300, n_perm=300)
    return run_analysis(imported.corpus, config, corpus_name="seeds")


def test_every_chart_draws_real_results(seed_results):
    for inst in charts.chart_instances(seed_results):
        fig = Figure(figsize=inst.size)
        ax = fig.add_subplot()
        caption = inst.draw(ax, seed_results)
        fig.canvas.draw()
        if inst.chart_id == "topics":   # 5 documents: no topics, and the view says why
            assert caption.startswith("Topics were not fitted")
            continue
        assert "n = " in caption and "Small samples" in caption
        gids = [a.get_gid() for a in ax.get_children() if a.get_gid()]
        if inst.chart_id not in ("timeline",):
            assert gids, inst.key


def test_seed_pdf_states_the_real_figures(seed_results, tmp_path):
    opts = ReportOptions(sections=("title", "summary", "tables", "evidence", "documents",
                                   "methods"))
    path = build_pdf(seed_results, tmp_path / "seeds.pdf", opts)
    text = re.sub(r"\s+", " ", "\n".join(
        (p.extract_text() or "").replace("\x00", "") for p in PdfReader(str(path)).pages))
    groups = seed_results.groups
    assert f"chinese: {groups['chinese']['n_documents']} documents from " \
           f"{groups['chinese']['n_outlets']} outlets" in text
    cell = groups["western"]["frames"]["generic"]["economic"]
    assert shown_share(cell) in text
    assert signed(groups["chinese"]["sentiment"]["mean"]) in text
    top = seed_results.comparison("chinese", "western")["keyness"]["a"][0]["term"]
    assert f"“{top}”" in text
    assert "Small samples (chinese 3 documents and western 2 documents)" in text
    # Boilerplate the importer removed is listed in the per-document appendix.
    removed = [d for d in seed_results.data["documents"] if d.get("removed")]
    if removed:
        assert removed[0]["removed"][0]["reason"] in text


def test_seed_tables(seed_results, tmp_path):
    from openpyxl import load_workbook

    write_tables(seed_results, xlsx_path=tmp_path / "t.xlsx")
    wb = load_workbook(tmp_path / "t.xlsx", read_only=True)
    rows = list(wb["documents"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(seed_results.data["documents"]) == 6
    wb.close()
