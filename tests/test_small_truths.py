"""What briefing says is true: help lists only keys that do something, one of a thing is
never plural, an online-only source is said to be one, a screenshot lands where the notice
says, and the theme picker shows briefing's own themes first."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from textual import events
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from briefing import paths
from briefing.core.enums import PANES
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.dialogs import ConfirmDialog, NoteDialog, PickDialog
from briefing.ui.screens.help import HelpScreen, describe_bindings
from briefing.ui.screens.notebook import NotebookScreen
from briefing.ui.screens.search import SearchScreen
from briefing.ui.screens.source import SourceScreen
from briefing.ui.screens.too_small import TooSmallScreen
from briefing.ui.screens.views import ConcernsScreen, PeopleScreen, TimelineScreen, ViewScreen
from briefing.ui.widgets.rowlist import RowList
from briefing.ui.widgets.sourceview import SourceView

from .fixtures import BUNDLED, CONTRACT, GOOD_BRIEF, write_library
from .pilot import (
    app_for,
    press,
    settled,
    until,
    wait_for_brief,
    wait_for_library,
    wait_for_screen,
)

# -- help lists only keys that do something ------------------------------------------------


class Watched:
    """An app whose notices and requests to exit are counted (an exit is only recorded,
    so every key of a screen can be tried in one run)."""

    def __init__(self, app) -> None:
        self.app = app
        self.notices: list[str] = []
        self.exits = 0
        self.copies = 0
        notify, copy = app.notify, app.copy_to_clipboard

        def counted_notify(message, **kwargs):
            self.notices.append(str(message))
            notify(message, **kwargs)

        def counted_exit(*args, **kwargs):
            self.exits += 1

        def counted_copy(text):
            self.copies += 1
            copy(text)

        app.notify = counted_notify
        app.exit = counted_exit
        app.copy_to_clipboard = counted_copy


class Seen(NamedTuple):
    """What a reader could see change (and what a key could change behind it)."""

    stack: tuple[int, ...]  # the screens, by identity
    front: str  # the kind of screen in front
    focus: str  # the kind of widget focused
    focus_id: int
    notices: int
    exits: int
    copies: int
    marks: tuple  # the notes and bookmarks saved
    pane: str | None
    rows: tuple  # (cursor, number of rows) of each list
    scrolls: tuple  # the scroll offset of each widget
    rest: tuple  # every other widget's display, text and selection


def observe(watched: Watched) -> Seen:
    app = watched.app
    screen = app.screen
    rows, scrolls, rest = [], [], [app.theme, app.clipboard, getattr(screen, "index", None)]
    for widget in screen.query("*"):
        scrolls.append(tuple(widget.scroll_offset))
        rest.append(widget.display)
        if isinstance(widget, RowList):
            rows.append((widget.cursor, len(widget.rows)))
        elif isinstance(widget, Input):
            rest.append((widget.value, widget.cursor_position, tuple(widget.selection)))
        elif isinstance(widget, TextArea):
            rest.append((widget.text, tuple(widget.selection)))
        elif isinstance(widget, Static):
            rest.append(str(widget.render()))
    return Seen(
        tuple(map(id, app.screen_stack)),
        type(screen).__name__,
        type(screen.focused).__name__,
        id(screen.focused),
        len(watched.notices),
        watched.exits,
        watched.copies,
        tuple(sorted((m.id, m.kind, m.updated) for m in app.store.marks())),
        getattr(screen, "pane", None),
        tuple(rows),
        tuple(scrolls),
        tuple(rest),
    )


def in_front(kind: str) -> Callable[[Seen, Seen], bool]:
    return lambda before, after: after.front == kind and before.front != kind


def closed(before: Seen, after: Seen) -> bool:
    return len(after.stack) < len(before.stack)


def moved(before: Seen, after: Seen) -> bool:
    return after.rows != before.rows or after.scrolls != before.scrolls


# What each action of briefing's (and the Textual ones it relies on) must visibly do.
# An action not named here (the editing keys of Textual's text boxes) must change something.
EFFECTS: dict[str, Callable[[Seen, Seen], bool]] = {
    "help": in_front("HelpScreen"),
    "command_palette": in_front("CommandPalette"),
    "pick_theme": in_front("CommandPalette"),
    "quit": lambda before, after: after.exits == before.exits + 1,
    "notebook": in_front("NotebookScreen"),
    "search": in_front("SearchScreen"),
    "open_hit": lambda before, after: after.front != before.front and len(after.stack) > len(before.stack),
    "edit_query": lambda before, after: after.focus == "QueryBox" and before.focus != "QueryBox",
    "to_results": lambda before, after: after.focus == "RowList" and before.focus != "RowList",
    "close": closed,
    "open": in_front("BriefScreen"),
    "jump": in_front("BriefScreen"),
    "source": in_front("SourceScreen"),
    "note": in_front("NoteDialog"),
    "brief_note": in_front("NoteDialog"),
    "edit": in_front("NoteDialog"),
    "delete_note": lambda before, after: in_front("ConfirmDialog")(before, after) or after.notices > before.notices,
    "delete": in_front("ConfirmDialog"),
    "attach": in_front("PickDialog"),
    "bookmark": lambda before, after: after.marks != before.marks and after.notices > before.notices,
    "brief_bookmark": lambda before, after: after.marks != before.marks and after.notices > before.notices,
    "copy": lambda before, after: after.copies == before.copies + 1,
    "cut": lambda before, after: after.copies == before.copies + 1,
    "copy_text": lambda before, after: after.copies == before.copies + 1,
    "copy_citation": lambda before, after: after.copies == before.copies + 1,
    "back": closed,
    "dismiss": closed,
    "answer": closed,
    "pick": closed,
    "cancel": closed,
    "save": closed,
    "pane": lambda before, after: after.pane != before.pane,
    "next_pane": lambda before, after: after.pane != before.pane,
    "previous_pane": lambda before, after: after.pane != before.pane,
    "filter": lambda before, after: after.focus == "FilterBox" and before.focus != "FilterBox",
    "focus_next": lambda before, after: after.focus_id != before.focus_id,
    "focus_previous": lambda before, after: after.focus_id != before.focus_id,
    "rescan": lambda before, after: after.rows[0][1] > before.rows[0][1],
    **{
        action: moved
        for action in (
            "cursor_down",
            "cursor_up",
            "first",
            "last",
            "page_down",
            "page_up",
            "scroll_up",
            "scroll_down",
            "scroll_home",
            "scroll_end",
            "next_citation",
            "previous_citation",
            "detail_down",
            "detail_up",
        )
    },
}


def effect_of(screen: Screen, key: str) -> tuple[str, Callable[[Seen, Seen], bool]]:
    active = screen.active_bindings[key]
    action = active.binding.action.rpartition(".")[2].partition("(")[0]
    if isinstance(active.node, (Input, TextArea)):  # Textual's editing keys: any change
        return action, lambda before, after: after != before
    return action, EFFECTS.get(action, lambda before, after: after != before)


def send_key(app, key: str) -> None:
    """A key from the terminal, as Pilot sends it."""
    character = key_to_character(key) or {"slash": "/", "space": " "}.get(key)
    app._driver.send_message(events.Key(key, character))


def listed_keys(screen: Screen) -> list[tuple[str, str]]:
    """(key, what help says it does) for every key help lists on ``screen``, as key names."""
    app = screen.app
    by_display: dict[str, list[str]] = {}
    for key, active in screen.active_bindings.items():
        by_display.setdefault(app.get_key_display(active.binding), []).append(key)
    out = []
    for keys, what in describe_bindings(screen):
        for display in keys.split(" "):
            assert display in by_display, f"help lists {display!r}, bound to nothing here"
            out += [(key, what) for key in by_display[display]]
    return out


def middle(widget) -> None:
    """Scroll ``widget`` half way, so a scroll either way shows."""
    widget.scroll_to(y=widget.max_scroll_y // 2, x=widget.max_scroll_x // 2, animate=False, immediate=True)


def prepare(screen: Screen, key: str) -> Callable[[], bool] | None:
    """Put the screen where ``key`` can show what it does (the table of what each needs);
    for a key whose effect comes later, what to wait for."""
    active = screen.active_bindings[key]
    node, action = active.node, active.binding.action.rpartition(".")[2]
    if action == "rescan":  # a brief added since: the scan finds it
        rows = screen.query_one(RowList)
        count = len(rows.rows)
        folder = screen.app.library.roots[0]
        write_library(folder, {f"added-{count}.md": GOOD_BRIEF.replace("id: sample", f"id: added-{count}")})
        return lambda: len(rows.rows) > count
    if action.startswith("pane("):  # another pane first, so going to this one shows
        screen.pane = next(pane for pane in PANES if f"'{pane}'" not in action)
    elif isinstance(node, RowList) and action in ("cursor_up", "first", "page_up"):
        node.cursor = len(node.rows) - 1
    elif isinstance(node, SourceView) and not action.startswith("page_"):
        node.move_to(len(node.paragraphs) // 2 + 1, 2)  # the sentence cursor mid-way: any move shows
    elif action.startswith(("scroll_", "page_")) and not isinstance(node, (RowList, Input, TextArea)):
        middle(node)
    elif action in ("detail_down", "detail_up"):
        middle(screen.query_one("#detail"))
    elif isinstance(node, Input):
        node.value = "alpha beta gamma"
        node.cursor_position = 8
        if action in ("copy", "cut"):
            node.selection = type(node.selection)(0, 5)
        if action == "paste":
            screen.app.copy_to_clipboard("pasted")
    elif isinstance(node, TextArea):
        node.text = "first line here\nsecond line here\nthird line here"
        node.move_cursor((1, 7))
        if action in ("copy", "cut"):
            node.select_line(0)
        elif action == "paste":
            screen.app.copy_to_clipboard("pasted")
        elif action in ("undo", "redo"):
            node.insert("typed ")
            if action == "redo":
                node.undo()
    return None


async def library_screen(pilot, watched) -> Screen:
    library = pilot.app.screen_stack[0]
    reset_library(library)
    return library


async def library_filter(pilot, watched) -> Screen:
    library = await library_screen(pilot, watched)
    await press(pilot, "slash")
    await settled(pilot)
    return library


async def brief_screen(pilot, watched, pane: str = "facts") -> Screen:
    app = pilot.app
    app.show_brief(app.library.brief(CONTRACT), pane=pane)
    await wait_for_screen(pilot, BriefScreen, "the brief")
    return app.screen


def item_citing_far_apart(screen: BriefScreen):
    """An item citing two paragraphs far apart in its source (n and p move between them)."""
    for index, item in enumerate(screen.rowlist().rows):
        paragraphs = {c.paragraph for c in item.citations}
        if max(paragraphs) - min(paragraphs) >= 3:
            return index
    raise AssertionError("no such item")


async def source_screen(pilot, watched) -> Screen:
    brief = await brief_screen(pilot, watched, pane="stakeholders")
    brief.rowlist().cursor = item_citing_far_apart(brief)
    await press(pilot, "o")
    await wait_for_screen(pilot, SourceScreen, "the source")
    return pilot.app.screen


def with_marks(app) -> None:
    """A note and a bookmark on the contract brief's first two facts (if not there)."""
    brief = app.library.brief(CONTRACT)
    first, second = brief.facts[0], brief.facts[1]
    marks = app.store.marks(CONTRACT)
    if not any(m.item == first.id and m.kind == "note" for m in marks):
        app.store.add_note(CONTRACT, first.id, "facts", first.quote, "A note to check.")
    if not any(m.item == second.id and m.kind == "bookmark" for m in marks):
        app.store.toggle_bookmark(CONTRACT, second.id, "facts", second.quote)
    app.notes.announce()


