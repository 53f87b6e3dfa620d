"""Pilot tests of notes and bookmarks: bookmark, annotate, edit, delete, the notebook and
its jump, resuming where the reader left off, two instances on one store, and a store
that cannot be used. At 80x24 and 160x48; every store is in the test's own folder."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Static

from briefing.core.marks import Note
from briefing.store.notes import Store
from briefing.ui.render.markers import GLYPHS
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.dialogs import (
    AsideDialog,
    ConfirmDialog,
    NoteDialog,
    PickDialog,
)
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.screens.notebook import NotebookScreen
from briefing.ui.widgets.rowlist import RowList

from .fixtures import BUNDLED, CONTRACT, GOOD_BRIEF, write_library
from .pilot import (
    app_for,
    messages,
    press,
    settled,
    until,
    wait_for_brief,
    wait_for_library,
)

SIZES = [(80, 24), (160, 48)]


def row_text(rows: RowList, index: int) -> str:
    return rows._format_row(rows.rows[index]).plain


async def open_contract(pilot) -> BriefScreen:
    library = await wait_for_library(pilot)
    library.open(CONTRACT)
    return await wait_for_brief(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_bookmark_annotate_edit_and_delete(size, tmp_path: Path):
    store_path = tmp_path / "store" / "notes.json"
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_contract(pilot)
        await press(pilot, "j")
        item = screen.current_item
        rows = screen.rowlist()
        assert not row_text(rows, 1).startswith(GLYPHS.bookmark)

        await press(pilot, "b")
        [bookmark] = Store(store_path).bookmarks()
        assert (bookmark.brief, bookmark.item, bookmark.quote) == (CONTRACT, item.id, item.quote)
        assert row_text(rows, 1).startswith(GLYPHS.bookmark)

        await press(pilot, "a")
        dialog = await until(pilot, lambda: isinstance(app.screen, NoteDialog) and app.screen, "the note dialog")
        await press(pilot, *"Check the figure")
        await press(pilot, "enter")
        await press(pilot, *"Second line: naïve café")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        [note] = Store(store_path).notes()
        assert note.text == "Check the figure\nSecond line: naïve café"
        assert (note.brief, note.item, note.pane) == (CONTRACT, item.id, item.pane)
        assert "Note saved." in messages(app)
        assert row_text(rows, 1).startswith(GLYPHS.bookmark + GLYPHS.note)
        assert "Check the figure" in str(screen.query_one("#detail-body").content)

        # Edit: the dialog opens with the note's text, and saving keeps the same note.
        await press(pilot, "a")
        dialog = await until(pilot, lambda: isinstance(app.screen, NoteDialog) and app.screen, "the dialog")
        assert dialog.text == note.text
        await press(pilot, *" (done)")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        [edited] = Store(store_path).notes()
        assert edited.id == note.id and edited.text == note.text + " (done)"
        assert edited.created == note.created

        # Delete asks first; "n" keeps the note, "y" deletes it.
        await press(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await press(pilot, "n")
        await until(pilot, lambda: app.screen is screen, "the question to close")
        assert len(Store(store_path).notes()) == 1
        await press(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await press(pilot, "y")
        await until(pilot, lambda: app.screen is screen, "the question to close")
        assert Store(store_path).notes() == []
        assert row_text(rows, 1).startswith(GLYPHS.bookmark + " ")

        await press(pilot, "b")
        assert Store(store_path).bookmarks() == []
        assert row_text(rows, 1).startswith("   ")


async def test_escape_with_unsaved_text_asks_before_discarding(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contract(pilot)
        await press(pilot, "a")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog), "the dialog")
        await press(pilot, *"half a thought")
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await press(pilot, "n")  # keep writing
        dialog = await until(pilot, lambda: isinstance(app.screen, NoteDialog) and app.screen, "the dialog")
        assert dialog.text == "half a thought"
        await press(pilot, "escape", "y")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        assert Store(store_path).notes() == []
        # An empty dialog closes without a question.
        await press(pilot, "a")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog), "the dialog")
        await press(pilot, "escape")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")


async def test_notes_on_the_brief_from_the_brief_and_the_library(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        rows = library.query_one(RowList)
        rows.select_where(lambda e: e.summary.id == CONTRACT)
        await press(pilot, "b")
        await press(pilot, "a")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog), "the dialog")
        await press(pilot, *"About the whole brief")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is library, "the dialog to close")
        store = Store(store_path)
        assert [(b.brief, b.item) for b in store.bookmarks()] == [(CONTRACT, None)]
        assert [(n.brief, n.item, n.text) for n in store.notes()] == [(CONTRACT, None, "About the whole brief")]
        row = row_text(rows, rows.cursor)
        assert GLYPHS.bookmark in row[:3] and f"{GLYPHS.note}1" in row

        await press(pilot, "enter")
        screen = await wait_for_brief(pilot)
        header = str(screen.query_one("#brief-header").content)
        assert header.startswith(f"{GLYPHS.bookmark} {GLYPHS.note}")
        await press(pilot, "s")
        assert "About the whole brief" in str(screen.query_one("#detail-body").content)


def fill(store_path: Path, app_library: Path = BUNDLED) -> list[Note]:
    """Notes on items of two bundled briefs, written with fixed times."""
    from briefing.core.library import Library

    library = Library([app_library])
    library.scan()
    store = Store(store_path, author="analyst")
    notes = []
    for brief_id, pane, index, text in (
        (CONTRACT, "concerns", 2, "Ask the Mayor's office for the minutes"),
        (CONTRACT, "facts", 0, "Headline figure"),
        ("palantir-public-sector-record", "timeline", 1, "Compare with the NHS contract"),
    ):
        item = list(library.brief(brief_id).pane(pane))[index]
        notes.append(
            Note(
                id=f"n{len(notes)}",
                brief=brief_id,
                item=item.id,
                pane=pane,
                quote=item.quote,
                author="analyst",
                created=f"2026-11-0{len(notes) + 1}T10:00:00.000Z",
                updated=f"2026-11-0{len(notes) + 1}T10:00:00.000Z",
                text=text,
            )
        )
    store.put(*notes)
    return notes


async def test_an_empty_notebook_list_says_why(tmp_path: Path):
    """A filter that matches nothing says so (and how to clear it), not "no notes yet"."""
    store_path = tmp_path / "notes.json"
    fill(store_path)
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "n")
        notebook = await until(pilot, lambda: isinstance(app.screen, NotebookScreen) and app.screen, "the notebook")
        rows = notebook.query_one(RowList)
        await press(pilot, "slash", *"zzqx")
        assert rows.rows == []
        assert rows.empty == "Nothing matches the filter: escape clears it."
        await press(pilot, "escape")
        assert len(rows.rows) > 0
        assert rows.empty == "No notes or bookmarks yet: a writes a note, b bookmarks."


@pytest.mark.parametrize("size", SIZES)
async def test_notebook_filters_and_jumps_to_the_item(size, tmp_path: Path):
    store_path = tmp_path / "notes.json"
    notes = fill(store_path)
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "n")
        notebook = await until(pilot, lambda: isinstance(app.screen, NotebookScreen) and app.screen, "the notebook")
        rows = notebook.query_one(RowList)
        shown = [r.mark.id for r in rows.rows if r.mark is not None]
        assert sorted(shown) == sorted(n.id for n in notes)
        headings = [r.title for r in rows.rows if r.mark is None]
        assert len(headings) == 2  # grouped by brief
        # Within a brief, pane order: the key fact before the concern.
        assert shown.index("n1") < shown.index("n0")

        await press(pilot, "slash", *"minutes")
        assert [r.mark.id for r in rows.rows if r.mark is not None] == ["n0"]
        await press(pilot, "enter")  # leaves the filter box for the list
        rows.select_where(lambda r: r.mark is not None)
        await press(pilot, "enter")
        screen = await wait_for_brief(pilot)
        assert screen.brief.id == CONTRACT and screen.pane == "concerns"
        assert screen.current_item.id == notes[0].item
        assert "Ask the Mayor's office" in str(screen.query_one("#detail-body").content)
        await press(pilot, "q")
        await until(pilot, lambda: app.screen is notebook, "back to the notebook")


@pytest.mark.parametrize("size", SIZES)
async def test_reading_place_is_resumed(size, tmp_path: Path):
    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_contract(pilot)
        await press(pilot, "3", "j", "j")
        item = screen.current_item.id
        app.exit()
    place = Store(store_path).last_place()
    assert place == {"brief": CONTRACT, "pane": "concerns", "item": item, "open": True}

    again = app_for(tmp_path, store=store_path)
    async with again.run_test(size=size) as pilot:
        screen = await wait_for_brief(pilot)
        assert screen.brief.id == CONTRACT and screen.pane == "concerns"
        assert screen.current_item.id == item
        await press(pilot, "q")  # back to the library: the next start stays there
        library = await until(pilot, lambda: isinstance(again.screen, LibraryScreen) and again.screen, "library")
        rows = library.query_one(RowList)
        assert rows.current.summary.id == CONTRACT
        # The library marks the brief as read; the others are unread.
        assert all(
            row_text(rows, i).startswith(GLYPHS.unread) == (rows.rows[i].summary.id != CONTRACT)
            for i in range(len(rows.rows))
        )
        await press(pilot, "q")

    third = app_for(tmp_path, store=store_path)
    async with third.run_test(size=size) as pilot:
        library = await wait_for_library(pilot)  # and the work its loading started done
        assert isinstance(third.screen, LibraryScreen)
        assert library.query_one(RowList).current.summary.id == CONTRACT


class Instance:
    """One app run in its own task (Textual keeps the running app in a context variable,
    so two apps in one test each need their own), driven step by step from the test."""

    def __init__(self, app) -> None:
        self.app = app
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.task = asyncio.create_task(self.run())

    async def run(self) -> None:
        async with self.app.run_test(size=(80, 24)) as pilot:
            while (step := await self.inbox.get()) is not None:
                try:
                    await self.outbox.put(await step(pilot))
                except Exception as exc:  # hand it to the test
                    await self.outbox.put(exc)

    async def do(self, step):
        await self.inbox.put(step)
        result = await asyncio.wait_for(self.outbox.get(), 30)
        if isinstance(result, Exception):
            raise result
        return result

    async def stop(self) -> None:
        await self.inbox.put(None)
        await asyncio.wait_for(self.task, 30)


def pressing(*keys: str):
    async def step(pilot):
        await press(pilot, *keys)

    return step


async def note(pilot, text: str) -> None:
    await press(pilot, "a")
    await until(pilot, lambda: isinstance(pilot.app.screen, NoteDialog), "the dialog")
    await press(pilot, *text, "ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, BriefScreen), "the dialog to close")


async def test_two_instances_on_one_store_see_each_others_notes(tmp_path: Path):
    """Two SSH sessions of one user: saves interleave, both keep every note, and each
    shows the other's notes once it looks at the store (every two seconds)."""
    store_path = tmp_path / "notes.json"
    (tmp_path / "b").mkdir()
    one = Instance(app_for(tmp_path, store=store_path))
    two = Instance(app_for(tmp_path / "b", store=store_path))
    try:
        a = await one.do(open_contract)
        b = await two.do(open_contract)
        await one.do(pressing("b"))
        await two.do(pressing("j"))
        await two.do(lambda pilot: note(pilot, "from two"))
        await one.do(lambda pilot: note(pilot, "from one"))
        await one.do(pressing("2"))
        await two.do(pressing("3"))
        await one.do(lambda pilot: note(pilot, "one again"))
        await two.do(pressing("b"))
        saved = Store(store_path)
        assert sorted(n.text for n in saved.notes()) == ["from one", "from two", "one again"]
        assert len(saved.bookmarks()) == 2
        marked = {m.item for m in saved.marks()}

        async def shows_everything(pilot):
            screen = pilot.app.screen
            return await until(
                pilot, lambda: {i for i, marks in screen.marks.items() if marks} == marked, "the other instance's notes"
            )

        assert await one.do(shows_everything)
        assert await two.do(shows_everything)
        assert a is not b
    finally:
        await one.stop()
        await two.stop()


