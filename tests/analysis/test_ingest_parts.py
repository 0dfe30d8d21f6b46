"""The parts of ingest: boilerplate rules, metadata, outlet registry, duplicates, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from analysis.corpus import Document, Removal
from analysis.ingest import OutletRegistry, find_duplicates, import_paths, restore
from analysis.ingest.boilerplate import apply_removals, find_boilerplate
from analysis.ingest.layout import build_text
from analysis.ingest.metadata import extract_metadata, parse_date

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
WEB = (FIXTURES / "web_page.txt").read_text(encoding="utf-8")


# -- boilerplate ----------------------------------------------------------------------
def test_web_page_furniture_removed_prose_kept(tmp_path):
    path = tmp_path / "web.txt"
    path.write_text(WEB, encoding="utf-8")
    doc = import_paths([path]).corpus.documents[0]
    # text is exactly raw_text minus the removals: removing the last lines of a file can
    # leave the line break before them, which is harmless (empty lines are skipped).
    assert doc.text.rstrip("\n").split("\n") == [
        "Lighthouse Keepers Return to the Northern Cape",
        WEB.split("\n")[6], WEB.split("\n")[8]]
    by_reason = {}
    for r in doc.removed:
        by_reason.setdefault(r.reason, []).append(r.text.strip())
    assert by_reason["web furniture"] == [
        "Adjust font size: + -", "Share this article", "Facebook | Twitter | Email",
        WEB.split("\n")[13], "You might also like", "leave a reply:"]
    assert by_reason["contact"] == ["Contact the newsroom: desk@harbour-news.example.org",
                                    "Tel: +44 20 7946 0000"]


@pytest.mark.parametrize("prose", [
    "Share prices fell sharply on Monday after the announcement.",
    "More news is expected later today, the ministry said.",
    "The cookie factory will use new ovens in the port, officials said on Monday.",
    "Subscribers complained about the new fares.",
    "Readers can write to the editor at letters@example.org with their views on the deal.",
])
def test_prose_lines_are_not_furniture(prose):
    text = "Title line\n" + prose
    removed = find_boilerplate(text)
    kept, _ = apply_removals(text, removed)
    if "@" in prose:
        # An address inside prose: only the address goes, the sentence stays.
        assert [r.text for r in removed] == ["letters@example.org"]
        assert kept == "Title line\nReaders can write to the editor at  with their views on the deal."
    else:
        assert removed == [] and kept == text


def test_overlapping_removals_are_trimmed_and_restore_exact():
    raw = "Body text here.\nAuthors: A\nYou might also like"
    removals = [Removal(16, 27, raw[16:27], "byline"), Removal(26, 46, raw[26:46], "web")]
    text, kept = apply_removals(raw, removals)
    assert text == "Body text here.\n"
    assert [(r.start, r.end, r.reason) for r in kept] == [(16, 27, "byline"), (27, 46, "web")]
    doc = Document("d", text, raw_text=raw, removed=kept)
    assert restore(doc).text == raw
    assert restore(doc, ["web"]).text == "Body text here.\nYou might also like"


def test_page_furniture_in_text_with_form_feeds():
    body = [["The ferry left at dawn.", "Crews checked the engines.", "Nobody was hurt."],
            ["The port reopened at noon.", "Queues formed at the gates.", "Fares were waived."],
            ["Night boats resume on Friday.", "Tickets go on sale today.", "Prices hold."]]
    pages = ["Harbour Review\n" + "\n".join(lines) + f"\n{i}" for i, lines in enumerate(body, 1)]
    text, spans = build_text(["\f".join(pages)])
    left, _ = apply_removals(text, [Removal(s, e, text[s:e], r) for s, e, r in spans])
    assert left.split("\n") == [line for lines in body for line in lines]
    assert [text[s:e].strip() for s, e, _r in spans] == [
        "Harbour Review", "1\nHarbour Review", "2\nHarbour Review", "3"]


# -- metadata -------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "iso"), [
    ("2018-06-07", "2018-06-07"), ("June 7, 2018", "2018-06-07"),
    ("7 June 2018", "2018-06-07"), ("2018/06/07", "2018-06-07"),
    ("Feb. 8, 2024", "2024-02-08"), ("Updated Sept 30th, 2021 10:00", "2021-09-30"),
    ("2018年6月7日", "2018-06-07"), ("2023-03-14T09:00:00Z", "2023-03-14"),
    ("no date here", ""), ("2018-13-45", ""),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_bylines_and_source_lines():
    registry = OutletRegistry.load()
    text = ("Ferry Talks Resume\nBy Mara Ellison and Tomas Reyes\nFeb. 8, 2024\n"
            "The talks resumed on Thursday.\nSource: Global Times, Issue 12\n")
    found = extract_metadata(text, registry)
    assert found.meta["title"] == "Ferry Talks Resume"
    assert found.meta["author"] == "Mara Ellison; Tomas Reyes"
    assert found.meta["date"] == "2024-02-08"
    assert found.meta["outlet"] == "Global Times"
    assert found.meta["reference"] == "Global Times, Issue 12"
    assert [r.text.strip() for r in found.removals] == [
        "By Mara Ellison and Tomas Reyes", "Source: Global Times, Issue 12"]


def test_bilingual_field_bar():
    text = "港口城市渡轮时刻表\n来源: 新华社 | 作者: 李明 | 日期: 2020年5月1日\n正文第一段。\n"
    found = extract_metadata(text, OutletRegistry.load())
    assert found.meta["title"] == "港口城市渡轮时刻表"
    assert found.meta["author"] == "李明"
    assert found.meta["date"] == "2020-05-01"
    assert found.meta["outlet"] == "Xinhua News Agency"
    assert found.meta["language"] == "zh"


def test_wire_dateline_names_the_outlet():
    registry = OutletRegistry.load()
    text = "Ferry talks resume\nMOSCOW, Feb. 8 (TASS) -- Ferry talks resumed on Thursday.\n"
    found = extract_metadata(text, registry)
    assert found.meta["outlet"] == "TASS" and found.removals == []
    text = "Ferry talks resume\nMOSCOW, Feb. 8 (local time) -- Talks resumed.\n"
    assert "outlet" not in extract_metadata(text, registry).meta


def test_by_in_prose_is_not_a_byline():
    text = "Title\nBy the end of the year the port will have two new ferries, officials say.\n"
    found = extract_metadata(text, OutletRegistry.load())
    assert "author" not in found.meta and found.removals == []


# -- outlet registry ------------------------------------------------------------------
def test_registry_lookup_variants():
    reg = OutletRegistry.load()
    assert reg.lookup("SCMP").name == "South China Morning Post"
    assert reg.lookup("https://www.scmp.com/news/china/article/1") .group == "western"
    assert reg.lookup("the people’s daily").name == "People's Daily"
    assert reg.lookup("english.news.cn").name == "Xinhua News Agency"
    assert reg.lookup("Sputnik").group == "russian"
    kommersant = reg.lookup("Kommersant")
    assert (kommersant.group, kommersant.outlet_type) == ("russian", "news")
    assert reg.lookup("TASS").outlet_type == "state media"
    assert reg.lookup("CIIS").group == "chinese"
    assert reg.lookup("Harbour Weekly") is None
    assert reg.lookup("") is None


def test_registry_user_file_overrides_and_saves(tmp_path):
    user = tmp_path / "my_outlets.yaml"
    user.write_text(yaml.safe_dump({"outlets": [
        {"name": "Harbour Weekly", "outlet_type": "local news", "group": "local",
         "aliases": ["HW"], "domains": ["harbourweekly.example"]},
        {"name": "Reuters", "outlet_type": "wire", "group": "wire services"}]}),
        encoding="utf-8")
    reg = OutletRegistry.load(user)
    assert reg.lookup("hw").group == "local"
    assert reg.lookup("www.harbourweekly.example/story").name == "Harbour Weekly"
    assert (reg.lookup("Reuters").outlet_type, reg.lookup("Reuters").group) == (
        "wire", "wire services")
    reg.add("River Post", "news", "local", aliases=["RP"])
    saved = tmp_path / "saved.yaml"
    reg.save_user(saved)
    again = OutletRegistry.load(saved)
    assert again.lookup("RP").name == "River Post"
    assert again.lookup("HW").name == "Harbour Weekly"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_registry_bad_user_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("outlets:\n  - aliases: [x]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml: entry 1 has no 'name'"):
        OutletRegistry.load(bad)


# -- duplicates -----------------------------------------------------------------------
def _article(seed: int, n: int = 200) -> str:
    import random
    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(3000)]
    return " ".join(rng.choice(vocab) for _ in range(n))


def test_exact_and_near_duplicates_found():
    texts = [_article(i) for i in range(300)]
    ids = [f"d{i}" for i in range(300)]
    edited = texts[10].split()
    edited[50], edited[120] = "changed", "edited"
    texts.append(" ".join(edited))
    texts.append("  " + texts[20].upper() + "\n")   # same words, other case and spacing
    ids += ["near10", "exact20"]
    dups = find_duplicates(ids, texts)
    assert [(d.kind, d.doc_ids) for d in dups] == [("exact", ("d20", "exact20")),
                                                   ("near", ("d10", "near10"))]
    # 196 shingles each; 10 of each side changed: 186 / 206
    assert dups[1].similarity == pytest.approx(186 / 206)


def test_unrelated_texts_are_not_duplicates():
    texts = [_article(i) for i in range(200)]
    assert find_duplicates([str(i) for i in range(200)], texts) == []


# -- CLI ------------------------------------------------------------------------------
def _cli(argv):
    import argparse

    from analysis.commands import import_check
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    import_check.register(sub, "import-check")
    return import_check.run(parser.parse_args(["import-check", "--quiet", *argv]))


def test_cli_exit_codes_and_json(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(WEB, encoding="utf-8")
    assert _cli([str(good)]) == 0
    assert "Imported 1 document(s)" in capsys.readouterr().out
    (tmp_path / "empty.txt").write_bytes(b"")
    assert _cli([str(tmp_path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["n_imported"] == 1
    assert data["skipped"] == [{"path": str(tmp_path / "empty.txt"), "reason": "empty file"}]
    assert _cli([str(tmp_path / "empty.txt")]) == 2
    assert "empty.txt: empty file" in capsys.readouterr().out
    bad = tmp_path / "outlets.yaml"
    bad.write_text("outlets: 3\n", encoding="utf-8")
    assert _cli([str(good), "--outlets", str(bad)]) == 2
    assert "expected a list under 'outlets'" in capsys.readouterr().err


# -- layout ---------------------------------------------------------------------------
def test_wrapped_lines_hyphens_and_cjk_joins():
    text, spans = build_text(["The delegation met the inter-\n"
                              "national press in the afternoon and answered questions about\n"
                              "the ferry timetable for almost an hour.\n"
                              "A short closing line.\n"], wrapped=True)
    assert spans == []
    assert text.split("\n") == [
        "The delegation met the inter-national press in the afternoon and answered "
        "questions about the ferry timetable for almost an hour.",
        "A short closing line."]
    zh, _ = build_text(["两座港口城市的港务部门周二签署协议从明年春天起实行统一的渡轮时刻表\n"
                        "结束了多年来关于靠泊时段的争议。\n"], wrapped=True)
    assert zh == "两座港口城市的港务部门周二签署协议从明年春天起实行统一的渡轮时刻表结束了多年来关于靠泊时段的争议。"


def test_normalise_chars():
    from analysis.ingest.layout import normalise_chars
    raw = "The \ufb01nancial\u00a0o\u0301ffer\u200b said “yes”.\r\nNext\tline  \rEnd"
    assert normalise_chars(raw) == "The financial óffer said “yes”.\nNext line\nEnd"


def test_paragraph_split_by_blank_line_is_rejoined_in_any_text():
    first = ("The two delegations spent the morning on the timetable and the afternoon on "
             "the question of which operator would")
    text, _ = build_text([first + "\n\nrun the night boats.\n\nA new paragraph starts.\n"])
    assert text.split("\n") == [first + " run the night boats.", "A new paragraph starts."]


def test_wire_copies_form_one_near_duplicate_set():
    story = _article(1).split()
    texts = [_article(i) for i in range(100, 150)]
    for j in range(30):  # one story in 30 outlets, each changing one word
        copy = list(story)
        copy[5 * j + 2] = f"edit{j}"
        texts.append(" ".join(copy))
    ids = [f"d{i}" for i in range(len(texts))]
    dups = find_duplicates(ids, texts)
    assert len(dups) == 1 and dups[0].kind == "near"
    assert dups[0].doc_ids == tuple(ids[50:])
    # Two copies with edits in different places share 196 - 10 shingles of 196 + 10.
    assert dups[0].similarity == pytest.approx(186 / 206)


def test_a_sentence_with_field_labels_is_not_a_field_bar():
    # A read-me line quoting a byline shape: no outlet, no date "…" taken from it.
    text = ("Demo corpus\n\n- `cn03.txt` has a bilingual byline line "
            "(`作者: … | 时间: … | 责编: …`).\n\nBody text of the read-me.\n")
    found = extract_metadata(text, OutletRegistry.load())
    assert "outlet" not in found.meta
    assert "date" not in found.meta
    assert found.removals == []
