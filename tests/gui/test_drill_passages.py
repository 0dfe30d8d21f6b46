"""A small group's passages are read by document (through the ``doc_id`` index) instead of
found while the whole matching table is read: both ways list the very same passages, for
tables in memory and for the row tables of a saved project."""
from __future__ import annotations

from dataclasses import replace

import pytest

from sinoru_desktop.panels import drill_passages
from sinoru_desktop.panels.drill_passages import PassageReader
from sinoru_desktop.panels.groups import compared_groups, group_doc_ids


@pytest.fixture(scope="module")
def analysed():
    from small_corpus import FAST, two_group_corpus

    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis
    from sinoru_desktop.project import Project

    corpus = two_group_corpus()
    config = replace(AnalysisConfig(), **FAST)
    return Project(corpus=corpus, config=config, results=run_analysis(corpus, config))


def items(tables) -> list[tuple[str, str]]:
    """Every frame, target and stance marker with matches, and sentence tone."""
    out = [("sentiment", "")]
    if "frame_matches" in tables:
        frames = tables["frame_matches"]
        out += [("frames", f"{c}.{f}") for c, f in
                frames[["codebook", "frame"]].drop_duplicates().itertuples(index=False)]
    for section, name, column in (("targets", "target_mentions", "target"),
                                  ("markers", "marker_matches", "marker")):
        if name in tables:
            out += [(section, str(v)) for v in tables[name][column].unique()]
    return out


def all_lines(project, members, wanted) -> dict:
    reader = PassageReader(project.results, project.corpus)
    groups = list(members)
    shown = {}
    for section, key in wanted:
        heading, per_group = reader.lines(section, key, groups, members)
        shown[section, key] = (heading, {g: f.to_dict("records") for g, f in per_group.items()
                                         if not f.empty})
    return shown


@pytest.mark.parametrize("stored", [False, True], ids=["in memory", "saved project"])
def test_small_groups_read_by_document_list_what_the_whole_read_lists(
        analysed, tmp_path, monkeypatch, stored):
    from sinoru_desktop.project import load_project, save_project

    project = analysed
    if stored:
        save_project(analysed, tmp_path / "study.sinoru")
        project = load_project(tmp_path / "study.sinoru")
    groups = compared_groups(project.results, project.config.groups)
    members = group_doc_ids(project.corpus, project.results.data.get("group_by")
                            or project.config.group_by)
    members = {g: members[g] for g in groups}
    # A cell of a split chart with a single document: an item rare in it.
    one = members[groups[0]][0]
    members["one document"] = [one]

    wanted = items(analysed.results.tables)  # (the analysis's tables, in memory)
    monkeypatch.setattr(drill_passages, "BY_DOCUMENT", 0)
    whole = all_lines(project, members, wanted)
    monkeypatch.setattr(drill_passages, "BY_DOCUMENT", 2_000)
    by_document = all_lines(project, members, wanted)

    assert by_document == whole
    listed = sum(len(rows) for _h, per_group in whole.values() for rows in per_group.values())
    assert len(whole) >= 4 and listed > 50, (len(whole), listed)
    assert any("one document" in per_group for _h, per_group in whole.values())
    if stored:  # read by index: no row table was read whole
        assert all(project.results.tables.on_disk(n) for n in
                   ("sentences", "frame_matches", "target_mentions")
                   if n in project.results.tables)
