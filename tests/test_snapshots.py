"""Snapshots of the main screens, for review (open the SVGs in tests/__snapshots__/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.dialogs import NoteDialog
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.screens.search import SearchScreen

from .fixtures import BUNDLED, CONTRACT
from .pilot import app_for, press, settled, until, wait_for_screen


async def until_loaded(pilot) -> None:
    """Wait until the screen to take is finished: the brief open, or the library read with
    its notes counted."""

    def ready() -> bool:
        app = pilot.app
        screen = app.screen
        if isinstance(screen, BriefScreen):
            return screen.is_mounted
        return (
            isinstance(screen, LibraryScreen) and screen.loaded and app.library.entries != [] and screen.orphans_known
        )

    await until(pilot, ready, "the brief to open, or the library to be read with its notes counted")
    await settled(pilot)


def noted_store(tmp_path: Path) -> Path:
    """A store with notes and bookmarks written at fixed times, one of them orphaned."""
    from briefing.core.library import Library
    from briefing.core.marks import Bookmark, Note
    from briefing.store.notes import Store

    library = Library([BUNDLED])
    library.scan()
    contract = library.brief(CONTRACT)
    record = library.brief("palantir-public-sector-record")
    path = tmp_path / "notes.json"
    store = Store(path, author="analyst")
    stamp = "2026-11-20T10:15:00.000Z"

    def note(n, brief, item, text, anchor="ok"):
        return Note(
            id=f"n{n}",
            brief=brief.id,
            item=item.id if item else None,
            pane=item.pane if item else None,
            quote=item.quote if item else brief.title,
            author="analyst",
            created=stamp,
            updated=stamp,
            anchor=anchor,
            text=text,
        )

    fact, concern = contract.facts[1], contract.concerns[0]
    store.put(
        note(1, contract, fact, "Check the figure against the Mayor's statement.\nAsk the press office."),
        note(2, contract, concern, "The strongest objection; quote it in the summary."),
        note(3, contract, None, "Read with the procurement rules."),
        note(4, record, record.timeline[0], "Compare with the NHS contract."),
        Bookmark(
            id="b1",
            brief=contract.id,
            item=fact.id,
            pane=fact.pane,
            quote=fact.quote,
            author="analyst",
            created=stamp,
            updated=stamp,
        ),
        Note(
            id="n5",
            brief=record.id,
            item="a-removed-item",
            pane="facts",
            quote="An item the author has since removed.",
            author="analyst",
            created=stamp,
            updated=stamp,
            anchor="orphaned",
            text="This note lost its item.",
        ),
    )
    store.save_place(contract.id, "facts", contract.facts[0].id)  # read; the others unread
    store.save_place(None)
    return path


def test_library(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path), terminal_size=(80, 24), run_before=until_loaded)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_brief(size, snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, CONTRACT), terminal_size=size, press=["2", "j"], run_before=until_loaded)


def test_source(snap_compare, tmp_path):
    assert snap_compare(
        app_for(tmp_path, CONTRACT), terminal_size=(80, 24), press=["3", "j", "o"], run_before=until_loaded
    )


def test_help(snap_compare, tmp_path):
    assert snap_compare(
        app_for(tmp_path, CONTRACT), terminal_size=(80, 24), press=["question_mark"], run_before=until_loaded
    )


async def note_dialog_open(pilot) -> None:
    """The second fact's note, open in its dialog, its cursor shown steadily: the snapshot is
    of the dialog, not of where the cursor's blink happens to be when it is taken."""
    await until_loaded(pilot)
    await press(pilot, "j", "a")
    dialog = await wait_for_screen(pilot, NoteDialog, "the note dialog")
    dialog.query_one(TextArea).cursor_blink = False


def test_note_dialog(snap_compare, tmp_path):
    store = noted_store(tmp_path)
    assert snap_compare(app_for(tmp_path, CONTRACT, store=store), terminal_size=(80, 24), run_before=note_dialog_open)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_notebook(size, snap_compare, tmp_path):
    store = noted_store(tmp_path)
    assert snap_compare(app_for(tmp_path, store=store), terminal_size=size, press=["n", "j"], run_before=until_loaded)


async def search_nhs(pilot) -> None:
    """The search for "nhs" (items, a paragraph and a note), the results with the keys (no
    cursor blinking in the query), on the second hit."""
    await until_loaded(pilot)
    await press(pilot, "s", *"nhs", "down", "j")
    await wait_for_screen(pilot, SearchScreen, "the search")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_search(size, snap_compare, tmp_path):
    store = noted_store(tmp_path)
    assert snap_compare(app_for(tmp_path, store=store), terminal_size=size, run_before=search_nhs)


def test_library_with_notes(snap_compare, tmp_path):
    store = noted_store(tmp_path)
    assert snap_compare(app_for(tmp_path, store=store), terminal_size=(80, 24), run_before=until_loaded)


@pytest.mark.parametrize(
    "theme", ["briefing-ansi", "briefing-dark", "briefing-high-contrast", "briefing-light", "briefing-mono"]
)
def test_brief_in_every_shipped_theme(theme, snap_compare, tmp_path):
    """The brief screen, with a bookmarked and annotated item under the cursor, per theme."""
    from briefing.store.notes import Store

    store = noted_store(tmp_path)
    Store(store).set_setting("theme", theme)
    assert snap_compare(
        app_for(tmp_path, CONTRACT, store=store), terminal_size=(80, 24), press=["j"], run_before=until_loaded
    )
