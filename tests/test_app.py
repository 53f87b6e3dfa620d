"""Pilot tests: library -> filter -> open -> each pane -> detail with the cited passage ->
source at the paragraph -> back, at 80x24 and 160x48."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from briefing.core.enums import PANES
from briefing.core.model import Citation
from briefing.ui.app import make_app
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.help import HelpScreen
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.screens.source import SourceScreen
from briefing.ui.widgets.pane import PaneView
from briefing.ui.widgets.rowlist import RowList
from briefing.ui.widgets.sourceview import SourceView

from .fixtures import CONTRACT, GOOD_BRIEF, REPORT, write_library
from .pilot import app_for, messages, press, settled, wait_for_brief, wait_for_library

SIZES = [(80, 24), (160, 48)]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).content)


@pytest.mark.parametrize("size", SIZES)
async def test_read_a_brief_end_to_end(size, tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        library = await wait_for_library(pilot)
        rows = library.query_one("#briefs", RowList)
        # The bundled briefs, newest first, then by title.
        assert [e.summary.id for e in rows.rows] == ["ai-policing-oversight", "palantir-public-sector-record", CONTRACT]

        await press(pilot, "slash", *"blocks met")
        assert [e.summary.id for e in rows.rows] == [CONTRACT]
        await press(pilot, "enter")  # leaves the filter box for the list
        assert app.screen.focused is rows
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, BriefScreen) and screen.brief.id == CONTRACT
        assert "Palantir" in text_of(app, "#brief-header")
        assert screen.has_class("-wide") == (size[0] >= 120)

        for number, pane in enumerate(PANES, start=1):
            await press(pilot, str(number))
            assert screen.pane == pane
            view = screen.query_one(f"#pane-{pane}", PaneView)
            assert view.display
            others = [v.display for v in screen.query(PaneView) if v is not view]
            assert all(others) if size[0] >= 120 else not any(others)
            rowlist = screen.rowlist()
            assert app.screen.focused is rowlist and rowlist.rows == list(screen.brief.pane(pane))
            await press(pilot, "j")
            assert rowlist.cursor == 1
            item = rowlist.current
            detail = text_of(app, "#detail-body")
            citation = item.citations[0]
            assert str(citation) in detail
            assert REPORT.passage(citation) in " ".join(detail.split())

        await press(pilot, "tab")
        assert screen.pane == "facts"
        await press(pilot, "shift+tab")
        assert screen.pane == "timeline"
        item = screen.current_item
        await press(pilot, "o")
        source = app.screen
        assert isinstance(source, SourceScreen)
        view = source.query_one(SourceView)
        first_line = view._first_line[item.citations[0].paragraph]
        assert view.scroll_offset.y <= first_line < view.scroll_offset.y + view.size.height
        assert item.citations[0].paragraph in view.cited
        await press(pilot, "escape")
        assert app.screen is screen and screen.current_item == item and screen.pane == "timeline"

        await press(pilot, "q")
        assert isinstance(app.screen, LibraryScreen)
        await press(pilot, "q")
    assert app.return_code == 0


async def test_open_a_brief_straight_away(tmp_path: Path):
    app = app_for(tmp_path, brief=CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        assert isinstance(app.screen, BriefScreen) and app.screen.brief.id == CONTRACT
        await press(pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_an_unknown_brief_id_says_so(tmp_path: Path):
    app = app_for(tmp_path, brief="no-such-brief")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert any("no-such-brief" in m for m in messages(app))


async def test_filter_escape_clears_and_returns_to_the_list(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        rows = library.query_one("#briefs", RowList)
        await press(pilot, "slash", *"zzzz")
        assert rows.rows == []
        await press(pilot, "escape")
        assert len(rows.rows) == 3 and app.screen.focused is rows
        assert not library.query_one("#filter").display


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_the_live_bindings(key, tmp_path: Path):
    app = app_for(tmp_path, brief=CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        brief_screen = app.screen
        await press(pilot, key)
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("#help-body Static").content)
        for binding in brief_screen.BINDINGS:
            assert (binding.tooltip or binding.description) in shown, binding
        await press(pilot, "escape")
        assert app.screen is brief_screen


async def test_every_bound_action_is_in_the_command_palette(tmp_path: Path):
    app = app_for(tmp_path, brief=CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for binding in app.screen.BINDINGS:
            assert binding.description in titles
        assert "Help" in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Next pane")
        command.callback()
        await settled(pilot)
        assert app.screen.pane == "stakeholders"


async def test_a_broken_brief_is_listed_with_its_error(tmp_path: Path):
    lib = write_library(
        tmp_path / "lib",
        {
            "good.md": GOOD_BRIEF,
            "bad.md": GOOD_BRIEF.replace("id: sample", "id: bad").replace("status: review", "status: odd"),
        },
    )
    app = make_app([lib], None)
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        rows = library.query_one("#briefs", RowList)
        assert [e.summary is not None for e in rows.rows] == [True, False]
        await press(pilot, "j")
        assert "status 'odd'" in str(library.query_one("#library-detail").content)
        assert "bad.md:" in str(library.query_one("#library-detail").content)
        await press(pilot, "enter")
        assert isinstance(app.screen, LibraryScreen)


async def test_a_key_typed_ahead_does_not_change_the_brief_opened(tmp_path: Path):
    """Enter then j, faster than the screen handles them: the brief under the cursor at
    Enter opens, not the next one."""
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        rows = library.query_one("#briefs", RowList)
        first = rows.rows[0].summary.id
        rows.action_select()  # posts Selected; the screen handles it later
        rows.action_cursor_down()
        await settled(pilot)
        assert isinstance(app.screen, BriefScreen) and app.screen.brief.id == first


async def test_s_shows_the_whole_summary_and_the_sources(tmp_path: Path):
    app = app_for(tmp_path, brief=CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        await press(pilot, "s")
        shown = " ".join(str(screen.query_one("#detail-body").content).split())
        assert " ".join(screen.brief.summary.split()) in shown
        assert "met-police-palantir-report.txt" in shown and "unverified" in shown
        await press(pilot, "j")
        assert str(screen.current_item.citations[0]) in str(screen.query_one("#detail-body").content)


async def test_the_source_marks_every_cited_sentence_of_a_paragraph(tmp_path: Path):
    app = app_for(tmp_path, brief=CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        rowlist = screen.rowlist()
        index = next(
            i
            for i, item in enumerate(rowlist.rows)
            if {(c.paragraph, c.sentence) for c in item.citations} >= {(3, 1), (3, 2)}
        )
        rowlist.cursor = index
        await press(pilot, "o")
        view = app.screen.query_one(SourceView)
        spans = view.cited[3]
        assert spans is not None and len(spans) == 2
        paragraph = REPORT.paragraphs[2]
        marked = {paragraph[a:b] for a, b in spans}
        assert marked == {REPORT.passage(Citation("S1", 3, 1)), REPORT.passage(Citation("S1", 3, 2))}


async def test_reload_while_reading_does_not_start_a_second_reading(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)  # and its first reading done
        assert not library.scanning
        # Hold the next reading of the library until the test lets it go, so the second
        # request surely comes while the first is under way.
        release = threading.Event()
        real_scan = app.library.scan
        calls = []

        def held_scan(progress=None, committed=None):
            calls.append(1)
            release.wait(10)
            return real_scan(progress, committed)

        app.library.scan = held_scan
        try:
            assert library.rescan() is True
            assert library.rescan() is False  # the first is still under way
            await press(pilot, "r")
            assert any("being read already" in m for m in messages(app))
        finally:
            release.set()
        await settled(pilot)
        assert not library.scanning and len(calls) == 1
