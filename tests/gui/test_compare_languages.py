"""The compare view offers keyness within one language when the groups differ in language
(issue 15): English articles plus our own Chinese ones in both groups."""
from __future__ import annotations

from pathlib import Path

import pytest
from chart_clicks import pick
from gui_corpus import LONG_GROUP, OTHER_GROUP, analyse, make_corpus

from analysis.corpus import Corpus, Document

OWN = Path(__file__).parents[1] / "analysis" / "fixtures" / "languages"
CHINESE = {"zh_official_1": LONG_GROUP, "zh_official_2": LONG_GROUP,
           "zh_official_3": LONG_GROUP, "zh_western_1": OTHER_GROUP,
           "zh_western_2": OTHER_GROUP}


@pytest.fixture(scope="module")
def mixed():
    docs = list(make_corpus().documents)
    for name, group in CHINESE.items():
        text = (OWN / f"{name}.txt").read_text(encoding="utf-8")
        docs.append(Document(name, text, meta={"group": group, "outlet": f"Outlet {name}",
                                               "title": text.splitlines()[0],
                                               "language": "zh"}))
    corpus = Corpus(docs)
    return corpus, analyse(corpus)



def test_keyness_within_chinese_documents_is_offered_and_drills_down(qtbot, mixed, tmp_path,
                                                                    scroll_to_card):
    from sinoru_desktop.panels import ComparePanel
    from sinoru_desktop.state import AppState

    corpus, results = mixed
    state = AppState()
    state.set_corpus(corpus)
    state.set_results(results)
    panel = ComparePanel(state)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    with qtbot.waitExposed(panel):
        panel.show()

    assert "Compared within one language: English" in panel.banner.text()
    assert panel.language.isVisible()
    assert [panel.language.itemText(i) for i in range(panel.language.count())] == [
        "All languages", "English only", "Chinese only"]
    titles = [c.accessibleName() for k, c in panel.cards.items() if k.startswith("keyness")]
    assert len(titles) == 2 and not any("documents" in t for t in titles)

    panel.language.setCurrentIndex(panel.language.findText("Chinese only"))
    keyness = [c for k, c in panel.cards.items() if k.startswith("keyness")]
    assert [c.accessibleName() for c in keyness] == [
        f"Distinctive of {LONG_GROUP} (vs {OTHER_GROUP}), Chinese documents",
        f"Distinctive of {OTHER_GROUP} (vs {LONG_GROUP}), Chinese documents"]
    scroll_to_card(panel, keyness[1])
    gids = keyness[1].canvas.pickable_gids()
    assert f"term|制裁|{OTHER_GROUP}" in gids
    assert not any(g.split("|")[1].isascii() for g in gids if g.startswith("term|"))
    assert "Within Chinese documents only (3 vs 2)" in keyness[1].caption.text()
    panel.grab().save(str(tmp_path / "compare_chinese.png"))
    keyness[1].grab().save(str(tmp_path / "keyness_chinese.png"))

    pick(keyness[1].canvas, f"term|制裁|{OTHER_GROUP}")
    spans = panel.drill.lists[OTHER_GROUP].spans()
    assert {d for d, _s, _e in spans} == {"zh_western_1", "zh_western_2"}
    assert all(corpus[d].text[s:e] == "制裁" for d, s, e in spans)