async def note_dialog(pilot, watched) -> Screen:
    await brief_screen(pilot, watched)
    await press(pilot, "a")
    await wait_for_screen(pilot, NoteDialog, "the note dialog")
    return pilot.app.screen


async def confirm_dialog(pilot, watched) -> Screen:
    with_marks(pilot.app)
    await brief_screen(pilot, watched)
    await press(pilot, "d")
    await wait_for_screen(pilot, ConfirmDialog, "the question")
    return pilot.app.screen


async def notebook_screen(pilot, watched) -> Screen:
    with_marks(pilot.app)
    await library_screen(pilot, watched)
    await press(pilot, "n")
    await wait_for_screen(pilot, NotebookScreen, "the notebook")
    return pilot.app.screen


async def search_screen(pilot, watched) -> Screen:
    """The search, with the results of a query, the keys in the query."""
    await library_screen(pilot, watched)
    await press(pilot, "s")
    screen = await wait_for_screen(pilot, SearchScreen, "the search")
    reset_search(screen)
    await settled(pilot)
    return screen


async def search_results(pilot, watched) -> Screen:
    """The search, the keys in its results."""
    screen = await search_screen(pilot, watched)
    await press(pilot, "down")
    return screen


def view_screen(key: str, kind: type[ViewScreen]) -> Callable[..., Awaitable[Screen]]:
    async def setup(pilot, watched) -> Screen:
        await library_screen(pilot, watched)
        await press(pilot, key)
        return await wait_for_screen(pilot, kind, f"the {kind.__name__}")

    return setup


