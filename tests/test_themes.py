"""Themes: the shipped files, a user's own, broken ones (a notice and a fallback, never a
crash), monochrome under NO_COLOR, the picker, and readability without colour."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import paths
from briefing.store.notes import Store
from briefing.ui.themes import DEFAULT, NO_COLOR, ThemeError, load_theme, load_themes

from .fixtures import CONTRACT
from .pilot import app_for, messages, press, settled, wait_for_brief, wait_for_library

SHIPPED = {"briefing-dark", "briefing-light", "briefing-ansi", "briefing-mono", "briefing-high-contrast"}


def user_theme(name: str, text: str | bytes) -> Path:
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_theme_loads():
    specs, problems = load_themes([paths.bundled_themes()])
    assert problems == []
    assert {s.name for s in specs} == SHIPPED
    ansi = next(s for s in specs if s.name == "briefing-ansi")
    assert ansi.fields["ansi"] is True and all(
        v.startswith("ansi_") for k, v in ansi.colours().items() if not k.endswith("text-style")
    )


@pytest.mark.parametrize(
    "text, complaint",
    [
        ('name = "x"\nprimary = ', "cannot be read as TOML"),
        ('name = "x"\n', "needs a 'primary' colour"),
        ('name = "Bad Name"\nprimary = "#fff"\n', "needs a 'name'"),
        ('name = "x"\nprimary = "#fff"\nsparkle = true\n', "unknown setting 'sparkle'"),
        ('name = "x"\nprimary = "#fff"\ndark = "yes"\n', "'dark' must be true or false"),
        ('name = "x"\nprimary = "\\u001b[31m"\n', "'primary' must be a short line of text"),
        ('name = "x"\nprimary = "#fff"\ntext-alpha = 7\n', "'text-alpha' must be a number from 0 to 1"),
        ('name = "x"\nprimary = "#fff"\n[variables]\n"Bad Var" = "#000"\n', "is not a valid name"),
        ('["a table"]', "needs a 'name'"),
    ],
)
def test_a_broken_theme_file_says_what_is_wrong(tmp_path: Path, text: str, complaint: str):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeError) as caught:
        load_theme(path)
    assert complaint in str(caught.value) and str(path) in str(caught.value)
    assert "\x1b" not in str(caught.value)


def test_odd_files_are_refused_too(tmp_path: Path):
    big = tmp_path / "big.toml"
    big.write_text('name = "big"\nprimary = "#fff"\n' + "# padding\n" * 10000)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'name = "caf\xe9"\nprimary = "#fff"\n')
    yaml_list = tmp_path / "list.yaml"
    yaml_list.write_text("- a\n- b\n")
    for path, complaint in ((big, "larger than"), (latin, "not UTF-8"), (yaml_list, "does not hold a table")):
        with pytest.raises(ThemeError, match=complaint):
            load_theme(path)


async def test_a_users_themes_join_replace_and_fail_without_a_crash(tmp_path: Path):
    user_theme("sea.yaml", "name: sea\nprimary: '#0077be'\nbackground: '#001f3f'\ndark: true\n")
    user_theme("briefing-dark.toml", 'name = "briefing-dark"\nprimary = "#ff00ff"\n')
    broken = user_theme("broken.toml", 'name = "broken"\nprimary = \n')
    nonsense = user_theme("nonsense.toml", 'name = "nonsense"\nprimary = "not-a-colour"\n')
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        assert {"sea", *SHIPPED} <= set(app.available_themes)
        assert "broken" not in app.available_themes and "nonsense" not in app.available_themes
        assert app.available_themes["briefing-dark"].primary == "#ff00ff"  # the user's wins
        assert app.theme == DEFAULT
        told = messages(app)
        assert any(str(broken) in m and "cannot be read as TOML" in m for m in told)
        assert any(str(nonsense) in m and "not-a-colour" in m for m in told)


async def test_no_color_chooses_the_monochrome_theme(tmp_path: Path, monkeypatch):
    Store(tmp_path / "notes.json").set_setting("theme", "briefing-light")
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        assert app.theme == NO_COLOR


async def test_the_chosen_theme_is_kept_and_a_missing_one_falls_back(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        assert app.theme == DEFAULT
        await press(pilot, "T")
        await settled(pilot)
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)  # the picker
        await press(pilot, "escape")
        app.theme = "briefing-high-contrast"
        await settled(pilot)
    assert Store(tmp_path / "notes.json").setting("theme") == "briefing-high-contrast"
    Store(tmp_path / "notes.json").set_setting("theme", "gone-theme")
    again = app_for(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        assert again.theme == DEFAULT
        assert any("gone-theme" in m for m in messages(again))


async def test_the_cited_passage_takes_the_new_themes_style(tmp_path: Path):
    from briefing.ui.widgets.sourceview import SourceView

    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        await press(pilot, "o")
        await settled(pilot)
        view = app.screen.query_one(SourceView)
        before = view.get_component_rich_style("sourceview--cited")
        app.theme = "briefing-light"
        await settled(pilot)
        after = view.get_component_rich_style("sourceview--cited")
        assert after != before
        styles = {span.style for _, line in view._lines for span in line.spans}
        assert after in styles and before not in styles


async def test_under_no_color_the_selected_bookmarked_and_annotated_items_differ(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        brief = screen.brief
        store = app.store
        store.toggle_bookmark(brief.id, brief.facts[1].id, "facts", brief.facts[1].quote)
        store.add_note(brief.id, brief.facts[2].id, "facts", brief.facts[2].quote, "a note")
        app.notes.announce()
        await settled(pilot)
        rows = screen.rowlist()
        lines = [rows.render_line(y).text for y in range(4)]
        assert lines[0].startswith("▶")  # the selection, a glyph
        assert lines[1].split()[0] == "★" and lines[2].split()[0] == "✎"
        assert lines[3].lstrip()[0] not in "▶★✎"
        # And the selection is also a text style (bold), not a colour alone.
        segments = list(rows.render_line(0))
        assert any(seg.style and (seg.style.bold or seg.style.reverse) for seg in segments)
