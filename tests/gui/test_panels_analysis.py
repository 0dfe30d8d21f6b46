"""The analysis views on real results: compare, drill-down, document, concordance, charts.

The corpus is six short articles of our own writing (three "chinese", three "western");
the results come from the real pipeline run on it.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
from chart_clicks import pick
from matplotlib.backend_bases import MouseEvent
from PySide6.QtCore import Qt

from analysis.config import AnalysisConfig
from analysis.corpus import Corpus, Document, Removal

TEXTS = {
    "c1": ("chinese", "Xinhua", "news agency", "Partnership of coordination deepens",
           "China and Russia deepened their comprehensive strategic partnership of coordination "
           "this week. Officials said mutual trust between Beijing and Moscow has never been "
           "stronger.\nThe partnership brings win-win cooperation in energy and trade. Both "
           "sides oppose hegemonism and support a multipolar world."),
    "c2": ("chinese", "China Daily", "newspaper", "Energy cooperation expands",
           "Beijing and Moscow will expand win-win cooperation in energy, agriculture and "
           "science. The strategic partnership serves the common interests of both peoples.\n"
           "Mutual trust is the foundation of the partnership, the foreign ministry said. "
           "Sanctions imposed by the United States cannot shake this cooperation."),
    "c3": ("chinese", "Global Times", "newspaper", "Endogenous dynamics",
           "Experts say the China-Russia partnership has strong endogenous dynamics. Win-win "
           "cooperation in trade reached a record.\nThe two countries firmly support each "
           "other and promote a multipolar world. The partnership is not directed at any "
           "third party."),
    "w1": ("western", "Reuters", "news agency", "Limits of a no-limits partnership",
           "Analysts say the no-limits partnership between China and Russia may be weaker "
           "than it looks. Western sanctions have complicated payments, and Chinese banks "
           "reportedly refused some transfers.\nCritics warn that Moscow is becoming a junior "
           "partner of Beijing."),
    "w2": ("western", "BBC", "broadcaster", "War tests ties",
           "The war in Ukraine has tested ties between Beijing and Moscow. Analysts say China "
           "may worry about secondary sanctions from Washington.\nTrade grew, but reportedly "
           "the banks remain cautious. Officials in Brussels said the axis of convenience "
           "faces limits."),
    "w3": ("western", "The Guardian", "newspaper", "An axis of convenience",
           "Critics say Russia depends on Chinese buyers for its oil. The relationship is an "
           "axis of convenience, analysts say, and distrust lingers.\nSanctions and the war "
           "have made Moscow the junior partner. The partnership may have limits."),
}
REGION = {"c1": "asia", "c2": "asia", "c3": "asia", "w1": "europe", "w2": "europe",
          "w3": "america"}


def make_corpus() -> Corpus:
    docs = [Document(k, text, meta={"group": g, "outlet": outlet, "outlet_type": kind,
                                    "title": title, "region": REGION[k]})
            for k, (g, outlet, kind, title, text) in TEXTS.items()]
    # w3 arrived with a subscription banner that import removed: the document view can
    # show it greyed.
    banner = "Subscribe now for unlimited access. "
    w3 = docs[-1]
    docs[-1] = Document(w3.doc_id, w3.text, meta=w3.meta, raw_text=banner + w3.text,
                        removed=(Removal(0, len(banner), banner, "subscription banner"),))
    return Corpus(docs)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return make_corpus()


@pytest.fixture(scope="module")
def results(corpus):
    from analysis.pipeline import run_analysis

    # Few resamples keep the test fast; the figures are still the engine's own.
    return run_analysis(corpus, AnalysisConfig(n_boot=100, n_perm=100))


@pytest.fixture
def state(qtbot, corpus, results):
    from sinoru_desktop.state import AppState

    st = AppState()
    st.set_corpus(corpus)
    st.set_results(results)
    return st


@pytest.fixture
def empty_state(qtbot):
    from sinoru_desktop.state import AppState

    return AppState()


def _show(qtbot, widget, size=(1280, 800)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget



def _card_with(panel, gid: str, scroll_to_card):
    """The card showing ``gid``, found the way a user finds it: scrolling down the view
    (a card's chart is built once it is in view)."""
    for card in panel.cards.values():
        if gid in scroll_to_card(panel, card).canvas.pickable_gids():
            return card
    raise AssertionError(f"no chart shows {gid!r}")


# Building --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["ComparePanel", "DocumentPanel", "ConcordancePanel",
                                  "DrillDownPanel", "CodebookPanel", "TargetsPanel"])
