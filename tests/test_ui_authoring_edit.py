"""e on a brief: the brief in the user's editor ($VISUAL, $EDITOR, vi) at the item's line,
the terminal handed over (App.suspend) until it exits, then the brief read and checked again;
refused in a kiosk and on a read-only library. A script stands for the editor: it records its
arguments and edits the file as a person would."""

from __future__ import annotations

import json
import shutil
import stat
import sys
from pathlib import Path

import pytest
from textual.drivers.headless_driver import HeadlessDriver

from briefing.core.entries import Entry
from briefing.core.errors import BriefError
from briefing.core.parse import load_brief
from briefing.ui.screens.editing import ProblemsScreen, editor_command, editor_words
from briefing.ui.widgets.rowlist import RowList

from .fixtures import BUNDLED, CONTRACT, GOOD_BRIEF, line_of, write_library
from .pilot import app_for, messages, press, settled, until, wait_for_brief, wait_for_library, wait_for_screen
from .test_ui_authoring import SIZES, screen_text


def test_the_editor_is_visual_then_editor_then_vi_split_like_a_shell():
    assert editor_words({}) == ["vi"]
    assert editor_words({"EDITOR": "nano", "VISUAL": ""}) == ["nano"]
    assert editor_words({"EDITOR": "nano", "VISUAL": "vim -u NONE"}) == ["vim", "-u", "NONE"]
    assert editor_words({"EDITOR": "'/opt/my editor/bin/ed it' --wait"}) == ["/opt/my editor/bin/ed it", "--wait"]
    with pytest.raises(ValueError):
        editor_words({"EDITOR": "vim 'unclosed"})


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vim", ["vim", "+12", "{file}"]),
        ("/usr/bin/nano", ["/usr/bin/nano", "+12", "{file}"]),
        ("emacsclient -t", ["emacsclient", "-t", "+12", "{file}"]),
        ("micro", ["micro", "+12", "{file}"]),
        ("code -w", ["code", "-w", "-g", "{file}:12"]),
        ("codium --wait", ["codium", "--wait", "-g", "{file}:12"]),
        ("subl -w", ["subl", "-w", "{file}:12"]),
        ("hx", ["hx", "{file}:12"]),
        ("kate", ["kate", "-l", "12", "{file}"]),
        ("some-editor-briefing-does-not-know", ["some-editor-briefing-does-not-know", "+12", "{file}"]),
    ],
)
def test_the_editor_is_told_the_line_its_own_way(editor: str, expected: list[str], tmp_path: Path):
    file = tmp_path / "-brief.md"  # a name that would read as an option: given whole, absolute
    command = editor_command({"EDITOR": editor}, file, 12)
    assert command == [word.replace("{file}", str(file)) for word in expected]


def test_a_line_before_the_first_is_the_first(tmp_path: Path):
    assert editor_command({"EDITOR": "vim"}, tmp_path / "b.md", 0) == ["vim", "+1", str(tmp_path / "b.md")]


FAKE_EDITOR = """\
#!{python}
import json, sys
from pathlib import Path
log = Path({log!r})
runs = json.loads(log.read_text()) if log.exists() else []
runs.append(sys.argv[1:])
log.write_text(json.dumps(runs))
brief = Path(sys.argv[-1])
text = brief.read_text(encoding="utf-8")
for old, new in json.loads({edits!r})[min(len(runs), {count}) - 1]:
    assert old in text, old
    text = text.replace(old, new)
brief.write_text(text, encoding="utf-8")
"""


def fake_editor(folder: Path, *edits: list[tuple[str, str]]) -> tuple[Path, Path]:
    """A script to stand for the user's editor: it records its arguments (each run's, in
    a JSON list) and makes the ``n``-th run's replacements in the file it is given last."""
    log = folder / "editor-runs.json"
    script = folder / "fake-editor"
    script.write_text(
        FAKE_EDITOR.format(python=sys.executable, log=str(log), edits=json.dumps(edits), count=len(edits)),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script, log


@pytest.fixture
def can_suspend(monkeypatch) -> list[str]:
    """The test driver suspends as a terminal's does (Textual's own test driver cannot): what
    happened is recorded, so a test sees the editor ran while the app was suspended."""
    events: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "can_suspend", property(lambda self: True))
    monkeypatch.setattr(HeadlessDriver, "suspend_application_mode", lambda self: events.append("suspended"))
    monkeypatch.setattr(HeadlessDriver, "resume_application_mode", lambda self: events.append("resumed"))
    return events


NEW_FIRST = "- A fact added above the others. [S1 ¶2]\n"
EDITS = [("- It costs a lot.", NEW_FIRST + "- It costs a lot."), ("Two sentences are here.", "Two sentences, edited.")]