def reset_view(screen) -> None:
    if isinstance(screen, PeopleScreen) and screen.person is not None:
        screen.action_back()
    box = screen.query_one("#view-filter", Input)
    box.value = ""
    box.display = False
    rows = screen.query_one(RowList)
    rows.cursor = rows.landing(0)
    screen.set_focus(rows)


async def pick_dialog(pilot, watched) -> Screen:
    await notebook_screen(pilot, watched)
    await press(pilot, "t")
    await wait_for_screen(pilot, PickDialog, "the picker")
    return pilot.app.screen


async def help_screen(pilot, watched) -> Screen:
    await brief_screen(pilot, watched)
    await press(pilot, "question_mark")
    await wait_for_screen(pilot, HelpScreen, "help")
    return pilot.app.screen


async def too_small_screen(pilot, watched) -> Screen:
    await library_screen(pilot, watched)
    if not isinstance(pilot.app.screen, TooSmallScreen):
        await pilot.resize_terminal(50, 15)
        await wait_for_screen(pilot, TooSmallScreen, "the notice that the terminal is too small")
    return pilot.app.screen


def reset_library(screen) -> None:
    box = screen.query_one("#filter", Input)
    box.value = ""
    box.display = False
    rows = screen.query_one(RowList)
    screen.set_focus(rows)
    rows.cursor = 0


