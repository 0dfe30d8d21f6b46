"""The analyst's loop on the real seeds: analyse, edit a codebook term, re-run and see the
numbers change; the per-document cache makes the re-run reuse what did not change, and
it is saved with the project and back after reopening it."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog


@pytest.fixture
def window(make_window):
    return make_window(auto_analyse=False)


def menu_action(window, text: str):
    for menu in window.menuBar().actions():
        for act in menu.menu().actions():
            if act.text() == text:
                return act
    raise AssertionError(f"no menu item {text!r}")


def run_from_menu(qtbot, window):
    before = window.state.results
    menu_action(window, "&Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy and window.state.results is not before,
                    timeout=180_000)
    return window.state.results


def conflict_share(results, group: str) -> float:
    return results.groups[group]["frames"]["generic"]["conflict"]["share"]


def analyzers(cache: dict) -> dict[str, set[str]]:
    """Cache keys by analyzer (the key's first field)."""
    out: dict[str, set[str]] = {}
    for key in cache:
        out.setdefault(key.split("|", 1)[0], set()).add(key)
    return out


def test_edit_a_term_rerun_save_and_reopen_keeps_the_cache(qtbot, window, no_dialogs,
                                                           seeds_dir, tmp_path, monkeypatch,
                                                           add_conflict_term):
    window.start_import([str(seeds_dir)], str(seeds_dir / "manifest.csv"))
    qtbot.waitUntil(lambda: window.state.has_documents and not window.runner.busy,
                    timeout=60_000)
    first = run_from_menu(qtbot, window)
    assert no_dialogs.calls == []
    before = {g: conflict_share(first, g) for g in first.group_names}
    cache_first = analyzers(window.state.doc_cache)
    assert "frames" in cache_first and len(cache_first) >= 3

    # Add a term to the generic codebook's Conflict frame in the Codebooks view.
    second = add_conflict_term(window, "partnership*")
    after = {g: conflict_share(second, g) for g in second.group_names}
    assert all(after[g] >= before[g] for g in before)
    assert any(after[g] > before[g] for g in before)  # the seeds speak of partnership
    # Only the frames' entries were recomputed: the other analyzers' entries are the same.
    cache_second = analyzers(window.state.doc_cache)
    assert cache_second["frames"] != cache_first["frames"]
    for name, keys in cache_first.items():
        if name != "frames":
            assert cache_second[name] == keys, name

    # Save, reopen: the cache is back, and a re-run gives the same numbers.
    path = tmp_path / "seeds.sinoru"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    menu_action(window, "Save &As…").trigger()
    qtbot.waitUntil(lambda: not window.saver.busy and not window.state.dirty, timeout=60_000)
    saved_cache = dict(window.state.doc_cache)
    window.new_project()
    assert window.state.doc_cache == {}
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    menu_action(window, "&Open…").trigger()
    qtbot.waitUntil(lambda: window.state.project_path == str(path.resolve())
                    and not window.runner.busy, timeout=60_000)
    assert window.state.doc_cache == saved_cache
    third = run_from_menu(qtbot, window)
    assert {g: conflict_share(third, g) for g in third.group_names} == after
    # The re-run found every entry it needed: none was added or changed. It no longer
    # needs the frames entries of the codebook before the edit (which the edited frames
    # were made from), so those are dropped.
    kept = window.state.doc_cache
    assert kept.keys() <= saved_cache.keys()
    assert all(saved_cache[key] == value for key, value in kept.items())
    assert saved_cache.keys() - kept.keys() <= cache_first["frames"]
    assert analyzers(kept)["frames"] == cache_second["frames"] - cache_first["frames"] | {
        key for key in cache_first["frames"] if "recent-plans" in key}
    assert no_dialogs.calls == []