def test_every_panel_builds_with_an_empty_state(qtbot, empty_state, name):
    from sinoru_desktop import panels

    panel = _show(qtbot, getattr(panels, name)(empty_state), (900, 600))
    assert panel.isVisible()


def test_compare_without_results_says_what_to_do(qtbot, empty_state, corpus):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(empty_state))
    assert "No documents yet" in panel.placeholder.text()
    empty_state.set_corpus(corpus)
    assert "6 documents" in panel.placeholder.text()
    assert [panel.group_list.item(i).text() for i in range(panel.group_list.count())] == \
        ["chinese (3)", "western (3)"]


# Compare ---------------------------------------------------------------------------------
def test_compare_draws_every_chart_with_captions(qtbot, state):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    kinds = {inst.chart_id for inst in panel._instances.values()}
    assert {"frames", "sentiment", "targets", "keyness", "markers", "readability"} <= kinds
    frames = panel.card("frames")
    assert "n = chinese 3 documents" in frames.caption.text()
    assert "chinese" in frames.caption.text() and "western" in frames.caption.text()
    # Three documents a side is a small sample: the view says so.
    assert "has only 3 documents" in panel.banner.text()
    # Keyness shows the chosen pair only: one card per side, with the terms.
    keyness = [c for k, c in panel.cards.items() if k.startswith("keyness")]
    assert len(keyness) == 2
    assert "term|partnership|chinese" in panel.card("keyness", 0).canvas.pickable_gids()
    assert "term|critics|western" in panel.card("keyness", 1).canvas.pickable_gids()


def test_codebook_choice_switches_the_frame_chart(qtbot, state):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    panel.codebook.setCurrentIndex(panel.codebook.findData("china_russia"))
    gids = panel.card("frames").canvas.pickable_gids()
    assert "frames|china_russia.strategic_partnership|chinese" in gids
    assert not any(g.startswith("frames|generic.") for g in gids)


def test_choosing_the_grouping_column_requests_analysis(qtbot, state):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    assert panel.group_by.findText("region") >= 0
    with qtbot.waitSignal(state.analysisRequested, timeout=2000):
        panel.group_by.setCurrentText("region")
    assert state.config.group_by == "region"
    assert state.config.groups == ()
    assert state.dirty
    labels = [panel.group_list.item(i).text() for i in range(panel.group_list.count())]
    assert labels == ["asia (3)", "europe (2)", "america (1)"]


def test_weigh_outlets_equally_is_a_click_that_reanalyses(qtbot, state):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    assert not panel.equal_outlets.isChecked()
    with qtbot.waitSignal(state.analysisRequested, timeout=2000):
        qtbot.mouseClick(panel.equal_outlets, Qt.MouseButton.LeftButton,
                         pos=panel.equal_outlets.rect().center())
    assert state.config.weigh_outlets_equally is True
    # The results of that run record it.
    from analysis.pipeline import run_analysis

    res = run_analysis(state.corpus, replace(state.config, n_boot=50, n_perm=50))
    assert res.data["config"]["weigh_outlets_equally"] is True


def test_ticking_groups_updates_config_and_requests_analysis(qtbot, state):
    from dataclasses import replace

    from sinoru_desktop.panels import ComparePanel

    state.set_config(replace(state.config, group_by="region"))
    panel = _show(qtbot, ComparePanel(state))
    with qtbot.waitSignal(state.analysisRequested, timeout=3000):
        panel.set_groups_checked(["asia", "europe"])
    assert state.config.groups == ("asia", "europe")
    # Fewer than two groups cannot be compared: no request, a hint instead.
    with qtbot.assertNotEmitted(state.analysisRequested, wait=800):
        panel.set_groups_checked(["asia"])
    assert "at least two" in panel.hint.text()
    assert state.config.groups == ("asia", "europe")