@pytest.mark.parametrize("size", SIZES)
async def test_e_opens_the_editor_at_the_item_and_shows_the_brief_as_edited(
    size, tmp_path: Path, monkeypatch, can_suspend
):
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    file = library / "sample.md"
    script, log = fake_editor(tmp_path, EDITS)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{script} --wait")  # split like a shell: a word each
    app = app_for(tmp_path, "sample", library=library)
    async with app.run_test(size=size) as pilot:
        screen = await wait_for_brief(pilot)

        def state(name: str):
            def record(*args, **kwargs):
                can_suspend.append(f"{name}: editor {'ran' if log.exists() else 'not run'}")

            return record

        monkeypatch.setattr(HeadlessDriver, "suspend_application_mode", state("suspended"))
        monkeypatch.setattr(HeadlessDriver, "resume_application_mode", state("resumed"))
        await press(pilot, "j")
        item = screen.current_item
        assert item.id == "two" and screen.rowlist().cursor == 1
        assert "e edit the brief" in str(screen.query_one("#detail-body").render())
        await press(pilot, "e")
        await settled(pilot)
        assert json.loads(log.read_text()) == [["--wait", f"+{line_of(GOOD_BRIEF, 'Two sentences')}", str(file)]]
        assert can_suspend == ["suspended: editor not run", "resumed: editor ran"]
        # Read again: the new text shown, the cursor still on the item (now third).
        assert app.screen is screen and screen.pane == "facts"
        assert screen.brief.facts[2].statement == "Two sentences, edited."
        assert screen.current_item.id == "two" and screen.rowlist().cursor == 2
        assert "Two sentences, edited." in screen_text(app)
        assert "Two sentences, edited." in str(screen.query_one("#detail-body").render())
        assert "Key facts (3)" in screen_text(app)
        assert "The brief was read again." in messages(app)
        # The library's list caught up with the file too.
        await settled(pilot)
        [entry] = app.library.entries
        assert entry.summary is not None and entry.summary.counts[0] == 3