def reset_filter(screen) -> None:
    box = screen.query_one("#filter", Input)
    box.value = ""
    box.display = True
    screen.set_focus(box)


def reset_brief(screen) -> None:
    for rows in screen.query(RowList):
        rows.cursor = 0
    screen.pane = "facts"
    screen.show_detail()
    screen.set_focus(screen.rowlist())


def reset_source(screen) -> None:
    screen.index = 0
    screen.show_citation()
    screen.set_focus(screen.query_one(SourceView))


def reset_notebook(screen) -> None:
    box = screen.query_one("#notebook-filter", Input)
    box.value = ""
    box.display = False
    rows = screen.query_one(RowList)
    rows.select_where(lambda row: row.mark is not None)
    screen.set_focus(rows)


def reset_search(screen) -> None:
    screen.box.value = "pandemic"
    screen.set_focus(screen.box)


def reset_search_results(screen) -> None:
    rows = screen.query_one(RowList)
    rows.cursor = 1  # the first hit
    screen.set_focus(rows)


def reset_note(screen) -> None:
    area = screen.query_one(TextArea)
    area.text = ""
    screen.set_focus(area)


def reset_pick(screen) -> None:
    rows = screen.query_one(RowList)
    rows.cursor = 0
    screen.set_focus(rows)


def reset_help(screen) -> None:
    body = screen.query_one("#help-body")
    body.scroll_home(animate=False, immediate=True)
    screen.set_focus(body)