def test_clicking_a_term_drills_down_to_both_groups(qtbot, state, corpus):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    pick(panel.card("keyness", 0).canvas, "term|partnership|chinese")
    drill = panel.drill
    assert drill.isVisible()
    assert "partnership" in drill.heading.text()
    assert set(drill.lists) == {"chinese", "western"}
    chinese, western = drill.lists["chinese"], drill.lists["western"]
    # Hand count: "partnership" occurs twice in each chinese article; once in w1
    # ("no-limits partnership") and once in w3.
    assert len(chinese.spans()) == 6
    assert len(western.spans()) == 2
    assert {d for d, _s, _e in western.spans()} == {"w1", "w3"}
    for doc_id, start, end in chinese.spans() + western.spans():
        assert corpus[doc_id].text[start:end].lower() == "partnership"
    first = western.item(0).text()
    assert "Reuters, Limits of a no-limits partnership" in first  # the source
    assert "[partnership]" in first
    # Double-clicking a line opens the document at that passage.
    item = western.item(0)
    rect = western.visualItemRect(item)
    with qtbot.waitSignal(state.documentRequested, timeout=2000) as blocker:
        # A real double-click starts with a press; QTest's alone does not.
        qtbot.mouseClick(western.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(western.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())
    doc_id, start, end = blocker.args
    assert doc_id == "w1"
    assert corpus["w1"].text[start:end] == "partnership"


def test_resting_on_a_keyness_bar_shows_its_documents_and_p_doc(qtbot, state):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    canvas = panel.card("keyness", 0).canvas
    canvas.flush()
    bar = canvas.figure.findobj(lambda a: a.get_gid() == "term|partnership|chinese")[0]
    box = bar.get_window_extent()
    x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    MouseEvent("motion_notify_event", canvas, x, y)._process()
    tip = canvas.toolTip()
    term = next(t for t in state.results.comparisons[0]["keyness"]["a"]
                if t["term"] == "partnership")
    assert tip.startswith("“partnership”: z = ")
    assert f"{term['docs_a']}/3 docs" in tip and f"p_doc {term['p_doc']:.2f}" in tip
    MouseEvent("motion_notify_event", canvas, 1, 1)._process()
    assert canvas.toolTip() == ""


def test_clicking_a_frame_bar_lists_its_matched_sentences(qtbot, state, corpus):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    panel.codebook.setCurrentIndex(panel.codebook.findData("china_russia"))
    gid = "frames|china_russia.strategic_partnership|chinese"
    pick(panel.card("frames").canvas, gid)
    lines = panel.drill.lists["chinese"]
    texts = [lines.item(i).text() for i in range(lines.count())]
    assert texts and all("rule:" in t for t in texts)
    assert any("mutual trust" in t.lower() for t in texts)
    for doc_id, _s, _e in lines.spans():
        assert corpus[doc_id].get("group") == "chinese"


def test_clicking_a_target_lists_mentions_with_scores(qtbot, state, results):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    canvas = panel.card("targets").canvas
    gid = next(g for g in canvas.pickable_gids() if g.endswith("|western"))
    pick(canvas, gid)
    target = gid.split("|")[1]
    mentions = results.table("target_mentions")
    expected = mentions[(mentions["target"] == target)
                        & mentions["doc_id"].isin(["w1", "w2", "w3"])]
    lines = panel.drill.lists["western"]
    assert len(lines.spans()) == len(expected) > 0
    assert "score" in lines.item(0).text()


def test_clicking_a_marker_or_the_sentiment_lists_their_passages(qtbot, state, corpus,
                                                                 scroll_to_card):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    hedges = "markers|hedges|western"
    pick(_card_with(panel, hedges, scroll_to_card).canvas, hedges)
    lines = panel.drill.lists["western"]
    words = {corpus[d].text[s:e].lower() for d, s, e in lines.spans()}
    # Our western articles hedge with "may" and "reportedly".
    assert {"may", "reportedly"} <= words
    mean = "sentiment|mean|chinese"
    pick(_card_with(panel, mean, scroll_to_card).canvas, mean)
    notes = [panel.drill.lists["chinese"].item(i).text()
             for i in range(panel.drill.lists["chinese"].count())]
    tones = [abs(float(t.rsplit("(tone ", 1)[1].rstrip(")"))) for t in notes]
    assert tones and tones == sorted(tones, reverse=True)


# Document --------------------------------------------------------------------------------
def test_document_view_highlights_frames_targets_and_legend(qtbot, state, results, corpus):
    from PySide6.QtGui import QFont, QTextCursor

    from sinoru_desktop.panels import DocumentPanel

    panel = _show(qtbot, DocumentPanel(state))
    panel.codebook.setCurrentIndex(panel.codebook.findData("china_russia"))
    matches = results.table("frame_matches")
    row = matches[(matches["doc_id"] == "c1") & (matches["codebook"] == "china_russia")
                  & (matches["frame"] == "strategic_partnership")].iloc[0]
    state.documentRequested.emit("c1", int(row["start"]), int(row["end"]))
    assert panel.doc_id == "c1"
    assert panel.text.toPlainText() == corpus["c1"].text
    # The requested passage is selected.
    assert panel.selected_span() == (int(row["start"]), int(row["end"]))

    def char_format(offset):
        cursor = QTextCursor(panel.text.document())
        cursor.setPosition(offset + 1)  # the format of the character before the position
        return cursor.charFormat()

    fmt = char_format(int(row["start"]))
    assert fmt.background().color().alpha() > 0
    plain = char_format(corpus["c1"].text.index("this week"))
    assert plain.background().color() != fmt.background().color()
    # The legend names the frame with its count, and explains the other marks.
    assert "Strategic partnership and mutual trust" in panel.legend.text()
    assert "target mentions" in panel.legend.text()
    # Target mentions are bold and underlined.
    mention = results.table("target_mentions").query("doc_id == 'c1'").iloc[0]
    tfmt = char_format(int(mention["start"]))
    assert tfmt.fontWeight() == QFont.Weight.Bold and tfmt.fontUnderline()
    # The tooltip names codebook, frame and rule.
    tip = panel.tooltip_at(int(row["start"]) + 1)
    assert "Codebook: China-Russia relations" in tip
    assert "Frame: Strategic partnership and mutual trust" in tip
    assert f"Rule: \u201c{row['rule']}\u201d" in tip


def test_document_view_shows_removed_boilerplate_greyed(qtbot, state, corpus):
    from PySide6.QtGui import QTextCursor

    from sinoru_desktop.panels import DocumentPanel

    panel = _show(qtbot, DocumentPanel(state))
    text = corpus["w3"].text
    start = text.index("axis of convenience")
    panel.show_document("w3", start, start + len("axis of convenience"))
    assert panel.text.toPlainText() == text
    panel.show_removed.setChecked(True)
    assert panel.text.toPlainText().startswith("Subscribe now for unlimited access.")
    cursor = QTextCursor(panel.text.document())
    cursor.setPosition(3)
    assert cursor.charFormat().fontItalic()
    assert "removed before analysis" in panel.legend.text()
    # Offsets into the analysed text still land on the same words.
    panel.select(start, start + len("axis of convenience"))
    assert panel.text.textCursor().selectedText() == "axis of convenience"
    assert panel.tooltip_at(3) == "Removed before analysis (boilerplate)."


# Concordance -----------------------------------------------------------------------------
def test_concordance_regex_sort_group_and_open(qtbot, state, corpus):
    from sinoru_desktop.panels import ConcordancePanel

    panel = _show(qtbot, ConcordancePanel(state))
    panel.regex.setChecked(True)
    panel.query.setText(r"partner\w*")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    # Hand count: 8 x "partnership" + 2 x "partner" (w1, w3). A regex is searched off
    # the GUI thread.
    qtbot.waitUntil(lambda: panel.model.rowCount() == 10, timeout=10_000)
    assert panel.count.text().startswith("10 matches in 5 documents")
    panel.sort.setCurrentText("Right context")
    # Sorted on the words after the match, case ignored; "Left context" on the words
    # before it, nearest first.
    rights = [panel.model.frame.iloc[i]["right"].lower().strip() for i in range(10)]
    assert rights == sorted(rights)
    panel.sort.setCurrentText("Left context")
    lefts = [" ".join(reversed(panel.model.frame.iloc[i]["left"].lower().split()))
             for i in range(10)]
    assert lefts == sorted(lefts)
    panel.group.setCurrentIndex(panel.group.findData("western"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=10_000)
    assert set(panel.model.frame["doc_id"]) == {"w1", "w3"}
    assert "in western" in panel.count.text()
    index = panel.model.index(0, 1)
    with qtbot.waitSignal(state.documentRequested, timeout=2000) as blocker:
        panel.table.doubleClicked.emit(index)
    doc_id, start, end = blocker.args
    assert corpus[doc_id].text[start:end].lower().startswith("partner")


def test_large_corpora_are_searched_off_the_gui_thread(qtbot, state, monkeypatch):
    from sinoru_desktop.panels import ConcordancePanel, concordance_panel

    monkeypatch.setattr(concordance_panel, "SYNC_LIMIT", 0)  # treat 6 documents as many
    panel = _show(qtbot, ConcordancePanel(state))
    panel.query.setText("axis of convenience")
    panel.search()
    assert panel.count.text() == "Searching…"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
    assert panel.count.text().startswith("2 matches in 2 documents")


def test_a_catastrophic_regex_neither_freezes_the_concordance_nor_runs_forever(
        qtbot, state, monkeypatch):
    import time

    from PySide6.QtCore import QTimer

    from analysis import patterns
    from analysis.corpus import Corpus, Document
    from sinoru_desktop.panels import ConcordancePanel

    monkeypatch.setattr(patterns, "PATTERN_BUDGET", 0.5)
    state.set_corpus(Corpus([Document("x1", "They shouted " + "a" * 60 + "h all night.")]),
                     dirty=False)
    panel = _show(qtbot, ConcordancePanel(state))
    panel.regex.setChecked(True)
    panel.query.setText("(a|aa)+$")
    stamps = [time.monotonic()]
    timer = QTimer()
    timer.timeout.connect(lambda: stamps.append(time.monotonic()))
    timer.start(20)
    panel.search()
    qtbot.waitUntil(lambda: "took longer" in panel.count.text(), timeout=60_000)
    timer.stop()
    assert max(b - a for a, b in zip(stamps, stamps[1:], strict=False)) < 0.2
    assert panel.count.text().startswith("The search failed: the regex '(a|aa)+$' took "
                                         "longer than 0.5 s on document 'x1'; rewrite it")


def test_concordance_reports_a_bad_regex(qtbot, state):
    from sinoru_desktop.panels import ConcordancePanel

    panel = _show(qtbot, ConcordancePanel(state))
    panel.regex.setChecked(True)
    panel.query.setText("partner(")
    panel.search()
    assert "Not a valid regular expression" in panel.count.text()


# Chart export ----------------------------------------------------------------------------
@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<svg")])
def test_chart_exports_png_and_svg(qtbot, state, tmp_path, monkeypatch, suffix, magic):
    from sinoru_desktop.panels import ComparePanel, chart_canvas

    panel = _show(qtbot, ComparePanel(state))
    target = tmp_path / f"frames{suffix}"
    monkeypatch.setattr(chart_canvas, "ask_export_path", lambda parent, name: str(target))
    panel.card("frames").canvas._export_interactive(suffix)
    data = target.read_bytes()
    assert magic in data[:400]
    assert not list(tmp_path.glob("*.part"))  # written atomically, no leftovers


def test_chart_refuses_an_unknown_export_format(qtbot, state, tmp_path):
    from sinoru_desktop.panels import ComparePanel

    panel = _show(qtbot, ComparePanel(state))
    with pytest.raises(ValueError, match=".png, .svg or .pdf"):
        panel.card("frames").canvas.export(tmp_path / "chart.gif")


def test_context_menu_exports_the_chart(qtbot, state, tmp_path, monkeypatch):
    from sinoru_desktop.panels import ComparePanel, chart_canvas

    panel = _show(qtbot, ComparePanel(state))
    canvas = panel.card("frames").canvas
    menu = canvas.context_menu()
    assert [a.text() for a in menu.actions()][:3] == ["Export as PNG…", "Export as SVG…",
                                                      "Export as PDF…"]
    target = tmp_path / "profile.svg"
    monkeypatch.setattr(chart_canvas, "ask_export_path", lambda parent, name: str(target))
    menu.actions()[1].trigger()
    assert "<svg" in target.read_text(encoding="utf-8")[:400]
