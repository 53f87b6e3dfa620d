"""Notes in a real terminal: they survive the end of the session, and two sessions share them.

* A note acknowledged on screen ("Note saved.") is on disk: SIGHUP or SIGTERM straight
  after it, or the terminal itself going away (a dropped SSH connection), ends briefing
  through its normal exit: exit status 0, not killed by the signal, the note in the store,
  the reading place saved on the way out.
* Two briefing processes on one store (one HOME) see each other's notes and bookmarks
  within a few seconds without a key press (the store is polled every 2 s), and when
  both quit the store holds every note of both.

The store is read back with :class:`briefing.store.notes.Store`, as the next start would.
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from briefing.core.model import Brief, Item

from ..fixtures import CONTRACT
from .reader import (
    EXIT_TIMEOUT,
    SAVED,
    assert_terminal_restored,
    move_to,
    open_brief_from_library,
    quit_from_brief,
    row_marks,
    shown,
    store_of,
    tab_marker,
    wait_marks,
    write_note,
)
from .terminal import Terminal

# The store's poll runs every 2 s; on a loaded machine a redraw may take a while more.
POLL_TIMEOUT = 8.0

# Non-ASCII on purpose: accents, a dash, a check mark, CJK (two columns wide).
NOTE_TEXT = "Zürich café — naïve ✓ 東京: ask the Met who signs off"


def header_noted(screen: str, brief: Brief) -> bool:
    """The brief header puts ✎ before the title once the brief itself has a note."""
    return f"✎ {shown(brief.title, 30)}" in screen.splitlines()[0]


def leftovers(home: Path, cwd: Path) -> list[str]:
    """Files a run left that a clean run does not: no traceback dump, no core, no
    temporary store file of an interrupted save, nothing in the working folder."""
    expected = re.compile(
        r"(data/briefing/notes\.json(\.lock)?|cache/briefing/library-index-\w+\.sqlite(-wal|-shm|\.lock)?)"
    )
    found = [p.relative_to(home).as_posix() for p in home.rglob("*") if not p.is_dir()]
    strays = [p for p in found if not expected.fullmatch(p)]
    return strays + [f"cwd/{p.name}" for p in cwd.iterdir()]


def note_written_on_the_second_stakeholder(spawn, brief: Brief) -> tuple[Terminal, Item]:
    """briefing with the brief open, Stakeholders pane, the cursor on its second item, and
    a note on that item saved (acknowledged on screen). The reading place stored so far is
    the one the brief opened at (Key facts, first item): only the exit saves the new one."""
    term = spawn()
    open_brief_from_library(term, brief)
    item = brief.stakeholders[1]
    term.press("2")
    term.wait_for(tab_marker("stakeholders"))
    move_to(term, item)
    write_note(term, "a", NOTE_TEXT, "Zürich café")
    term.wait_for(SAVED)
    wait_marks(term, item, " ✎")
    return term, item


def assert_note_and_place_saved(home: Path, item: Item) -> None:
    store = store_of(home)
    notes = store.notes()
    assert [(n.brief, n.item, n.text) for n in notes] == [(CONTRACT, item.id, NOTE_TEXT)]
    # Saved only by the exit (see note_written_on_the_second_stakeholder): the exit ran.
    assert store.last_place() == {"brief": CONTRACT, "pane": "stakeholders", "item": item.id, "open": True}


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_right_after_a_note_ends_briefing_normally_with_the_note_kept(
    spawn, brief: Brief, home: Path, tmp_path: Path, number: int
) -> None:
    term, item = note_written_on_the_second_stakeholder(spawn, brief)
    term.send_signal(number)  # at once: the note was acknowledged, it must be on disk
    status = term.wait_exit(timeout=EXIT_TIMEOUT)
    assert term.signalstatus is None, f"killed by signal {term.signalstatus}, not a normal exit"
    assert status == 0
    raw = bytes(term.raw)
    assert b"Traceback" not in raw
    assert_terminal_restored(raw)  # the terminal is still there: it is left as it was found
    assert_note_and_place_saved(home, item)
    assert leftovers(home, tmp_path / "cwd") == []


def test_the_terminal_going_away_after_a_note_ends_briefing_normally(
    spawn, brief: Brief, home: Path, tmp_path: Path
) -> None:
    term, item = note_written_on_the_second_stakeholder(spawn, brief)
    status = term.hang_up(timeout=EXIT_TIMEOUT)  # the pty master closed: SIGHUP, and EIO on writes
    assert term.signalstatus is None, f"killed by signal {term.signalstatus}, not a normal exit"
    # 120 is Python failing to flush its standard streams at the end: an error exit.
    assert status == 0, f"exit status {status} after the hang-up"
    assert_note_and_place_saved(home, item)
    assert leftovers(home, tmp_path / "cwd") == []


def test_two_terminals_on_one_store_see_each_others_notes_and_lose_none(spawn, brief: Brief, home: Path) -> None:
    first, second = brief.facts[0], brief.facts[1]
    a, b = spawn(), spawn()  # one HOME: one store
    open_brief_from_library(a, brief)
    open_brief_from_library(b, brief)
    a.wait_for(shown(first.label))
    b.wait_for(shown(first.label))

    # A bookmarks and annotates the first item; B, untouched, shows both marks by itself.
    a.press("b")
    wait_marks(a, first, "★ ")
    write_note(a, "a", "A: check the £50m figure", "A: check")
    wait_marks(a, first, "★✎")
    wait_marks(b, first, "★✎", timeout=POLL_TIMEOUT)
    assert row_marks(b.screen_text(), second) == "  "

    # B annotates the second item and the brief itself; A, untouched, shows both.
    move_to(b, second)
    write_note(b, "a", "B: five years — from when?", "B: five")
    wait_marks(b, second, " ✎")
    write_note(b, "A", "B: ask the Mayor's office ✓", "B: ask")
    b.wait_until(lambda s: header_noted(s, brief), what="✎ before the title in B")
    a.wait_until(
        lambda s: row_marks(s, second) == " ✎" and header_noted(s, brief),
        POLL_TIMEOUT,
        "B's notes (item and brief) shown in A",
    )
    a.settle()
    assert row_marks(a.screen_text(), first) == "★✎", a.dump()  # A's own marks are still there
    assert row_marks(b.screen_text(), first) == "★✎", b.dump()

    assert quit_from_brief(a) == 0
    assert quit_from_brief(b) == 0
    store = store_of(home)
    notes = sorted((n.item or "", n.text) for n in store.notes())
    assert notes == sorted(
        [
            (first.id, "A: check the £50m figure"),
            (second.id, "B: five years — from when?"),
            ("", "B: ask the Mayor's office ✓"),
        ]
    )
    assert all(n.brief == CONTRACT for n in store.notes())
    assert [(m.brief, m.item) for m in store.bookmarks()] == [(CONTRACT, first.id)]


def test_the_notebook_lists_the_notes_of_both_terminals(spawn, brief: Brief, home: Path) -> None:
    first, second = brief.facts[0], brief.facts[1]
    a, b = spawn(), spawn()
    open_brief_from_library(a, brief)
    open_brief_from_library(b, brief)
    write_note(a, "a", "A: notebook ✓ one", "A: notebook")
    wait_marks(a, first, " ✎")
    a.press("n")
    a.wait_for(re.compile(r"Notebook\s+1 note · 0 bookmarks"))
    a.wait_for("A: notebook ✓ one")

    # B writes while A's notebook is open: the notebook takes it in by itself.
    b.wait_for(shown(first.label))
    move_to(b, second)
    write_note(b, "a", "B: notebook ✓ two", "B: notebook")
    wait_marks(b, second, " ✎")
    text = a.wait_for(re.compile(r"Notebook\s+2 notes · 0 bookmarks"), timeout=POLL_TIMEOUT)
    a.settle()
    text = a.screen_text()
    assert "A: notebook ✓ one" in text and "B: notebook ✓ two" in text, a.dump()
    assert shown(brief.title, 30) in text  # grouped under their brief

    a.press("q")
    a.wait_for(tab_marker("facts"))  # back where it was: the brief
    assert quit_from_brief(a) == 0
    assert quit_from_brief(b) == 0
    assert sorted(n.text for n in store_of(home).notes()) == ["A: notebook ✓ one", "B: notebook ✓ two"]