# Each screen: how to reach it from the library, and how to put it back as it was
# when a key left it in front (faster than reaching it again).
SCREENS: dict[str, tuple[Callable[..., Awaitable[Screen]], Callable[[Screen], None]]] = {
    "library": (library_screen, reset_library),
    "library filter": (library_filter, reset_filter),
    "brief": (brief_screen, reset_brief),
    "source": (source_screen, reset_source),
    "notebook": (notebook_screen, reset_notebook),
    "search": (search_screen, reset_search),
    "search results": (search_results, reset_search_results),
    "people": (view_screen("p", PeopleScreen), reset_view),
    "timeline": (view_screen("t", TimelineScreen), reset_view),
    "concerns": (view_screen("c", ConcernsScreen), reset_view),
    "note dialog": (note_dialog, reset_note),
    "confirm dialog": (confirm_dialog, lambda screen: screen.set_focus(screen.query_one("#confirm-no"))),
    "pick dialog": (pick_dialog, reset_pick),
    "help": (help_screen, reset_help),
    "too small": (too_small_screen, lambda screen: None),
}


@pytest.mark.slow  # every key of every screen, each pressed and waited out: over a minute in all
@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_key_help_lists_does_something(name: str, tmp_path: Path):
    """Each key help lists on a screen, pressed there, changes what the reader sees (or
    what is saved, or ends briefing): none is listed that does nothing."""
    setup, reset = SCREENS[name]
    library = tmp_path / "library"
    shutil.copytree(BUNDLED, library)
    app = app_for(tmp_path, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        watched = Watched(app)
        screen = await setup(pilot, watched)
        stack = list(app.screen_stack)
        keys = listed_keys(screen)
        assert keys, f"help lists no key on the {name} screen"
        idle = []
        for number, (key, what) in enumerate(keys):
            if number and list(app.screen_stack) == stack:
                reset(screen)
            elif number:
                app.back_to(0 if name != "too small" else 1)
                await settled(pilot)
                screen = await setup(pilot, watched)
                stack = list(app.screen_stack)
            app.theme = "briefing-dark"
            due = prepare(screen, key)
            await settled(pilot)
            action, effect = effect_of(screen, key)
            before = observe(watched)
            send_key(app, key)
            if due is not None:
                await until(pilot, due, f"what {key} does on the {name} screen")
            await settled(pilot)
            if not effect(before, observe(watched)):
                idle.append(f"{key} ({what}: {action})")
        assert idle == [], f"on the {name} screen help lists keys that do not do what it says: {idle}"


async def test_help_shows_what_describe_bindings_says_and_nothing_disabled(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        listed = describe_bindings(library)
        assert not any(what.startswith("Clear") for _, what in listed)  # no filter to clear
        assert not any("Focus" in what or "Copy selected" in what for _, what in listed)
        await press(pilot, "f1")
        await settled(pilot)
        shown = str(app.screen.query_one("#help-body Static").render())
        for keys, what in listed:
            assert f"{keys:>22}  {what}" in shown
        await press(pilot, "escape")
        await press(pilot, "slash")
        await settled(pilot)
        listed = describe_bindings(library)
        assert any(what == "Clear and close the filter" for _, what in listed)
        assert not any(keys.split(" ")[0] == "/" for keys, _ in listed)  # typed into the filter


# -- a source that is online only ----------------------------------------------------------


async def test_o_on_an_online_only_source_says_so_as_information(tmp_path: Path):
    url = "https://example.org/reports/2024?id=7"
    brief = GOOD_BRIEF.replace("    file: sample.txt\n", f"    url: {url}\n")
    library = write_library(tmp_path / "lib", {"online.md": brief})
    app = app_for(tmp_path, "sample", library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_brief(pilot)
        assert screen.brief.sources[0].file is None and screen.brief.sources[0].url == url
        assert screen.current_item.citations[0].source == "S1"
        await press(pilot, "o")
        await settled(pilot)
        assert app.screen is screen  # nothing opened, nothing fetched
        [notice] = list(app._notifications)
        assert notice.severity == "information"
        assert "online only" in notice.message and url in notice.message
        assert "does not fetch" in notice.message
        assert "Cannot" not in notice.title + notice.message


# -- one of a thing is not "1 things" ------------------------------------------------------

ONE_THINGS = re.compile(r"(?<![\d,.])1 (notes|bookmarks|briefs|marks|paragraphs|items|sources|passages)\b")


def shown_text(app) -> str:
    """Every text of the screen in front (each list's rows as drawn) and every notice."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, RowList):
            parts.append(widget.empty)
            parts += [widget.render_line(y).text for y in range(widget.size.height)]
    parts += [n.message for n in app._notifications]
    return "\n".join(parts)


async def test_one_note_one_bookmark_one_brief_are_never_plural(tmp_path: Path):
    from briefing.store.notes import Store

    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    store = Store(tmp_path / "notes.json")
    store.add_note("sample", None, None, "A sample brief", "The only note.")
    store.toggle_bookmark("sample", None, None, "A sample brief")
    store.close()
    app = app_for(tmp_path, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_library(pilot)
        text = shown_text(app)
        assert "1 brief" in text and not ONE_THINGS.search(text), text
        # The first reading of a library of one brief says how far it got.
        screen.loaded = False
        await asyncio.to_thread(screen.report_progress, 1, 1)
        await settled(pilot)
        text = shown_text(app)
        assert "1 of 1 brief…" in text and not ONE_THINGS.search(text), text
        screen.loaded = True
        await press(pilot, "n")
        await wait_for_screen(pilot, NotebookScreen, "the notebook")
        text = shown_text(app)
        assert "1 note · 1 bookmark" in text and not ONE_THINGS.search(text), text
        await press(pilot, "enter")
        brief = await wait_for_brief(pilot)
        text = shown_text(app)
        assert brief.brief.id == "sample" and not ONE_THINGS.search(text), text


async def test_a_citation_past_a_one_paragraph_source_says_1_paragraph(tmp_path: Path, capsys):
    from briefing.cli.checking import check

    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF}, source="Only one paragraph.\n")
    app = app_for(tmp_path, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "enter")  # the brief cites paragraphs 2 and 3: it does not open
        await until(pilot, lambda: bool(app._notifications), "a notice")
        text = shown_text(app)
        assert "has 1 paragraph" in text and not ONE_THINGS.search(text), text
    assert check([library]) == 1
    printed = capsys.readouterr()
    assert "has 1 paragraph" in printed.out and not ONE_THINGS.search(printed.out + printed.err)


# -- a screenshot from the command palette ---------------------------------------------------


def offered_first(app, title: str) -> bool:
    """The command palette in front offers ``title`` first (what Enter would run)."""
    from textual.command import CommandList, CommandPalette

    screen = app.screen
    if not isinstance(screen, CommandPalette):
        return False
    rows = screen.query_one(CommandList)
    return rows.option_count > 0 and str(rows.get_option_at_index(0).prompt).startswith(title)


async def take_screenshot(pilot) -> None:
    """Choose "Screenshot" in the command palette, as a reader would."""
    app = pilot.app
    await press(pilot, "ctrl+p")
    await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the command palette")
    await press(pilot, *"Screenshot")
    await until(pilot, lambda: offered_first(app, "Screenshot"), "the palette to offer Screenshot")
    await press(pilot, "enter")
    await until(pilot, lambda: any(n.title == "Screenshot" for n in app._notifications), "the notice of the screenshot")


async def test_a_screenshot_is_saved_privately_where_the_notice_says(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mask = os.umask(0)  # whatever the umask: the folder 0700, the file 0600
    try:
        app = app_for(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_library(pilot)
            await take_screenshot(pilot)
            [notice] = [n for n in app._notifications if n.title == "Screenshot"]
    finally:
        os.umask(mask)
    assert notice.severity == "information", notice.message
    saved = Path(notice.message.rsplit(" ", 1)[-1])  # "... saved to PATH": the full path
    assert saved.is_absolute() and saved.is_file(), notice.message
    assert saved.parent == paths.screenshots_dir() and saved.parent.parent == paths.data_dir()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    svg = saved.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Library" in svg
    assert list(saved.parent.iterdir()) == [saved]  # no temporary file left behind
    assert not list(tmp_path.glob("*.svg"))  # nothing in the current folder


async def test_a_screenshot_that_cannot_be_saved_says_why(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths.data_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.data_dir().write_text("a file where the data folder should be")
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await take_screenshot(pilot)
        [notice] = [n for n in app._notifications if n.title == "Screenshot"]
    assert notice.severity == "error"
    assert "not saved" in notice.message and str(paths.screenshots_dir()) in notice.message
    assert not list(tmp_path.rglob("*.svg"))


def test_locate_names_the_screenshots_folder(capsys):
    from briefing.cli.main import main

    assert main(["locate"]) == 0
    assert f"screenshots:   {paths.screenshots_dir()}\n" in capsys.readouterr().out


# -- the theme picker ------------------------------------------------------------------------


async def picker_rows(pilot) -> list[str]:
    """The theme picker's rows, top to bottom, as shown."""
    from textual.command import CommandList, CommandPalette

    app = pilot.app
    await until(
        pilot,
        lambda: isinstance(app.screen, CommandPalette) and app.screen.has_class("-ready"),
        "the theme picker, ready",
    )
    rows = app.screen.query_one(CommandList)
    return [str(rows.get_option_at_index(i).prompt).split("\n")[0] for i in range(rows.option_count)]


@pytest.mark.parametrize("how", ["T", "palette"])
async def test_the_theme_picker_shows_briefings_themes_first(how: str, tmp_path: Path):
    from textual.theme import BUILTIN_THEMES

    shipped = ["briefing-dark", "briefing-light", "briefing-ansi", "briefing-high-contrast", "briefing-mono"]
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        if how == "T":
            await press(pilot, "T")
        else:
            await press(pilot, "ctrl+p")
            await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the command palette")
            await press(pilot, *"Theme")
            await until(pilot, lambda: offered_first(app, "Theme"), "the palette to offer Theme")
            await press(pilot, "enter")
            await settled(pilot)
        rows = await picker_rows(pilot)
        names = [row.split()[0] for row in rows]
        assert names[:5] == shipped, rows
        assert all("briefing" in row.split(maxsplit=1)[1] for row in rows[:5]), rows
        assert "in use" in rows[0]  # briefing-dark, the default
        rest = names[5:]
        assert set(rest) == set(app.available_themes) - set(shipped) and set(rest) <= set(BUILTIN_THEMES)
        assert all(row.split(maxsplit=1)[1] == "Textual" for row in rows[5:]), rows
        # Choosing one applies it and keeps it.
        await press(pilot, "down", "enter")
        await settled(pilot)
        assert app.theme == "briefing-light"
    from briefing.store.notes import Store

    assert Store(tmp_path / "notes.json").setting("theme") == "briefing-light"


async def test_a_users_own_themes_come_after_briefings_and_before_textuals(tmp_path: Path):
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "sea.toml").write_text('name = "sea"\nprimary = "#0077be"\n')
    (folder / "light.toml").write_text('name = "briefing-light"\nprimary = "#ff00ff"\n')
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "T")
        rows = await picker_rows(pilot)
    assert [row.split()[0] for row in rows[:6]] == [
        "briefing-dark",
        "briefing-light",
        "briefing-ansi",
        "briefing-high-contrast",
        "briefing-mono",
        "sea",
    ]
    assert rows[1].endswith("briefing, from your file") and rows[5].endswith("your theme")
