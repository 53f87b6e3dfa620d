"""Pilot tests of drafts and of long notes: what is typed is kept, offered again, listed,
and dropped only when the note is saved or the text discarded on purpose; a note of a
megabyte keeps the notebook quick; a note over the limit is not saved, and not lost."""

from __future__ import annotations

from pathlib import Path

from briefing.core.marks import NOTE_MAX_BYTES
from briefing.store.notes import Store
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.dialogs import ConfirmDialog, NoteDialog
from briefing.ui.screens.notebook import NotebookScreen
from briefing.ui.widgets.rowlist import RowList

from .fixtures import CONTRACT
from .pilot import (
    app_for,
    messages,
    press,
    settled,
    until,
    wait_for_brief,
    wait_for_library,
)


def dialog_text(app) -> str:
    return app.screen.query_one("#note-text").text


async def test_typing_keeps_a_draft_until_the_note_is_saved(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, CONTRACT, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        brief = await wait_for_brief(pilot)
        item = brief.current_item
        await press(pilot, "a")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog) and app.screen.is_mounted, "the dialog")
        await press(pilot, *"half typed")
        draft = await until(pilot, lambda: Store(store_path).draft(CONTRACT, item.id), "the draft")
        assert (draft.text, draft.pane, draft.quote, draft.note) == ("half typed", item.pane, item.quote, None)
        await press(pilot, "escape")  # asks; keep writing
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await press(pilot, "n")
        assert Store(store_path).draft(CONTRACT, item.id) is not None
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, BriefScreen), "the dialog to close")
    store = Store(store_path)
    assert [n.text for n in store.notes()] == ["half typed"] and store.drafts() == []


async def test_a_draft_is_offered_again_listed_and_continued_from_the_notebook(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    earlier = Store(store_path)
    app = app_for(tmp_path, store=store_path)
    library = None
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        brief_model = app.library.brief(CONTRACT)
        item = brief_model.facts[2]
        earlier.save_draft(CONTRACT, item.id, item.pane, item.quote, "from a session that hung up")
        await press(pilot, "n")
        notebook = await until(pilot, lambda: isinstance(app.screen, NotebookScreen) and app.screen, "notebook")
        rows = notebook.query_one(RowList)
        header = notebook.query_one("#notebook-header").render().plain
        assert "1 unsaved draft" in header
        assert rows.select_where(lambda row: row.mark is not None)
        assert "draft, not saved: from a session that hung up" in rows._format_row(rows.current).plain
        await press(pilot, "e")
        dialog = await until(
            pilot, lambda: isinstance(app.screen, NoteDialog) and app.screen.is_mounted and app.screen, "the dialog"
        )
        assert dialog_text(app) == "from a session that hung up"
        assert "Restored what you were writing" in dialog.query_one("#note-restored").render().plain
        await press(pilot, *" - done")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is notebook, "back in the notebook")
        await until(
            pilot,
            lambda: "unsaved draft" not in notebook.query_one("#notebook-header").render().plain,
            "the draft to leave the notebook",
        )
    store = Store(store_path)
    assert [(n.item, n.text) for n in store.notes()] == [(item.id, "from a session that hung up - done")]
    assert store.drafts() == []
    assert library is not None


async def test_a_draft_of_an_edit_is_offered_on_that_note(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, CONTRACT, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        brief = await wait_for_brief(pilot)
        item = brief.current_item
        note = Store(store_path).add_note(CONTRACT, item.id, item.pane, item.quote, "saved text")
        Store(store_path).save_draft(CONTRACT, item.id, item.pane, item.quote, "saved text, edited", note.id)
        app.notes.announce()
        await press(pilot, "a")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog) and app.screen.is_mounted, "the dialog")
        assert dialog_text(app) == "saved text, edited"
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await press(pilot, "y")  # discard on purpose: the draft goes, the note stays as saved
        await until(pilot, lambda: isinstance(app.screen, BriefScreen), "the dialog to close")
    store = Store(store_path)
    assert [n.text for n in store.notes()] == ["saved text"] and store.drafts() == []


async def test_a_note_over_the_limit_is_not_saved_and_not_lost(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, CONTRACT, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        await press(pilot, "a")
        dialog = await until(
            pilot, lambda: isinstance(app.screen, NoteDialog) and app.screen.is_mounted and app.screen, "the dialog"
        )
        huge = "x" * (NOTE_MAX_BYTES + 1)
        dialog.query_one("#note-text").insert(huge)
        await press(pilot, "ctrl+s")
        await settled(pilot)
        assert app.screen is dialog and dialog_text(app) == huge
        assert any("at most 64 KB" in m for m in messages(app))
    assert Store(store_path).notes() == []


async def test_the_notebook_stays_quick_with_a_note_of_a_megabyte(tmp_path: Path):
    """The row shows the first line (cut), the detail the first lines and how much more."""
    store_path = tmp_path / "notes.json"
    store = Store(store_path)
    big = "word " * 200_000  # one line of a megabyte, as an old import could hold
    store.add_note(CONTRACT, None, None, "The brief", big + "\nsecond line")
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "n")
        notebook = await until(pilot, lambda: isinstance(app.screen, NotebookScreen) and app.screen, "notebook")
        rows = notebook.query_one(RowList)
        rows.select_where(lambda row: row.mark is not None)
        await settled(pilot)
        line = rows._format_row(rows.current).plain
        assert len(line) < 1000
        detail = notebook.query_one("#notebook-detail-body").render().plain
        assert len(detail) < 10_000 and "more characters" in detail
        await press(pilot, "j", "k", "slash", "w", "o", "r", "d")  # moving and filtering still answer
        await settled(pilot)
        assert isinstance(app.screen, NotebookScreen)