async def test_a_store_that_cannot_be_used_leaves_the_reader_working(tmp_path: Path):
    target = tmp_path / "elsewhere.json"
    target.write_text("{}")
    store_path = tmp_path / "notes.json"
    store_path.symlink_to(target)
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contract(pilot)
        assert any("symbolic link" in m for m in messages(app))
        await press(pilot, "b")
        assert any("symbolic link" in m for m in messages(app)[1:])
    assert target.read_text() == "{}"


def aside_shown(app) -> bool:
    """The notice of a store moved aside is in front."""
    return isinstance(app.screen, AsideDialog) and app.screen.is_mounted


def library_loaded(app) -> bool:
    return isinstance(app.screen, LibraryScreen) and app.screen.loaded


async def test_a_corrupt_store_is_said_at_every_start_until_acknowledged(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    store_path.write_text('{"notes": {"abc": {"brief": ')

    async def start(answer: str | None) -> bool:
        """Start briefing; True if it said the store was moved aside (answered ``answer``)."""
        app = app_for(tmp_path, store=store_path)
        async with app.run_test(size=(80, 24)) as pilot:
            # The notice comes before the library has loaded, or not at all.
            await until(pilot, lambda: aside_shown(app) or library_loaded(app), "the notice or the library")
            await settled(pilot)
            if not aside_shown(app):
                return False
            shown = app.screen.query_one(Static).render().plain
            assert str(aside) in shown and "not valid JSON" in shown
            await press(pilot, answer)
            await until(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
            return True

    aside = None  # found once the first start has moved it
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: aside_shown(app), "the notice")
        [aside] = tmp_path.glob("notes.json.unreadable-*")
        assert str(aside) in app.screen.query_one(Static).render().plain
        await press(pilot, "n")  # tell me next time
    assert aside.read_text() == '{"notes": {"abc": {"brief": '
    assert await start("n")  # said again at the next start
    assert await start("y")  # and again, until acknowledged
    assert not await start(None)  # then never again
    assert aside.read_text() == '{"notes": {"abc": {"brief": '


async def test_the_theme_is_kept(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        app.theme = "nord"
        await settled(pilot)
    assert Store(store_path).setting("theme") == "nord"
    again = app_for(tmp_path, store=store_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        assert again.theme == "nord"


async def test_an_orphaned_note_is_reported_kept_and_reattached(tmp_path: Path):
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    store_path = tmp_path / "notes.json"
    store = Store(store_path)
    note = store.add_note("sample", "it-costs-a-lot", "facts", "It costs a lot.", "Too much?")
    (library / "sample.md").write_text(GOOD_BRIEF.replace("- It costs a lot. [S1 ¶2]\n  figure: £5m\n", ""))
    app = app_for(tmp_path, store=store_path, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        library_screen = await wait_for_library(pilot)
        library_screen.open("sample")
        brief = await wait_for_brief(pilot)
        # Said where the reader looks: the brief's header, and the library's row ...
        header = brief.query_one("#brief-header").render().plain
        assert f"{GLYPHS.warning} 1 note lost its item · s" in header
        await press(pilot, "escape")
        await until(pilot, lambda: library_screen.orphans == {"sample": 1}, "the library to count it")
        assert f"{GLYPHS.warning}1" in row_text(library_screen.query_one(RowList), 0)
        # ... and nothing was written: the note is in the store as it was made.
        assert Store(store_path).notes() == [note]
        await press(pilot, "n")
        notebook = await until(pilot, lambda: isinstance(app.screen, NotebookScreen) and app.screen, "notebook")
        rows = notebook.query_one(RowList)
        assert rows.current.mark.id == note.id
        await until(pilot, lambda: "orphaned" in row_text(rows, rows.cursor), "the notebook to find it orphaned")
        await press(pilot, "t")
        picker = await until(pilot, lambda: isinstance(app.screen, PickDialog) and app.screen, "the picker")
        target = picker.query_one(RowList).current
        await press(pilot, "enter")
        await until(pilot, lambda: app.screen is notebook, "the picker to close")
    [moved] = Store(store_path).notes()
    assert (moved.id, moved.item, moved.anchor, moved.text) == (note.id, target.id, "ok", "Too much?")
    assert moved.quote == target.quote


async def test_export_from_the_command_palette(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    notes = fill(store_path)
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Export notes as JSON" in titles and "Export notes as Markdown" in titles
        [command] = [c for c in app.get_system_commands(app.screen) if c.title == "Export notes as JSON"]
        command.callback()
        await until(pilot, lambda: any("Notes exported to" in m for m in messages(app)), "the export")
        exported = list(paths_data().glob("exports/*.json"))
    import json

    assert exported[0].stat().st_mode & 0o777 == 0o600
    document = json.loads(exported[0].read_text(encoding="utf-8"))
    assert sorted(m["id"] for m in document["marks"]) == sorted(n.id for n in notes)


def paths_data() -> Path:
    from briefing import paths

    return paths.data_dir()


def test_markers_fall_back_to_ascii_outside_utf8():
    from briefing.ui.render.markers import utf8_locale

    assert utf8_locale({"LANG": "en_GB.UTF-8"})
    assert utf8_locale({"LC_ALL": "C.utf8", "LANG": "C"})
    assert not utf8_locale({"LANG": "C"})
    assert not utf8_locale({"LC_CTYPE": "POSIX", "LANG": "en_GB.UTF-8"})
    assert not utf8_locale({"LC_ALL": "de_DE.ISO-8859-1"})
    assert utf8_locale({})


async def test_a_failed_save_keeps_the_dialog_and_the_text(tmp_path: Path, monkeypatch):
    from briefing.store import notes as store_module

    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contract(pilot)
        await press(pilot, "a")
        dialog = await until(pilot, lambda: isinstance(app.screen, NoteDialog) and app.screen, "the dialog")
        await press(pilot, *"a long careful note")

        def disk_full(target, payload):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(store_module, "write_atomic", disk_full)
        await press(pilot, "ctrl+s")
        await settled(pilot)
        assert app.screen is dialog and dialog.text == "a long careful note"
        assert any("No space left" in m for m in messages(app))
        assert "Note saved." not in messages(app)
        monkeypatch.undo()
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
    assert [n.text for n in Store(store_path).notes()] == ["a long careful note"]


async def test_without_a_store_no_note_dialog_opens(tmp_path: Path):
    (tmp_path / "store").write_text("a file where the store's folder should be")
    app = app_for(tmp_path, store=tmp_path / "store" / "notes.json")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contract(pilot)
        why = "Notes cannot be saved this time: "
        assert [m.startswith(why) for m in messages(app)] == [True]  # said at the start
        for said, key in enumerate(("a", "A", "b", "n"), start=2):
            await press(pilot, key)
            await settled(pilot)
            assert app.screen is screen, f"{key} opened {app.screen!r} with no store to save to"
            told = messages(app)
            assert len(told) == said and told[-1].startswith(why), f"{key} did not say why nothing opened"


async def test_another_instances_save_leaves_the_summary_and_its_scroll(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contract(pilot)
        await press(pilot, "s", "J")
        body = str(screen.query_one("#detail-body").content)
        scroll = screen.query_one("#detail").scroll_y
        assert body.startswith("Summary") and scroll > 0
        other = Store(store_path)
        other.save_place("palantir-public-sector-record", "facts", None)  # not a note
        app.notes.poll()
        await settled(pilot)
        assert str(screen.query_one("#detail-body").content) == body
        assert screen.query_one("#detail").scroll_y == scroll
        # A note elsewhere in the brief does not reset it either; one on the brief shows in it.
        other.add_note(CONTRACT, None, None, "", "seen from the other session")
        app.notes.poll()
        await settled(pilot)
        assert "seen from the other session" in str(screen.query_one("#detail-body").content)
        assert screen.query_one("#detail").scroll_y == scroll


async def test_editing_a_note_of_a_brief_not_in_the_library_keeps_what_it_was_written_on(tmp_path: Path):
    store_path = tmp_path / "notes.json"
    note = Store(store_path).add_note("ghost-brief", None, None, "Ghost title", "on a brief that left")
    app = app_for(tmp_path, store=store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "n")
        notebook = await until(pilot, lambda: isinstance(app.screen, NotebookScreen) and app.screen, "notebook")
        await press(pilot, "enter")
        assert app.screen is notebook and any("not in this library" in m for m in messages(app))
        await press(pilot, "e")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog), "the dialog")
        await press(pilot, *" still", "ctrl+s")
        await until(pilot, lambda: app.screen is notebook, "the dialog to close")
    [saved] = Store(store_path).notes()
    assert (saved.id, saved.text, saved.quote) == (note.id, "on a brief that left still", "Ghost title")