async def test_an_edit_that_breaks_the_brief_lists_its_problems_and_keeps_the_place(
    tmp_path: Path, monkeypatch, can_suspend
):
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    file = library / "sample.md"
    broken = [("title: A sample brief\n", ""), ("Proposed the plan. [S1 ¶1]", "Proposed the plan. [S1 ¶9]")]
    fixed = [("Proposed the plan. [S1 ¶9]", "Proposed the plan. [S1 ¶1]"), ("date:", "title: Mended\ndate:")]
    script, log = fake_editor(tmp_path, broken, [], fixed)  # breaks it, leaves it, mends it
    monkeypatch.setenv("VISUAL", str(script))
    app = app_for(tmp_path, "sample", library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        await press(pilot, "2")
        before = screen.brief
        at_item = [f"+{line_of(GOOD_BRIEF, '- The Council')}", str(file)]
        await press(pilot, "e")
        problems = await wait_for_screen(pilot, ProblemsScreen, "the problems")
        assert json.loads(log.read_text()) == [at_item]
        with pytest.raises(BriefError) as raised:
            load_brief(file)
        expected = [str(p) for p in raised.value.all]
        assert any("title" in p for p in expected)
        assert all(line.startswith(f"{file}:") for line in expected)
        shown = str(problems.query_one("#problems-list").render())
        assert [line for line in shown.split("\n") if line] == expected
        # Under it, the brief as it was, where the reader was.
        assert screen.brief is before and screen.pane == "stakeholders"
        await press(pilot, "escape")
        assert app.screen is screen and screen.brief is before and screen.pane == "stakeholders"
        # e again: still broken. Then e in the list of problems: the editor at the first one.
        await press(pilot, "e")
        problems = await wait_for_screen(pilot, ProblemsScreen, "the problems again")
        assert json.loads(log.read_text()) == [at_item, at_item]
        await press(pilot, "e")
        await until(pilot, lambda: app.screen is screen and screen.brief.title == "Mended", "the mended brief")
        assert json.loads(log.read_text())[2] == [f"+{max(1, raised.value.line)}", str(file)]
        assert screen.pane == "stakeholders" and screen.current_item.name == "The Council"
        assert "Mended" in str(screen.query_one("#brief-header").render())


async def test_e_is_refused_in_a_kiosk(tmp_path: Path, monkeypatch, can_suspend):
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    script, log = fake_editor(tmp_path, EDITS)
    monkeypatch.setenv("EDITOR", str(script))
    app = app_for(tmp_path, "sample", library=library, kiosk=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        assert "e edit" not in str(screen.query_one("#detail-body").render())
        await press(pilot, "e")
        await settled(pilot)
        assert not log.exists() and can_suspend == []
        assert app.screen is screen
        assert any("kiosk" in m for m in messages(app))


async def test_e_is_refused_on_a_read_only_library(tmp_path: Path, monkeypatch, can_suspend):
    library = tmp_path / "lib"
    shutil.copytree(BUNDLED, library)
    file = library / f"{CONTRACT}.md"
    file.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    script, log = fake_editor(tmp_path, EDITS)
    monkeypatch.setenv("EDITOR", str(script))
    app = app_for(tmp_path, CONTRACT, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        assert "e edit" not in str(screen.query_one("#detail-body").render())
        await press(pilot, "e")
        await settled(pilot)
        assert not log.exists() and can_suspend == []
        assert app.screen is screen
        assert any("read-only" in m and str(file) in m for m in messages(app))


async def test_e_says_so_where_the_terminal_cannot_be_handed_over(tmp_path: Path, monkeypatch):
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    script, log = fake_editor(tmp_path, EDITS)
    monkeypatch.setenv("EDITOR", str(script))
    app = app_for(tmp_path, "sample", library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        await press(pilot, "e")
        await settled(pilot)
        assert not log.exists() and app.screen is screen
        assert any("cannot be handed over" in m for m in messages(app))


async def test_an_editor_that_cannot_be_started_is_named(tmp_path: Path, monkeypatch, can_suspend):
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
    app = app_for(tmp_path, "sample", library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        await press(pilot, "e")
        await settled(pilot)
        assert can_suspend == ["suspended", "resumed"] and app.screen is screen
        assert any("no-such-editor" in m and "cannot be started" in m for m in messages(app))


async def test_e_in_the_library_opens_a_broken_file_at_its_error_and_shows_it_mended(
    tmp_path: Path, monkeypatch, can_suspend
):
    """A brief with an error cannot be opened, but it can be mended from the list: e opens it
    at its first error, and the list is read again when the editor exits."""
    broken = GOOD_BRIEF.replace("Proposed the plan. [S1 ¶1]", "Proposed the plan. [S1 ¶9]")
    library = write_library(tmp_path / "lib", {"sample.md": broken})
    file = library / "sample.md"
    script, log = fake_editor(tmp_path, [("Proposed the plan. [S1 ¶9]", "Proposed the plan. [S1 ¶1]")])
    monkeypatch.setenv("VISUAL", str(script))
    app = app_for(tmp_path, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_library(pilot)
        [entry] = app.library.entries
        assert entry.summary is None and entry.error is not None
        assert entry.error.line == line_of(broken, "- The Council") > 1  # the item that cites it
        await press(pilot, "e")
        await until(pilot, lambda: log.exists(), "the editor")
        assert json.loads(log.read_text()) == [[f"+{entry.error.line}", str(file)]]
        assert can_suspend == ["suspended", "resumed"]
        await until(pilot, lambda: app.library.entries[0].summary is not None, "the mended brief in the list")
        assert app.screen is screen
        rows = screen.query_one("#briefs", RowList)
        assert isinstance(rows.current, Entry) and rows.current.summary is not None
        assert "error" not in screen_text(app)
        await press(pilot, "enter")
        brief = await wait_for_brief(pilot)
        assert brief.brief.id == "sample"


async def test_e_in_the_library_is_refused_in_a_kiosk(tmp_path: Path, monkeypatch, can_suspend):
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF.replace("[S1 ¶1]", "[S1 ¶9]")})
    script, log = fake_editor(tmp_path, EDITS)
    monkeypatch.setenv("EDITOR", str(script))
    app = app_for(tmp_path, library=library, kiosk=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "e")
        await settled(pilot)
        assert not log.exists() and can_suspend == []
        assert any("kiosk" in m for m in messages(app))


async def test_a_brief_edited_outside_the_reader_is_listed_as_edited_after_r(tmp_path: Path):
    """The list keeps its rows when the same briefs are there in the same order; a brief
    whose file changed must still be drawn as it now reads (its title, its summary)."""
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    app = app_for(tmp_path, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_library(pilot)
        rows = screen.query_one("#briefs", RowList)
        assert rows.current.summary.title == "A sample brief" and "A sample brief" in screen_text(app)
        file = library / "sample.md"
        file.write_text(file.read_text(encoding="utf-8").replace("title: A sample brief", "title: Renamed"))
        await press(pilot, "r")
        await until(pilot, lambda: rows.current.summary.title == "Renamed", "the renamed brief in the list")
        assert "Renamed" in screen_text(app) and "A sample brief" not in screen_text(app)
